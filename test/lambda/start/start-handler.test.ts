/**
 * The start handler with the real Step Functions SDK client, over HTTP, against a Step
 * Functions stand-in that runs the synthesized state machine locally.
 */
import { createLocalStartHandler } from '../../../local/local-environment';
import { StepFunctionsStandIn } from '../../../local/step-functions-standin';
import { simpleTimeline } from '../../../local/import-timeline';
import { createStartHandler } from '../../../lambda/start/start-handler';
import { startHarness, silentLogger, type Harness } from '../../support/harness';

const cloudTrailRecord = (taskId: string, graphId: string) => ({
  id: 'ct-1',
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: {
    eventSource: 'neptune-graph.amazonaws.com',
    eventName: 'StartImportTask',
    responseElements: { taskId, graphId },
  },
});
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

  test('GIVEN an event without a usable task id THEN nothing is started', async () => {
    const outcome = await start(watchRequest('t-TOO-SHORT'));
    expect(outcome.outcome).toBe('ignored');
    expect(stepFunctions.calls).toHaveLength(0);
  });
});

describe('start handler failures', () => {
  test('fails when Step Functions refuses for another reason: the error is thrown for EventBridge to retry and keep', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const start = createStartHandler({ startExecution: () => Promise.reject(throttled), logger: silentLogger() });

    await expect(start(watchRequest('t-0123456789'))).rejects.toBe(throttled);
  });
});
