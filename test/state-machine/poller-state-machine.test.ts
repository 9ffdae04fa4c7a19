/**
 * The state machine that deploys, synthesized from the construct and executed in a local ASL
 * interpreter, with the real poll handler calling a Neptune Analytics stand-in over HTTP.
 */
import { Duration } from 'aws-cdk-lib';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { importStateAt, simpleTimeline, timelineSeconds, type ImportTimeline } from '../../local/import-timeline';
import type { PublishedEvent } from '../../local/local-poller';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

const TERMINAL_CASES: [string, ImportTimeline][] = [
  ['SUCCEEDED', simpleTimeline(3600)],
  [
    'FAILED',
    simpleTimeline(1800, { status: 'FAILED', statusReason: 'bad rows', errorCount: 2, errorDetails: 'row 1; row 2' }),
  ],
  ['CANCELLED', simpleTimeline(900, { status: 'CANCELLED', statusReason: 'Cancelled by user' })],
  ['DELETED', simpleTimeline(900, { status: 'DELETED' })],
];

function terminalEvents(events: readonly PublishedEvent[]): PublishedEvent[] {
  return events.filter((event) => event.Detail.terminal === true);
}

/** The poller without the sweep: its watches poll as the import progresses. */
const WITHOUT_SWEEP = { sweep: { enabled: false } };

