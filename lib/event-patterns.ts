import type * as events from 'aws-cdk-lib/aws-events';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE, UNSUCCESSFUL_IMPORT_STATUSES } from './events';

function withGraphs(detail: Record<string, unknown>, graphIds?: readonly string[]): Record<string, unknown> {
  return graphIds === undefined ? detail : { ...detail, graphId: [...graphIds] };
}

/** Imports that ended with SUCCEEDED, from a poller whose events have `source`. */
export function importSucceededPattern(source: string, graphIds?: readonly string[]): events.EventPattern {
  return {
    source: [source],
    detailType: [STATUS_CHANGE_DETAIL_TYPE],
    detail: withGraphs({ status: ['SUCCEEDED'], terminal: [true] }, graphIds),
  };
}

/** Imports that ended without succeeding: FAILED, CANCELLED or DELETED. */
export function importFailedPattern(source: string, graphIds?: readonly string[]): events.EventPattern {
  return {
    source: [source],
    detailType: [STATUS_CHANGE_DETAIL_TYPE],
    detail: withGraphs({ status: [...UNSUCCESSFUL_IMPORT_STATUSES], terminal: [true] }, graphIds),
  };
}

/** Every watch that ended, however: a terminal status, or a monitoring failure. */
export function importEndedPattern(source: string, graphIds?: readonly string[]): events.EventPattern {
  return {
    source: [source],
    detailType: [STATUS_CHANGE_DETAIL_TYPE, MONITORING_FAILED_DETAIL_TYPE],
    detail: withGraphs({ terminal: [true] }, graphIds),
  };
}

/** Watches the poller gave up on. */
export function monitoringFailedPattern(source: string, graphIds?: readonly string[]): events.EventPattern {
  return {
    source: [source],
    detailType: [MONITORING_FAILED_DETAIL_TYPE],
    ...(graphIds === undefined ? {} : { detail: { graphId: [...graphIds] } }),
  };
}
