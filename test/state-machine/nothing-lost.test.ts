/**
 * Every watch ends with exactly one terminal event, even when its execution dies: the deployed
 * state machine, its execution-failure rule and the real start function (over HTTP, against the
 * Step Functions stand-in) run locally, and a task's later watches are started by the same rules.
 */
import { Duration } from 'aws-cdk-lib';
import type { PollHandler } from '../../lambda/poll/poll-handler';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE } from '../../lib/events';
import { PollingStrategy } from '../../lib/polling-strategy';
import { watchRequestEntry, type WatchRequestOptions } from '../../lib/watch-request';
import { eventFromEntry } from '../../local/event-pattern';
import { type SteppingClock } from '../../local/clock';
import { simpleTimeline } from '../../local/import-timeline';
import { executionStatusChangeEvent } from '../../local/local-environment';
import type { PublishedEvent } from '../../local/local-poller';
import { STEP_FUNCTIONS_LIMITS } from '../../local/local-poller';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

/** The event a producer's watch request becomes, built with the library's own helper. */
const watchRequest = (taskId: string, options: Pick<WatchRequestOptions, 'rewatch'> = {}) => {
  const entry = watchRequestEntry({ taskId, source: 'com.example', ...options });
  return eventFromEntry({ ...entry, Detail: JSON.parse(entry.Detail) });
};

/** Terminal events about `taskId`, across every execution of the run. */
function terminalEventsOf(harness: Harness, taskId: string): PublishedEvent[] {
  return harness.poller.events.filter((event) => event.Detail.taskId === taskId && event.Detail.terminal === true);
}

describe('no watch ends without its terminal event', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  test('GIVEN EventBridge refuses the terminal event beyond its retries THEN the execution fails and the backstop puts one POLLER_FAILED event', async () => {
    let refuseStatusChanges = true;
    harness = await startHarness({
      putEventsVerdict: (entry) =>
        refuseStatusChanges && entry.DetailType === STATUS_CHANGE_DETAIL_TYPE ? 'InternalFailure' : undefined,
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });

    const { executions } = await harness.poller.watch({ taskId: task.taskId, graphId: task.graphId });
    await harness.poller.settled();
    refuseStatusChanges = false;

    expect(executions.map((e) => [e.name, e.status])).toEqual([[task.taskId, 'FAILED']]);
    const backstop = harness.poller.executions.get(`${task.taskId}-backstop`);
    expect(backstop?.status).toBe('SUCCEEDED');
    const events = terminalEventsOf(harness, task.taskId);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(MONITORING_FAILED_DETAIL_TYPE);
    expect(events[0].executionName).toBe(`${task.taskId}-backstop`);
    expect(events[0].Detail).toMatchObject({
      reason: 'POLLER_FAILED',
      taskId: task.taskId,
      graphId: task.graphId,
      terminal: true,
      error: { name: 'EventBridge.FailedEntry' },
    });
    expect(String(events[0].Detail.message)).toContain(`Execution ${task.taskId} ended FAILED`);
  });

  test('GIVEN a poll step over the payload limit THEN the uncatchable States.DataLimitExceeded fails the execution, and the backstop reports it', async () => {
    let calls = 0;
    const bloatFirstAnswer =
      (real: PollHandler): PollHandler =>
      async (event) => {
        const decision = await real(event);
        if (++calls > 1 || decision.action !== 'WAIT') return decision;
        const note = 'x'.repeat(STEP_FUNCTIONS_LIMITS.payloadBytes);
        return { ...decision, watch: { ...decision.watch, strategyMemory: { note } } };
      };
    harness = await startHarness({ wrapPollHandler: bloatFirstAnswer });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });

    const { executions } = await harness.poller.watch({ taskId: task.taskId });
    await harness.poller.settled();

    expect(executions[0].error?.name).toBe('States.DataLimitExceeded');
    const events = terminalEventsOf(harness, task.taskId);
    expect(events.map((e) => [e.DetailType, e.Detail.reason])).toEqual([
      [MONITORING_FAILED_DETAIL_TYPE, 'POLLER_FAILED'],
    ]);
    expect(events[0].Detail.error).toMatchObject({ name: 'States.DataLimitExceeded' });
  });

  test('GIVEN an execution that put its terminal event THEN a failure reported for it adds no second event, and a failure reported twice is reported once', async () => {
    harness = await startHarness();
    const done = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    const { executions } = await harness.poller.watch({ taskId: done.taskId });

    // As if Step Functions had reported the finished execution as failed.
    const finished = executionStatusChangeEvent(
      { ...executions[0], status: 'FAILED' },
      harness.synthesized.stateMachineArn,
    );
    const outcome = await harness.startFunction(finished);

    expect(outcome).toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('put its terminal event') });
    expect(harness.poller.executions.has(`${done.taskId}-backstop`)).toBe(false);
    expect(terminalEventsOf(harness, done.taskId)).toHaveLength(1);

    let refuse = true;
    const failing = await startHarness({
      synthesized: harness.synthesized,
      putEventsVerdict: (entry) =>
        refuse && entry.DetailType === STATUS_CHANGE_DETAIL_TYPE ? 'InternalFailure' : undefined,
    });
    try {
      const task = failing.standIn.addTask({ timeline: simpleTimeline(600) });
      const failed = (await failing.poller.watch({ taskId: task.taskId })).executions[0];
      await failing.poller.settled();
      refuse = false;

      const again = await failing.startFunction(
        executionStatusChangeEvent(failed, failing.synthesized.stateMachineArn),
      );

      expect(again).toEqual({ outcome: 'ignored', reason: `The failure of ${task.taskId} was already reported` });
      expect([...failing.poller.executions.keys()].filter((name) => name.endsWith('-backstop'))).toHaveLength(1);
      expect(terminalEventsOf(failing, task.taskId)).toHaveLength(1);
    } finally {
      await failing.stop();
    }
  });
});

