/**
 * Answers no real service should send, and a task not visible yet, through the deployed state
 * machine run locally: whatever `GetImportTask` answers, the watch goes on or ends with the right
 * event, and no state grows past Step Functions' payload limit.
 */
import { Duration } from 'aws-cdk-lib';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { importStateAt, simpleTimeline } from '../../local/import-timeline';
import type { PublishedEvent } from '../../local/local-poller';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

/** An answer body whose `importOptions` holds a member this SDK does not know, nested `depth` levels deep. */
function bodyWithDeepMember(answer: Record<string, unknown>, depth: number): string {
  const deep = '{"level":'.repeat(depth) + '"bottom"' + '}'.repeat(depth);
  return `${JSON.stringify(answer).slice(0, -1)},"importOptions":{"futureOption":${deep}}}`;
}

const terminalEvents = (events: readonly PublishedEvent[]): PublishedEvent[] =>
  events.filter((event) => event.Detail.terminal === true);

describe('hostile GetImportTask answers, through the deployed state machine run locally', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  test('GIVEN one answer with a 280 KB graphId WHEN a normal answer follows THEN the watch ends SUCCEEDED with the real graph id', async () => {
    harness = await startHarness({ synthesized: synthesizeOnce({ emitStatusChanges: true }) });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    harness.standIn.injectFaults(task.taskId, {
      kind: 'edit',
      edit: (answer) => ({ ...answer, graphId: 'g'.repeat(280_000) }),
    });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(terminalEvents(events)).toHaveLength(1);
    expect(events.at(-1)!.Detail).toMatchObject({ status: 'SUCCEEDED', graphId: task.graphId, terminal: true });
    // The first answer's progress event names no graph, and carries the long id cut short.
    expect(events[0].Detail).toMatchObject({ status: 'INITIALIZING', graphId: null, terminal: false });
    expect(events[0].Detail.truncatedFields).toContain('importTask.graphId');
  });

  test('GIVEN one answer with a 200 KB status WHEN a normal answer follows THEN it counts as a malformed answer and the watch ends SUCCEEDED', async () => {
    harness = await startHarness();
    const timeline = simpleTimeline(600);
    const task = harness.standIn.addTask({ timeline });
    harness.standIn.injectFaults(task.taskId, {
      kind: 'edit',
      edit: (answer) => ({ ...answer, status: 'S'.repeat(200_000) }),
    });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(STATUS_CHANGE_DETAIL_TYPE);
    const polls = harness.standIn.pollsOf(task.taskId);
    // The malformed answer is no status: the previous one is what the poll before the last saw.
    expect(events[0].Detail).toMatchObject({
      status: 'SUCCEEDED',
      terminal: true,
      previousStatus: importStateAt(timeline, (polls.at(-2)!.at - task.startedAt) / 1000).status,
    });
    expect(events[0].Detail.pollCount).toBe(polls.length);
    // Retried like a failed poll: the next one came within the first retry's 2 s bound.
    expect((polls[1].at - polls[0].at) / 1000).toBeLessThanOrEqual(2);
  });

  test('GIVEN a terminal answer with an unknown member nested 10,000 levels deep THEN its terminal Status Change event names the member dropped', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    const answer = { ...harness.standIn.answerFor(task), status: 'SUCCEEDED' };
    harness.standIn.injectFaults(task.taskId, { kind: 'raw', body: bodyWithDeepMember(answer, 10_000) });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(STATUS_CHANGE_DETAIL_TYPE);
    expect(events[0].Detail).toMatchObject({
      status: 'SUCCEEDED',
      terminal: true,
      pollCount: 1,
      graphId: task.graphId,
    });
    const truncated = events[0].Detail.truncatedFields as string[];
    expect(truncated).toHaveLength(1);
    expect(truncated[0]).toMatch(/^importTask\.importOptions\.\$unknown\.1\.level\.level/);
  });

  test('GIVEN a terminal answer with huge strings in every field THEN one terminal event, cut to fit, naming what was cut', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    const huge = (c: string): string => c.repeat(300_000);
    harness.standIn.injectFaults(task.taskId, {
      kind: 'edit',
      edit: (answer) => ({
        ...answer,
        status: 'FAILED',
        graphId: huge('g'),
        source: huge('s'),
        format: huge('f'),
        roleArn: huge('r'),
        statusReason: huge('é'),
        importTaskDetails: { status: huge('D'), errorDetails: huge('e') },
      }),
    });

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events).toHaveLength(1);
    const detail = events[0].Detail;
    // The watch was started without a graph id, and the answer's is no graph id: none is named.
    expect(detail).toMatchObject({ status: 'FAILED', terminal: true, graphId: null, pollCount: 1 });
    expect(Buffer.byteLength(JSON.stringify(detail))).toBeLessThanOrEqual(200_000);
    expect(detail.truncatedFields).toEqual([
      'importTask.format',
      'importTask.graphId',
      'importTask.importTaskDetails.errorDetails',
      'importTask.importTaskDetails.status',
      'importTask.roleArn',
      'importTask.source',
      'importTask.statusReason',
      'statusReason',
    ]);
  });
});

