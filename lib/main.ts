/**
 * `neptune-import-poller`: the construct library, compiled with jsii for every CDK language.
 *
 * Lambda functions and scripts that only put or read the poller's events use the lighter
 * `neptune-import-poller/events` (`events-entry.ts`), which loads no aws-cdk-lib.
 */
export { NeptuneImportTaskPoller } from './neptune-import-task-poller';
export {
  NeptuneImportTaskPollerBase,
  type ImportEventRuleOptions,
  type INeptuneImportTaskPoller,
  type NeptuneImportTaskPollerAttributes,
} from './neptune-import-task-poller-base';
export type { NeptuneImportTaskPollerProps, PollErrorRetryOptions } from './poller-props';
export type { ImportTaskSweepOptions } from './import-task-sweep';
export {
  PollingStrategy,
  type ExponentialPollingOptions,
  type FixedPollingOptions,
  type ProgressAwarePollingOptions,
} from './polling-strategy';
export { PollerLogLevel } from './poller-function';
export {
  PollerAlarms,
  type PollerAlarmThreshold,
  type PollerAlarmThresholds,
  type PollerAlarmsProps,
} from './poller-alarms';
export { PollerDashboard, type PollerDashboardProps } from './poller-dashboard';
export { PollerEventSchemas, type PollerEventSchemasProps } from './poller-event-schemas';
export { ImportTaskStatus, MonitoringFailureReason } from './event-vocabulary';
export {
  PollerEventPatterns,
  PollerEvents,
  type PollerEventPatternOptions,
  type WatchRequestPutEventsEntry,
} from './poller-events';
export type { WatchRequestOptions } from './watch-request';
export { PollerMetrics, TriggerNotStartedReason } from './poller-metric-names';
export { PollerPropsValidationError } from './validation';
