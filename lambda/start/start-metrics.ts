import { POLLER_METRICS as M, REASON_DIMENSION, TRIGGER_NOT_STARTED_REASONS } from '../../lib/poller-metrics';
import type { MetricDatum } from '../poll/poll-metrics';
import type { StartOutcome } from './start-handler';

/** Why a trigger started no execution: a value of the `Reason` dimension. */
export type TriggerNotStartedReason = (typeof TRIGGER_NOT_STARTED_REASONS)[keyof typeof TRIGGER_NOT_STARTED_REASONS];

const NOT_STARTED_REASON: Readonly<
  Record<Exclude<StartOutcome['outcome'], 'started' | 'failure-reported'>, TriggerNotStartedReason>
> = {
  ignored: TRIGGER_NOT_STARTED_REASONS.ignored,
  'already-watching': TRIGGER_NOT_STARTED_REASONS.alreadyWatching,
  'already-announced': TRIGGER_NOT_STARTED_REASONS.alreadyAnnounced,
  malformed: TRIGGER_NOT_STARTED_REASONS.malformed,
  'sweep-requested': TRIGGER_NOT_STARTED_REASONS.noTaskId,
};

/** The metrics of one trigger's outcome: pure, so tests check exactly what production publishes. */
export function metricsForStartOutcome(outcome: StartOutcome): MetricDatum[] {
  if (outcome.outcome === 'started') return [{ name: M.watchExecutionsStarted, unit: 'Count', value: 1 }];
  if (outcome.outcome === 'failure-reported') return [{ name: M.watchFailuresReported, unit: 'Count', value: 1 }];
  return [
    { name: M.triggersNotStarted, unit: 'Count', value: 1 },
    {
      name: M.triggersNotStartedByReason,
      unit: 'Count',
      value: 1,
      dimension: { name: REASON_DIMENSION, value: NOT_STARTED_REASON[outcome.outcome] },
    },
  ];
}
