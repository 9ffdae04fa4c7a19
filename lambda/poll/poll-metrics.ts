import { MONITORING_FAILED_DETAIL_TYPE, type ImportTaskSnapshot } from '../../lib/events';
import { PollerMetrics } from '../../lib/poller-metric-names';
import type { ErrorSummary } from '../shared/error-summary';
import type { MetricDatum } from '../shared/metric-datum';
import type { PollErrorClass } from './classify-error';
import type { PollDecision, WatchState } from './contract';
import { finiteNumber } from './import-task-snapshot';

// poll-handler.ts, local runs and the fault matrix read it from here.

/** What one poll step saw and did, for its metrics. */
export interface PollStepRecord {
  /** The watch before the step; undefined when the request was refused. */
  readonly before?: WatchState;
  /** Whether the step began a watch: it read its execution's own input, not a decision. */
  readonly begins?: boolean;
  /** Whether a request was sent. */
  readonly polled: boolean;
  readonly task?: ImportTaskSnapshot;
  readonly error?: { readonly summary: ErrorSummary; readonly errorClass: PollErrorClass; readonly throttled: boolean };
  readonly decision: PollDecision;
  /** Epoch milliseconds when the step decided. */
  readonly now: number;
  /** Seconds late the answer showed its end, when later than the sweep shows one ({@link endSeenLateBy}). */
  readonly endSeenLateBy?: number;
}

/** The metrics of one poll step: pure, so tests check exactly what production publishes. */
export function metricsForPollStep(step: PollStepRecord): MetricDatum[] {
  const data: MetricDatum[] = [];
  const count = (name: string, dimension?: MetricDatum['dimension']): void => {
    data.push({ name, unit: 'Count', value: 1, ...(dimension === undefined ? {} : { dimension }) });
  };
  const { before, decision } = step;
  if (step.polled) count(PollerMetrics.POLLS);
  if (step.begins === true && before !== undefined && before.generation === 0) count(PollerMetrics.WATCHES_STARTED);
  if (step.error !== undefined) {
    count(PollerMetrics.POLL_ERRORS);
    if (step.error.throttled) count(PollerMetrics.POLL_THROTTLES);
  }
  if (step.task !== undefined && step.task.status !== before?.lastStatus) count(PollerMetrics.STATUS_TRANSITIONS);
  if (decision.action === 'CONTINUE') count(PollerMetrics.CONTINUED_AS_NEW);
  if (step.endSeenLateBy !== undefined) count(PollerMetrics.ENDS_SEEN_LATE);
  if (decision.action === 'FINISH') {
    const detail = decision.event.detail;
    count(PollerMetrics.WATCHES_ENDED);
    const startedAt = before?.watchStartedAt;
    if (startedAt !== undefined)
      data.push({
        name: PollerMetrics.WATCH_DURATION,
        unit: 'Seconds',
        value: Math.max(0, (step.now - startedAt) / 1000),
      });
    if (decision.event.detailType === MONITORING_FAILED_DETAIL_TYPE) {
      count(PollerMetrics.MONITORING_FAILURES);
      count(PollerMetrics.MONITORING_FAILURES_BY_REASON, {
        name: PollerMetrics.REASON_DIMENSION,
        value: String(detail.reason),
      });
    } else {
      count(PollerMetrics.TERMINAL_STATUSES, { name: PollerMetrics.STATUS_DIMENSION, value: String(detail.status) });
      const elapsed = finiteNumber(step.task?.importTaskDetails?.timeElapsedSeconds);
      if (elapsed !== undefined) data.push({ name: PollerMetrics.IMPORT_DURATION, unit: 'Seconds', value: elapsed });
    }
  }
  return data;
}
