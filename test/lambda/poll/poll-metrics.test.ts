/**
 * The poll function's custom metrics: what a watch publishes, counted through the deployed
 * state machine run locally, and the embedded-metric-format records Powertools writes.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricDatum } from '../../../lambda/poll/poll-metrics';
import { powertoolsMetricsPublisher } from '../../../lambda/poll/publish-metrics';
import { POLLER_METRICS as M, POLLER_METRICS_NAMESPACE } from '../../../lib/poller-metrics';
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
      [M.polls]: polls,
      [M.watchesStarted]: 1,
      [M.pollErrors]: 1,
      [M.pollThrottles]: 1,
      [M.statusTransitions]: 4,
      [M.watchesEnded]: 1,
      [`${M.terminalStatuses}[Status=SUCCEEDED]`]: 1,
      [M.importDuration]: expect.any(Number),
      [M.watchDuration]: expect.any(Number),
    });
    expect(sums[M.importDuration]).toBeGreaterThanOrEqual(3600);
  });

  test('GIVEN a task that does not exist THEN each poll of the five-minute not-found grace is a poll error, then one monitoring failure, by reason', async () => {
    await harness.poller.watch({ taskId: 't-0000000000' });

    // Waits of half their bound (the fixed draw 0.5): 1, 2, 4, 8, 16, then 30 s (the bound's 1-minute cap) until 300 s.
    expect(totals(published)).toEqual({
      [M.polls]: 15,
      [M.watchesStarted]: 1,
      [M.pollErrors]: 15,
      [M.watchesEnded]: 1,
      [M.monitoringFailures]: 1,
      [`${M.monitoringFailuresByReason}[Reason=TASK_NOT_FOUND]`]: 1,
      [M.watchDuration]: 300,
    });
  });

  test('GIVEN a refused request THEN no poll is counted, only the failure', async () => {
    await harness.poller.watch({ taskId: 'nope' });

    expect(totals(published)).toEqual({
      [M.watchesEnded]: 1,
      [M.monitoringFailures]: 1,
      [`${M.monitoringFailuresByReason}[Reason=INVALID_REQUEST]`]: 1,
    });
  });
});

describe('powertoolsMetricsPublisher', () => {
  test('writes embedded-metric-format records: service-wide metrics together, broken-down ones with their dimension', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const metrics = new Metrics({ namespace: POLLER_METRICS_NAMESPACE, serviceName: 'poller-a' });
      powertoolsMetricsPublisher(metrics)([
        { name: M.polls, unit: 'Count', value: 1 },
        { name: M.watchDuration, unit: 'Seconds', value: 90 },
        {
          name: M.monitoringFailuresByReason,
          unit: 'Count',
          value: 1,
          dimension: { name: 'Reason', value: 'TIMED_OUT' },
        },
      ]);
    } finally {
      spy.mockRestore();
    }

    const records = written.map(
      (line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } },
    );
    expect(records).toHaveLength(2);
    const byReason = records.find((r) => 'Reason' in r)!;
    expect(byReason).toMatchObject({ service: 'poller-a', Reason: 'TIMED_OUT', [M.monitoringFailuresByReason]: 1 });
    expect(byReason._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'NeptuneImportPoller',
        Dimensions: [['service', 'Reason']],
        Metrics: [{ Name: M.monitoringFailuresByReason, Unit: 'Count' }],
      },
    ]);
    const stored = records.find((r) => !('Reason' in r))!;
    expect(stored).toMatchObject({ service: 'poller-a', [M.polls]: 1, [M.watchDuration]: 90 });
    expect(stored._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'NeptuneImportPoller',
        Dimensions: [['service']],
        Metrics: [
          { Name: M.polls, Unit: 'Count' },
          { Name: M.watchDuration, Unit: 'Seconds' },
        ],
      },
    ]);
  });
});
