/**
 * The poll function's custom metrics: what a watch publishes, counted through the deployed
 * state machine run locally.
 */
import type { MetricDatum } from '../../../lambda/shared/metric-datum';
import { PollerMetrics } from '../../../lib/poller-metric-names';
import { simpleTimeline } from '../../../local/import-timeline';
import { startHarness, synthesizeOnce, type Harness } from '../../support/harness';

function totals(data: MetricDatum[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const datum of data) {
    const key =
      datum.dimension === undefined ? datum.name : `${datum.name}[${datum.dimension.name}=${datum.dimension.value}]`;
    sums[key] = (sums[key] ?? 0) + datum.value;
  }
  return sums;
}

describe('metrics of a watch', () => {
  let harness: Harness;
  let published: MetricDatum[];

  beforeEach(async () => {
    published = [];
    // Polls that follow the import's progress (each status seen): without the sweep, which wakes a watch only at its end.
    harness = await startHarness({
      synthesized: synthesizeOnce({ sweep: { enabled: false } }),
      publishMetrics: (data) => published.push(...data),
    });
  });
  afterEach(async () => harness.stop());

  test('GIVEN an import that succeeds after a throttled poll THEN polls, errors, transitions, the outcome and the durations', async () => {
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
    harness.standIn.injectFaults(task.taskId, { kind: 'error', status: 429, errorType: 'ThrottlingException' });

    await harness.poller.watch({ taskId: task.taskId });

    const polls = harness.standIn.pollsOf(task.taskId).length;
    const sums = totals(published);
    expect(sums).toEqual({
      [PollerMetrics.POLLS]: polls,
      [PollerMetrics.WATCHES_STARTED]: 1,
      [PollerMetrics.POLL_ERRORS]: 1,
      [PollerMetrics.POLL_THROTTLES]: 1,
      [PollerMetrics.STATUS_TRANSITIONS]: 4,
      [PollerMetrics.WATCHES_ENDED]: 1,
      [`${PollerMetrics.TERMINAL_STATUSES}[Status=SUCCEEDED]`]: 1,
      [PollerMetrics.IMPORT_DURATION]: expect.any(Number),
      [PollerMetrics.WATCH_DURATION]: expect.any(Number),
    });
    expect(sums[PollerMetrics.IMPORT_DURATION]).toBeGreaterThanOrEqual(3600);
  });

  test('GIVEN a task that does not exist THEN each poll of the five-minute not-found grace is a poll error, then one monitoring failure, by reason', async () => {
    await harness.poller.watch({ taskId: 't-0000000000' });

    // Waits of half their bound (the fixed draw 0.5): 1, 2, 4, 8, 16, then 30 s (the bound's 1-minute cap) until 300 s.
    expect(totals(published)).toEqual({
      [PollerMetrics.POLLS]: 15,
      [PollerMetrics.WATCHES_STARTED]: 1,
      [PollerMetrics.POLL_ERRORS]: 15,
      [PollerMetrics.WATCHES_ENDED]: 1,
      [PollerMetrics.MONITORING_FAILURES]: 1,
      [`${PollerMetrics.MONITORING_FAILURES_BY_REASON}[Reason=TASK_NOT_FOUND]`]: 1,
      [PollerMetrics.WATCH_DURATION]: 300,
    });
  });

  test('GIVEN a refused request THEN no poll is counted, only the failure', async () => {
    await harness.poller.watch({ taskId: 'nope' });

    expect(totals(published)).toEqual({
      [PollerMetrics.WATCHES_ENDED]: 1,
      [PollerMetrics.MONITORING_FAILURES]: 1,
      [`${PollerMetrics.MONITORING_FAILURES_BY_REASON}[Reason=INVALID_REQUEST]`]: 1,
    });
  });
});
