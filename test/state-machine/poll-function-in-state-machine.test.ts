/**
 * The poll function inside the deployed state machine, run locally: its history accounting against
 * the events each execution records, and the watch going on, or ending with its event, when the
 * function or the Lambda service fails.
 */
import { Duration } from 'aws-cdk-lib';
import { CLOSING_EVENTS, HISTORY_EVENTS_PER_STATE } from '../../lambda/poll/history-accounting';
import type { PollDecision } from '../../lambda/poll/contract';
import { PollingStrategy } from '../../lib/polling-strategy';
import { importStateAt, simpleTimeline } from '../../local/import-timeline';
import type { HistoryEvent } from '../../local/step-functions-history';
import { POLLER_STATE_NAMES } from '../../lib/state-names';
import { recordDecisions, startHarness, synthesizeOnce, type Harness } from '../support/harness';

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
  // waits in the fallback Wait state, and three for each retried put; a parked wait that is woken or times out records
  // 6 (TaskSubmitted, then TaskSucceeded or TaskTimedOut).
  test('GIVEN its history accounting and parked waits THEN it counts an upper bound, over by at most the spares of the parked waits', async () => {
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
      // A parked wait is counted as its largest form (its put retried, then failed); one woken or timed out
      // makes 6 events, or more when its put was retried or a wake met it mid-way, which the machine's load
      // decides: never more than counted, and the count is no more than the parked waits' own.
      expect(accounted[generation] - execution.history.length).toBeLessThanOrEqual(
        HISTORY_EVENTS_PER_STATE.parkedWait * submittedParks,
      );
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
      // Polls that follow the import's progress: without the sweep, which wakes a watch only at its end.
      synthesized: synthesizeOnce({ sweep: { enabled: false } }),
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
