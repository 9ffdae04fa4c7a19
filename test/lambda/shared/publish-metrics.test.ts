/** The embedded-metric-format records Powertools writes for the functions' metric data. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { powertoolsMetricsPublisher } from '../../../lambda/shared/publish-metrics';
import { PollerMetrics } from '../../../lib/poller-metric-names';

describe('powertoolsMetricsPublisher', () => {
  test('writes embedded-metric-format records: service-wide metrics together, broken-down ones with their dimension', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const metrics = new Metrics({ namespace: PollerMetrics.NAMESPACE, serviceName: 'poller-a' });
      powertoolsMetricsPublisher(metrics)([
        { name: PollerMetrics.POLLS, unit: 'Count', value: 1 },
        { name: PollerMetrics.WATCH_DURATION, unit: 'Seconds', value: 90 },
        {
          name: PollerMetrics.MONITORING_FAILURES_BY_REASON,
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
    expect(byReason).toMatchObject({
      service: 'poller-a',
      Reason: 'TIMED_OUT',
      [PollerMetrics.MONITORING_FAILURES_BY_REASON]: 1,
    });
    expect(byReason._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'NeptuneImportPoller',
        Dimensions: [['service', 'Reason']],
        Metrics: [{ Name: PollerMetrics.MONITORING_FAILURES_BY_REASON, Unit: 'Count' }],
      },
    ]);
    const stored = records.find((r) => !('Reason' in r))!;
    expect(stored).toMatchObject({ service: 'poller-a', [PollerMetrics.POLLS]: 1, [PollerMetrics.WATCH_DURATION]: 90 });
    expect(stored._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'NeptuneImportPoller',
        Dimensions: [['service']],
        Metrics: [
          { Name: PollerMetrics.POLLS, Unit: 'Count' },
          { Name: PollerMetrics.WATCH_DURATION, Unit: 'Seconds' },
        ],
      },
    ]);
  });
});
