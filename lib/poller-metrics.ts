/**
 * The custom metrics the poll, start and sweep functions publish (CloudWatch embedded metric format), by name.
 * The construct's alarms and dashboard read the same names. No dependency on aws-cdk-lib.
 */

/** Namespace of the poller's custom metrics. */
export const POLLER_METRICS_NAMESPACE = 'NeptuneImportPoller';

/** Dimension every custom metric carries: the poller's service name, unique per poller. */
export const SERVICE_DIMENSION = 'service';

/** Names of the custom metrics. */
export const POLLER_METRICS = {
  /** `GetImportTask` requests sent (Count). */
  polls: 'Polls',
  /** `GetImportTask` requests that failed, whatever the cause (Count). */
  pollErrors: 'PollErrors',
  /** `GetImportTask` requests answered with throttling (Count). */
  pollThrottles: 'PollThrottles',
  /** Status changes seen, the first status of a watch included (Count). */
  statusTransitions: 'StatusTransitions',
  /** Watches begun: first polls of first executions (Count). */
  watchesStarted: 'WatchesStarted',
  /** Watches ended with their one terminal event (Count). */
  watchesEnded: 'WatchesEnded',
  /** Watches ended with a Monitoring Failed event (Count). */
  monitoringFailures: 'MonitoringFailures',
  /** Watches ended with a Monitoring Failed event, by `Reason` dimension (Count). */
  monitoringFailuresByReason: 'MonitoringFailuresByReason',
  /** Watches ended with a terminal status, by `Status` dimension (Count). */
  terminalStatuses: 'TerminalStatuses',
  /** The import's own elapsed time when its terminal status was seen (Seconds). */
  importDuration: 'ImportDuration',
  /** Time from the first poll to the terminal event (Seconds). */
  watchDuration: 'WatchDuration',
  /** Watches handed over to a new execution (Count). */
  continuedAsNew: 'ContinuedAsNew',
  /**
   * Executions the start function started for a trigger (Count). A trigger delivered twice
   * that Step Functions answers idempotently (same name, same input) counts again.
   */
  watchExecutionsStarted: 'WatchExecutionsStarted',
  /** Triggers the start function started no execution for, whatever the reason (Count). */
  triggersNotStarted: 'TriggersNotStarted',
  /** Triggers the start function started no execution for, by `Reason` dimension (see `TRIGGER_NOT_STARTED_REASONS`) (Count). */
  triggersNotStartedByReason: 'TriggersNotStartedByReason',
  /** Executions that failed before putting their terminal event, reported by a backstop execution (Count). */
  watchFailuresReported: 'WatchFailuresReported',
  /** Sweeps cut short by their page limit or their time, before the end of the listing; the next goes on from there (Count). */
  sweepsTruncated: 'SweepsTruncated',
  /**
   * How long a listed task may have gone unread by the sweep: published when a whole pass over the
   * listing took more than two sweep intervals (Seconds).
   */
  sweepListingUnreadSeconds: 'SweepListingUnreadSeconds',
  /**
   * Tasks a sweep could not act on: wake-ups, discoveries, end-time checks and records that
   * failed, and listed entries without a task id or status; the next sweep tries again (Count).
   */
  sweepTaskFailures: 'SweepTaskFailures',
  /**
   * Parked watches, still waiting, whose task a sweep that read the whole listing did not find
   * listed; each is woken to poll at once (Count).
   */
  watchedTasksUnlisted: 'WatchedTasksUnlisted',
} as const;

/** Values of the `Reason` dimension of {@link POLLER_METRICS.triggersNotStartedByReason}. */
export const TRIGGER_NOT_STARTED_REASONS = {
  /** Nothing to watch: not an import-starting call, a call that failed (`errorCode`), or another detail-type. */
  ignored: 'IGNORED',
  /** The task is already watched: an execution of its latest watch runs. */
  alreadyWatching: 'ALREADY_WATCHING',
  /** The task's terminal status was already announced by an earlier watch; a watch request with `rewatch` asks again. */
  alreadyAnnounced: 'ALREADY_ANNOUNCED',
  /** The event claims a task but no task id could be read from it; the event is kept in the dead-letter queue. */
  malformed: 'MALFORMED',
  /**
   * A successful import-starting call whose record names its graph but no task id: a sweep of
   * that graph was asked for instead, which starts the watch when it lists the task.
   */
  noTaskId: 'NO_TASK_ID',
} as const;

/** Dimension of {@link POLLER_METRICS.monitoringFailuresByReason} and {@link POLLER_METRICS.triggersNotStartedByReason}. */
export const REASON_DIMENSION = 'Reason';
/** Dimension of {@link POLLER_METRICS.terminalStatuses}. */
export const STATUS_DIMENSION = 'Status';
