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
import type { MetricDatum } from '../../../lambda/shared/metric-datum';
import { createStepFunctionsClient } from '../../../lambda/shared/step-functions-client';
import {
  createSweepNeptuneGraphClient,
  sweepIoFromClients,
  type SweepClients,
} from '../../../lambda/sweep/aws-clients';
import { SweepCallDeadlineError } from '../../../lambda/sweep/call-deadline';
import { UnusableListingError } from '../../../lambda/sweep/listing-page';
import {
  createSweepHandler,
  MAX_END_CHECKS_PER_SWEEP,
  TIME_RESERVE_MS,
  type SweepHandler,
  type SweepHandlerDependencies,
} from '../../../lambda/sweep/sweep-handler';
import { IDLE_LISTING_SECONDS } from '../../../lambda/sweep/sweep-memory';
import { UNKNOWN_STATUS } from '../../../lib/sweep-contract';
import { sweepEnvironmentFrom, type SweepSettings } from '../../../lambda/sweep/sweep-settings';
import type { SweepSummary } from '../../../lambda/sweep/sweep-metrics';
import { simpleTimeline, type ImportTimeline } from '../../../local/import-timeline';
import {
  NeptuneGraphStandIn,
  type ListingOrder,
  type StandInFault,
  type StandInTask,
} from '../../../local/neptune-graph-standin';
import {
  answerAsEnded,
  LOCAL_CLIENT_CONFIG,
  STATE_MACHINE_ARN,
  TaskTokenStandIn,
  type LoopbackServer,
} from './sweep-standins';
import { startLocalWatchTable, type LocalWatchTableServer } from '../../../local/local-environment';

