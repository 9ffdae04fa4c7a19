/**
 * What this repository's own code (the app in `bin/`, the local runs, the tests) imports from
 * `lib` as a whole: the package's API and a few internals. Not published: the package's entries
 * are `main.ts` (`neptune-import-poller`) and `events-entry.ts` (`neptune-import-poller/events`),
 * where a name becomes public.
 */
export * from './main';
export {
  importEndedPattern,
  importFailedPattern,
  importSucceededPattern,
  monitoringFailedPattern,
} from './event-patterns';
export { EVENT_SCHEMA_FILES, eventDetailSchema, eventEnvelopeSchema } from './event-schemas';
export {
  MONITORING_FAILED_DETAIL_TYPE,
  MONITORING_FAILURE_REASONS,
  STATUS_CHANGE_DETAIL_TYPE,
  WATCH_REQUEST_DETAIL_TYPE,
} from './events';
export {
  NeptuneImportPollerStack,
  pollerPropsFromContext,
  type NeptuneImportPollerStackProps,
} from './neptune-import-poller-stack';
export { pollerConfigOf } from './poller-props';
export { POLLER_METRICS } from './poller-metrics';
export { apiCallPattern, watchRequestPattern } from './trigger-patterns';
export { InvalidWatchRequestError, watchRequestEntry } from './watch-request';
