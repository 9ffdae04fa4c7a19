import { PollerMetrics, TriggerNotStartedReason } from '../../lib/poller-metric-names';
import type { MetricDatum } from '../shared/metric-datum';
import type { StartOutcome } from './start-handler';

const NOT_STARTED_REASON: Readonly<
  Record<Exclude<StartOutcome['outcome'], 'started' | 'failure-reported'>, TriggerNotStartedReason>
> = {
  ignored: TriggerNotStartedReason.IGNORED,
  'already-watching': TriggerNotStartedReason.ALREADY_WATCHING,
  'already-announced': TriggerNotStartedReason.ALREADY_ANNOUNCED,
  malformed: TriggerNotStartedReason.MALFORMED,
  'sweep-requested': TriggerNotStartedReason.NO_TASK_ID,
};

/** The metrics of one trigger's outcome: pure, so tests check exactly what production publishes. */
export function metricsForStartOutcome(outcome: StartOutcome): MetricDatum[] {
  if (outcome.outcome === 'started') return [{ name: PollerMetrics.WATCH_EXECUTIONS_STARTED, unit: 'Count', value: 1 }];
  if (outcome.outcome === 'failure-reported')
    return [{ name: PollerMetrics.WATCH_FAILURES_REPORTED, unit: 'Count', value: 1 }];
  return [
    { name: PollerMetrics.TRIGGERS_NOT_STARTED, unit: 'Count', value: 1 },
    {
      name: PollerMetrics.TRIGGERS_NOT_STARTED_BY_REASON,
      unit: 'Count',
      value: 1,
      dimension: { name: PollerMetrics.REASON_DIMENSION, value: NOT_STARTED_REASON[outcome.outcome] },
    },
  ];
}
