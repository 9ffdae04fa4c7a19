/**
 * The start function's AWS clients: over real HTTP against a loopback server that never answers,
 * for their timeouts; on an SDK client mock, for what they send.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createStepFunctionsClient } from '../../../lambda/shared/step-functions-client';
import { createSqsClient, deadLetterQueueKeeper, malformedTriggerMessage } from '../../../lambda/start/aws-clients';
import { REQUEST_TIMEOUT_MS } from '../../../lambda/shared/request-handler';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/dead-letters';

/** A loopback HTTP server running `respond` for every request; `close` drops open connections too. */
async function loopbackServer(
  respond: http.RequestListener,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer(respond);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const local = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  // One attempt: the test is about the timeout of a call, not the SDK's retries of it.
  maxAttempts: 1,
});

describe('the clients against an endpoint that accepts the request and never answers', () => {
  let server: Awaited<ReturnType<typeof loopbackServer>>;
  beforeEach(async () => {
    server = await loopbackServer(() => undefined);
  });
  afterEach(() => server.close());

  test('fails when StartExecution gets no answer: the request timeout throws a TimeoutError', async () => {
    // Prepare
    const client = createStepFunctionsClient(local(server.endpoint));
    // Act
    const call = client.send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
        name: 'n',
      }),
    );
    // Assess
    await expect(call).rejects.toMatchObject({
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      message: expect.stringContaining(`exceeded the configured ${REQUEST_TIMEOUT_MS} ms requestTimeout`),
    });
  });

  test('fails when SendMessage gets no answer: the request timeout throws a TimeoutError', async () => {
    const client = createSqsClient(local(server.endpoint));

    const call = client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: '{}' }));

    await expect(call).rejects.toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
  });
});

/** Whether SQS refuses `char` in a message: only XML 1.0 characters are allowed. */
const refusedBySqs = (char: string): boolean => {
  const code = char.codePointAt(0)!;
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfffe ||
    code === 0xffff
  );
};

describe('malformedTriggerMessage', () => {
  test('the body is the event as JSON, and the attributes say MALFORMED and why', () => {
    const event = { id: 'e1', 'detail-type': 'Neptune Analytics Import Task Watch Requested', detail: {} };

    expect(malformedTriggerMessage(QUEUE_URL, event, 'no detail.taskId')).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify(event),
      MessageAttributes: {
        Reason: { DataType: 'String', StringValue: 'MALFORMED' },
        ErrorMessage: { DataType: 'String', StringValue: 'no detail.taskId' },
      },
    });
  });

  test('a null or missing event still makes a message', () => {
    expect(malformedTriggerMessage(QUEUE_URL, null, 'r').MessageBody).toBe('null');
    expect(malformedTriggerMessage(QUEUE_URL, undefined, 'r').MessageBody).toBe('null');
  });

  test('characters SQS refuses are escaped in the body, which still parses to the same event', () => {
    const event = { detail: { taskId: 'a\uFFFFb\uFFFEc\u0001d\uD800e' } };

    const body = malformedTriggerMessage(QUEUE_URL, event, 'r').MessageBody!;

    expect([...body].filter(refusedBySqs)).toEqual([]);
    expect(JSON.parse(body)).toEqual(event);
  });

  test('the reason is cut to 1024 characters, with what SQS refuses replaced, a pair of surrogates cut in two included', () => {
    const reason = `\uFFFF${'x'.repeat(1022)}\u{1F600}${'y'.repeat(1000)}`;

    const message = malformedTriggerMessage(QUEUE_URL, {}, reason).MessageAttributes!.ErrorMessage.StringValue!;

    expect(message).toHaveLength(1024);
    expect(message).toBe(`\uFFFD${'x'.repeat(1022)}\uFFFD`);
    expect([...message].filter(refusedBySqs)).toEqual([]);
  });
});

describe('deadLetterQueueKeeper', () => {
  const event = { id: 'e1', 'detail-type': 'Neptune Analytics Import Task Watch Requested', detail: { taskId: 'T' } };

  test('GIVEN a malformed trigger THEN one SendMessage carries it to the queue, with the deadline of every call', async () => {
    // Prepare
    const client = createSqsClient({ region: 'us-east-1' });
    const sqs = mockClient(client);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    // Act
    await deadLetterQueueKeeper(client, QUEUE_URL)(event, 'not a task id');
    // Assess
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      malformedTriggerMessage(QUEUE_URL, event, 'not a task id'),
    ]);
    expect((calls[0].args as unknown[])[1]).toMatchObject({ abortSignal: expect.any(AbortSignal) });
  });

  test('fails when SQS refuses the message: the error is thrown to the caller', async () => {
    const client = createSqsClient({ region: 'us-east-1' });
    const refused = Object.assign(new Error('Access to the resource is denied'), { name: 'AccessDenied' });
    mockClient(client).on(SendMessageCommand).rejects(refused);

    await expect(deadLetterQueueKeeper(client, QUEUE_URL)(event, 'not a task id')).rejects.toBe(refused);
  });
});
