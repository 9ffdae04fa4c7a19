/**
 * The event contract of the poller: detail-types, the default source and the
 * shape of every event's `detail`. Other teams build rules on these names and
 * fields, so they change only with a major version.
 *
 * This module has no dependency on aws-cdk-lib: the Lambda handlers import it too. The statuses and
 * reasons themselves are the enums of `event-vocabulary.ts`.
 */
import { ImportTaskStatus, MonitoringFailureReason as MonitoringFailureReasons } from './event-vocabulary';

/** The `source` of the poller's events unless the construct is given another. */
export const DEFAULT_EVENT_SOURCE = 'neptune-import-poller';

/** `detail-type` of the event put when an import task's status changes (and always when it ends). */
export const STATUS_CHANGE_DETAIL_TYPE = 'Neptune Analytics Import Task Status Change';

/** `detail-type` of the event put when the poller gives up watching an import task. */
export const MONITORING_FAILED_DETAIL_TYPE = 'Neptune Analytics Import Task Monitoring Failed';

/** `detail-type` of the event any producer can put on the bus to ask for a task to be watched. */
export const WATCH_REQUEST_DETAIL_TYPE = 'Neptune Analytics Import Task Watch Requested';

/** `detail-type` of the events CloudTrail sends EventBridge for API calls. */
export const CLOUDTRAIL_API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** Neptune Analytics API calls that start an import task; CloudTrail records of them start watches. */
export const IMPORT_STARTING_API_CALLS: readonly string[] = ['StartImportTask', 'CreateGraphUsingImportTask'];