describe('the deployed state machine, run locally', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  describe('GIVEN an import that ends with each terminal status', () => {
    test.each(TERMINAL_CASES)(
      'WHEN it ends %s THEN exactly one terminal Status Change event carries the whole answer, and no poll follows',
      async (status, timeline) => {
        harness = await startHarness();
        const task = harness.standIn.addTask({ timeline });

        const outcome = await harness.poller.watch({ taskId: task.taskId });

        expect(outcome.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
        expect(outcome.events).toHaveLength(1);
        const [event] = outcome.events;
        expect(event.DetailType).toBe(STATUS_CHANGE_DETAIL_TYPE);
        expect(event.Source).toBe('neptune-import-poller');
        expect(event.EventBusName).toBe('arn:aws:events:us-east-1:123456789012:event-bus/default');
        const polls = harness.standIn.pollsOf(task.taskId);
        expect(event.Detail).toMatchObject({
          taskId: task.taskId,
          graphId: task.graphId,
          status,
          terminal: true,
          pollCount: polls.length,
          importTask: { taskId: task.taskId, status, graphId: task.graphId, importTaskDetails: { status } },
          truncatedFields: [],
        });
        // The status the poll before it saw: with the sweep, a watch is woken by the end itself, not by each change.
        const previousPoll = harness.standIn.pollsOf(task.taskId).at(-2)!;
        expect(event.Detail.previousStatus).toBe(
          importStateAt(timeline, (previousPoll.at - task.startedAt) / 1000).status,
        );
        // The last poll is the one that saw the terminal status, and it came after the import ended.
        const lastPoll = polls.at(-1)!;
        expect(lastPoll.at).toBeGreaterThanOrEqual(task.startedAt + timelineSeconds(timeline) * 1000);
        expect(polls.slice(0, -1).every((poll) => poll.at < task.startedAt + timelineSeconds(timeline) * 1000)).toBe(
          true,
        );
      },
    );
  });

  test('GIVEN a FAILED import THEN the event carries statusReason, attemptNumber and errorDetails', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: TERMINAL_CASES[1][1] });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(events[0].Detail).toMatchObject({
      status: 'FAILED',
      statusReason: 'bad rows',
      attemptNumber: 1,
      importTask: { importTaskDetails: { errorCount: 2, errorDetails: 'row 1; row 2' } },
    });
  });

  test('GIVEN a status this code does not know THEN it keeps polling until a terminal status', async () => {
    // Polls that follow the import's progress: without the sweep, which wakes a watch only at its end.
    harness = await startHarness({ synthesized: synthesizeOnce(WITHOUT_SWEEP) });
    const timeline: ImportTimeline = {
      phases: [
        { status: 'INITIALIZING', seconds: 60 },
        { status: 'DEFRAGMENTING', seconds: 3600 },
        { status: 'IMPORTING', seconds: 600 },
      ],
      outcome: { status: 'SUCCEEDED' },
    };
    const task = harness.standIn.addTask({ timeline });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(terminalEvents(events)).toHaveLength(1);
    // A poll answered DEFRAGMENTING, and the watch went on polling to the end.
    const seen = harness.standIn
      .pollsOf(task.taskId)
      .map((poll) => importStateAt(timeline, (poll.at - task.startedAt) / 1000).status);
    expect(seen).toContain('DEFRAGMENTING');
    expect(seen.slice(seen.lastIndexOf('DEFRAGMENTING') + 1).at(-1)).toBe('SUCCEEDED');
    expect(events.at(-1)!.Detail).toMatchObject({ status: 'SUCCEEDED', previousStatus: seen.at(-2) });
  });

  test('GIVEN emitStatusChanges THEN one event per status change, the last one terminal', async () => {
    harness = await startHarness({ synthesized: synthesizeOnce({ emitStatusChanges: true }) });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(7200) });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(events.map((e) => [e.Detail.status, e.Detail.previousStatus, e.Detail.terminal])).toEqual([
      ['INITIALIZING', null, false],
      ['ANALYZING_DATA', 'INITIALIZING', false],
      ['IMPORTING', 'ANALYZING_DATA', false],
      ['SUCCEEDED', 'IMPORTING', true],
    ]);
    expect(events.every((e) => e.DetailType === STATUS_CHANGE_DETAIL_TYPE)).toBe(true);
  });

  describe('GIVEN errors the service answers for good (404 too, with the not-found grace off)', () => {
    test.each([
      ['TASK_NOT_FOUND', { kind: 'error', status: 404, errorType: 'ResourceNotFoundException' }],
      ['ACCESS_DENIED', { kind: 'error', status: 403, errorType: 'AccessDeniedException' }],
      ['INVALID_REQUEST', { kind: 'error', status: 400, errorType: 'ValidationException' }],
    ] as const)(
      'WHEN every poll gets it THEN one Monitoring Failed event with reason %s, once the retry budget (a 404: the grace) is over',
      async (reason, fault) => {
        harness = await startHarness({
          synthesized: synthesizeOnce({
            notFoundGrace: Duration.seconds(0),
            pollErrorRetry: { budget: Duration.minutes(1) },
          }),
        });
        const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
        harness.standIn.injectFaults(task.taskId, ...Array.from({ length: 100 }, () => fault));

        const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

        expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
        expect(events).toHaveLength(1);
        expect(events[0].DetailType).toBe(MONITORING_FAILED_DETAIL_TYPE);
        const polls = harness.standIn.pollsOf(task.taskId);
        expect(events[0].Detail).toMatchObject({
          taskId: task.taskId,
          terminal: true,
          reason,
          pollCount: polls.length,
          lastStatus: null,
        });
        expect(events[0].Detail.error).toMatchObject({ name: fault.errorType });
        if (reason === 'TASK_NOT_FOUND') {
          expect(polls).toHaveLength(1);
        } else {
          expect(polls.at(-1)!.at - polls[0].at).toBeGreaterThanOrEqual(60_000);
        }
      },
    );

    test('WHEN a task that was being watched disappears THEN the event names the last status seen', async () => {
      harness = await startHarness({ synthesized: synthesizeOnce(WITHOUT_SWEEP) });
      const timeline = simpleTimeline(3600);
      const task = harness.standIn.addTask({ timeline });
      harness.standIn.injectFaults(
        task.taskId,
        { kind: 'edit', edit: (answer) => answer },
        { kind: 'edit', edit: (answer) => answer },
        { kind: 'error', status: 404, errorType: 'ResourceNotFoundException' },
      );

      const { events } = await harness.poller.watch({ taskId: task.taskId });

      expect(events).toHaveLength(1);
      const secondPoll = harness.standIn.pollsOf(task.taskId)[1];
      const secondAnswer = importStateAt(timeline, (secondPoll.at - task.startedAt) / 1000).status;
      expect(events[0].Detail).toMatchObject({ reason: 'TASK_NOT_FOUND', pollCount: 3, lastStatus: secondAnswer });
    });
  });

  describe('GIVEN faults that may pass', () => {
    test('WHEN throttling, server errors, dropped connections and malformed answers come and go THEN the watch carries on to the terminal status', async () => {
      harness = await startHarness();
      const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
      harness.standIn.injectFaults(
        task.taskId,
        { kind: 'error', status: 429, errorType: 'ThrottlingException' },
        { kind: 'error', status: 500, errorType: 'InternalServerException' },
        { kind: 'reset' },
        { kind: 'raw', body: '{"taskId": "t-trunc' },
        { kind: 'error', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' },
        { kind: 'edit', edit: ({ status: _status, ...rest }) => rest },
      );

      const { events } = await harness.poller.watch({ taskId: task.taskId });

      expect(terminalEvents(events)).toHaveLength(1);
      expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true });
      const polls = harness.standIn.pollsOf(task.taskId);
      expect(polls.slice(0, 6).map((p) => p.fault)).toEqual(['error', 'error', 'reset', 'raw', 'error', 'edit']);
      expect(events[0].Detail.pollCount).toBe(polls.length);
    });

    test('WHEN every poll fails THEN it gives up once the failures have lasted the budget, with POLLING_ERROR naming the last error', async () => {
      harness = await startHarness({
        synthesized: synthesizeOnce({ pollErrorRetry: { budget: Duration.minutes(1) } }),
      });
      const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
      harness.standIn.injectFaults(
        task.taskId,
        ...Array.from({ length: 200 }, () => ({
          kind: 'error' as const,
          status: 500,
          errorType: 'InternalServerException',
        })),
      );

      const { events } = await harness.poller.watch({ taskId: task.taskId });

      expect(events).toHaveLength(1);
      expect(events[0].DetailType).toBe(MONITORING_FAILED_DETAIL_TYPE);
      const polls = harness.standIn.pollsOf(task.taskId);
      expect(events[0].Detail).toMatchObject({
        reason: 'POLLING_ERROR',
        pollCount: polls.length,
        error: { name: 'InternalServerException' },
      });
      const [, failures, seconds] = /failed (\d+) times in a row over (\d+) s \(retried for 60 s\)/.exec(
        String(events[0].Detail.message),
      ) ?? ['', '0', '0'];
      expect(Number(failures)).toBe(polls.length);
      expect(Number(seconds)).toBeGreaterThanOrEqual(60);
    });

    test('WHEN the first poll is denied once (a role just deployed) THEN the watch goes on and announces the end, once', async () => {
      harness = await startHarness({ synthesized: synthesizeOnce() });
      const task = harness.standIn.addTask({ timeline: simpleTimeline(120) });
      harness.standIn.injectFaults(task.taskId, { kind: 'error', status: 403, errorType: 'AccessDeniedException' });

      const { events } = await harness.poller.watch({ taskId: task.taskId });

      expect(events).toHaveLength(1);
      expect(events[0].DetailType).not.toBe(MONITORING_FAILED_DETAIL_TYPE);
      expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true, followsMonitoringFailure: false });
      expect(harness.standIn.pollsOf(task.taskId)[0].fault).toBe('error');
    });

    test('WHEN retries back off THEN each wait is drawn below a bound that doubles from 2 s', async () => {
      const draws = [0.999, 0.999, 0.999, 0.999];
      harness = await startHarness({ random: () => draws.shift() ?? 0.5 });
      const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
      harness.standIn.injectFaults(
        task.taskId,
        ...Array.from({ length: 4 }, () => ({ kind: 'error' as const, status: 429, errorType: 'ThrottlingException' })),
      );

      await harness.poller.watch({ taskId: task.taskId });

      const times = harness.standIn.pollsOf(task.taskId).map((p) => p.at);
      const gaps = times.slice(1, 5).map((t, i) => (t - times[i]) / 1000);
      expect(gaps).toEqual([2, 4, 8, 16]);
    });
  });

  test('GIVEN a monitoring timeout shorter than the import THEN TIMED_OUT at the deadline, with the last status, and no wait past it', async () => {
    harness = await startHarness({ synthesized: synthesizeOnce({ monitoringTimeout: Duration.minutes(30) }) });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(86_400) });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ reason: 'TIMED_OUT', terminal: true, lastStatus: 'INITIALIZING' });
    const polls = harness.standIn.pollsOf(task.taskId);
    const first = polls[0].at;
    expect(polls.at(-1)!.at - first).toBe(30 * 60 * 1000);
    expect(events[0].Detail.pollCount).toBe(polls.length);
  });

  describe('GIVEN input that names no usable task', () => {
    test.each([
      [{ taskId: 'not-a-task' }, 'not-a-task'],
      [{ taskId: 't-UPPERCASE1' }, 't-UPPERCASE1'],
      [{ graphId: 'g-0123456789' }, null],
      [{ taskId: 't-0123456789', graphId: 'graph one' }, 't-0123456789'],
    ])('WHEN started with %j THEN INVALID_REQUEST before any request is sent', async (input, shownTaskId) => {
      harness = await startHarness();

      const { events } = await harness.poller.watch(input);

      expect(events).toHaveLength(1);
      expect(events[0].Detail).toMatchObject({
        reason: 'INVALID_REQUEST',
        taskId: shownTaskId,
        pollCount: 0,
        terminal: true,
      });
      expect(String(events[0].Detail.message)).toMatch(/^Refused before any request was sent/);
      expect(harness.standIn.requests).toHaveLength(0);
    });
  });

  test('GIVEN the same task started twice while watched THEN one execution, one terminal event', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
    const first = harness.poller.startExecution(
      task.taskId,
      JSON.stringify({ taskId: task.taskId, trigger: 'api-call' }),
    );

    expect(() =>
      harness.poller.startExecution(task.taskId, JSON.stringify({ taskId: task.taskId, trigger: 'watch-request' })),
    ).toThrow(/Execution Already Exists/);
    expect(harness.poller.startExecution(task.taskId, first.input)).toBe(first);

    const { events } = await harness.poller.followChain(first);
    expect(harness.poller.executions.size).toBe(1);
    expect(terminalEvents(events)).toHaveLength(1);
  });

  test('GIVEN EventBridge refuses the terminal event twice THEN it is retried and put once', async () => {
    let refusals = 0;
    harness = await startHarness({
      putEventsVerdict: () => (refusals < 2 ? (refusals++, 'ThrottlingException') : undefined),
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(refusals).toBe(2);
    expect(executions[0].status).toBe('SUCCEEDED');
    expect(events).toHaveLength(1);
    expect(events[0].Detail.status).toBe('SUCCEEDED');
  });

  test('GIVEN EventBridge refuses every entry THEN the execution fails rather than ending quietly', async () => {
    harness = await startHarness({ putEventsVerdict: () => 'InternalFailure' });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(events).toHaveLength(0);
    expect(executions[0].status).toBe('FAILED');
    expect(executions[0].error?.name).toBe('EventBridge.FailedEntry');
  });

  test('GIVEN EventBridge refuses every progress event THEN they are given up, and the terminal event still ends the watch', async () => {
    harness = await startHarness({
      synthesized: synthesizeOnce({ emitStatusChanges: true }),
      putEventsVerdict: (entry) =>
        (entry.Detail as { terminal?: boolean }).terminal === true ? undefined : 'ThrottlingException',
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events.map((e) => [e.Detail.status, e.Detail.terminal])).toEqual([['SUCCEEDED', true]]);
  });

  test('GIVEN a status in lower case THEN it is read in upper case, so succeeded ends the watch', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    harness.standIn.injectFaults(task.taskId, { kind: 'edit', edit: (answer) => ({ ...answer, status: 'succeeded' }) });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true, pollCount: 1 });
  });

  test('GIVEN fields of the wrong type THEN numbers sent as strings are converted, the rest dropped, and the event still matches its schema', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    harness.standIn.injectFaults(task.taskId, {
      kind: 'edit',
      edit: (answer) => ({
        ...answer,
        status: 'SUCCEEDED',
        attemptNumber: '2',
        statusReason: { nested: true },
        importTaskDetails: { ...(answer.importTaskDetails as object), progressPercentage: '100', errorCount: 'many' },
      }),
    });

    const { events } = await harness.poller.watch({ taskId: task.taskId });

    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ attemptNumber: 2, progressPercentage: 100, statusReason: null });
    const importTask = events[0].Detail.importTask as {
      statusReason?: unknown;
      importTaskDetails: Record<string, unknown>;
    };
    expect(importTask.statusReason).toBeUndefined();
    expect(importTask.importTaskDetails.errorCount).toBeUndefined();
  });
});