const TABLE = 'watch-table';
const GRAPH = 'g-aaaaaaaaaa';
const OTHER_GRAPH = 'g-bbbbbbbbbb';
const HOUR_MS = 3_600_000;
/** The start of a period of the idle listing, plus a second: a sweep then reads the listing whatever is parked. */
const listingPeriodStart = Math.floor(Date.now() / (IDLE_LISTING_SECONDS * 1000)) * IDLE_LISTING_SECONDS * 1000 + 1000;
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
  let watchTable: LocalWatchTableServer;
  let neptune: NeptuneGraphStandIn;
  let stepFunctions: TaskTokenStandIn;
  let stepFunctionsServer: LoopbackServer;
  let dynamoDb: DynamoDBClient;
  let neptuneGraph: NeptuneGraphClient;
  let sfn: SFNClient;
  /** Epoch ms on the stand-in's clock: from the watch table's creation on. */
  let standInNow: number;

  beforeEach(async () => {
    watchTable = await startLocalWatchTable(TABLE);
    dynamoDb = watchTable.client;
    standInNow = Date.now();
    neptune = new NeptuneGraphStandIn({ now: () => standInNow });
    stepFunctions = new TaskTokenStandIn();
    stepFunctionsServer = await stepFunctions.start();
    neptuneGraph = createSweepNeptuneGraphClient({ ...LOCAL_CLIENT_CONFIG, endpoint: await neptune.start() });
    sfn = createStepFunctionsClient({ ...LOCAL_CLIENT_CONFIG, endpoint: stepFunctionsServer.endpoint });
  });

  afterEach(async () => {
    for (const client of [neptuneGraph, sfn]) client.destroy();
    await Promise.all([watchTable.stop(), neptune.stop(), stepFunctionsServer.stop()]);
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
      // No grace for triggers unless a test gives one: a task nobody watches is discovered at once.
      settings: { maxPages: 10, discovery: true, discoveryGraceSeconds: 0, ...settings },
      ...io,
      logger,
      publishMetrics: (data) => metrics.push([...data]),
      // Held at the start of an idle listing period: every sweep reads the listing and, time not
      // passing, no listed status settles, so each sweep reads the items of the tasks it lists.
      now: () => listingPeriodStart,
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
      expect(metrics).toEqual([[{ name: 'SweepsTruncated', unit: 'Count', value: 1 }]]);
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

    test('GIVEN a page that stalls when the sweep has 1.5 seconds of paging left THEN its call is given that time, and the sweep is cut short, not failed: the next sweep reads that page', async () => {
      for (let index = 0; index < 150; index++) activeTask();
      const { sweep } = sweepHandler({ discovery: false });
      const remainingTimeMs = () => (neptune.listRequests().length === 0 ? 60_000 : TIME_RESERVE_MS + 1_500);
      neptune.injectListFaults({ kind: 'edit', edit: (answer) => answer }, { kind: 'stall-body' });

      const summary = await sweep({ reason: 'schedule' }, remainingTimeMs);

      expect(summary).toMatchObject({ pagesRead: 1, truncated: true, failures: 0 });
      expect(neptune.listRequests()).toHaveLength(2);
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
    /** Watches parked with an older status than their task lists; one whose task is unchanged; an item without a token. */
    const watchesBehindTheListing = async () => {
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
    };
    const woken = (token: string, listedStatus: string) => ({
      taskToken: token,
      output: JSON.stringify({ wokenBy: 'sweep', listedStatus }),
    });

    test('GIVEN listed statuses that differ from what the watches saw THEN only the watch whose task lists a terminal status is woken, with the listed status', async () => {
      await watchesBehindTheListing();
      const { sweep, metrics } = sweepHandler();

      const summary = await sweep({ reason: 'schedule' });

      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body)).toEqual([
        woken('token-succeeded', 'SUCCEEDED'),
      ]);
      expect(stepFunctions.waitingTokens).toEqual(
        new Set(['token-rolling-back', 'token-cancelling', 'token-unchanged']),
      );
      expect(summary).toMatchObject({ woken: 1, staleTokens: 0, discovered: 0, unlisted: 0, failures: 0 });
      // Wakes are the sweep's normal work: in its log line, not a metric billed by the hour.
      expect(metrics).toEqual([[]]);
      expect(stepFunctions.callsOf('StartExecution')).toEqual([]);
    });

    test('GIVEN emitStatusChanges THEN every watch whose task lists another status is woken, with the listed status', async () => {
      await watchesBehindTheListing();
      const { sweep, metrics } = sweepHandler({ emitStatusChanges: true });

      const summary = await sweep({ reason: 'schedule' });

      const sent = stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body);
      expect(sent).toHaveLength(3);
      expect(sent).toEqual(
        expect.arrayContaining([
          woken('token-succeeded', 'SUCCEEDED'),
          woken('token-rolling-back', 'ROLLING_BACK'),
          woken('token-cancelling', 'CANCELLING'),
        ]),
      );
      expect(stepFunctions.waitingTokens).toEqual(new Set(['token-unchanged']));
      expect(summary).toMatchObject({ woken: 3, staleTokens: 0, discovered: 0, unlisted: 0, failures: 0 });
      expect(metrics).toEqual([[]]);
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
      // A stale token is a watch that ended: counted in the summary, not worth a custom metric.
      expect(metrics).toEqual([[], []]);
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

    test('GIVEN a listing longer than a sweep reads THEN the sweep that ends a pass wakes the watch of a task the pass did not list', async () => {
      for (let index = 0; index < 250; index++) activeTask();
      await parkedWatch('t-0000vanish', 'IMPORTING', 'token-vanished');
      const { sweep } = sweepHandler({ discovery: false, maxPages: 1 });

      const summaries = [await sweep({}), await sweep({}), await sweep({})];

      // Pages 1, 2 and 3: the third sweep ends the pass that the first began.
      expect(summaries.map((s) => s.unlisted)).toEqual([0, 0, 1]);
      expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body)).toEqual([
        { taskToken: 'token-vanished', output: JSON.stringify({ wokenBy: 'sweep', listedStatus: null }) },
      ]);
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
      expect(metrics).toEqual([[]]);
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
      expect(metrics).toEqual([[]]);
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
      expect(await getItem(fine.taskId)).toMatchObject({ status: 'INITIALIZING' });
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
        // Published all the same; the failed invocation counts in Lambda's Errors.
        expect(metrics).toEqual([[]]);
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
      expect(metrics).toEqual([[]]);
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
      expect(metrics).toEqual([[]]);
    });

    test('GIVEN the watch table cannot be read THEN the sweep throws and nothing is woken or started', async () => {
      activeTask();
      const { sweep, metrics } = sweepHandler({}, { tableName: 'no-such-table' });

      await expect(sweep({})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

      expect(stepFunctions.calls).toEqual([]);
      expect(metrics).toEqual([[]]);
    });
  });

  describe('what a sweep remembers for the next', () => {
    const MINUTE_MS = 60_000;
    /** A handler on a clock the test moves, from `startsAt`. */
    const onTheClock = (
      startsAt: number,
      settings: Partial<SweepSettings> = {},
      clients: Partial<SweepClients> = {},
    ) => {
      const clock = { now: startsAt };
      const handler = sweepHandler(settings, { deps: { now: () => clock.now }, clients });
      const sweepAt = (at: number, event: unknown = { reason: 'schedule' }) => {
        clock.now = at;
        return handler.sweep(event);
      };
      return { ...handler, sweepAt };
    };
    const sentTokens = () => stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body.taskToken);

    test('GIVEN an ended task that stays listed THEN once its watch is woken and its token cleared, sweeps list it and read nothing of the table', async () => {
      const ended = endedTask('SUCCEEDED');
      const recorded = endedTask('FAILED');
      const running = taskIn('IMPORTING');
      await parkedWatch(ended.taskId, 'IMPORTING', 'token-ended');
      await putItem({ taskId: recorded.taskId, status: 'FAILED' });
      await parkedWatch(running.taskId, 'IMPORTING', 'token-running');
      const { sweepAt } = onTheClock(listingPeriodStart);

      const first = await sweepAt(listingPeriodStart);
      const second = await sweepAt(listingPeriodStart + MINUTE_MS);
      const later = [];
      for (let minute = 2; minute <= 5; minute++) later.push(await sweepAt(listingPeriodStart + minute * MINUTE_MS));

      // The wake, then the token found stale (the woken watch ended) and cleared.
      expect(sentTokens()).toEqual(['token-ended', 'token-ended']);
      expect(first).toMatchObject({ woken: 1, itemsRead: 3, pagesRead: 1 });
      expect(second).toMatchObject({ staleTokens: 1, itemsRead: 2, pagesRead: 1 });
      expect(await getItem(ended.taskId)).toEqual({ taskId: ended.taskId, status: 'SUCCEEDED' });
      for (const summary of later) {
        expect(summary).toMatchObject({ pagesRead: 1, tasksListed: 3, itemsRead: 0, woken: 0, parkedChecked: false });
      }
    });

    test('GIVEN no parked watch THEN a sweep reads the index of parked watches only, until a period of 15 minutes begins or a watch parks', async () => {
      const task = taskIn('IMPORTING');
      const midPeriod = listingPeriodStart + 5 * MINUTE_MS;
      const { sweepAt } = onTheClock(midPeriod, { discovery: false });

      const idle = [await sweepAt(midPeriod), await sweepAt(midPeriod + MINUTE_MS)];
      const listsWhileIdle = neptune.listRequests().length;
      await parkedWatch(task.taskId, 'IMPORTING', 'token-1');
      const afterThePark = await sweepAt(midPeriod + 2 * MINUTE_MS);

      expect(idle).toEqual([
        expect.objectContaining({ pagesRead: 0, parkedChecked: true, unreadSeconds: 0 }),
        expect.objectContaining({ pagesRead: 0, parkedChecked: true, unreadSeconds: 0 }),
      ]);
      expect(listsWhileIdle).toBe(0);
      expect(afterThePark).toMatchObject({ pagesRead: 1, tasksListed: 1, parkedChecked: true });
    });

    test('GIVEN no parked watch THEN the first sweep of each 15 minutes, and a sweep asked for, read the listing', async () => {
      endedTask('SUCCEEDED');
      const midPeriod = listingPeriodStart + 5 * MINUTE_MS;
      const { sweepAt } = onTheClock(midPeriod, { discovery: false });
      const nextPeriod = listingPeriodStart - 1000 + IDLE_LISTING_SECONDS * 1000;

      const pages = [
        (await sweepAt(midPeriod)).pagesRead,
        (await sweepAt(midPeriod + MINUTE_MS, { reason: 'api-call-without-task-id', graphId: GRAPH })).pagesRead,
        (await sweepAt(nextPeriod - 20_000)).pagesRead,
        (await sweepAt(nextPeriod + 40_000)).pagesRead,
        (await sweepAt(nextPeriod + 100_000)).pagesRead,
      ];

      expect(pages).toEqual([0, 1, 0, 1, 0]);
    });

    test('GIVEN a watch that parks with the status before the end just after a sweep read its item THEN the next sweep wakes it', async () => {
      const task = endedTask('SUCCEEDED');
      const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false });

      const first = await sweepAt(listingPeriodStart);
      await parkedWatch(task.taskId, 'IMPORTING', 'token-late');
      const second = await sweepAt(listingPeriodStart + MINUTE_MS);

      expect(first).toMatchObject({ itemsRead: 1, woken: 0 });
      expect(second).toMatchObject({ woken: 1 });
      expect(sentTokens()).toEqual(['token-late']);
    });

    test.each([
      ['the status before the end', 'IMPORTING'],
      ['no status yet (its first look left to the sweep)', UNKNOWN_STATUS],
    ])(
      'GIVEN a watch parked with %s behind an end already settled THEN the next sweep, which looks at every parked watch, wakes it without reading the table',
      async (_, parkedStatus) => {
        const task = endedTask('SUCCEEDED');
        const running = taskIn('IMPORTING');
        await parkedWatch(running.taskId, 'IMPORTING', 'token-running');
        const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false });
        await sweepAt(listingPeriodStart);
        await sweepAt(listingPeriodStart + MINUTE_MS);
        await parkedWatch(task.taskId, parkedStatus, 'token-behind');

        const next = await sweepAt(listingPeriodStart + 2 * MINUTE_MS);

        expect(next).toMatchObject({ woken: 1, itemsRead: 0, parkedChecked: true });
        expect(sentTokens()).toEqual(['token-behind']);
      },
    );

    test("GIVEN discovery off, a listing read over three sweeps, and a watch that parks with no status long after its task's end was settled THEN the next sweep wakes it, by the status the pass listed", async () => {
      for (let index = 0; index < 120; index++) activeTask();
      const ended = endedTask('SUCCEEDED');
      const other = activeTask();
      for (let index = 0; index < 119; index++) activeTask();
      await parkedWatch(other.taskId, 'INITIALIZING', 'token-other');
      const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false, maxPages: 1 });
      for (let minute = 0; minute < 30; minute++) await sweepAt(listingPeriodStart + minute * MINUTE_MS);
      const at = (minute: number) => listingPeriodStart + minute * MINUTE_MS;
      await parkedWatch(ended.taskId, UNKNOWN_STATUS, 'token-late');

      const next = await sweepAt(at(30));

      expect(next).toMatchObject({ parkedChecked: true, woken: 1 });
      expect(sentTokens()).toEqual(['token-late']);
    });

    test('GIVEN discovery on and an ended task whose watch runs but has not parked when a later sweep asks THEN the task stays owed, and the next sweep wakes the watch once it has parked', async () => {
      const other = activeTask();
      await parkedWatch(other.taskId, 'INITIALIZING', 'token-other');
      // The first end check fails: the one that finds the watch running comes a minute after the end was listed.
      const task = endedAfterDeployment('SUCCEEDED', {
        kind: 'error',
        status: 403,
        errorType: 'AccessDeniedException',
      });
      stepFunctions.executions.add(task.taskId);
      const { sweepAt } = onTheClock(listingPeriodStart);
      const first = await sweepAt(listingPeriodStart);
      const second = await sweepAt(listingPeriodStart + MINUTE_MS);
      await parkedWatch(task.taskId, UNKNOWN_STATUS, 'token-late');

      const third = await sweepAt(listingPeriodStart + 2 * MINUTE_MS);

      expect(stepFunctions.callsOf('StartExecution').map((call) => call.result)).toEqual(['ExecutionAlreadyExists']);
      expect([first, second, third].map((summary) => [summary.failures, summary.woken])).toEqual([
        [1, 0],
        [0, 0],
        [0, 1],
      ]);
      expect(sentTokens()).toEqual(['token-late']);
    });

    test('GIVEN a task that starts after a pass read the page it would be on, and its watch parks THEN the end of that pass does not wake the watch as unlisted, nor does the next pass, which lists it', async () => {
      const ordered = new NeptuneGraphStandIn({ now: () => standInNow, listingOrder: 'newest-first' });
      const client = createSweepNeptuneGraphClient({ ...LOCAL_CLIENT_CONFIG, endpoint: await ordered.start() });
      try {
        for (let index = 0; index < 150; index++) ordered.addTask({ graphId: GRAPH, timeline: stayingIn('IMPORTING') });
        const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false, maxPages: 1 }, { neptuneGraph: client });
        const firstPage = await sweepAt(listingPeriodStart, { reason: 'api-call-without-task-id' });
        const late = ordered.addTask({ graphId: GRAPH, timeline: stayingIn('INITIALIZING') });
        await parkedWatch(late.taskId, UNKNOWN_STATUS, 'token-late');

        const passEnd = await sweepAt(listingPeriodStart + MINUTE_MS);
        const nextPass = [
          await sweepAt(listingPeriodStart + 2 * MINUTE_MS),
          await sweepAt(listingPeriodStart + 3 * MINUTE_MS),
        ];

        expect(firstPage).toMatchObject({ pagesRead: 1, unlisted: 0 });
        expect(passEnd).toMatchObject({ pagesRead: 1, unlisted: 0, woken: 0 });
        expect(nextPass.map((summary) => [summary.pagesRead, summary.unlisted])).toEqual([
          [1, 0],
          [1, 0],
        ]);
        expect(sentTokens()).toEqual([]);
      } finally {
        client.destroy();
        await ordered.stop();
      }
    });

    test('GIVEN a listing longer than the page limit THEN each sweep goes on from the page the last stopped at, and from the end back to the first page', async () => {
      for (let index = 0; index < 450; index++) activeTask();
      await parkedWatch('t-0000parked', 'IMPORTING', 'token-1');
      const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false, maxPages: 2 });

      const summaries = [];
      for (let minute = 0; minute < 3; minute++) summaries.push(await sweepAt(listingPeriodStart + minute * MINUTE_MS));

      const tokens = neptune.listRequests().map((request) => request.taskId ?? 'page');
      expect(tokens).toHaveLength(6);
      expect(summaries.map((summary) => [summary.pagesRead, summary.tasksListed, summary.truncated])).toEqual([
        [2, 200, true],
        [2, 200, true],
        [2, 150, true],
      ]);
      // The pass that began at the first sweep ended at the third: every task was read since its start.
      expect(summaries.map((summary) => summary.unreadSeconds)).toEqual([0, 60, 120]);
      // The parked watch's task is not among those listed: the sweep that ends the pass wakes it.
      expect(summaries.map((summary) => summary.unlisted)).toEqual([0, 0, 1]);
    });

    test('GIVEN a discovery grace THEN an active task nobody watches is left to its trigger until the grace has passed since it was first listed, while an ended one is not', async () => {
      const active = activeTask();
      const ended = endedAfterDeployment('FAILED');
      const { sweepAt } = onTheClock(listingPeriodStart, { discoveryGraceSeconds: 300 });

      const summaries = [];
      for (let minute = 0; minute <= 5; minute++) {
        summaries.push(await sweepAt(listingPeriodStart + minute * MINUTE_MS));
      }

      // The task left to its trigger keeps the listing read every minute, though nothing is parked.
      expect(summaries.map((summary) => summary.pagesRead)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(summaries.map((summary) => summary.discovered)).toEqual([1, 0, 0, 0, 0, 1]);
      expect(startedNames()).toEqual([ended.taskId, active.taskId]);
    });

    /**
     * Runs `act` against a stand-in of its own that lists `count` tasks in `listingOrder`: the first
     * ends 600 s after it started, its watch parked with `token-ending`; the others stay IMPORTING.
     */
    const withListingOf = async (
      count: number,
      listingOrder: ListingOrder,
      act: (client: NeptuneGraphClient) => Promise<void>,
    ): Promise<void> => {
      const ordered = new NeptuneGraphStandIn({ now: () => standInNow, listingOrder });
      const client = createSweepNeptuneGraphClient({ ...LOCAL_CLIENT_CONFIG, endpoint: await ordered.start() });
      try {
        const ending = ordered.addTask({ graphId: GRAPH, timeline: simpleTimeline(600) });
        for (let index = 1; index < count; index++)
          ordered.addTask({ graphId: GRAPH, timeline: stayingIn('IMPORTING') });
        await parkedWatch(ending.taskId, 'INITIALIZING', 'token-ending');
        await act(client);
      } finally {
        client.destroy();
        await ordered.stop();
      }
    };

    test.each(['oldest-first', 'newest-first', 'random'] as const)(
      'GIVEN 2,000 tasks listed %s and a limit of 10 pages THEN the watch of a task that ends is woken within the two sweeps of a pass',
      (listingOrder) =>
        withListingOf(2000, listingOrder, async (client) => {
          const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false }, { neptuneGraph: client });
          const before = [await sweepAt(listingPeriodStart), await sweepAt(listingPeriodStart + MINUTE_MS)];

          standInNow += 700_000;
          const after = [
            await sweepAt(listingPeriodStart + 2 * MINUTE_MS),
            await sweepAt(listingPeriodStart + 3 * MINUTE_MS),
          ];

          expect(before.map((summary) => [summary.pagesRead, summary.woken, summary.itemsRead])).toEqual([
            [10, 0, 0],
            [10, 0, 0],
          ]);
          expect(after.reduce((sum, summary) => sum + summary.woken, 0)).toBe(1);
          // One wake; a later send of the same token, by the look at the parked watches that ends the pass, finds it stale.
          expect(new Set(sentTokens())).toEqual(new Set(['token-ending']));
          expect(sentTokens().length - 1).toBe(after.reduce((sum, summary) => sum + summary.staleTokens, 0));
          // Each pass read every task once: the one that ended is read, no other item.
          expect(after.reduce((sum, summary) => sum + summary.itemsRead, 0)).toBe(1);
        }),
    );

    test.each(['oldest-first', 'newest-first', 'random'] as const)(
      'GIVEN 20,000 tasks listed %s and the default page limit THEN every sweep reads the whole listing, and the watch of a task that ends is woken by the first sweep after its end',
      (listingOrder) =>
        withListingOf(20_000, listingOrder, async (client) => {
          const { maxPages } = sweepEnvironmentFrom({ WATCH_TABLE_NAME: TABLE, STATE_MACHINE_ARN: 'arn' }).settings;
          const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false, maxPages }, { neptuneGraph: client });
          const before = await sweepAt(listingPeriodStart);
          standInNow += 700_000;
          const after = await sweepAt(listingPeriodStart + MINUTE_MS);

          expect([before, after].map((summary) => [summary.pagesRead, summary.truncated, summary.woken])).toEqual([
            [200, false, 0],
            [200, false, 1],
          ]);
          expect(sentTokens()).toEqual(['token-ending']);
        }),
    );

    test('GIVEN an active task left to its trigger that leaves the listing THEN the sweep starts a watch for it all the same', async () => {
      const leaving = activeTask();
      const { sweepAt } = onTheClock(listingPeriodStart, { discoveryGraceSeconds: 300 });
      const first = await sweepAt(listingPeriodStart);
      neptune.injectListFaults({
        kind: 'edit',
        edit: (answer) => ({
          ...answer,
          tasks: (answer.tasks as { taskId: string }[]).filter((task) => task.taskId !== leaving.taskId),
        }),
      });

      const second = await sweepAt(listingPeriodStart + MINUTE_MS);

      expect(first).toMatchObject({ discovered: 0 });
      expect(second).toMatchObject({ discovered: 1 });
      expect(startedNames()).toEqual([leaving.taskId]);
      expect(await getItem(leaving.taskId)).toMatchObject({ status: 'INITIALIZING' });
    });

    test('GIVEN the token kept from the last sweep is refused THEN the sweep reads from the first page, and counts a failure', async () => {
      for (let index = 0; index < 250; index++) activeTask();
      await parkedWatch('t-0000parked', 'IMPORTING', 'token-1');
      const { sweepAt } = onTheClock(listingPeriodStart, { discovery: false, maxPages: 2 });
      await sweepAt(listingPeriodStart);
      neptune.injectListFaults({ kind: 'error', status: 400, errorType: 'ValidationException', message: 'expired' });

      const summary = await sweepAt(listingPeriodStart + MINUTE_MS);

      expect(neptune.listRequests().map((request) => request.status)).toEqual([200, 200, 400, 200, 200]);
      expect(summary).toMatchObject({ pagesRead: 2, tasksListed: 200, failures: 1 });
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
