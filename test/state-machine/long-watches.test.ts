/**
 * Watches that outgrow one execution's history: the deployed definition run locally, following
 * the chain of executions as Step Functions would.
 */
import { Duration } from 'aws-cdk-lib';
import { PollingStrategy } from '../../lib/polling-strategy';
import { simpleTimeline } from '../../local/import-timeline';
import { STEP_FUNCTIONS_LIMITS } from '../../local/local-poller';
import { CONTRACT_VERSION } from '../../lib/poll-contract';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

const everyMinute = PollingStrategy.fixed({ interval: Duration.minutes(1), jitter: 0 });

describe('continue-as-new', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  test('GIVEN a small history budget WHEN an import needs hundreds of polls THEN the watch hops executions and ends with one terminal event', async () => {
    harness = await startHarness({
      synthesized: synthesizeOnce({ historyEventBudget: 100, pollingStrategy: everyMinute }),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(4 * 3600) });

    const { executions, events } = await harness.poller.watch({ taskId: task.taskId });

    const polls = harness.standIn.pollsOf(task.taskId).length;
    expect(polls).toBeGreaterThanOrEqual(240);
    expect(executions.length).toBeGreaterThan(20);
    expect(executions.map((e) => e.name)).toEqual([
      task.taskId,
      ...executions.slice(1).map((_, i) => `${task.taskId}-continued-${i + 1}`),
    ]);
    expect(executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(executions.every((e) => e.history.length <= 100)).toBe(true);
    expect(events.filter((e) => e.Detail.terminal === true)).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(events[0].executionName).toBe(executions.at(-1)!.name);
    expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', pollCount: polls });
    // Each hop waited nowhere: polls stay a minute apart across executions.
    const times = harness.standIn.pollsOf(task.taskId).map((p) => p.at);
    const gaps = new Set(times.slice(1).map((t, i) => (t - times[i]) / 1000));
    expect([...gaps]).toEqual([60]);
  });

  test('GIVEN a small history budget THEN the monitoring timeout counts from the first execution', async () => {
    harness = await startHarness({
      synthesized: synthesizeOnce({
        historyEventBudget: 100,
        pollingStrategy: everyMinute,
        monitoringTimeout: Duration.hours(2),
      }),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(86_400) });

    const { executions, events } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.length).toBeGreaterThan(5);
    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ reason: 'TIMED_OUT', terminal: true });
    const polls = harness.standIn.pollsOf(task.taskId);
    expect(polls.at(-1)!.at - polls[0].at).toBe(2 * 3600 * 1000);
    expect(Date.parse(String(events[0].Detail.watchStartedAt))).toBe(polls[0].at);
  });

  test.each([
    { when: 'never ends', importDays: 400, outcome: 'TIMED_OUT', executionCount: 2 },
    { when: 'ends after 300 days', importDays: 300, outcome: 'SUCCEEDED', executionCount: 1 },
  ])(
    'GIVEN a 365-day monitoring timeout and daily polls WHEN the import $when THEN the watch ends $outcome by its own event, no execution timing out',
    async ({ importDays, outcome, executionCount }) => {
      harness = await startHarness({
        synthesized: synthesizeOnce({
          monitoringTimeout: Duration.days(365),
          pollingStrategy: PollingStrategy.fixed({ interval: Duration.days(1), jitter: 0 }),
        }),
        // A year of sweeps every minute is half a million runs; the waits are parked all the same, and
        // end by their timeouts, which is what this is about. Wakes are sweep.test.ts's.
        sweep: false,
      });
      const task = harness.standIn.addTask({ timeline: simpleTimeline(importDays * 86_400) });

      const { executions, events } = await harness.poller.watch({ taskId: task.taskId });

      // The state machine's own timeout is one year too: an execution hands over a day before it.
      expect(executions).toHaveLength(executionCount);
      expect(executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
      expect(Math.max(...executions.map((e) => e.stoppedAt! - e.startedAt))).toBeLessThan(365 * 86_400_000);
      expect(events).toHaveLength(1);
      expect(events[0].Detail.reason ?? events[0].Detail.status).toBe(outcome);
      const polls = harness.standIn.pollsOf(task.taskId);
      if (outcome === 'TIMED_OUT') expect(polls.at(-1)!.at - polls[0].at).toBe(365 * 86_400_000);
    },
  );

  test('GIVEN the default budget and a Lambda retry on every poll THEN no execution comes within 5 % of the history limit', async () => {
    let failNext = true;
    harness = await startHarness({
      // Plain Wait states, whose cycles are accounted exactly: the closest an execution comes to its budget.
      // Parked waits are accounted up to two events over what they record (the test on accounting below).
      synthesized: synthesizeOnce({
        pollingStrategy: PollingStrategy.fixed({ interval: Duration.seconds(30), jitter: 0 }),
        sweep: { enabled: false },
      }),
      wrapPollHandler: (real) => (event) => {
        failNext = !failNext;
        if (!failNext)
          return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }));
        return real(event);
      },
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(26 * 3600) });

    const { executions, events } = await harness.poller.watch({ taskId: task.taskId });

    const polls = harness.standIn.pollsOf(task.taskId).length;
    const retried = executions.flatMap((e) => e.history).filter((e) => e.type === 'LambdaFunctionFailed').length;
    expect(retried).toBeGreaterThanOrEqual(polls);
    expect(executions.length).toBeGreaterThanOrEqual(2);
    // Retries are accounted too, so each execution keeps to the budget itself, well inside the limit.
    expect(Math.max(...executions.map((e) => e.history.length))).toBeLessThanOrEqual(20_000);
    expect(Math.max(...executions.map((e) => e.history.length))).toBeLessThan(
      0.95 * STEP_FUNCTIONS_LIMITS.historyEvents,
    );
    expect(executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0].Detail.status).toBe('SUCCEEDED');
  }, 180_000);
});

describe('a watch that crosses a deploy', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  /** The input of an execution continued from an execution of the release whose contract is `version`. */
  const continuedFrom = (taskId: string, version: number, startedAt: number) => ({
    watch: {
      contractVersion: version,
      watchName: taskId,
      taskId,
      graphId: null,
      watchStartedAt: startedAt,
      deadline: startedAt + 86_400_000,
      pollCount: 3,
      consecutiveErrors: 0,
      lastStatus: 'IMPORTING',
      generation: 1,
      historyEvents: 1,
      strategyMemory: {},
    },
  });

  test('GIVEN the deployed definition, which invokes its own version of the poll function THEN a watch state of this release or the one before goes on to its event, and an older one ends INVALID_REQUEST', async () => {
    harness = await startHarness({ backstop: false });
    const states = harness.synthesized.definition.States as Record<string, { Resource?: string }>;
    expect(states.PollImportTask.Resource).toBe(harness.synthesized.pollFunctionArn);
    expect(harness.synthesized.pollFunctionArn).toMatch(/:function:[^:]+:\d+$/);

    const outcomes = [];
    for (const version of [CONTRACT_VERSION, CONTRACT_VERSION - 1, CONTRACT_VERSION - 2]) {
      const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
      const input = JSON.stringify(continuedFrom(task.taskId, version, harness.clock.now()));
      const { events } = await harness.poller.followChain(
        harness.poller.startExecution(`${task.taskId}-continued-1`, input),
      );
      outcomes.push(events.map((e) => e.Detail.status ?? e.Detail.reason));
    }

    expect(outcomes).toEqual([['SUCCEEDED'], ['SUCCEEDED'], ['INVALID_REQUEST']]);
  });
});
