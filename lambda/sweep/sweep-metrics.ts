import { POLLER_METRICS as M } from '../../lib/poller-metrics';
import type { MetricDatum } from '../poll/poll-metrics';

/** What one sweep did, as it returns and logs it. */
export interface SweepSummary {
  /** `ListImportTasks` pages read. */
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
}

/**
 * The metrics of one sweep: pure, so tests check exactly what production publishes. Every count
 * is published, zeros included, so that alarms and graphs have a value for every sweep.
 */
export function metricsForSweep(summary: SweepSummary): MetricDatum[] {
  const count = (name: string, value: number): MetricDatum => ({ name, unit: 'Count', value });
  return [
    count(M.sweepRuns, 1),
    count(M.sweepPagesRead, summary.pagesRead),
    count(M.sweepsTruncated, summary.truncated ? 1 : 0),
    count(M.watchesWoken, summary.woken),
    count(M.staleWakeTokens, summary.staleTokens),
    count(M.tasksDiscovered, summary.discovered),
    count(M.sweepTaskFailures, summary.failures),
    count(M.watchedTasksUnlisted, summary.unlisted),
  ];
}
