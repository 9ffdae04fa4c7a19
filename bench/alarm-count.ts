/** The alarms the construct creates, counted in the synthesized template: each is billed per metric it reads. */
import type { NeptuneImportTaskPollerProps } from '../lib/poller-props';
import { synthesizePoller } from '../local/synthesized-poller';

interface AlarmResource {
  readonly Type?: string;
  readonly Properties?: { readonly Metrics?: readonly { readonly MetricStat?: unknown }[] };
}

/** Metrics read by the alarms of a poller synthesized with `props`: one per alarm, or one per metric of a math alarm. */
export function alarmMetricsOf(props: NeptuneImportTaskPollerProps): number {
  const resources = (synthesizePoller(props).template as { Resources?: Record<string, AlarmResource> }).Resources ?? {};
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
    .reduce((sum, alarm) => {
      const metrics = alarm.Properties?.Metrics;
      return sum + (metrics === undefined ? 1 : metrics.filter((metric) => metric.MetricStat !== undefined).length);
    }, 0);
}