describe('one watch at a time per task, not one per 90 days', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  test('GIVEN a watch that ended Monitoring Failed THEN a later trigger starts the next watch, which announces the end; then no more without rewatch', async () => {
    // Denied for the whole one-minute retry budget: 7 polls, 1, 2, 4, 8, 16 and 29 s apart (draws of 0.5).
    harness = await startHarness({
      synthesized: synthesizeOnce({ pollErrorRetry: { budget: Duration.minutes(1) } }),
      sweep: false,
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(1800) });
    const denied = { kind: 'error', status: 403, errorType: 'AccessDeniedException' } as const;
    harness.standIn.injectFaults(task.taskId, ...Array.from({ length: 7 }, () => denied));

    const first = await harness.startFunction(watchRequest(task.taskId));
    await harness.poller.settled();
    const second = await harness.startFunction(watchRequest(task.taskId));
    await harness.poller.settled();
    const third = await harness.startFunction(watchRequest(task.taskId));
    const fourth = await harness.startFunction(watchRequest(task.taskId, { rewatch: true }));
    await harness.poller.settled();

    expect(first).toMatchObject({ outcome: 'started', executionName: task.taskId });
    expect(second).toMatchObject({ outcome: 'started', executionName: `${task.taskId}-watch-2` });
    expect(third).toMatchObject({ outcome: 'already-announced', executionName: `${task.taskId}-watch-2` });
    expect(fourth).toMatchObject({ outcome: 'started', executionName: `${task.taskId}-watch-3` });
    expect(
      terminalEventsOf(harness, task.taskId).map((e) => [e.executionName, e.Detail.reason ?? e.Detail.status]),
    ).toEqual([
      [task.taskId, 'ACCESS_DENIED'],
      [`${task.taskId}-watch-2`, 'SUCCEEDED'],
      [`${task.taskId}-watch-3`, 'SUCCEEDED'],
    ]);
    // Only the watch after the failure says it follows one; the rewatch follows an announced end.
    expect(terminalEventsOf(harness, task.taskId).map((e) => e.Detail.followsMonitoringFailure)).toEqual([
      false,
      true,
      false,
    ]);
  });

  test('GIVEN a watch running THEN a trigger starts nothing, even once the watch has continued into new executions', async () => {
    let duplicate: unknown;
    harness = await startHarness({
      synthesized: synthesizeOnce({
        historyEventBudget: 100,
        pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(1), jitter: 0 }),
      }),
      // The duplicate trigger arrives while the watch's third execution polls.
      wrapPollHandler: (real) => async (event) => {
        const decision = await real(event);
        if (decision.action === 'WAIT' && decision.watch.generation === 2 && duplicate === undefined) {
          duplicate = await harness.startFunction(watchRequest(decision.watch.taskId));
        }
        return decision;
      },
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(4 * 3600) });

    await harness.startFunction(watchRequest(task.taskId));
    await harness.poller.settled();

    expect(duplicate).toEqual({
      outcome: 'already-watching',
      taskId: task.taskId,
      executionName: `${task.taskId}-continued-2`,
    });
    expect([...harness.poller.executions.keys()].some((name) => name.includes('watch-2'))).toBe(false);
    expect(terminalEventsOf(harness, task.taskId)).toHaveLength(1);
  });

  test('GIVEN two watches of a task that both continue into new executions THEN their names never collide and the second ends with its event', async () => {
    harness = await startHarness({
      synthesized: synthesizeOnce({
        historyEventBudget: 100,
        pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(1), jitter: 0 }),
        monitoringTimeout: Duration.hours(2),
      }),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3 * 3600) });

    await harness.startFunction(watchRequest(task.taskId));
    await harness.poller.settled();
    const again = await harness.startFunction(watchRequest(task.taskId));
    await harness.poller.settled();

    expect(again).toMatchObject({ outcome: 'started', executionName: `${task.taskId}-watch-2` });
    const names = [...harness.poller.executions.keys()];
    expect(names.filter((n) => n.startsWith(`${task.taskId}-continued-`)).length).toBeGreaterThan(3);
    expect(names.filter((n) => n.startsWith(`${task.taskId}-watch-2-continued-`)).length).toBeGreaterThan(0);
    expect([...harness.poller.executions.values()].every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(terminalEventsOf(harness, task.taskId).map((e) => e.Detail.reason ?? e.Detail.status)).toEqual([
      'TIMED_OUT',
      'SUCCEEDED',
    ]);
  });

  test('GIVEN two direct executions of one task under names of their own THEN both hand the task over as triggers do: one watch, one parked item, one terminal event', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(900) });
    const input = JSON.stringify({ taskId: task.taskId, graphId: task.graphId });

    const first = harness.poller.startExecution('nightly-load', input);
    const second = harness.poller.startExecution('nightly-load-retry', input);
    await Promise.all([first.done, second.done]);
    await harness.settled();

    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // Each put a watch request naming this poller, and nothing else.
    for (const handedOver of [first, second]) {
      expect(handedOver.events.map((e) => [e.DetailType, e.Detail])).toEqual([
        [
          WATCH_REQUEST_DETAIL_TYPE,
          { taskId: task.taskId, graphId: task.graphId, poller: harness.synthesized.serviceName },
        ],
      ]);
    }
    // The start function started the watch under the task's name for the first, and nothing for the second.
    expect(harness.stepFunctions.calls.map((call) => [call.name, call.result])).toEqual([
      [task.taskId, 'started'],
      [task.taskId, 'idempotent'],
    ]);
    const watch = harness.poller.executions.get(task.taskId)!;
    expect(JSON.parse(watch.input)).toMatchObject({ taskId: task.taskId, trigger: 'watch-request' });
    const events = terminalEventsOf(harness, task.taskId);
    expect(events.map((e) => [e.executionName, e.Detail.status])).toEqual([[task.taskId, 'SUCCEEDED']]);
    // Every poll was the one watch's: the named executions handed over before sending any request.
    expect(harness.standIn.pollsOf(task.taskId)).toHaveLength(Number(events[0].Detail.pollCount));
    const items = (await harness.watchTable!.items()).filter((item) => item.taskId === task.taskId);
    expect(items.map((item) => item.executionName)).toEqual([task.taskId]);
  });

  test('GIVEN a watch that ended Monitoring Failed THEN a direct execution under a name of its own starts the next watch, which announces the end', async () => {
    harness = await startHarness({
      synthesized: synthesizeOnce({ pollErrorRetry: { budget: Duration.minutes(1) } }),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(1800) });
    const deniedUntil = harness.clock.now() + 5 * 60_000;
    harness.standIn.injectFaultUntil(task.taskId, deniedUntil, {
      kind: 'error',
      status: 403,
      errorType: 'AccessDeniedException',
    });
    await harness.poller.watch({ taskId: task.taskId, graphId: task.graphId });
    // The role is fixed; then someone starts the watch again, by hand.
    (harness.clock as SteppingClock).advance((deniedUntil - harness.clock.now()) / 1000);

    const direct = harness.poller.startExecution(
      'after-the-iam-fix',
      JSON.stringify({ taskId: task.taskId, graphId: task.graphId }),
    );
    await direct.done;
    await harness.settled();

    expect(direct.events.map((e) => e.DetailType)).toEqual([WATCH_REQUEST_DETAIL_TYPE]);
    const events = terminalEventsOf(harness, task.taskId);
    expect(
      events.map((e) => [e.executionName, e.Detail.reason ?? e.Detail.status, e.Detail.followsMonitoringFailure]),
    ).toEqual([
      [task.taskId, 'ACCESS_DENIED', false],
      [`${task.taskId}-watch-2`, 'SUCCEEDED', true],
    ]);
  });
});
