/**
 * The start bundle that deploys (assets/lambda/start/index.mjs, built by `npm run build:handlers`),
 * loaded by Node.js as Lambda loads it, in a process of its own: its metrics on stdout and its
 * dead-letter messages to an SQS stand-in on loopback.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeBundle, type BundleInvocation } from '../../support/bundle-invocation';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:x';

/** The start bundle, with a second left to run, as the function's own timeout would leave it. */
const invokeStartBundle = (event: unknown, env: Record<string, string> = {}): Promise<BundleInvocation> =>
  invokeBundle('start', event, { STATE_MACHINE_ARN, ...env }, 1000);

/** Each TriggersNotStartedByReason document: its `Reason`, value, service and where CloudWatch files it. */
const notStartedReasons = (metrics: BundleInvocation['metrics']) =>
  metrics
    .filter((doc) => 'TriggersNotStartedByReason' in doc)
    .map((doc) => {
      const [directive] = (doc._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> })
        .CloudWatchMetrics;
      expect(directive).toEqual(
        expect.objectContaining({ Namespace: 'NeptuneImportPoller', Dimensions: [['service', 'Reason']] }),
      );
      return { reason: doc.Reason, value: doc.TriggersNotStartedByReason, service: doc.service };
    });

const malformedWatchRequest = {
  id: 'wr-1',
  'detail-type': 'Neptune Analytics Import Task Watch Requested',
  detail: { taskId: 'T-BAD' },
};

describe('the deployed start bundle', () => {
  test('GIVEN a call that starts no import THEN it is ignored and IGNORED is published once, per poller', async () => {
    const { result, metrics } = await invokeStartBundle({
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { eventName: 'GetImportTask' },
    });

    expect(result).toMatchObject({ outcome: 'ignored' });
    expect(notStartedReasons(metrics)).toEqual([{ reason: 'IGNORED', value: 1, service: 'poller-under-test' }]);
  });

  test('GIVEN a malformed trigger and no queue URL THEN it throws MalformedTriggerError for Lambda to keep', async () => {
    const { result, error, metrics } = await invokeStartBundle(malformedWatchRequest);

    expect(result).toBeUndefined();
    expect(error).toEqual({ name: 'MalformedTriggerError', message: expect.stringContaining('"T-BAD"') });
    expect(notStartedReasons(metrics)).toEqual([{ reason: 'MALFORMED', value: 1, service: 'poller-under-test' }]);
  });

  test('GIVEN a malformed trigger and a queue URL THEN it is sent to the queue once, counted once, and the invocation succeeds', async () => {
    // Prepare
    const sent: Array<Record<string, unknown>> = [];
    const sqs = http.createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        sent.push(body);
        const md5 = createHash('md5').update(String(body.MessageBody)).digest('hex');
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: md5 }));
      });
    });
    await new Promise<void>((resolve) => sqs.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`;
    const queueUrl = `${endpoint}/123456789012/dead-letters`;
    let invocation: BundleInvocation;
    try {
      // Act
      invocation = await invokeStartBundle(malformedWatchRequest, {
        DEAD_LETTER_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: endpoint,
      });
    } finally {
      sqs.closeAllConnections();
      sqs.close();
    }
    // Assess
    expect(invocation.error).toBeUndefined();
    expect(invocation.result).toEqual({ outcome: 'malformed', reason: expect.stringContaining('"T-BAD"') });
    expect(notStartedReasons(invocation.metrics)).toEqual([
      { reason: 'MALFORMED', value: 1, service: 'poller-under-test' },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(malformedWatchRequest),
      MessageAttributes: { Reason: { DataType: 'String', StringValue: 'MALFORMED' } },
    });
  });
});
