/**
 * Watches that outgrow one execution's history, and poll functions that fail: the deployed
 * definition run locally, following the chain of executions as Step Functions would.
 */
import { Duration } from 'aws-cdk-lib';
import { CLOSING_EVENTS } from '../../lambda/poll/history-accounting';
import type { PollDecision } from '../../lambda/poll/contract';
import { PollingStrategy } from '../../lib/polling-strategy';
import { importStateAt, simpleTimeline } from '../../local/import-timeline';
import { STEP_FUNCTIONS_LIMITS } from '../../local/local-poller';
import type { HistoryEvent } from '../../local/step-functions-history';
import { POLLER_STATE_NAMES } from '../../lib/state-names';
import { recordDecisions, startHarness, synthesizeOnce, type Harness } from '../support/harness';

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

describe('the poll function inside the state machine', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  /** Parked waits whose PutItem succeeded: TaskSubmitted events of the park state. */
  const submittedParkedWaits = (history: readonly HistoryEvent[]): number => {
    let state: string | undefined;
    let count = 0;
    for (const event of history) {
      if (event.type === 'TaskStateEntered') state = event.stateName;
      if (event.type === 'TaskSubmitted' && state === POLLER_STATE_NAMES.parkedWait) count += 1;
    }
    return count;
  };

  /** The history events the poll function accounted for by the end of each execution of the chain. */
  const accountedPerExecution = (decisions: readonly PollDecision[], executions: number): number[] =>
    Array.from({ length: executions }, (_, generation) => {
      const lastWait = decisions
        .filter(
          (d): d is Extract<PollDecision, { action: 'WAIT' }> =>
            d.action === 'WAIT' && d.watch.generation === generation,
        )
        .at(-1)!;
      return lastWait.watch.historyEvents + CLOSING_EVENTS;
    });

  // Each state's events count as in a Step Functions history (HISTORY_EVENTS_PER_STATE); this checks that the
  // poll function accounts for exactly the states each execution went through, whatever path it took.
  test('GIVEN its history accounting and plain Wait states THEN it counts exactly the events each execution recorded, publishing, retrying and continuing', async () => {
    const decisions: PollDecision[] = [];
    harness = await startHarness({
      props: { emitStatusChanges: true, historyEventBudget: 150, sweep: { enabled: false } },
      wrapPollHandler: recordDecisions(decisions),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(6 * 3600) });
    harness.standIn.injectFaults(task.taskId, { kind: 'error', status: 500, errorType: 'InternalServerException' });

    const { executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.length).toBeGreaterThan(2);
    expect(accountedPerExecution(decisions, executions.length)).toEqual(executions.map((e) => e.history.length));
  });

  // A parked wait is accounted the largest of its paths: 8 events, when a SendTaskFailure ends it and the watch then
  // waits in the fallback Wait state; a parked wait that is woken or times out records 6 (TaskSubmitted, then
  // TaskSucceeded or TaskTimedOut).
  test('GIVEN its history accounting and parked waits THEN it counts an upper bound, over by two events for each parked wait woken or timed out', async () => {
    const decisions: PollDecision[] = [];
    harness = await startHarness({
      props: {
        emitStatusChanges: true,
        historyEventBudget: 150,
        pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(10), jitter: 0 }),
      },
      wrapPollHandler: recordDecisions(decisions),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(6 * 3600) });
    harness.standIn.injectFaults(task.taskId, { kind: 'error', status: 500, errorType: 'InternalServerException' });

    const { executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.length).toBeGreaterThan(2);
    const accounted = accountedPerExecution(decisions, executions.length);
    executions.forEach((execution, generation) => {
      const submittedParks = submittedParkedWaits(execution.history);
      expect(submittedParks).toBeGreaterThan(0);
      expect(execution.history.length).toBeLessThanOrEqual(accounted[generation]);
      expect(accounted[generation] - execution.history.length).toBe(2 * submittedParks);
    });
    // The sweep woke some of those waits, and others timed out.
    const outcomes = executions.flatMap((e) => e.history).map((e) => e.type);
    expect(outcomes).toContain('TaskTimedOut');
    expect(harness.stepFunctions.taskTokenCalls.filter((call) => call.result === 'ok').length).toBeGreaterThan(0);
  });

  test('GIVEN the Lambda service fails twice THEN the state machine retries the invocation and the watch goes on', async () => {
    let failures = 0;
    harness = await startHarness({
      wrapPollHandler: (real) => (event) => {
        if (failures < 2) {
          failures += 1;
          return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }));
        }
        return real(event);
      },
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(failures).toBe(2);
    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true });
  });

  test('GIVEN the function throws a bug mid-watch THEN a POLLING_ERROR event still ends the watch, with the last status', async () => {
    let polls = 0;
    harness = await startHarness({
      wrapPollHandler: (real) => (event) => {
        if ('input' in event && ++polls === 3) {
          return Promise.reject(new TypeError("Cannot read properties of undefined (reading 'status')"));
        }
        return real(event);
      },
    });
    const timeline = simpleTimeline(3600);
    const task = harness.standIn.addTask({ timeline });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions[0].status).toBe('SUCCEEDED');
    expect(events).toHaveLength(1);
    const secondPoll = harness.standIn.pollsOf(task.taskId)[1];
    expect(events[0].Detail).toMatchObject({
      reason: 'POLLING_ERROR',
      terminal: true,
      taskId: task.taskId,
      lastStatus: importStateAt(timeline, (secondPoll.at - task.startedAt) / 1000).status,
      pollCount: 2,
      error: { name: 'TypeError' },
    });
  });
});
