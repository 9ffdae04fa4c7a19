/**
 * The sweep handler with the real SDK clients, over HTTP: DynamoDB is dynalite, Neptune Analytics
 * is the loopback stand-in, and Step Functions a minimal stand-in for task tokens and executions.
 */
import { GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { MetricDatum } from '../../../lambda/poll/poll-metrics';
import { createStepFunctionsClient } from '../../../lambda/start/aws-clients';
import {
  createDynamoDbClient,
  createSweepNeptuneGraphClient,
  sweepIoFromClients,
} from '../../../lambda/sweep/aws-clients';
import { createSweepHandler, type SweepHandler } from '../../../lambda/sweep/sweep-handler';
import type { SweepSettings } from '../../../lambda/sweep/sweep-settings';
import type { SweepSummary } from '../../../lambda/sweep/sweep-metrics';
import { simpleTimeline, type ImportTimeline } from '../../../local/import-timeline';
import { NeptuneGraphStandIn, type StandInTask } from '../../../local/neptune-graph-standin';
import {
  createWatchTable,
  LOCAL_CLIENT_CONFIG,
  startDynalite,
  STATE_MACHINE_ARN,
  TaskTokenStandIn,
  type LoopbackServer,
} from './sweep-standins';

const TABLE = 'watch-table';
const GRAPH = 'g-aaaaaaaaaa';
const OTHER_GRAPH = 'g-bbbbbbbbbb';
const BASELINE = '#sweep-baseline';
const HOUR_MS = 3_600_000;

/** A timeline that stays in `status` for an hour. */
const stayingIn = (status: string): ImportTimeline => ({
  phases: [{ status, seconds: 3600 }],
  outcome: { status: 'SUCCEEDED' },
});

describe('sweep handler over HTTP', () => {
  let dynalite: LoopbackServer;
  let neptune: NeptuneGraphStandIn;
  let stepFunctions: TaskTokenStandIn;
  let stepFunctionsServer: LoopbackServer;
  let dynamoDb: DynamoDBClient;
  let neptuneGraph: NeptuneGraphClient;
  let sfn: SFNClient;

  beforeEach(async () => {
    dynalite = await startDynalite();
    neptune = new NeptuneGraphStandIn();
    stepFunctions = new TaskTokenStandIn();
    stepFunctionsServer = await stepFunctions.start();
    dynamoDb = createDynamoDbClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    neptuneGraph = createSweepNeptuneGraphClient({ ...LOCAL_CLIENT_CONFIG, endpoint: await neptune.start() });
    sfn = createStepFunctionsClient({ ...LOCAL_CLIENT_CONFIG, endpoint: stepFunctionsServer.endpoint });
    await createWatchTable(dynamoDb, TABLE);
  });

  afterEach(async () => {
    for (const client of [dynamoDb, neptuneGraph, sfn]) client.destroy();
    await Promise.all([dynalite.stop(), neptune.stop(), stepFunctionsServer.stop()]);
  });

  /** A sweep handler wired to the stand-ins, recording its metrics and its writes of the baseline. */
  function sweepHandler(settings: Partial<SweepSettings> = {}, tableName = TABLE) {
    const logger = new Logger({ logLevel: 'SILENT' });
    const metrics: MetricDatum[][] = [];
    const baselineWrites: string[] = [];
    const io = sweepIoFromClients({
      neptuneGraph,
      dynamoDb,
      stepFunctions: sfn,
      tableName,
      stateMachineArn: STATE_MACHINE_ARN,
      logger,
    });
    const sweep: SweepHandler = createSweepHandler({
      settings: { maxPages: 10, discovery: true, ...settings },
      ...io,
      putItemIfAbsent: (item) => {
        if (item.taskId === BASELINE) baselineWrites.push(item.sweptAt);
        return io.putItemIfAbsent(item);
      },
      logger,
      publishMetrics: (data) => metrics.push([...data]),
      now: () => Date.now(),
    });
    return { sweep, metrics, baselineWrites, logger };
  }

  const putItem = (item: Record<string, string>) =>
    dynamoDb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: Object.fromEntries(Object.entries(item).map(([key, value]) => [key, { S: value }])),
      }),
    );
  const getItem = async (taskId: string): Promise<Record<string, string> | undefined> => {
    const { Item } = await dynamoDb.send(
      new GetItemCommand({ TableName: TABLE, Key: { taskId: { S: taskId } }, ConsistentRead: true }),
    );
    return Item === undefined
      ? undefined
      : Object.fromEntries(Object.entries(Item).map(([key, value]: [string, AttributeValue]) => [key, value.S ?? '']));
  };
  const writeBaseline = () => putItem({ taskId: BASELINE, sweptAt: '2025-01-01T00:00:00.000Z' });

  const activeTask = (graphId = GRAPH): StandInTask => neptune.addTask({ graphId, timeline: simpleTimeline(3600) });
  const endedTask = (status = 'SUCCEEDED', graphId = GRAPH): StandInTask =>
    neptune.addTask({ graphId, timeline: simpleTimeline(60, { status }), startedAt: Date.now() - HOUR_MS });
  const taskIn = (status: string): StandInTask => neptune.addTask({ graphId: GRAPH, timeline: stayingIn(status) });
  /** A watch parked as the state machine parks it: its item holds the status it last saw and its token. */
  const parkedWatch = async (task: StandInTask, lastStatus: string, token: string, waiting = true) => {
    await putItem({ taskId: task.taskId, status: lastStatus, token, executionName: task.taskId });
    if (waiting) stepFunctions.waitingTokens.add(token);
  };
  const startedNames = () =>
    stepFunctions
      .callsOf('StartExecution')
      .filter((call) => call.result === 'ok')
      .map((call) => call.body.name);

  describe('paging through ListImportTasks', () => {
    test('GIVEN 250 tasks THEN three pages of up to 100 are read and every task is listed', async () => {
      for (let index = 0; index < 250; index++) activeTask();
      const { sweep } = sweepHandler({ discovery: false });

      const summary = await sweep({ reason: 'schedule' });

      expect(neptune.listRequests()).toHaveLength(3);
      expect(summary).toMatchObject({ pagesRead: 3, truncated: false, tasksListed: 250 });
    });

    test('GIVEN maxPages 2 and 250 tasks THEN it reads two pages, reports truncated and warns how many pages it read', async () => {
      for (let index = 0; index < 250; index++) activeTask();
      const { sweep, metrics, logger } = sweepHandler({ discovery: false, maxPages: 2 });
      const warn = jest.spyOn(logger, 'warn');

      const summary = await sweep({ reason: 'schedule' });

      expect(neptune.listRequests()).toHaveLength(2);
      expect(summary).toMatchObject({ pagesRead: 2, truncated: true, tasksListed: 200 });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/cut short/), expect.objectContaining({ pagesRead: 2 }));
      expect(metrics).toEqual([
        expect.arrayContaining([
          { name: 'SweepsTruncated', unit: 'Count', value: 1 },
          { name: 'SweepPagesRead', unit: 'Count', value: 2 },
        ]),
      ]);
    });

    test('GIVEN maxPages 3 and a listing of exactly 3 pages THEN the sweep is complete, not truncated', async () => {
      for (let index = 0; index < 300; index++) activeTask();
      const { sweep } = sweepHandler({ discovery: false, maxPages: 3 });

      expect(await sweep({})).toMatchObject({ pagesRead: 3, truncated: false, tasksListed: 300 });
    });

    test('GIVEN less than 10 seconds left after a page THEN no further page is read', async () => {
      for (let index = 0; index < 250; index++) activeTask();
      const { sweep } = sweepHandler({ discovery: false });
      const remainingTimeMs = () => (neptune.listRequests().length === 0 ? 60_000 : 9_000);

      const summary = await sweep({ reason: 'schedule' }, remainingTimeMs);

      expect(neptune.listRequests()).toHaveLength(1);
      expect(summary).toMatchObject({ pagesRead: 1, truncated: true });
    });

    test('GIVEN ListImportTasks answers a server error once THEN the SDK retries and the sweep completes', async () => {
      activeTask();
      neptune.injectListFaults({ kind: 'error', status: 500, errorType: 'InternalServerException' });
      const { sweep } = sweepHandler({ discovery: false });

      expect(await sweep({})).toMatchObject({ pagesRead: 1, tasksListed: 1 });
      expect(neptune.listRequests().map((request) => request.status)).toEqual([500, 200]);
    });
  });

  test('GIVEN a page that lists a task twice THEN its item is read once and the sweep completes', async () => {
    await writeBaseline();
    const task = endedTask('SUCCEEDED');
    await parkedWatch(task, 'IMPORTING', 'token-1');
    neptune.injectListFaults({
      kind: 'edit',
      edit: (answer) => ({ ...answer, tasks: [...(answer.tasks as unknown[]), ...(answer.tasks as unknown[])] }),
    });
    const { sweep } = sweepHandler();

    const summary = await sweep({});

    expect(summary).toMatchObject({ tasksListed: 2, woken: 1, staleTokens: 0, failures: 0 });
    expect(stepFunctions.callsOf('SendTaskSuccess')).toHaveLength(1);
  });

  describe('waking waiting watches', () => {
    beforeEach(writeBaseline);

    test('GIVEN listed statuses that differ from what the watches saw THEN their tokens are sent back, with the listed status', async () => {
      const succeeded = endedTask('SUCCEEDED');
      const rollingBack = taskIn('ROLLING_BACK');
      const cancelling = taskIn('CANCELLING');
      const unchanged = taskIn('IMPORTING');
      const noToken = endedTask('FAILED');
      await parkedWatch(succeeded, 'IMPORTING', 'token-succeeded');
      await parkedWatch(rollingBack, 'IMPORTING', 'token-rolling-back');
      await parkedWatch(cancelling, 'UNKNOWN', 'token-cancelling');
      await parkedWatch(unchanged, 'IMPORTING', 'token-unchanged');
      await putItem({ taskId: noToken.taskId, status: 'IMPORTING' });
      const { sweep, metrics } = sweepHandler();

      const summary = await sweep({ reason: 'schedule' });

      const sent = stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body);
      expect(sent).toHaveLength(3);
      expect(sent).toEqual(
        expect.arrayContaining([
          { taskToken: 'token-succeeded', output: JSON.stringify({ wokenBy: 'sweep', listedStatus: 'SUCCEEDED' }) },
          {
            taskToken: 'token-rolling-back',
            output: JSON.stringify({ wokenBy: 'sweep', listedStatus: 'ROLLING_BACK' }),
          },
          {
            taskToken: 'token-cancelling',
            output: JSON.stringify({ wokenBy: 'sweep', listedStatus: 'CANCELLING' }),
          },
        ]),
      );
      expect(stepFunctions.waitingTokens).toEqual(new Set(['token-unchanged']));
      expect(summary).toMatchObject({ woken: 3, staleTokens: 0, discovered: 0, failures: 0 });
      expect(metrics[0]).toContainEqual({ name: 'WatchesWoken', unit: 'Count', value: 3 });
      expect(stepFunctions.callsOf('StartExecution')).toEqual([]);
    });

    test('GIVEN a stale token THEN the item loses its token and takes the listed status, and it is not sent again', async () => {
      const task = endedTask('FAILED');
      await parkedWatch(task, 'IMPORTING', 'token-stale', false);
      const { sweep, metrics } = sweepHandler();

      const first = await sweep({});
      const second = await sweep({});

      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.result)).toEqual(['TaskTimedOut']);
      expect(await getItem(task.taskId)).toEqual({
        taskId: task.taskId,
        status: 'FAILED',
        executionName: task.taskId,
      });
      expect(first).toMatchObject({ woken: 0, staleTokens: 1, failures: 0 });
      expect(second).toMatchObject({ woken: 0, staleTokens: 0, discovered: 0 });
      expect(metrics[0]).toContainEqual({ name: 'StaleWakeTokens', unit: 'Count', value: 1 });
    });

    test('GIVEN the watch parks again while its stale token is answered THEN its new token stays', async () => {
      const task = endedTask('SUCCEEDED');
      await parkedWatch(task, 'IMPORTING', 'token-old', false);
      stepFunctions.onStaleToken = async () => {
        await parkedWatch(task, 'ROLLING_BACK', 'token-new');
      };
      const { sweep } = sweepHandler();

      const summary = await sweep({});

      expect(await getItem(task.taskId)).toMatchObject({ status: 'ROLLING_BACK', token: 'token-new' });
      expect(summary).toMatchObject({ staleTokens: 1, failures: 0 });
    });

    test('GIVEN Step Functions refuses one token for another reason THEN that task counts a failure and the others are still woken', async () => {
      const refused = endedTask('SUCCEEDED');
      const other = endedTask('SUCCEEDED');
      await parkedWatch(refused, 'IMPORTING', 'token-refused');
      await parkedWatch(other, 'IMPORTING', 'token-other');
      stepFunctions.refusedTokens.set('token-refused', 'AccessDeniedException');
      const { sweep, metrics } = sweepHandler();

      const summary = await sweep({});

      expect(summary).toMatchObject({ woken: 1, staleTokens: 0, failures: 1 });
      expect(stepFunctions.waitingTokens.has('token-other')).toBe(false);
      expect(await getItem(refused.taskId)).toMatchObject({ token: 'token-refused' });
      expect(metrics[0]).toContainEqual({ name: 'SweepTaskFailures', unit: 'Count', value: 1 });
    });
  });

  describe('discovering unwatched tasks', () => {
    test('GIVEN the first sweep THEN active tasks get one watch each, ended ones are recorded unannounced, and the baseline is written once', async () => {
      const active = activeTask();
      const endedBefore = endedTask('SUCCEEDED');
      const { sweep, baselineWrites, metrics } = sweepHandler();

      const first = await sweep({ reason: 'schedule' });

      expect(startedNames()).toEqual([active.taskId]);
      expect(JSON.parse(String(stepFunctions.callsOf('StartExecution')[0].body.input))).toEqual({
        taskId: active.taskId,
        graphId: GRAPH,
        trigger: 'sweep',
      });
      expect(await getItem(active.taskId)).toEqual({
        taskId: active.taskId,
        graphId: GRAPH,
        status: 'INITIALIZING',
        discoveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(await getItem(endedBefore.taskId)).toMatchObject({ status: 'SUCCEEDED', graphId: GRAPH });
      expect(await getItem(BASELINE)).toEqual({ taskId: BASELINE, sweptAt: expect.any(String) });
      expect(first).toMatchObject({ discovered: 1, markedSeen: 1, failures: 0 });
      expect(metrics[0]).toContainEqual({ name: 'TasksDiscovered', unit: 'Count', value: 1 });

      // A task that ends unseen after the baseline is announced: its watch starts.
      const endedAfter = endedTask('CANCELLED');
      const second = await sweep({ reason: 'schedule' });

      expect(startedNames()).toEqual([active.taskId, endedAfter.taskId]);
      expect(second).toMatchObject({ discovered: 1, markedSeen: 0 });
      expect(baselineWrites).toHaveLength(1);

      // A new instance of the function reads the baseline rather than writing it again.
      const coldStart = sweepHandler();
      expect(await coldStart.sweep({})).toMatchObject({ discovered: 0, markedSeen: 0 });
      expect(coldStart.baselineWrites).toEqual([]);
      expect(stepFunctions.callsOf('StartExecution')).toHaveLength(2);
    });

    test('GIVEN a task whose watch already runs THEN no second execution starts, and the task is recorded', async () => {
      await writeBaseline();
      const task = activeTask();
      stepFunctions.executions.add(task.taskId);
      const { sweep } = sweepHandler();

      const summary = await sweep({});

      expect(stepFunctions.callsOf('StartExecution').map((call) => call.result)).toEqual(['ExecutionAlreadyExists']);
      expect(stepFunctions.callsOf('DescribeExecution')).toHaveLength(1);
      expect(summary).toMatchObject({ discovered: 0, failures: 0 });
      expect(await getItem(task.taskId)).toMatchObject({ status: 'INITIALIZING' });
    });

    test('GIVEN StartExecution fails THEN no record is written, the failure is counted, and the next sweep starts the watch', async () => {
      await writeBaseline();
      const failing = activeTask();
      const fine = activeTask();
      stepFunctions.startFailures.set(failing.taskId, ['InvalidExecutionInput']);
      const { sweep, metrics } = sweepHandler();

      const first = await sweep({});

      expect(first).toMatchObject({ discovered: 1, failures: 1 });
      expect(await getItem(failing.taskId)).toBeUndefined();
      expect(await getItem(fine.taskId)).toBeDefined();
      expect(metrics[0]).toContainEqual({ name: 'SweepTaskFailures', unit: 'Count', value: 1 });

      const second = await sweep({});

      expect(second).toMatchObject({ discovered: 1, failures: 0 });
      expect(startedNames()).toEqual([fine.taskId, failing.taskId]);
      expect(await getItem(failing.taskId)).toMatchObject({ status: 'INITIALIZING' });
    });

    test('GIVEN a sweep asked for one graph THEN only that graph is discovered, while wakes still cover every graph', async () => {
      await writeBaseline();
      const mine = activeTask(GRAPH);
      const theirs = activeTask(OTHER_GRAPH);
      const parkedElsewhere = endedTask('SUCCEEDED', OTHER_GRAPH);
      await parkedWatch(parkedElsewhere, 'IMPORTING', 'token-elsewhere');
      const { sweep } = sweepHandler();

      const summary = await sweep({ graphId: GRAPH, reason: 'api-call-without-task-id' });

      expect(startedNames()).toEqual([mine.taskId]);
      expect(await getItem(theirs.taskId)).toBeUndefined();
      expect(summary).toMatchObject({ discovered: 1, woken: 1 });
    });

    test('GIVEN a request with an invalid graph id THEN it is ignored, with a warning, and every graph is discovered', async () => {
      await writeBaseline();
      activeTask(GRAPH);
      activeTask(OTHER_GRAPH);
      const { sweep, logger } = sweepHandler();
      const warn = jest.spyOn(logger, 'warn');

      const summary = await sweep({ graphId: 'G-BAD', reason: 'api-call-without-task-id' });

      expect(summary).toMatchObject({ discovered: 2 });
      expect(warn).toHaveBeenCalledWith(expect.any(String), { graphId: '"G-BAD"' });
    });

    test('GIVEN graphIds THEN tasks of other graphs get no watch', async () => {
      await writeBaseline();
      const mine = activeTask(GRAPH);
      activeTask(OTHER_GRAPH);
      const { sweep } = sweepHandler({ graphIds: [GRAPH] });

      await sweep({});

      expect(startedNames()).toEqual([mine.taskId]);
    });
  });

  describe('failures that end the sweep', () => {
    test('GIVEN ListImportTasks fails on the second page THEN the first page is handled, the metrics published, and the sweep throws', async () => {
      const first = endedTask('SUCCEEDED');
      await parkedWatch(first, 'IMPORTING', 'token-first');
      for (let index = 0; index < 150; index++) activeTask();
      neptune.injectListFaults(
        { kind: 'edit', edit: (answer) => answer },
        { kind: 'error', status: 400, errorType: 'ValidationException', message: 'bad token' },
      );
      const { sweep, metrics, baselineWrites } = sweepHandler({ discovery: false });

      await expect(sweep({})).rejects.toMatchObject({ name: 'ValidationException' });

      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body.taskToken)).toEqual(['token-first']);
      expect(metrics).toEqual([
        expect.arrayContaining([
          { name: 'SweepRuns', unit: 'Count', value: 1 },
          { name: 'SweepPagesRead', unit: 'Count', value: 1 },
          { name: 'WatchesWoken', unit: 'Count', value: 1 },
        ]),
      ]);
      expect(baselineWrites).toEqual([]);
    });

    test('GIVEN the watch table cannot be read THEN the sweep throws and nothing is woken or started', async () => {
      activeTask();
      const { sweep, metrics } = sweepHandler({}, 'no-such-table');

      await expect(sweep({})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

      expect(stepFunctions.calls).toEqual([]);
      expect(metrics[0]).toContainEqual({ name: 'SweepRuns', unit: 'Count', value: 1 });
    });
  });

  test('the summary it returns is what it logs', async () => {
    await writeBaseline();
    activeTask();
    const { sweep, logger } = sweepHandler();
    const info = jest.spyOn(logger, 'info');

    const summary: SweepSummary = await sweep({ reason: 'schedule' });

    expect(info).toHaveBeenLastCalledWith('Sweep done', { reason: 'schedule', ...summary });
  });
});
