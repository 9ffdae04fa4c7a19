/**
 * The poller's custom metrics by name, in a form every jsii language can use: the poll, start and
 * sweep functions publish them (CloudWatch embedded metric format) and the construct's alarms and
 * dashboard read them, all from here. No dependency on aws-cdk-lib, and nothing else at module
 * scope: the Lambda handlers import it.
 */

/**
 * Namespace, dimensions and names of the custom metrics the poller's functions publish. Every
 * metric carries the `service` dimension, the poller's `serviceName`; `metric(name)` on a poller
 * adds it. Counts unless said otherwise.
 */
export class PollerMetrics {
  /** Namespace of the poller's custom metrics. */
  public static readonly NAMESPACE = 'NeptuneImportPoller';
  /** Dimension every custom metric carries: the poller's service name, unique per poller. */
  public static readonly SERVICE_DIMENSION = 'service';
  /** Dimension of `MONITORING_FAILURES_BY_REASON` (a `MonitoringFailureReason`) and of `TRIGGERS_NOT_STARTED_BY_REASON` (a `TriggerNotStartedReason`). */
  public static readonly REASON_DIMENSION = 'Reason';
  /** Dimension of `TERMINAL_STATUSES`: the terminal status. */
  public static readonly STATUS_DIMENSION = 'Status';

  /** `GetImportTask` requests sent. */
  public static readonly POLLS = 'Polls';
  /** `GetImportTask` requests that failed, whatever the cause. */
  public static readonly POLL_ERRORS = 'PollErrors';
  /** `GetImportTask` requests answered with throttling. */
  public static readonly POLL_THROTTLES = 'PollThrottles';
  /** Status changes seen, the first status of a watch included. */
  public static readonly STATUS_TRANSITIONS = 'StatusTransitions';
  /** Watches begun: the first steps of first executions. */
  public static readonly WATCHES_STARTED = 'WatchesStarted';
  /**
   * Ends the poll function saw later than the sweep shows them (two sweep intervals and five minutes
   * after the end, or after the watch began): the sweep missed them, or polls kept failing.
   */
  public static readonly ENDS_SEEN_LATE = 'EndsSeenLate';
  /** Watches ended with their one terminal event. */
  public static readonly WATCHES_ENDED = 'WatchesEnded';
  /** Watches ended with a Monitoring Failed event. */
  public static readonly MONITORING_FAILURES = 'MonitoringFailures';
  /** Watches ended with a Monitoring Failed event, by `Reason` dimension. */
  public static readonly MONITORING_FAILURES_BY_REASON = 'MonitoringFailuresByReason';
  /** Watches ended with a terminal status, by `Status` dimension. */
  public static readonly TERMINAL_STATUSES = 'TerminalStatuses';
  /** The import's own elapsed time when its terminal status was seen, in seconds. */
  public static readonly IMPORT_DURATION = 'ImportDuration';
  /** Time from the watch's start to the terminal event, in seconds. */
  public static readonly WATCH_DURATION = 'WatchDuration';
  /** Watches handed over to a new execution. */
  public static readonly CONTINUED_AS_NEW = 'ContinuedAsNew';
  /** Executions the start function started for a trigger; a trigger delivered twice that Step Functions answers idempotently counts again. */
  public static readonly WATCH_EXECUTIONS_STARTED = 'WatchExecutionsStarted';
  /** Triggers the start function started no execution for, whatever the reason. */
  public static readonly TRIGGERS_NOT_STARTED = 'TriggersNotStarted';
  /** Triggers the start function started no execution for, by `Reason` dimension (a `TriggerNotStartedReason`). */
  public static readonly TRIGGERS_NOT_STARTED_BY_REASON = 'TriggersNotStartedByReason';
  /** Executions that failed before putting their terminal event, reported by a backstop execution. */
  public static readonly WATCH_FAILURES_REPORTED = 'WatchFailuresReported';
  /** Sweeps cut short by their page limit or their time, before the end of the listing; the next goes on from there. */
  public static readonly SWEEPS_TRUNCATED = 'SweepsTruncated';
  /** How long a listed task may have gone unread by the sweep, when a whole pass took more than two sweep intervals (seconds). */
  public static readonly SWEEP_LISTING_UNREAD_SECONDS = 'SweepListingUnreadSeconds';
  /** Tasks a sweep could not act on (failed wake-ups, discoveries, end-time checks and records, unreadable listed entries); the next sweep tries again. */
  public static readonly SWEEP_TASK_FAILURES = 'SweepTaskFailures';
  /** Parked watches, still waiting, whose task a complete sweep did not find listed; each is woken to poll at once. */
  public static readonly WATCHED_TASKS_UNLISTED = 'WatchedTasksUnlisted';

  private constructor() {}
}

/** Values of the `Reason` dimension of `PollerMetrics.TRIGGERS_NOT_STARTED_BY_REASON`. */
export enum TriggerNotStartedReason {
  /** Nothing to watch: not an import-starting call, a call that failed, or another detail-type. */
  IGNORED = 'IGNORED',
  /** The task is already watched: an execution of its latest watch runs. */
  ALREADY_WATCHING = 'ALREADY_WATCHING',
  /** The task's terminal status was already announced by an earlier watch; a watch request with `rewatch` asks again. */
  ALREADY_ANNOUNCED = 'ALREADY_ANNOUNCED',
  /** The event claims a task but no task id could be read from it; the event is kept in the dead-letter queue. */
  MALFORMED = 'MALFORMED',
  /** A successful import-starting call whose record names its graph but no task id: a sweep of that graph was asked for instead. */
  NO_TASK_ID = 'NO_TASK_ID',
}
