/**
 * The sweep beside the watches, as deployed by default: the synthesized state machine parks each
 * wait in the watch table (a local DynamoDB), and the real sweep handler, run on the same clock
 * every sweep period, lists the tasks (ListImportTasks against the stand-in), wakes a parked watch
 * whose task's status changed or whose task is no longer listed (SendTaskSuccess to the Step
 * Functions stand-in) and starts watches for tasks nobody watches, all over real HTTP. The poller
 * is deployed as each run starts: the watch table is created then.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Duration } from 'aws-cdk-lib';
import { watchTableDefinition } from '../../lambda/sweep/aws-clients';
import { IDLE_LISTING_SECONDS } from '../../lambda/sweep/sweep-memory';
import { DEFAULT_DISCOVERY_GRACE_SECONDS } from '../../lambda/sweep/sweep-settings';
import { STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { PollerMetrics } from '../../lib/poller-metric-names';
import { SWEPT_POLLING_INTERVAL } from '../../lib/poller-props';
import { lateEndSeconds } from '../../lib/sweep-contract';
import type { MetricDatum } from '../../lambda/shared/metric-datum';
import { POLLER_STATE_NAMES } from '../../lib/state-names';
import { realSleep, SteppingClock } from '../../local/clock';
import { simpleTimeline, timelineSeconds, type ImportTimeline } from '../../local/import-timeline';
import type { LocalWatchTableServer, StandInRunOptions } from '../../local/local-environment';
import type { PublishedEvent } from '../../local/local-poller';
import type { StandInTask } from '../../local/neptune-graph-standin';
import type { HistoryEvent } from '../../local/step-functions-history';
import { answerAsEnded } from '../lambda/sweep/sweep-standins';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

/** Seconds between two sweeps by default. */
const SWEEP_PERIOD = 60;

/** An import that fails 40 minutes in, at 62 %, its phases out of step with the sweeps. */
const FAILING_MIDWAY: ImportTimeline = {
  phases: [
    { status: 'INITIALIZING', seconds: 131 },
    { status: 'ANALYZING_DATA', seconds: 607 },
    {
      status: 'IMPORTING',
      seconds: 1693,
      progress: [
        [0, 0],
        [1, 62],
      ],
    },
  ],
  outcome: { status: 'FAILED', statusReason: 'Import failed: 2 files could not be parsed', errorCount: 2 },
};

/** How each parked wait of `history` ended: TaskSucceeded (woken), TaskTimedOut or TaskFailed. */
function parkedWaitOutcomes(history: readonly HistoryEvent[]): string[] {
  const outcomes: string[] = [];
  let state: string | undefined;
  for (const event of history) {
    if (event.type === 'TaskStateEntered') state = event.stateName;
    if (
      state === POLLER_STATE_NAMES.parkedWait &&
      ['TaskSucceeded', 'TaskTimedOut', 'TaskFailed'].includes(event.type)
    ) {
      outcomes.push(event.type);
    }
  }
  return outcomes;
}

const terminalEventsOf = (harness: Harness, taskId: string): PublishedEvent[] =>
  harness.poller.events.filter((event) => event.Detail.taskId === taskId && event.Detail.terminal === true);

/** Waits, in real time, until `condition` holds. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 3000; attempt++) {
    if (await condition()) return;
    await realSleep(5);
  }
  throw new Error(`Never came to pass: ${what}`);
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Creates `table` again as the construct defines it, with the index of parked watches. */
async function recreateAsDeployed(table: LocalWatchTableServer): Promise<void> {
  const { client, tableName } = table;
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  await eventually(
    () =>
      client.send(new DescribeTableCommand({ TableName: tableName })).then(
        () => false,
        (error: { name?: string }) => error.name === 'ResourceNotFoundException',
      ),
    'the table deleted',
  );
  await client.send(new CreateTableCommand(watchTableDefinition(tableName)));
  await eventually(
    async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus === 'ACTIVE',
    'the table created',
  );
}

/**
 * A stand-in run whose watch table is the construct's, the index of parked watches included,
 * created as the run starts: the deployment. Its clock starts at the real time, at which
 * DynamoDB dates the table's creation, so that the run's imports and the deployment share one
 * timeline.
 */
