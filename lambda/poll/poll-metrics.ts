import { MONITORING_FAILED_DETAIL_TYPE, type ImportTaskSnapshot } from '../../lib/events';
import { POLLER_METRICS as M, REASON_DIMENSION, STATUS_DIMENSION } from '../../lib/poller-metrics';
import type { PollErrorClass, ErrorSummary } from './classify-error';
import type { PollDecision, WatchState } from './contract';
import { finiteNumber } from './import-task-snapshot';

/** One metric value to publish. */
export interface MetricDatum {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds';
  readonly value: number;
  /** A dimension beyond the service, for metrics broken down by it. */
  readonly dimension?: { readonly name: string; readonly value: string };
}

/** What one poll step saw and did, for its metrics. */
export interface PollStepRecord {
  /** The watch before the step; undefined when the request was refused. */
  readonly before?: WatchState;
  /** Whether a request was sent. */
  readonly polled: boolean;
  readonly task?: ImportTaskSnapshot;
  readonly error?: { readonly summary: ErrorSummary; readonly errorClass: PollErrorClass; readonly throttled: boolean };
  readonly decision: PollDecision;
  /** Epoch milliseconds when the step decided. */
  readonly now: number;
}

/** The metrics of one poll step: pure, so tests check exactly what production publishes. */
export function metricsForPollStep(step: PollStepRecord): MetricDatum[] {
  const data: MetricDatum[] = [];
  const count = (name: string, dimension?: MetricDatum['dimension']): void => {
    data.push({ name, unit: 'Count', value: 1, ...(dimension === undefined ? {} : { dimension }) });
  };
  const { before, decision } = step;
  if (step.polled) count(M.polls);
  if (before !== undefined && before.generation === 0 && before.pollCount === 0 && step.polled) count(M.watchesStarted);
  if (step.error !== undefined) {
    count(M.pollErrors);
    if (step.error.throttled) count(M.pollThrottles);
  }
  if (step.task !== undefined && step.task.status !== before?.lastStatus) count(M.statusTransitions);
  if (decision.action === 'CONTINUE') count(M.continuedAsNew);
  if (decision.action === 'FINISH') {
    const detail = decision.event.detail;
    count(M.watchesEnded);
    const startedAt = before?.watchStartedAt;
    if (startedAt !== undefined)
      data.push({ name: M.watchDuration, unit: 'Seconds', value: Math.max(0, (step.now - startedAt) / 1000) });
    if (decision.event.detailType === MONITORING_FAILED_DETAIL_TYPE) {
      count(M.monitoringFailures);
      count(M.monitoringFailuresByReason, { name: REASON_DIMENSION, value: String(detail.reason) });
    } else {
      count(M.terminalStatuses, { name: STATUS_DIMENSION, value: String(detail.status) });
      const elapsed = finiteNumber(step.task?.importTaskDetails?.timeElapsedSeconds);
      if (elapsed !== undefined) data.push({ name: M.importDuration, unit: 'Seconds', value: elapsed });
    }
  }
  return data;
}
