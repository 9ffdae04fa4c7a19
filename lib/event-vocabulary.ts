/**
 * The words of the poller's events, each defined once, in a form every jsii language can use: the
 * statuses of an import task and the reasons a watch fails. The event contract (`events.ts`), the
 * construct and the Lambda handlers read them from here. No dependency on aws-cdk-lib.
 */

/** Statuses of a Neptune Analytics import task, as `GetImportTask` reports them and Status Change events carry them in `status`. */
export enum ImportTaskStatus {
  /** The task is being set up. */
  INITIALIZING = 'INITIALIZING',
  /** Data is being exported from the source (imports from Neptune). */
  EXPORTING = 'EXPORTING',
  /** The source data is being analyzed. */
  ANALYZING_DATA = 'ANALYZING_DATA',
  /** Data is being loaded into the graph. */
  IMPORTING = 'IMPORTING',
  /** The graph is being resized for the data. */
  REPROVISIONING = 'REPROVISIONING',
  /** A failed import is being undone. */
  ROLLING_BACK = 'ROLLING_BACK',
  /** Someone asked to cancel the task. */
  CANCELLING = 'CANCELLING',
  /** Terminal: the import completed. */
  SUCCEEDED = 'SUCCEEDED',
  /** Terminal: the import failed. */
  FAILED = 'FAILED',
  /** Terminal: the import was cancelled. */
  CANCELLED = 'CANCELLED',
  /** Terminal: the task, or its graph, was deleted. */
  DELETED = 'DELETED',
}

/** Why the poller stopped watching a task without seeing a terminal status: `reason` of a Monitoring Failed event. */
export enum MonitoringFailureReason {
  /** `GetImportTask` answered that the task does not exist: at once for a task seen before, after the not-found grace for one never seen. */
  TASK_NOT_FOUND = 'TASK_NOT_FOUND',
  /** The poll function was refused (`AccessDeniedException`, another 401 or 403, missing credentials). */
  ACCESS_DENIED = 'ACCESS_DENIED',
  /** The task did not end within the monitoring timeout. */
  TIMED_OUT = 'TIMED_OUT',
  /**
   * The request could not be served: a malformed task id, a `ValidationException` or another 4xx, or a
   * state machine and a poll function of releases with different contracts.
   */
  INVALID_REQUEST = 'INVALID_REQUEST',
  /** `GetImportTask` failed more times in a row than `pollErrorRetry.maxAttempts`. */
  POLLING_ERROR = 'POLLING_ERROR',
  /** The watch's execution failed, timed out or was stopped before its terminal event; the backstop reports it. */
  POLLER_FAILED = 'POLLER_FAILED',
}
