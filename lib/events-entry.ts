/**
 * `neptune-import-poller/events`: the poller's events for the code that puts or reads them, such as
 * a loader's Lambda function that asks for a watch, or a consumer of the events. It loads no
 * aws-cdk-lib, so a bundle that imports it holds only these few functions.
 */
export {
  DEFAULT_EVENT_SOURCE,
  MONITORING_FAILED_DETAIL_TYPE,
  MONITORING_FAILURE_REASONS,
  STATUS_CHANGE_DETAIL_TYPE,
  TERMINAL_IMPORT_STATUSES,
  UNSUCCESSFUL_IMPORT_STATUSES,
  WATCH_REQUEST_DETAIL_TYPE,
  type ImportTaskDetailsSnapshot,
  type ImportTaskMonitoringFailedDetail,
  type ImportTaskSnapshot,
  type ImportTaskStatusChangeDetail,
  type ImportTaskWatchRequestDetail,
  type MonitoringFailureReason,
  type PollerEventDetailBase,
} from './events';
export {
  DEFAULT_WATCH_REQUEST_SOURCE,
  InvalidWatchRequestError,
  watchRequestEntry,
  type WatchRequestEntry,
  type WatchRequestOptions,
} from './watch-request';
export { isGraphId, isTaskId } from './identifiers';