async function startSweepHarness(options: StandInRunOptions = {}): Promise<Harness> {
  const harness = await startHarness({ clock: new SteppingClock(Date.now()), ...options });
  // Held until the table is in place: no sweep runs and no watch parks before.
  const hold = harness.clock.actor();
  try {
    await recreateAsDeployed(harness.watchTable!);
  } finally {
    hold.retire();
  }
  return harness;
}

/** A task's entry in `ListImportTasks` as the stand-in lists it now. */
const listEntry = (harness: Harness, task: StandInTask) => ({
  taskId: task.taskId,
  graphId: task.graphId,
  status: harness.standIn.answerFor(task).status as string,
});

describe('the sweep, with the default props', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  test('GIVEN an import that fails midway THEN exactly one terminal Status Change FAILED event, within a sweep period of the failure, after two polls: its first and the one its end woke', async () => {
    harness = await startSweepHarness();
    const task = harness.standIn.addTask({ timeline: FAILING_MIDWAY });

    const { executions, events } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(STATUS_CHANGE_DETAIL_TYPE);
    expect(events[0].Detail).toMatchObject({
      status: 'FAILED',
      previousStatus: 'INITIALIZING',
      progressPercentage: 62,
      terminal: true,
      pollCount: 2,
    });
    const failedAt = task.startedAt + timelineSeconds(FAILING_MIDWAY) * 1000;
    const latency = Date.parse(events[0].Time) - failedAt;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThanOrEqual((SWEEP_PERIOD + 5) * 1000);
    // Without emitStatusChanges no other change is worth a poll: the first poll, then the one the end woke.
    const polls = harness.standIn.pollsOf(task.taskId).map((poll) => poll.at);
    expect(polls).toHaveLength(2);
    expect(polls[0]).toBe(task.startedAt);
    expect(polls[1] - failedAt).toBeGreaterThanOrEqual(0);
    expect(polls[1] - failedAt).toBeLessThanOrEqual(SWEEP_PERIOD * 1000);
    expect(harness.stepFunctions.taskTokenCalls.filter((call) => call.result === 'ok')).toHaveLength(1);
    expect(parkedWaitOutcomes(executions[0].history)).toEqual(['TaskSucceeded']);
  });

  test('GIVEN a watch begun by the API call that started its import THEN it parks without a poll, and its one poll, woken by the sweep after the end, puts exactly one terminal event, in time', async () => {
    const published: MetricDatum[] = [];
    harness = await startSweepHarness({ publishMetrics: (data) => published.push(...data) });
    const task = harness.standIn.addTask({ timeline: FAILING_MIDWAY });

    const { executions, events } = await harness.poller.watch({ taskId: task.taskId, trigger: 'api-call' });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events.map((e) => [e.DetailType, e.Detail.status, e.Detail.terminal])).toEqual([
      [STATUS_CHANGE_DETAIL_TYPE, 'FAILED', true],
    ]);
    // It never saw the task before its end, and polled once.
    expect(events[0].Detail).toMatchObject({ previousStatus: null, pollCount: 1, progressPercentage: 62 });
    const failedAt = task.startedAt + timelineSeconds(FAILING_MIDWAY) * 1000;
    const polls = harness.standIn.pollsOf(task.taskId).map((poll) => poll.at);
    expect(polls).toHaveLength(1);
    expect(polls[0] - failedAt).toBeGreaterThanOrEqual(0);
    expect(polls[0] - failedAt).toBeLessThanOrEqual(SWEEP_PERIOD * 1000);
    expect(parkedWaitOutcomes(executions[0].history)).toEqual(['TaskSucceeded']);
    expect(published.map((datum) => datum.name)).toEqual(
      expect.arrayContaining([PollerMetrics.WATCHES_STARTED, PollerMetrics.WATCHES_ENDED]),
    );
    expect(published.map((datum) => datum.name)).not.toContain(PollerMetrics.ENDS_SEEN_LATE);
  });

  test('GIVEN a watch begun by an API call record that comes after its short import ended, and after the sweeps settled that end THEN the next sweep, looking at the parked watches, wakes it: one poll, one terminal event', async () => {
    harness = await startSweepHarness({ synthesized: synthesizeOnce({ sweep: { discovery: false } }) });
    // Another watch stays parked throughout: the sweeps read the listing and know a watch is parked.
    const other = harness.standIn.addTask({ timeline: simpleTimeline(1200) });
    const otherWatch = harness.poller.watch({ taskId: other.taskId });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(90) });
    const endedAt = task.startedAt + 90_000;
    // Two sweeps list the end with no watch to wake: the status is settled.
    await eventually(
      () => harness.sweep!.completedRuns.filter((run) => run.startedAt >= endedAt + 60_000).length >= 2,
      'two sweeps after the end',
    );
    const watchStartedAt = harness.clock.now();

    const { events } = await harness.poller.watch({ taskId: task.taskId, trigger: 'api-call' });

    expect(events.map((e) => [e.Detail.status, e.Detail.terminal, e.Detail.pollCount])).toEqual([
      ['SUCCEEDED', true, 1],
    ]);
    expect(harness.standIn.pollsOf(task.taskId)).toHaveLength(1);
    expect(Date.parse(events[0].Time) - watchStartedAt).toBeLessThanOrEqual((SWEEP_PERIOD + 5) * 1000);
    expect((await otherWatch).events.map((e) => e.Detail.status)).toEqual(['SUCCEEDED']);
  });

  test('GIVEN two running watches WHEN only one task ends THEN only its watch is woken, and the other is not polled until its own end or its backstop', async () => {
    harness = await startSweepHarness();
    const quick: ImportTimeline = {
      phases: [
        { status: 'INITIALIZING', seconds: 50 },
        { status: 'IMPORTING', seconds: 200 },
      ],
      outcome: { status: 'SUCCEEDED' },
    };
    // Longer than two backstop waits: the polls between are the backstop's.
    const steady = simpleTimeline(2.5 * SWEPT_POLLING_INTERVAL.toSeconds());
    const changing = harness.standIn.addTask({ timeline: quick });
    const still = harness.standIn.addTask({ timeline: steady });

    const [changed, unchanged] = await Promise.all([
      harness.poller.watch({ taskId: changing.taskId }),
      harness.poller.watch({ taskId: still.taskId }),
    ]);

    expect(changed.events.map((e) => e.Detail.status)).toEqual(['SUCCEEDED']);
    expect(unchanged.events.map((e) => e.Detail.status)).toEqual(['SUCCEEDED']);
    const quickEnd = changing.startedAt + timelineSeconds(quick) * 1000;
    expect(harness.standIn.pollsOf(changing.taskId)).toHaveLength(2);
    // The steady task was polled at its start, then at its own backstop (10 % jitter) or its end.
    const stillPolls = harness.standIn.pollsOf(still.taskId).map((poll) => poll.at);
    expect(stillPolls.filter((at) => at <= quickEnd + SWEEP_PERIOD * 1000)).toEqual([still.startedAt]);
    const stillEnd = still.startedAt + timelineSeconds(steady) * 1000;
    expect(stillPolls.at(-1)! - stillEnd).toBeGreaterThanOrEqual(0);
    expect(stillPolls.at(-1)! - stillEnd).toBeLessThanOrEqual(SWEEP_PERIOD * 1000);
    stillPolls.slice(1, -1).forEach((at, index) => {
      expect(at - stillPolls[index]).toBeGreaterThanOrEqual(0.9 * SWEPT_POLLING_INTERVAL.toMilliseconds());
    });
  });

  test('GIVEN an import started with no CloudTrail record and no watch request THEN the sweep discovers it, and its watch puts exactly one terminal event', async () => {
    harness = await startSweepHarness();
    const timeline = simpleTimeline(1800, { status: 'FAILED', statusReason: 'bad rows', errorCount: 1 });
    const task = harness.standIn.addTask({ timeline });

    await eventually(() => harness.poller.executions.has(task.taskId), 'a watch of the task started');
    const { executions, events } = await harness.poller.followChain(harness.poller.executions.get(task.taskId)!);

    expect(JSON.parse(executions[0].input)).toMatchObject({ taskId: task.taskId, trigger: 'sweep' });
    // Nothing else is watched: the listing is read in the first minute of each idle period, and a task is
    // left to its trigger for a while after it is first listed.
    expect(executions[0].startedAt - task.startedAt).toBeLessThanOrEqual(
      (IDLE_LISTING_SECONDS + DEFAULT_DISCOVERY_GRACE_SECONDS + SWEEP_PERIOD) * 1000,
    );
    expect(harness.stepFunctions.calls.map((call) => [call.name, call.result])).toEqual([[task.taskId, 'started']]);
    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ taskId: task.taskId, graphId: task.graphId, status: 'FAILED' });
    // Later sweeps see the task watched, then ended: nothing more is started or put.
    const runs = harness.sweep!.runs.length;
    await eventually(() => harness.sweep!.completedRuns.length >= runs + 3, 'three more sweeps');
    expect(harness.stepFunctions.calls.filter((call) => call.result === 'started')).toHaveLength(1);
    expect(terminalEventsOf(harness, task.taskId)).toHaveLength(1);
  });

  test('GIVEN a watch that ended, its parked token left in the table THEN the next sweep finds the token stale, clears it, and nothing happens twice', async () => {
    harness = await startSweepHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(900) });

    const { executions } = await harness.poller.watch({ taskId: task.taskId });
    const endedAt = executions[0].stoppedAt!;
    const sweptSince = () => harness.sweep!.completedRuns.filter((run) => run.startedAt > endedAt);
    await eventually(() => sweptSince().length >= 3, 'three sweeps after the watch ended');

    // The token of the wait that the last wake ended, sent again, and refused: the only refusal.
    const refused = harness.stepFunctions.taskTokenCalls.filter((call) => call.result !== 'ok');
    expect(refused.map((call) => call.result)).toEqual(['TaskTimedOut']);
    expect(
      harness.stepFunctions.taskTokenCalls
        .filter((call) => call.taskToken === refused[0].taskToken)
        .map((c) => c.result),
    ).toEqual(['ok', 'TaskTimedOut']);
    const summaries = sweptSince().map((run) => run.summary!);
    expect(summaries.reduce((sum, summary) => sum + summary.staleTokens, 0)).toBe(1);
    expect(summaries.every((s) => s.woken === 0 && s.discovered === 0 && s.failures === 0)).toBe(true);
    // The stale token went with the execution name: the item left the index of parked watches.
    expect((await harness.watchTable!.items()).find((i) => i.taskId === task.taskId)).toEqual({
      taskId: task.taskId,
      status: 'SUCCEEDED',
    });
    expect([...harness.poller.executions.keys()]).toEqual([task.taskId]);
    expect(terminalEventsOf(harness, task.taskId)).toHaveLength(1);
  });

  test('GIVEN an import that starts and ends after the deployment, before the first sweep that succeeds, with no trigger THEN it is announced exactly once', async () => {
    harness = await startSweepHarness();
    const timeline = simpleTimeline(150, { status: 'FAILED', statusReason: 'bad rows', errorCount: 1 });
    const task = harness.standIn.addTask({ timeline });
    answerAsEnded(harness.standIn, task);
    // The sweeps of the first three minutes fail: their listings cannot be used.
    harness.standIn.injectListFaults(
      ...Array.from({ length: 3 }, () => ({ kind: 'raw' as const, body: '{"tasks":"unavailable"}' })),
    );

    await eventually(() => harness.poller.executions.has(task.taskId), 'a watch of the task started');
    const { executions, events } = await harness.poller.followChain(harness.poller.executions.get(task.taskId)!);

    expect(JSON.parse(executions[0].input)).toMatchObject({ taskId: task.taskId, trigger: 'sweep' });
    expect(events.map((event) => [event.Detail.status, event.Detail.terminal])).toEqual([['FAILED', true]]);
    const listingRuns = () =>
      harness.sweep!.runs.filter((run) => run.error !== undefined || (run.summary?.pagesRead ?? 0) > 0);
    const completedListings = () => listingRuns().filter((run) => run.summary !== undefined);
    await eventually(() => completedListings().length >= 3, 'three sweeps that read the listing');
    const runs = listingRuns();
    const completedRuns = completedListings();
    expect(runs.slice(0, 3).map((run) => run.error?.name)).toEqual([
      'UnusableListingError',
      'UnusableListingError',
      'UnusableListingError',
    ]);
    // The first sweep that read the listing found the task ended, after the deployment, and unwatched;
    // each failed one left the listing owed to the next.
    expect(runs.indexOf(completedRuns[0])).toBe(3);
    expect(completedRuns[0].startedAt).toBeGreaterThan(task.startedAt + timelineSeconds(timeline) * 1000);
    expect(completedRuns.map((run) => run.summary)).toEqual([
      expect.objectContaining({ endChecks: 1, discovered: 1, endedBeforeDeployment: 0, failures: 0 }),
      expect.objectContaining({ endChecks: 0, discovered: 0 }),
      expect.objectContaining({ endChecks: 0, discovered: 0 }),
    ]);
    expect(terminalEventsOf(harness, task.taskId)).toHaveLength(1);
    expect([...harness.poller.executions.keys()]).toEqual([task.taskId]);
  });

  test('GIVEN imports that ended a day before the deployment THEN none is ever announced, whatever the listing order and the page limit, while one that ended after is', async () => {
    harness = await startSweepHarness({ synthesized: synthesizeOnce({ sweep: { maxPages: 1 } }) });
    const old = Array.from({ length: 150 }, (_, index) =>
      harness.standIn.addTask({
        timeline: simpleTimeline(3600, { status: index % 3 === 0 ? 'FAILED' : 'SUCCEEDED' }),
        startedAt: harness.clock.now() - DAY_MS - HOUR_MS,
      }),
    );
    const recent = harness.standIn.addTask({ timeline: simpleTimeline(30, { status: 'CANCELLED' }) });
    for (const task of [...old, recent]) answerAsEnded(harness.standIn, task);
    // One page a sweep, of 100 of the 151 tasks: in the order added, in the other order, by id, then as added again.
    const orders: ((tasks: StandInTask[]) => StandInTask[])[] = [
      (tasks) => tasks,
      (tasks) => [...tasks].reverse(),
      (tasks) => [...tasks].sort((a, b) => a.taskId.localeCompare(b.taskId)),
      (tasks) => tasks,
    ];
    harness.standIn.injectListFaults(
      ...orders.map((order) => ({
        kind: 'edit' as const,
        edit: () => ({
          tasks: order([...old, recent])
            .slice(0, 100)
            .map((task) => listEntry(harness, task)),
          nextToken: '100',
        }),
      })),
    );

    const listings = () =>
      harness.sweep!.completedRuns.map((run) => run.summary!).filter((summary) => summary.pagesRead > 0);
    await eventually(() => listings().length >= orders.length + 1, 'five sweeps that read the listing');
    await harness.poller.settled();

    const summaries = listings();
    expect(summaries.every((summary) => summary.truncated && summary.failures === 0)).toBe(true);
    expect(summaries.reduce((sum, summary) => sum + summary.endedBeforeDeployment, 0)).toBe(150);
    expect([...harness.poller.executions.keys()]).toEqual([recent.taskId]);
    expect(harness.poller.events.filter((event) => event.Detail.terminal === true).map((e) => e.Detail.taskId)).toEqual(
      [recent.taskId],
    );
    const items = new Map((await harness.watchTable!.items()).map((item) => [item.taskId, item]));
    for (const task of old) expect(items.get(task.taskId)).toMatchObject({ status: task.timeline.outcome.status });
  });

  test('GIVEN a parked watch whose task drops out of the listing THEN the first sweep that misses it wakes it, and it polls at once', async () => {
    harness = await startSweepHarness();
    const timeline: ImportTimeline = {
      phases: [{ status: 'IMPORTING', seconds: 1800 }],
      outcome: { status: 'SUCCEEDED' },
    };
    const task = harness.standIn.addTask({ timeline });
    const hidden = (answer: Record<string, unknown>) => ({
      ...answer,
      tasks: (answer.tasks as { taskId: string }[]).filter((entry) => entry.taskId !== task.taskId),
    });
    // Listed at the first sweep, missing from the next two, listed again after.
    harness.standIn.injectListFaults(
      { kind: 'edit', edit: (answer) => answer },
      { kind: 'edit', edit: hidden },
      { kind: 'edit', edit: hidden },
    );

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    const runs = harness.sweep!.completedRuns;
    expect(runs.slice(0, 4).map((run) => run.summary!.unlisted)).toEqual([0, 1, 1, 0]);
    const polls = harness.standIn.pollsOf(task.taskId).map((poll) => poll.at);
    // Its first poll, one in each sweep that missed its task, and one after the end.
    expect(polls.slice(0, 3)).toEqual([task.startedAt, runs[1].startedAt, runs[2].startedAt]);
    expect(polls).toHaveLength(4);
    expect(polls[3] - (task.startedAt + timelineSeconds(timeline) * 1000)).toBeLessThanOrEqual(SWEEP_PERIOD * 1000);
    expect(events.map((event) => [event.Detail.status, event.Detail.terminal])).toEqual([['SUCCEEDED', true]]);
  });
});