describe('a task not found yet, through the deployed state machine run locally', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  const notFound = { kind: 'error', status: 404, errorType: 'ResourceNotFoundException' } as const;

  test('GIVEN the first two polls answer 404 WHEN the task then shows up THEN the watch goes on and ends with one SUCCEEDED event', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    harness.standIn.injectFaults(task.taskId, notFound, notFound);

    const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(STATUS_CHANGE_DETAIL_TYPE);
    expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true, graphId: task.graphId });
    const polls = harness.standIn.pollsOf(task.taskId);
    expect(polls.slice(0, 3).map((poll) => poll.status)).toEqual([404, 404, 200]);
    expect(events[0].Detail.pollCount).toBe(polls.length);
  });

  test('GIVEN a task that never shows up THEN one TASK_NOT_FOUND event when the five-minute grace ends, after 15 polls', async () => {
    harness = await startHarness();

    const { events, executions } = await harness.poller.watch({ taskId: 't-neverthere' });

    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(events).toHaveLength(1);
    expect(events[0].DetailType).toBe(MONITORING_FAILED_DETAIL_TYPE);
    expect(events[0].Detail).toMatchObject({
      reason: 'TASK_NOT_FOUND',
      terminal: true,
      pollCount: 15,
      lastStatus: null,
      error: { name: 'ResourceNotFoundException' },
    });
    expect(String(events[0].Detail.message)).toContain(
      'still not found 300 s after the watch started (14 "not found" answers retried), past the 300 s grace',
    );
    // Waits drawn at half their bound (the harness draws 0.5): 1, 2, 4, 8, 16 s, then 30 s (the bound's 1-minute cap);
    // from the first sweep on, each sweep wakes the parked watch of a task it does not list, on the minute, and the
    // last wait is cut to end with the grace.
    const polls = harness.standIn.pollsOf('t-neverthere');
    expect(polls.map((poll) => (poll.at - polls[0].at) / 1000)).toEqual([
      0, 1, 3, 7, 15, 31, 60, 90, 120, 150, 180, 210, 240, 270, 300,
    ]);
  });

  test('GIVEN a ten-minute grace, longer than a five-minute retry budget THEN "not found" answers are bounded by the grace: TASK_NOT_FOUND after 25 polls, not POLLING_ERROR', async () => {
    harness = await startHarness({
      synthesized: synthesizeOnce({
        notFoundGrace: Duration.minutes(10),
        pollErrorRetry: { budget: Duration.minutes(5) },
      }),
    });

    const { events } = await harness.poller.watch({ taskId: 't-neverthere' });

    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ reason: 'TASK_NOT_FOUND', pollCount: 25 });
    const polls = harness.standIn.pollsOf('t-neverthere');
    expect(polls).toHaveLength(25);
    expect((polls.at(-1)!.at - polls[0].at) / 1000).toBe(600);
  });
});
