import { metricsForSweep, type SweepSummary } from '../../../lambda/sweep/sweep-metrics';
import { PollerMetrics } from '../../../lib/poller-metric-names';

const summary = (overrides: Partial<SweepSummary> = {}): SweepSummary => ({
  pagesRead: 0,
  truncated: false,
  tasksListed: 0,
  woken: 0,
  staleTokens: 0,
  discovered: 0,
  unlisted: 0,
  endChecks: 0,
  endedBeforeDeployment: 0,
  endChecksDeferred: 0,
  wakesDeferred: 0,
  failures: 0,
  itemsRead: 0,
  parkedChecked: false,
  unreadSeconds: 0,
  ...overrides,
});

describe('metricsForSweep', () => {
  test('a sweep publishes each count an alarm watches that is not 0, without a dimension', () => {
    const data = metricsForSweep(
      summary({ pagesRead: 3, woken: 2, staleTokens: 1, discovered: 4, failures: 5, unlisted: 6, truncated: true }),
    );
    expect(data).toEqual([
      { name: 'SweepsTruncated', unit: 'Count', value: 1 },
      { name: 'SweepTaskFailures', unit: 'Count', value: 5 },
      { name: 'WatchedTasksUnlisted', unit: 'Count', value: 6 },
    ]);
  });

  test('a sweep that did nothing publishes nothing: a custom metric is billed for every hour it has a value, zeros included', () => {
    expect(metricsForSweep(summary({ pagesRead: 1, tasksListed: 40, itemsRead: 3, parkedChecked: true }))).toEqual([]);
  });

  test('the seconds the listing went unread are published once they pass two intervals', () => {
    expect(metricsForSweep(summary({ unreadSeconds: 120 }), 60)).toEqual([]);
    expect(metricsForSweep(summary({ unreadSeconds: 121 }), 60)).toEqual([
      { name: PollerMetrics.SWEEP_LISTING_UNREAD_SECONDS, unit: 'Seconds', value: 121 },
    ]);
    expect(metricsForSweep(summary({ unreadSeconds: 500 }), 300)).toEqual([]);
  });

  test('pages, wakes, discoveries, stale tokens, end-time checks, tasks recorded unannounced and work left to the next sweep are not metrics', () => {
    expect(
      metricsForSweep(
        summary({
          pagesRead: 9,
          woken: 3,
          discovered: 2,
          staleTokens: 8,
          endChecks: 7,
          endedBeforeDeployment: 6,
          endChecksDeferred: 5,
          wakesDeferred: 4,
        }),
      ),
    ).toEqual([]);
  });
});