describe('without a working sweep, the parked waits still end by their timeouts', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  const IMPORTS: [string, ImportTimeline][] = [
    ['SUCCEEDED', simpleTimeline(3 * 3600)],
    ['FAILED', simpleTimeline(5 * 3600, { status: 'FAILED', statusReason: 'bad rows', errorCount: 1 })],
    ['CANCELLED', simpleTimeline(40 * 60, { status: 'CANCELLED', statusReason: 'Cancelled by user' })],
  ];

  /** Watches every import at once; checks each ends with its own one terminal event, at most a backstop wait late. */
  async function watchEach(): Promise<void> {
    const tasks = IMPORTS.map(([, timeline]) => harness.standIn.addTask({ timeline }));
    const outcomes = await Promise.all(tasks.map((task) => harness.poller.watch({ taskId: task.taskId })));
    outcomes.forEach((outcome, index) => {
      const task = tasks[index];
      expect(outcome.events.map((e) => [e.Detail.taskId, e.Detail.status, e.Detail.terminal])).toEqual([
        [task.taskId, IMPORTS[index][0], true],
      ]);
      const late = Date.parse(outcome.events[0].Time) - (task.startedAt + timelineSeconds(task.timeline) * 1000);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(SWEPT_POLLING_INTERVAL.toMilliseconds());
      // Every wait was parked, and ended by its timeout: TaskTimedOut, then the poll.
      const history = outcome.executions.flatMap((e) => e.history);
      const parked = history.filter(
        (e) => e.stateName === POLLER_STATE_NAMES.parkedWait && e.type === 'TaskStateEntered',
      );
      expect(parked.length).toBeGreaterThan(0);
      expect(history.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(parked.length);
    });
    expect(harness.stepFunctions.taskTokenCalls.filter((call) => call.result === 'ok')).toEqual([]);
  }

  test('GIVEN the local sweep off THEN every watch ends with its one terminal event by its own polls', async () => {
    harness = await startHarness({ sweep: false });

    await watchEach();

    expect(harness.sweep).toBeUndefined();
  });

  test('GIVEN a sweep whose ListImportTasks answers 500 every time THEN every sweep fails, and every watch ends with its one terminal event by its own polls', async () => {
    // Sweeps every twenty minutes: each failed one spends real time in the SDK's retries.
    harness = await startHarness({ synthesized: synthesizeOnce({ sweep: { interval: Duration.minutes(20) } }) });
    harness.standIn.injectListFaults(
      ...Array.from({ length: 1000 }, () => ({
        kind: 'error' as const,
        status: 500,
        errorType: 'InternalServerException',
      })),
    );

    await watchEach();

    const runs = harness.sweep!.runs.filter((run) => run.endedAt !== undefined);
    expect(runs.length).toBeGreaterThan(10);
    expect(runs.every((run) => run.error?.name === 'InternalServerException')).toBe(true);
    expect(harness.standIn.listRequests().every((request) => request.status === 500)).toBe(true);
  });

  test('GIVEN a listing that never shows the end of a task whose first look was left to the sweep THEN the backstop poll puts its one terminal event, and EndsSeenLate counts it, once', async () => {
    const published: MetricDatum[] = [];
    harness = await startSweepHarness({ publishMetrics: (data) => published.push(...data) });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(1800) });
    // Every listing shows the task still importing.
    harness.standIn.injectListFaults(
      ...Array.from({ length: 2000 }, () => ({
        kind: 'edit' as const,
        edit: (answer: Record<string, unknown>) => ({
          ...answer,
          tasks: (answer.tasks as { taskId: string }[]).map((entry) =>
            entry.taskId === task.taskId ? { ...entry, status: 'IMPORTING' } : entry,
          ),
        }),
      })),
    );

    const { events } = await harness.poller.watch({ taskId: task.taskId, trigger: 'api-call' });

    expect(events.map((e) => [e.Detail.status, e.Detail.terminal, e.Detail.pollCount])).toEqual([
      ['SUCCEEDED', true, 1],
    ]);
    const late = Date.parse(events[0].Time) - (task.startedAt + 1800 * 1000);
    expect(late).toBeGreaterThan(lateEndSeconds(SWEEP_PERIOD) * 1000);
    expect(late).toBeLessThanOrEqual(SWEPT_POLLING_INTERVAL.toMilliseconds());
    expect(published.filter((datum) => datum.name === PollerMetrics.ENDS_SEEN_LATE)).toEqual([
      { name: PollerMetrics.ENDS_SEEN_LATE, unit: 'Count', value: 1 },
    ]);
  });
});
