/**
 * The sweep handler with the real SDK clients, over HTTP: DynamoDB is dynalite, Neptune Analytics
 * is the loopback stand-in (on a clock of its own, which starts as the watch table is created:
 * the deployment), and Step Functions a minimal stand-in for task tokens and executions.
 */
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { MetricDatum } from '../../../lambda/poll/poll-metrics';
import { createStepFunctionsClient } from '../../../lambda/start/aws-clients';
import {
  createDynamoDbClient,
  createSweepNeptuneGraphClient,
  sweepIoFromClients,
  type SweepClients,
} from '../../../lambda/sweep/aws-clients';
import { SweepCallDeadlineError } from '../../../lambda/sweep/call-deadline';
import { UnusableListingError } from '../../../lambda/sweep/listing-page';
import {
  createSweepHandler,
  MAX_END_CHECKS_PER_SWEEP,
  type SweepHandler,
  type SweepHandlerDependencies,
} from '../../../lambda/sweep/sweep-handler';
import type { SweepSettings } from '../../../lambda/sweep/sweep-settings';
import type { SweepSummary } from '../../../lambda/sweep/sweep-metrics';
import { simpleTimeline, type ImportTimeline } from '../../../local/import-timeline';
import { NeptuneGraphStandIn, type StandInFault, type StandInTask } from '../../../local/neptune-graph-standin';
import {
  answerAsEnded,
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
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A timeline that stays in `status` for an hour. */
const stayingIn = (status: string): ImportTimeline => ({
  phases: [{ status, seconds: 3600 }],
  outcome: { status: 'SUCCEEDED' },
});

/** Options of a sweep handler under test beyond its settings. */
interface HandlerOptions {
  readonly tableName?: string;
  readonly clients?: Partial<SweepClients>;
  readonly deps?: Partial<SweepHandlerDependencies>;
}

describe('sweep handler over HTTP', () => {
  let dynalite: LoopbackServer;
  let neptune: NeptuneGraphStandIn;
  let stepFunctions: TaskTokenStandIn;
  let stepFunctionsServer: LoopbackServer;
  let dynamoDb: DynamoDBClient;
  let neptuneGraph: NeptuneGraphClient;
  let sfn: SFNClient;
  /** Epoch ms on the stand-in's clock: from the watch table's creation on. */
  let standInNow: number;

  beforeEach(async () => {
    dynalite = await startDynalite();
    dynamoDb = createDynamoDbClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    await createWatchTable(dynamoDb, TABLE);
    standInNow = Date.now();
    neptune = new NeptuneGraphStandIn({ now: () => standInNow });
    stepFunctions = new TaskTokenStandIn();
    stepFunctionsServer = await stepFunctions.start();
    neptuneGraph = createSweepNeptuneGraphClient({ ...LOCAL_CLIENT_CONFIG, endpoint: await neptune.start() });
    sfn = createStepFunctionsClient({ ...LOCAL_CLIENT_CONFIG, endpoint: stepFunctionsServer.endpoint });
  });

  afterEach(async () => {
    for (const client of [dynamoDb, neptuneGraph, sfn]) client.destroy();
    await Promise.all([dynalite.stop(), neptune.stop(), stepFunctionsServer.stop()]);
  });

  /** A sweep handler wired to the stand-ins, recording its metrics and the waits between its wakes (which it does not wait). */
  function sweepHandler(settings: Partial<SweepSettings> = {}, options: HandlerOptions = {}) {
    const logger = new Logger({ logLevel: 'SILENT' });
    const metrics: MetricDatum[][] = [];
    const waits: number[] = [];
    const io = sweepIoFromClients({
      neptuneGraph,
      dynamoDb,
      stepFunctions: sfn,
      tableName: options.tableName ?? TABLE,
      stateMachineArn: STATE_MACHINE_ARN,
      logger,
      ...options.clients,
    });
    const sweep: SweepHandler = createSweepHandler({
      settings: { maxPages: 10, discovery: true, ...settings },
      ...io,
      logger,
      publishMetrics: (data) => metrics.push([...data]),
      now: () => Date.now(),
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      ...options.deps,
    });
    return { sweep, metrics, waits, logger };
  }

  const putItem = (item: Record<string, string>, tableName = TABLE) =>
    dynamoDb.send(
      new PutItemCommand({
        TableName: tableName,
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

  const activeTask = (graphId = GRAPH): StandInTask => neptune.addTask({ graphId, timeline: simpleTimeline(3600) });
  /** A task that ended an hour or so ago; its watch, if any, is parked with an older status. */
  const endedTask = (status = 'SUCCEEDED', graphId = GRAPH): StandInTask =>
    neptune.addTask({ graphId, timeline: simpleTimeline(60, { status }), startedAt: standInNow - HOUR_MS });
  const taskIn = (status: string): StandInTask => neptune.addTask({ graphId: GRAPH, timeline: stayingIn(status) });
  /**
   * A task that ended a day before the poller was deployed, its next `GetImportTask` answered as
   * the service answers for it unless `faults` come first.
   */
  const endedBeforeDeployment = (status = 'SUCCEEDED', ...faults: StandInFault[]): StandInTask => {
    const task = neptune.addTask({
      graphId: GRAPH,
      timeline: simpleTimeline(3600, { status }),
      startedAt: standInNow - DAY_MS - HOUR_MS,
    });
    neptune.injectFaults(task.taskId, ...faults);
    answerAsEnded(neptune, task);
    return task;
  };
  /** A task that started after the deployment and ended, unwatched, a minute ago; answered as {@link endedBeforeDeployment}. */
  const endedAfterDeployment = (status = 'FAILED', ...faults: StandInFault[]): StandInTask => {
    const task = neptune.addTask({ graphId: GRAPH, timeline: simpleTimeline(60, { status }), startedAt: standInNow });
    standInNow += 120_000;
    neptune.injectFaults(task.taskId, ...faults);
    answerAsEnded(neptune, task);
    return task;
  };
  /** A watch parked as the state machine parks it: its item holds the status it last saw and its token. */
  const parkedWatch = async (taskId: string, lastStatus: string, token: string, waiting = true) => {
    await putItem({ taskId, status: lastStatus, token, executionName: taskId });
    if (waiting) stepFunctions.waitingTokens.add(token);
  };
  const startedNames = () =>
    stepFunctions
      .callsOf('StartExecution')
      .filter((call) => call.result === 'ok')
      .map((call) => call.body.name);
  const endChecksOf = (task: StandInTask) => neptune.pollsOf(task.taskId).length;

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
    const task = endedTask('SUCCEEDED');
    await parkedWatch(task.taskId, 'IMPORTING', 'token-1');
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
    test('GIVEN listed statuses that differ from what the watches saw THEN their tokens are sent back, with the listed status', async () => {
      const succeeded = endedTask('SUCCEEDED');
      const rollingBack = taskIn('ROLLING_BACK');
      const cancelling = taskIn('CANCELLING');
      const unchanged = taskIn('IMPORTING');
      const noToken = endedTask('FAILED');
      await parkedWatch(succeeded.taskId, 'IMPORTING', 'token-succeeded');
      await parkedWatch(rollingBack.taskId, 'IMPORTING', 'token-rolling-back');
      await parkedWatch(cancelling.taskId, 'UNKNOWN', 'token-cancelling');
      await parkedWatch(unchanged.taskId, 'IMPORTING', 'token-unchanged');
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
      expect(summary).toMatchObject({ woken: 3, staleTokens: 0, discovered: 0, unlisted: 0, failures: 0 });
      expect(metrics[0]).toContainEqual({ name: 'WatchesWoken', unit: 'Count', value: 3 });
      expect(stepFunctions.callsOf('StartExecution')).toEqual([]);
    });

    test('GIVEN a stale token THEN the item loses its token and execution name and takes the listed status, and it is not sent again', async () => {
      const task = endedTask('FAILED');
      await parkedWatch(task.taskId, 'IMPORTING', 'token-stale', false);
      const { sweep, metrics } = sweepHandler();

      const first = await sweep({});
      const second = await sweep({});

      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.result)).toEqual(['TaskTimedOut']);
      expect(await getItem(task.taskId)).toEqual({ taskId: task.taskId, status: 'FAILED' });
      expect(first).toMatchObject({ woken: 0, staleTokens: 1, failures: 0 });
      expect(second).toMatchObject({ woken: 0, staleTokens: 0, discovered: 0, unlisted: 0 });
      expect(metrics[0]).toContainEqual({ name: 'StaleWakeTokens', unit: 'Count', value: 1 });
    });

    test('GIVEN the watch parks again while its stale token is answered THEN its new token stays', async () => {
      const task = endedTask('SUCCEEDED');
      await parkedWatch(task.taskId, 'IMPORTING', 'token-old', false);
      stepFunctions.onStaleToken = async () => {
        await parkedWatch(task.taskId, 'ROLLING_BACK', 'token-new');
      };
      const { sweep } = sweepHandler();

      const summary = await sweep({});

      expect(await getItem(task.taskId)).toMatchObject({ status: 'ROLLING_BACK', token: 'token-new' });
      expect(summary).toMatchObject({ staleTokens: 1, failures: 0 });
    });

    test('GIVEN Step Functions refuses one token for another reason THEN that task counts a failure and the others are still woken', async () => {
      const refused = endedTask('SUCCEEDED');
      const other = endedTask('SUCCEEDED');
      await parkedWatch(refused.taskId, 'IMPORTING', 'token-refused');
      await parkedWatch(other.taskId, 'IMPORTING', 'token-other');
      stepFunctions.refusedTokens.set('token-refused', 'AccessDeniedException');
      const { sweep, metrics } = sweepHandler();

      const summary = await sweep({});

      expect(summary).toMatchObject({ woken: 1, staleTokens: 0, failures: 1 });
      expect(stepFunctions.waitingTokens.has('token-other')).toBe(false);
      expect(await getItem(refused.taskId)).toMatchObject({ token: 'token-refused' });
      expect(metrics[0]).toContainEqual({ name: 'SweepTaskFailures', unit: 'Count', value: 1 });
    });

    test('GIVEN 25 watches to wake THEN the wakes are spread over 2.4 seconds, 10 a second, and all are sent', async () => {
      const tasks = Array.from({ length: 25 }, () => endedTask('SUCCEEDED'));
      for (const [index, task] of tasks.entries()) await parkedWatch(task.taskId, 'IMPORTING', `token-${index}`);
      const { sweep, waits } = sweepHandler();

      const summary = await sweep({}, () => 60_000);

      expect(summary).toMatchObject({ woken: 25, wakesDeferred: 0 });
      expect(waits).toEqual(Array.from({ length: 24 }, (_, index) => (index + 1) * 100));
      expect(stepFunctions.waitingTokens).toEqual(new Set());
    });

    test('GIVEN more wakes than fit before the time reserve THEN the rest are left to the next sweep, which sends them', async () => {
      const tasks = Array.from({ length: 25 }, () => endedTask('SUCCEEDED'));
      for (const [index, task] of tasks.entries()) await parkedWatch(task.taskId, 'IMPORTING', `token-${index}`);
      const { sweep, waits, logger } = sweepHandler();
      const warn = jest.spyOn(logger, 'warn');

      // 12 s left: 2 s beyond the reserve, time for 21 wakes at 10 a second.
      const first = await sweep({}, () => 12_000);

      expect(first).toMatchObject({ woken: 21, wakesDeferred: 4 });
      expect(Math.max(...waits)).toBe(2_000);
      expect(stepFunctions.waitingTokens.size).toBe(4);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/next sweep/), { deferred: 4, sent: 21 });

      const second = await sweep({}, () => 60_000);

      expect(second).toMatchObject({ woken: 4, wakesDeferred: 0 });
      expect(stepFunctions.waitingTokens).toEqual(new Set());
    });
  });

  describe('watches of tasks not listed', () => {
    test('GIVEN a waiting watch whose task is not listed THEN it is woken, with no listed status, and counted', async () => {
      activeTask();
      await parkedWatch('t-0000vanish', 'IMPORTING', 'token-vanished');
      const { sweep, metrics } = sweepHandler();

      const summary = await sweep({});

      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body)).toEqual([
        { taskToken: 'token-vanished', output: JSON.stringify({ wokenBy: 'sweep', listedStatus: null }) },
      ]);
      expect(summary).toMatchObject({ unlisted: 1, woken: 0, staleTokens: 0, failures: 0 });
      expect(metrics[0]).toContainEqual({ name: 'WatchedTasksUnlisted', unit: 'Count', value: 1 });
    });

    test('GIVEN an unlisted task whose watch is over (its token stale) THEN the item leaves the index, keeps its status, and is not counted', async () => {
      await parkedWatch('t-0000vanish', 'IMPORTING', 'token-stale', false);
      const { sweep } = sweepHandler();

      const first = await sweep({});
      const second = await sweep({});

      expect(first).toMatchObject({ unlisted: 0, staleTokens: 1, failures: 0 });
      expect(await getItem('t-0000vanish')).toEqual({ taskId: 't-0000vanish', status: 'IMPORTING' });
      expect(second).toMatchObject({ unlisted: 0, staleTokens: 0 });
      expect(stepFunctions.callsOf('SendTaskSuccess')).toHaveLength(1);
    });

    test('GIVEN a sweep cut short by its page limit THEN no watch is taken for unlisted', async () => {
      for (let index = 0; index < 150; index++) activeTask();
      await parkedWatch('t-0000vanish', 'IMPORTING', 'token-vanished');
      const { sweep } = sweepHandler({ discovery: false, maxPages: 1 });

      const summary = await sweep({});

      expect(summary).toMatchObject({ truncated: true, unlisted: 0 });
      expect(stepFunctions.callsOf('SendTaskSuccess')).toEqual([]);
    });

    test('GIVEN a table without the index of parked watches THEN the wakes of the listing are sent and the sweep throws', async () => {
      await dynamoDb.send(
        new CreateTableCommand({
          TableName: 'no-index',
          AttributeDefinitions: [{ AttributeName: 'taskId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const task = endedTask('SUCCEEDED');
      await putItem(
        { taskId: task.taskId, status: 'IMPORTING', token: 'token-1', executionName: task.taskId },
        'no-index',
      );
      stepFunctions.waitingTokens.add('token-1');
      const { sweep, metrics } = sweepHandler({}, { tableName: 'no-index' });

      await expect(sweep({})).rejects.toMatchObject({ name: 'ValidationException' });

      expect(stepFunctions.waitingTokens).toEqual(new Set());
      expect(metrics[0]).toContainEqual({ name: 'WatchesWoken', unit: 'Count', value: 1 });
    });
  });

  describe('discovering unwatched tasks', () => {
    test('GIVEN active tasks and a task that ended after the deployment THEN each gets one watch, and is recorded', async () => {
      const active = activeTask();
      const endedAfter = endedAfterDeployment('CANCELLED');
      const { sweep, metrics } = sweepHandler();

      const first = await sweep({ reason: 'schedule' });

      expect(startedNames()).toEqual([active.taskId, endedAfter.taskId]);
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
      expect(await getItem(endedAfter.taskId)).toMatchObject({ status: 'CANCELLED' });
      expect(first).toMatchObject({ discovered: 2, endChecks: 1, endedBeforeDeployment: 0, failures: 0 });
      expect(metrics[0]).toContainEqual({ name: 'TasksDiscovered', unit: 'Count', value: 2 });
      // The active task's status was not asked for: only ended tasks are.
      expect(endChecksOf(active)).toBe(0);

      expect(await sweep({})).toMatchObject({ discovered: 0, endChecks: 0 });
      expect(stepFunctions.callsOf('StartExecution')).toHaveLength(2);
    });

    test('GIVEN tasks that ended a day before the deployment THEN none is announced, whatever the listing order and page limit', async () => {
      const old = Array.from({ length: 150 }, (_, index) =>
        endedBeforeDeployment(index % 2 === 0 ? 'SUCCEEDED' : 'FAILED'),
      );
      const endedAfter = endedAfterDeployment('FAILED');
      const active = activeTask();
      const entry = (task: StandInTask) => ({
        taskId: task.taskId,
        graphId: task.graphId,
        status: task.timeline.outcome.status,
      });
      const reversed = [
        { taskId: active.taskId, graphId: GRAPH, status: 'INITIALIZING' },
        entry(endedAfter),
        ...[...old].reverse().map(entry),
      ];
      // One page a sweep: the first 100 tasks as listed, then the listing in the other order.
      neptune.injectListFaults(
        { kind: 'edit', edit: (answer) => answer },
        { kind: 'edit', edit: () => ({ tasks: reversed.slice(0, 100), nextToken: '100' }) },
      );
      const { sweep } = sweepHandler({ maxPages: 1 });

      const first = await sweep({});
      const second = await sweep({});
      const third = await sweep({});

      expect(first).toMatchObject({ truncated: true, endChecks: 100, endedBeforeDeployment: 100, discovered: 0 });
      expect(second).toMatchObject({ endChecks: 51, endedBeforeDeployment: 50, discovered: 2 });
      expect(third).toMatchObject({ endChecks: 0, endedBeforeDeployment: 0, discovered: 0 });
      expect(startedNames()).toEqual(expect.arrayContaining([endedAfter.taskId, active.taskId]));
      expect(startedNames()).toHaveLength(2);
      for (const task of old) {
        expect(await getItem(task.taskId)).toMatchObject({ status: task.timeline.outcome.status });
        // Asked once, when first found; recorded since.
        expect(endChecksOf(task)).toBe(1);
      }
    });

    test(`GIVEN more ended unwatched tasks than ${MAX_END_CHECKS_PER_SWEEP} THEN a sweep asks about ${MAX_END_CHECKS_PER_SWEEP}, and the next the rest`, async () => {
      const old = Array.from({ length: 130 }, () => endedBeforeDeployment());
      const { sweep } = sweepHandler();

      const first = await sweep({});
      expect(first).toMatchObject({ endChecks: 100, endedBeforeDeployment: 100, endChecksDeferred: 30 });
      expect(old.filter((task) => endChecksOf(task) === 1)).toHaveLength(100);

      const second = await sweep({});
      expect(second).toMatchObject({ endChecks: 30, endedBeforeDeployment: 30, endChecksDeferred: 0 });
      expect(old.every((task) => endChecksOf(task) === 1)).toBe(true);
      expect(stepFunctions.callsOf('StartExecution')).toEqual([]);
    });

    test('GIVEN less than 10 seconds left THEN no end time is asked for: the tasks are left to the next sweep', async () => {
      const old = endedBeforeDeployment();
      const { sweep } = sweepHandler();

      const summary = await sweep({}, () => (neptune.listRequests().length === 0 ? 60_000 : 9_000));

      expect(summary).toMatchObject({ endChecks: 0, endChecksDeferred: 1 });
      expect(endChecksOf(old)).toBe(0);
      expect(await getItem(old.taskId)).toBeUndefined();
    });

    test('GIVEN GetImportTask fails for an ended task THEN a failure is counted, nothing is recorded, and the next sweep asks again', async () => {
      const task = endedAfterDeployment('FAILED', { kind: 'error', status: 403, errorType: 'AccessDeniedException' });
      const { sweep, metrics } = sweepHandler();

      const first = await sweep({});

      expect(first).toMatchObject({ endChecks: 1, failures: 1, discovered: 0 });
      expect(await getItem(task.taskId)).toBeUndefined();
      expect(metrics[0]).toContainEqual({ name: 'SweepTaskFailures', unit: 'Count', value: 1 });

      expect(await sweep({})).toMatchObject({ endChecks: 1, failures: 0, discovered: 1 });
      expect(startedNames()).toEqual([task.taskId]);
    });

    test('GIVEN an ended task GetImportTask no longer finds THEN its end is unknown, and a watch is started to say what became of it', async () => {
      const task = endedBeforeDeployment('DELETED', {
        kind: 'error',
        status: 404,
        errorType: 'ResourceNotFoundException',
      });
      const { sweep } = sweepHandler();

      expect(await sweep({})).toMatchObject({ endChecks: 1, discovered: 1, failures: 0 });
      expect(startedNames()).toEqual([task.taskId]);
    });

    test('GIVEN DescribeTable fails THEN the ended tasks are left for the next sweep, which reads the deployment time once for good', async () => {
      const task = endedBeforeDeployment();
      const later = endedBeforeDeployment();
      let reads = 0;
      const real = sweepIoFromClients({
        neptuneGraph,
        dynamoDb,
        stepFunctions: sfn,
        tableName: TABLE,
        stateMachineArn: STATE_MACHINE_ARN,
        logger: new Logger({ logLevel: 'SILENT' }),
      }).readDeploymentTime;
      const { sweep } = sweepHandler(
        {},
        {
          deps: {
            readDeploymentTime: () => {
              reads += 1;
              return reads === 1
                ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
                : real();
            },
          },
        },
      );

      const first = await sweep({});

      expect(first).toMatchObject({ failures: 2, endedBeforeDeployment: 0, discovered: 0 });
      expect(await getItem(task.taskId)).toBeUndefined();
      expect(endChecksOf(later)).toBe(0);

      expect(await sweep({})).toMatchObject({ failures: 0, endedBeforeDeployment: 2, discovered: 0 });
      endedBeforeDeployment();
      expect(await sweep({})).toMatchObject({ failures: 0, endedBeforeDeployment: 1 });
      expect(reads).toBe(2);
    });

    test('GIVEN discovery off THEN an ended task is neither asked about nor recorded; turned on later, it is still not announced', async () => {
      const old = endedBeforeDeployment();

      expect(await sweepHandler({ discovery: false }).sweep({})).toMatchObject({ endChecks: 0 });
      expect(endChecksOf(old)).toBe(0);
      expect(await getItem(old.taskId)).toBeUndefined();

      expect(await sweepHandler({ discovery: true }).sweep({})).toMatchObject({
        endChecks: 1,
        endedBeforeDeployment: 1,
        discovered: 0,
      });
      expect(stepFunctions.callsOf('StartExecution')).toEqual([]);
    });

    test('GIVEN a task whose watch already runs THEN no second execution starts, and the task is recorded', async () => {
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
      const mine = activeTask(GRAPH);
      const theirs = activeTask(OTHER_GRAPH);
      const parkedElsewhere = endedTask('SUCCEEDED', OTHER_GRAPH);
      await parkedWatch(parkedElsewhere.taskId, 'IMPORTING', 'token-elsewhere');
      const { sweep } = sweepHandler();

      const summary = await sweep({ graphId: GRAPH, reason: 'api-call-without-task-id' });

      expect(startedNames()).toEqual([mine.taskId]);
      expect(await getItem(theirs.taskId)).toBeUndefined();
      expect(summary).toMatchObject({ discovered: 1, woken: 1 });
    });

    test('GIVEN a request with an invalid graph id THEN it is ignored, with a warning, and every graph is discovered', async () => {
      activeTask(GRAPH);
      activeTask(OTHER_GRAPH);
      const { sweep, logger } = sweepHandler();
      const warn = jest.spyOn(logger, 'warn');

      const summary = await sweep({ graphId: 'G-BAD', reason: 'api-call-without-task-id' });

      expect(summary).toMatchObject({ discovered: 2 });
      expect(warn).toHaveBeenCalledWith(expect.any(String), { graphId: '"G-BAD"' });
    });

    test('GIVEN graphIds THEN tasks of other graphs get no watch', async () => {
      const mine = activeTask(GRAPH);
      activeTask(OTHER_GRAPH);
      const { sweep } = sweepHandler({ graphIds: [GRAPH] });

      await sweep({});

      expect(startedNames()).toEqual([mine.taskId]);
    });
  });

  describe('listings that cannot be used', () => {
    test.each([
      ['a string', '{"tasks":"abc"}'],
      ['null', '{"tasks":null}'],
      ['missing', '{}'],
    ])(
      'GIVEN a listing whose tasks is %s THEN the sweep throws UnusableListingError, having taken no watch for unlisted',
      async (_, body) => {
        const task = activeTask();
        await parkedWatch(task.taskId, 'INITIALIZING', 'token-1');
        neptune.injectListFaults({ kind: 'raw', body });
        const { sweep, metrics } = sweepHandler();

        await expect(sweep({})).rejects.toThrow(UnusableListingError);

        expect(stepFunctions.calls).toEqual([]);
        expect(metrics[0]).toEqual(
          expect.arrayContaining([
            { name: 'SweepRuns', unit: 'Count', value: 1 },
            { name: 'WatchedTasksUnlisted', unit: 'Count', value: 0 },
          ]),
        );
      },
    );

    test('GIVEN listed entries without a task id or status THEN each counts a failure, and the other tasks are handled', async () => {
      const task = endedTask('SUCCEEDED');
      await parkedWatch(task.taskId, 'IMPORTING', 'token-1');
      neptune.injectListFaults({
        kind: 'edit',
        edit: (answer) => ({ ...answer, tasks: [...(answer.tasks as unknown[]), { status: 'FAILED' }, null] }),
      });
      const { sweep, metrics } = sweepHandler();

      expect(await sweep({})).toMatchObject({ tasksListed: 1, woken: 1, failures: 2 });
      expect(metrics[0]).toContainEqual({ name: 'SweepTaskFailures', unit: 'Count', value: 2 });
    });

    test('GIVEN a ListImportTasks body that stalls after its headers THEN the sweep fails at its call deadline, and says so', async () => {
      activeTask();
      neptune.injectListFaults({ kind: 'stall-body' });
      const { sweep, metrics } = sweepHandler({}, { clients: { callDeadlineMs: 300 } });
      const started = Date.now();

      await expect(sweep({})).rejects.toThrow(SweepCallDeadlineError);

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(metrics[0]).toContainEqual({ name: 'SweepPagesRead', unit: 'Count', value: 0 });
    });
  });

  describe('failures that end the sweep', () => {
    test('GIVEN ListImportTasks fails on the second page THEN the first page is handled, its wakes sent, the metrics published, and the sweep throws', async () => {
      const first = endedTask('SUCCEEDED');
      await parkedWatch(first.taskId, 'IMPORTING', 'token-first');
      await parkedWatch('t-0000vanish', 'IMPORTING', 'token-vanished');
      for (let index = 0; index < 150; index++) activeTask();
      neptune.injectListFaults(
        { kind: 'edit', edit: (answer) => answer },
        { kind: 'error', status: 400, errorType: 'ValidationException', message: 'bad token' },
      );
      const { sweep, metrics } = sweepHandler({ discovery: false });

      await expect(sweep({})).rejects.toMatchObject({ name: 'ValidationException' });

      // The listing was not read whole: the watch of the task not seen is not taken for unlisted.
      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body.taskToken)).toEqual(['token-first']);
      expect(metrics).toEqual([
        expect.arrayContaining([
          { name: 'SweepRuns', unit: 'Count', value: 1 },
          { name: 'SweepPagesRead', unit: 'Count', value: 1 },
          { name: 'WatchesWoken', unit: 'Count', value: 1 },
          { name: 'WatchedTasksUnlisted', unit: 'Count', value: 0 },
        ]),
      ]);
    });

    test('GIVEN the watch table cannot be read THEN the sweep throws and nothing is woken or started', async () => {
      activeTask();
      const { sweep, metrics } = sweepHandler({}, { tableName: 'no-such-table' });

      await expect(sweep({})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

      expect(stepFunctions.calls).toEqual([]);
      expect(metrics[0]).toContainEqual({ name: 'SweepRuns', unit: 'Count', value: 1 });
    });
  });

  test('the summary it returns is what it logs', async () => {
    activeTask();
    const { sweep, logger } = sweepHandler();
    const info = jest.spyOn(logger, 'info');

    const summary: SweepSummary = await sweep({ reason: 'schedule' });

    expect(info).toHaveBeenLastCalledWith('Sweep done', { reason: 'schedule', ...summary });
  });
});
