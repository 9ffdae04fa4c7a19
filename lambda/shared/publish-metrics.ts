import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricDatum } from './metric-datum';

/** Publishes metric data through Powertools Metrics, as embedded metric format on stdout. */
export function powertoolsMetricsPublisher(metrics: Metrics): (data: readonly MetricDatum[]) => void {
  return (data) => {
    for (const datum of data) {
      const unit = datum.unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count;
      if (datum.dimension === undefined) {
        metrics.addMetric(datum.name, unit, datum.value);
      } else {
        const single = metrics.singleMetric();
        single.addDimension(datum.dimension.name, datum.dimension.value);
        single.addMetric(datum.name, unit, datum.value);
      }
    }
    metrics.publishStoredMetrics();
  };
}
