/**
 * The start handler with the real Step Functions SDK client, over HTTP, against a Step
 * Functions stand-in that runs the synthesized state machine locally.
 */
import { createLocalStartHandler } from '../../../local/local-environment';
import { StepFunctionsStandIn } from '../../../local/step-functions-standin';
import { simpleTimeline } from '../../../local/import-timeline';
import type { MetricDatum } from '../../../lambda/poll/poll-metrics';
import {
  createStartHandler,
  MalformedTriggerError,
  type ExecutionStarter,
  type MalformedTriggerKeeper,
} from '../../../lambda/start/start-handler';
import type { ExecutionDescriber } from '../../../lambda/start/watch-lineage';
import { startHarness, silentLogger, type Harness } from '../../support/harness';

const cloudTrail = (detail: Record<string, unknown>) => ({
  id: 'ct-1',
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventSource: 'neptune-graph.amazonaws.com', ...detail },
});
const cloudTrailRecord = (taskId: string, graphId: string) =>
  cloudTrail({ eventName: 'StartImportTask', responseElements: { taskId, graphId } });
const watchRequest = (taskId: string) => ({
  id: 'wr-1',
  source: 'com.example',
  'detail-type': 'Neptune Analytics Import Task Watch Requested',
  detail: { taskId },
});

describe('start handler against a Step Functions stand-in over HTTP', () => {
  let harness: Harness;
  let stepFunctions: StepFunctionsStandIn;
  let start: ReturnType<typeof createLocalStartHandler>;

  beforeEach(async () => {
    harness = await startHarness();
    stepFunctions = new StepFunctionsStandIn(harness.poller, harness.synthesized.stateMachineArn);
    start = createLocalStartHandler(await stepFunctions.start(), harness.synthesized.stateMachineArn, 'SILENT');
  });
  afterEach(async () => {
    await stepFunctions.stop();
    await harness.stop();
  });

  test('GIVEN a CloudTrail record and then a watch request for the same task THEN one execution and one terminal event', async () => {
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });

    const first = await start(cloudTrailRecord(task.taskId, task.graphId));
    const second = await start(watchRequest(task.taskId));

    expect(first).toMatchObject({ outcome: 'started', taskId: task.taskId, executionName: task.taskId });
    expect(second).toEqual({ outcome: 'already-watching', taskId: task.taskId, executionName: task.taskId });
    expect(stepFunctions.calls.map((call) => call.result)).toEqual(['started', 'ExecutionAlreadyExists']);
    const { events } = await harness.poller.followChain(harness.poller.executions.get(task.taskId)!);
    expect(harness.poller.executions.size).toBe(1);
    expect(events.filter((event) => event.Detail.terminal === true)).toHaveLength(1);
  });

  test('GIVEN EventBridge delivers the same event twice THEN the second start is idempotent: still one execution', async () => {
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });

    await start(cloudTrailRecord(task.taskId, task.graphId));
    await start(cloudTrailRecord(task.taskId, task.graphId));

    expect(stepFunctions.calls.map((call) => call.result)).toEqual(['started', 'idempotent']);
    expect(harness.poller.executions.size).toBe(1);
    await harness.poller.followChain(harness.poller.executions.get(task.taskId)!);
  });

  test('GIVEN the execution input THEN it names the task, graph and trigger', async () => {
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    await start(cloudTrailRecord(task.taskId, task.graphId));
    expect(JSON.parse(stepFunctions.calls[0].input)).toEqual({
      taskId: task.taskId,
      graphId: task.graphId,
      trigger: 'api-call',
    });
    await harness.poller.followChain(harness.poller.executions.get(task.taskId)!);
  });

  test('GIVEN an event without a usable task id and no dead-letter keeper THEN nothing is started and the trigger is thrown', async () => {
    await expect(start(watchRequest('t-TOO-SHORT'))).rejects.toThrow(MalformedTriggerError);
    expect(stepFunctions.calls).toHaveLength(0);
  });
});

/** A start handler with recorded dependencies. */
function recordingHandler(
  options: {
    startExecution?: ExecutionStarter;
    describeExecution?: ExecutionDescriber;
    keepMalformedTrigger?: MalformedTriggerKeeper | null;
  } = {},
) {
  const metrics: MetricDatum[][] = [];
  const kept: Array<{ event: unknown; reason: string }> = [];
  const keeper: MalformedTriggerKeeper = (event, reason) => {
    kept.push({ event, reason });
    return Promise.resolve();
  };
  const keepMalformedTrigger = options.keepMalformedTrigger === undefined ? keeper : options.keepMalformedTrigger;
  const start = createStartHandler({
    startExecution:
      options.startExecution ?? ((name) => Promise.resolve({ executionArn: `arn:aws:states:::execution:sm:${name}` })),
    describeExecution: options.describeExecution ?? (() => Promise.resolve({ status: 'RUNNING' })),
    readHistory: () => Promise.resolve([]),
    logger: silentLogger(),
    publishMetrics: (data) => metrics.push([...data]),
    ...(keepMalformedTrigger === null ? {} : { keepMalformedTrigger }),
  });
  return { start, metrics, kept };
}

const notStarted = (reason: string): MetricDatum[] => [
  { name: 'TriggersNotStarted', unit: 'Count', value: 1 },
  { name: 'TriggersNotStartedByReason', unit: 'Count', value: 1, dimension: { name: 'Reason', value: reason } },
];
const alreadyExists = () => Promise.reject(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));