/** `detail-type` of Step Functions' execution status changes on the default bus, which the backstop hears. */
export const EXECUTION_STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** Statuses of an execution that ended without finishing its work: each is reported by the backstop. */
export const FAILED_EXECUTION_STATUSES: readonly string[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/** Terminal statuses that mean the import did not complete. */
export const UNSUCCESSFUL_IMPORT_STATUSES: readonly string[] = [
  ImportTaskStatus.FAILED,
  ImportTaskStatus.CANCELLED,
  ImportTaskStatus.DELETED,
];

/** Statuses after which an import task never changes again: the poller stops at the first one it sees. */
export const TERMINAL_IMPORT_STATUSES: readonly string[] = [
  ImportTaskStatus.SUCCEEDED,
  ...UNSUCCESSFUL_IMPORT_STATUSES,
];

/** Whether `status` ends an import task. Statuses this code does not know are not terminal. */
export function isTerminalImportStatus(status: string): boolean {
  return TERMINAL_IMPORT_STATUSES.includes(status);
}

/**
 * Why the poller stopped watching a task without seeing a terminal status: a value of the
 * `MonitoringFailureReason` enum, as the JSON of an event carries it.
 */
export type MonitoringFailureReason = `${MonitoringFailureReasons}`;

/** Every monitoring failure reason, in documentation order. */
export const MONITORING_FAILURE_REASONS: readonly MonitoringFailureReason[] =
  /* @__PURE__ */ Object.values(MonitoringFailureReasons);

/** `importTaskDetails` of a `GetImportTask` answer, as JSON (timestamps as ISO-8601 strings). */
export interface ImportTaskDetailsSnapshot {
  /** Phase reported by the import engine. */
  readonly status?: string;
  /** When the import started (ISO-8601). */
  readonly startTime?: string;
  /** Seconds since the import started. */
  readonly timeElapsedSeconds?: number;
  /** Progress of the current phase, 0-100. */
  readonly progressPercentage?: number;
  /** Number of errors so far. */
  readonly errorCount?: number;
  /** Description of the errors; may be cut short to keep the event under 256 KB (see `truncatedFields`). */
  readonly errorDetails?: string;
  /** Number of statements imported. */
  readonly statementCount?: number;
  /** Number of dictionary entries imported. */
  readonly dictionaryEntryCount?: number;
}

/**
 * The whole `GetImportTask` answer, as JSON, as the AWS SDK bundled in the poll function reads it;
 * fields of the wrong type are converted (a number sent as a string) or dropped, and members
 * nested over ten levels deep, named with over 128 characters or past the first 10,000 values
 * are dropped (named in `truncatedFields`).
 */
export interface ImportTaskSnapshot {
  /** Import task id (`t-…`). */
  readonly taskId: string;
  /** Graph the data is imported into (`g-…`). */
  readonly graphId?: string;
  /** Where the data comes from. */
  readonly source?: string;
  /** Data format. */
  readonly format?: string;
  /** Parquet flavour, for Parquet sources. */
  readonly parquetType?: string;
  /** Role Neptune Analytics assumed to read the source. */
  readonly roleArn?: string;
  /** Task status. */
  readonly status: string;
  /** Import options given at start. */
  readonly importOptions?: Record<string, unknown>;
  /** Progress details. */
  readonly importTaskDetails?: ImportTaskDetailsSnapshot;
  /** Attempt number; a retried import starts a new attempt. */
  readonly attemptNumber?: number;
  /** Why the task has its status, when the service says. */
  readonly statusReason?: string;
  /** Any other field of the answer. */
  readonly [field: string]: unknown;
}

/** Fields every event of the poller carries. */
export interface PollerEventDetailBase {
  /** The import task watched (`t-…`); `null` only when a request named no usable task id. */
  readonly taskId: string | null;
  /** The graph of the task, when known: a well-formed graph id (`g-…`) from the request or an answer. */
  readonly graphId: string | null;
  /** `true` on the one event that ends the watch of a task. */
  readonly terminal: boolean;
  /** `GetImportTask` requests sent for this task so far, answered or not. */
  readonly pollCount: number;
  /** When the poller started watching the task (ISO-8601). */
  readonly watchStartedAt: string;
  /** When this event was decided (ISO-8601). */
  readonly observedAt: string;
  /**
   * `true` when an earlier watch of the same task ended with a Monitoring Failed event: this event
   * then tells what became of the task after that failure.
   */
  readonly followsMonitoringFailure: boolean;
}

/** `detail` of a `Neptune Analytics Import Task Status Change` event. */
export interface ImportTaskStatusChangeDetail extends PollerEventDetailBase {
  /** Status now: an upper-case word, such as `SUCCEEDED` (an answer without one is not taken as an answer). */
  readonly status: string;
  /** Status at the previous poll; `null` on the first. */
  readonly previousStatus: string | null;
  /** `statusReason` of the answer, or `null`; cut short beyond 2,000 characters (`importTask` keeps it whole while the event fits). */
  readonly statusReason: string | null;
  /** `attemptNumber` of the answer, or `null`. */
  readonly attemptNumber: number | null;
  /** `importTaskDetails.progressPercentage` of the answer, or `null`. */
  readonly progressPercentage: number | null;
  /** The whole `GetImportTask` answer. */
  readonly importTask: ImportTaskSnapshot;
  /**
   * Dotted paths of fields cut short to keep the event under EventBridge's size limit, and of
   * answer members dropped (too deep, too many, or too long a name); empty when none. A list too
   * long to carry names the parent fields instead.
   */
  readonly truncatedFields: string[];
}

/** `detail` of a `Neptune Analytics Import Task Monitoring Failed` event. */
export interface ImportTaskMonitoringFailedDetail extends PollerEventDetailBase {
  /** Always `true`: the watch ends here. */
  readonly terminal: true;
  /** Why the poller gave up. */
  readonly reason: MonitoringFailureReason;
  /** What happened, for people. */
  readonly message: string;
  /** The last status seen, or `null` if no poll was answered. */
  readonly lastStatus: string | null;
  /** The last error met, when one caused this. */
  readonly error: { readonly name: string; readonly message: string } | null;
}

/** `detail` of a `Neptune Analytics Import Task Watch Requested` event. */
export interface ImportTaskWatchRequestDetail {
  /** The import task to watch (`t-` and ten lower-case letters or digits). */
  readonly taskId: string;
  /** The graph of the task; required when the poller is limited to some graphs. */
  readonly graphId?: string;
  /**
   * Watch the task even though an earlier watch already announced its terminal status, and
   * announce it again. Without it, such a request is declined, so that no task is announced twice
   * by accident.
   */
  readonly rewatch?: boolean;
  /**
   * The `serviceName` of the one poller that should watch the task; a request without it is taken
   * by every poller that hears the bus.
   */
  readonly poller?: string;
}
