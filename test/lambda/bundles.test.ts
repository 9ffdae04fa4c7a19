/**
 * The poll and start bundles that deploy (assets/lambda/<name>/index.mjs), loaded by Node.js as
 * Lambda loads them, in a process of their own; the poll bundle asks a loopback Neptune Analytics
 * stand-in over HTTP, as it asks the service.
 */
import { pollerConfigOf } from '../../lib/poller-props';
import { simpleTimeline } from '../../local/import-timeline';
import { NeptuneGraphStandIn } from '../../local/neptune-graph-standin';
import { invokeBundle } from '../support/bundle-invocation';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:x';

/** The poller configuration the construct gives the poll function by default, without the sweep. */
const CONFIG = pollerConfigOf({ sweep: { enabled: false } });

describe('the deployed poll bundle', () => {
  let neptune: NeptuneGraphStandIn;
  let endpoint: string;

  beforeAll(async () => {
    neptune = new NeptuneGraphStandIn();
    endpoint = await neptune.start();
  });
  afterAll(async () => neptune.stop());

  test('GIVEN a task that has ended THEN one GetImportTask over HTTP, and the terminal Status Change event to put', async () => {
    const task = neptune.addTask({ timeline: simpleTimeline(60), startedAt: Date.now() - 3_600_000 });

    const { result, error } = await invokeBundle(
      'poll',
      { config: CONFIG, input: { taskId: task.taskId } },
      { AWS_ENDPOINT_URL_NEPTUNE_GRAPH: endpoint },
    );

    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      action: 'FINISH',
      event: {
        detailType: 'Neptune Analytics Import Task Status Change',
        detail: { taskId: task.taskId, graphId: task.graphId, status: 'SUCCEEDED', terminal: true, pollCount: 1 },
      },
    });
    expect(neptune.pollsOf(task.taskId).map((request) => request.status)).toEqual([200]);
  });

  test('GIVEN a malformed task id THEN a Monitoring Failed event, without a request', async () => {
    const before = neptune.requests.length;

    const { result } = await invokeBundle(
      'poll',
      { config: CONFIG, input: { taskId: 'nope' } },
      { AWS_ENDPOINT_URL_NEPTUNE_GRAPH: endpoint },
    );

    expect(result).toMatchObject({
      action: 'FINISH',
      event: {
        detailType: 'Neptune Analytics Import Task Monitoring Failed',
        detail: { reason: 'INVALID_REQUEST', taskId: 'nope' },
      },
    });
    expect(neptune.requests.length).toBe(before);
  });
});

describe('the deployed start bundle', () => {
  test('GIVEN an API call that starts no import THEN it is ignored', async () => {
    const { result } = await invokeBundle(
      'start',
      { 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'GetImportTask' } },
      { STATE_MACHINE_ARN },
    );
    expect(result).toEqual({ outcome: 'ignored', reason: 'API call "GetImportTask" does not start an import task' });
  });

  test('GIVEN a watch request that names no task THEN it throws, for Lambda to retry and keep', async () => {
    const { result, error } = await invokeBundle(
      'start',
      { 'detail-type': 'Neptune Analytics Import Task Watch Requested', detail: {} },
      { STATE_MACHINE_ARN },
    );
    expect(result).toBeUndefined();
    expect(error).toEqual({
      name: 'MalformedTriggerError',
      message: expect.stringMatching(/^The watch-request event carries no detail\.taskId/),
    });
  });
});
