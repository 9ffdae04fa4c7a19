import { metricsForSweep, type SweepSummary } from '../../../lambda/sweep/sweep-metrics';

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
  ...overrides,
});

describe('metricsForSweep', () => {
  test('a sweep publishes one value of every sweep metric, each a count, without a dimension', () => {
    const data = metricsForSweep(
      summary({ pagesRead: 3, woken: 2, staleTokens: 1, discovered: 4, failures: 5, unlisted: 6 }),
    );
    expect(data).toEqual([
      { name: 'SweepRuns', unit: 'Count', value: 1 },
      { name: 'SweepPagesRead', unit: 'Count', value: 3 },
      { name: 'SweepsTruncated', unit: 'Count', value: 0 },
      { name: 'WatchesWoken', unit: 'Count', value: 2 },
      { name: 'StaleWakeTokens', unit: 'Count', value: 1 },
      { name: 'TasksDiscovered', unit: 'Count', value: 4 },
      { name: 'SweepTaskFailures', unit: 'Count', value: 5 },
      { name: 'WatchedTasksUnlisted', unit: 'Count', value: 6 },
    ]);
  });

  test('a truncated sweep counts once in SweepsTruncated', () => {
    expect(metricsForSweep(summary({ truncated: true, pagesRead: 10 }))).toContainEqual({
      name: 'SweepsTruncated',
      unit: 'Count',
      value: 1,
    });
  });

  test('a sweep that did nothing still publishes zeros, so alarms and graphs see every sweep', () => {
    expect(metricsForSweep(summary()).map((datum) => [datum.name, datum.value])).toEqual([
      ['SweepRuns', 1],
      ['SweepPagesRead', 0],
      ['SweepsTruncated', 0],
      ['WatchesWoken', 0],
      ['StaleWakeTokens', 0],
      ['TasksDiscovered', 0],
      ['SweepTaskFailures', 0],
      ['WatchedTasksUnlisted', 0],
    ]);
  });

  test('end-time checks, tasks recorded unannounced and work left to the next sweep are not metrics of their own', () => {
    expect(
      metricsForSweep(summary({ endChecks: 7, endedBeforeDeployment: 6, endChecksDeferred: 5, wakesDeferred: 4 })),
    ).toEqual(metricsForSweep(summary()));
  });
});