describe('start handler outcomes and their metrics', () => {
  test('GIVEN a new task THEN one execution is started and counted', async () => {
    // Prepare
    const { start, metrics, kept } = recordingHandler();
    // Act
    const outcome = await start(cloudTrailRecord('t-0123456789', 'g-0123456789'));
    // Assess
    expect(outcome).toMatchObject({ outcome: 'started', executionName: 't-0123456789' });
    expect(metrics).toEqual([[{ name: 'WatchExecutionsStarted', unit: 'Count', value: 1 }]]);
    expect(kept).toEqual([]);
  });

  test('GIVEN a task already watched THEN nothing starts and ALREADY_WATCHING is counted', async () => {
    const { start, metrics } = recordingHandler({ startExecution: alreadyExists });

    const outcome = await start(watchRequest('t-0123456789'));

    expect(outcome).toEqual({ outcome: 'already-watching', taskId: 't-0123456789', executionName: 't-0123456789' });
    expect(metrics).toEqual([notStarted('ALREADY_WATCHING')]);
  });

  test.each([
    ['a call that does not start an import', cloudTrail({ eventName: 'GetImportTask' })],
    [
      'a call that failed',
      cloudTrail({ eventName: 'StartImportTask', errorCode: 'AccessDenied', responseElements: null }),
    ],
    ['another detail-type', { 'detail-type': 'Something Else', detail: {} }],
  ])('GIVEN %s THEN nothing starts, IGNORED is counted, and nothing is kept', async (_, event) => {
    const startExecution = jest.fn<ReturnType<ExecutionStarter>, Parameters<ExecutionStarter>>();
    const { start, metrics, kept } = recordingHandler({ startExecution });

    const outcome = await start(event);

    expect(outcome.outcome).toBe('ignored');
    expect(metrics).toEqual([notStarted('IGNORED')]);
    expect(kept).toEqual([]);
    expect(startExecution).not.toHaveBeenCalled();
  });

  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['a watch request with a malformed id', watchRequest('t-TOO-SHORT')],
    ['a successful call without a task id', cloudTrail({ eventName: 'StartImportTask', responseElements: {} })],
    [
      'a successful call naming two tasks',
      cloudTrail({
        eventName: 'StartImportTask',
        responseElements: { taskId: 't-aaaaaaaaaa', importTask: { taskId: 't-bbbbbbbbbb' } },
      }),
    ],
  ])(
    'GIVEN %s THEN nothing starts, MALFORMED is counted once, and the event is kept once with the reason',
    async (_, event) => {
      const startExecution = jest.fn<ReturnType<ExecutionStarter>, Parameters<ExecutionStarter>>();
      const { start, metrics, kept } = recordingHandler({ startExecution });

      const outcome = await start(event);

      expect(outcome).toEqual({ outcome: 'malformed', reason: expect.stringContaining('no watch started') });
      expect(metrics).toEqual([notStarted('MALFORMED')]);
      expect(kept).toEqual([{ event, reason: outcome.outcome === 'malformed' ? outcome.reason : '' }]);
      expect(startExecution).not.toHaveBeenCalled();
    },
  );

  test('GIVEN a wrapped CloudTrail answer THEN the execution input names the task and graph read from the wrapper', async () => {
    const startExecution = jest.fn<ReturnType<ExecutionStarter>, Parameters<ExecutionStarter>>(() =>
      Promise.resolve({}),
    );
    const { start } = recordingHandler({ startExecution });

    await start(
      cloudTrail({
        eventName: 'CreateGraphUsingImportTask',
        responseElements: { graph: { id: 'g-abcdefghij' }, importTask: { taskId: 't-0123456789' } },
      }),
    );

    expect(startExecution).toHaveBeenCalledWith(
      't-0123456789',
      JSON.stringify({ taskId: 't-0123456789', graphId: 'g-abcdefghij', trigger: 'api-call' }),
    );
  });
});

describe('start handler failures', () => {
  test('fails when Step Functions refuses for another reason: the error is thrown for Lambda to retry and keep', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { start, metrics } = recordingHandler({ startExecution: () => Promise.reject(throttled) });

    await expect(start(watchRequest('t-0123456789'))).rejects.toBe(throttled);
    expect(metrics).toEqual([]);
  });

  test('fails with MalformedTriggerError when no keeper is given: Lambda retries, then its dead-letter queue keeps the event', async () => {
    const { start, metrics } = recordingHandler({ keepMalformedTrigger: null });

    const thrown = start(null);

    await expect(thrown).rejects.toThrow(MalformedTriggerError);
    await expect(thrown).rejects.toMatchObject({ name: 'MalformedTriggerError', message: /not an object/ });
    expect(metrics).toEqual([notStarted('MALFORMED')]);
  });

  test('fails with MalformedTriggerError, the cause attached, when the keeper fails', async () => {
    const refused = Object.assign(new Error('Access denied'), { name: 'AccessDenied' });
    const { start } = recordingHandler({ keepMalformedTrigger: () => Promise.reject(refused) });

    const thrown = start(watchRequest('t-TOO-SHORT'));

    await expect(thrown).rejects.toThrow(MalformedTriggerError);
    await expect(thrown).rejects.toMatchObject({ cause: refused, message: /keeping the trigger failed: AccessDenied/ });
  });
});
