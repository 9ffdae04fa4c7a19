import { PollerMetrics } from '../../lib/poller-metric-names';
import type { MetricDatum } from '../shared/metric-datum';

/** What one sweep did, as it returns and logs it. */
export interface SweepSummary {
  /** `ListImportTasks` pages read; 0 for a sweep that left the listing for later (nothing parked, nothing asked). */
  readonly pagesRead: number;
  /** Whether the sweep stopped before the end of the listing, at its page limit or out of time. */
  readonly truncated: boolean;
  /** Tasks on the pages read. */
  readonly tasksListed: number;
  /** Waiting watches sent their token back because their task's listed status changed. */
  readonly woken: number;
  /** Tokens Step Functions no longer knew: their watch had moved on or ended. */
  readonly staleTokens: number;
  /** Watches started for tasks nobody watched. */
  readonly discovered: number;
  /** Waiting watches whose task the listing, read whole, did not show; each woken, or left to the next sweep. */
  readonly unlisted: number;
  /** `GetImportTask` calls asking when an ended task nobody watched ended. */
  readonly endChecks: number;
  /** Tasks found to have ended before the poller was deployed, recorded without a watch. */
  readonly endedBeforeDeployment: number;
  /** Ended tasks nobody watched whose end was not asked for: beyond the sweep's share, or out of time. */
  readonly endChecksDeferred: number;
  /** Wakes left to the next sweep: no time left to send them at the pace the sweep keeps. */
  readonly wakesDeferred: number;
  /** Wakes, discoveries, end-time checks and records that failed, and listed entries that could not be read; the sweep went on without them. */
  readonly failures: number;
  /** Watch-table items read (`BatchGetItem` keys): only those of listed tasks whose status is not settled. */
  readonly itemsRead: number;
  /** Whether the sweep read the index of parked watches. */
  readonly parkedChecked: boolean;
  /** Seconds the task read longest ago may have gone unread: since the start of the last pass read whole. */
  readonly unreadSeconds: number;
}

/**
 * The metrics of one sweep: pure, so tests check exactly what production publishes. Only what
 * an alarm watches is a metric, and a count only when it is not 0: a custom metric is billed for
 * every hour it receives a value, zeros included, and a metric of the sweep's normal work would be
 * billed nearly every hour. The sweeps themselves are counted by Lambda's own `Invocations`, free
 * of charge; what each sweep did (pages, wakes, discoveries, stale tokens) is in its log line.
 * `SweepListingUnreadSeconds` is published when the listing went unread whole for more than two
 * intervals of `intervalSeconds`.
 */
export function metricsForSweep(summary: SweepSummary, intervalSeconds = 60): MetricDatum[] {
  const data: MetricDatum[] = [];
  const count = (name: string, value: number): void => {
    if (value > 0) data.push({ name, unit: 'Count', value });
  };
  count(PollerMetrics.SWEEPS_TRUNCATED, summary.truncated ? 1 : 0);
  count(PollerMetrics.SWEEP_TASK_FAILURES, summary.failures);
  count(PollerMetrics.WATCHED_TASKS_UNLISTED, summary.unlisted);
  if (summary.unreadSeconds > 2 * intervalSeconds) {
    data.push({ name: PollerMetrics.SWEEP_LISTING_UNREAD_SECONDS, unit: 'Seconds', value: summary.unreadSeconds });
  }
  return data;
}
