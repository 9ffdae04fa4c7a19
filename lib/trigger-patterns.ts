import type * as events from 'aws-cdk-lib/aws-events';
import {
  CLOUDTRAIL_API_CALL_DETAIL_TYPE,
  EXECUTION_STATUS_CHANGE_DETAIL_TYPE,
  FAILED_EXECUTION_STATUSES,
  IMPORT_STARTING_API_CALLS,
  WATCH_REQUEST_DETAIL_TYPE,
} from './events';

/**
 * Successful `StartImportTask` and `CreateGraphUsingImportTask` calls, as CloudTrail reports
 * them to the default bus; limited to `graphIds` when given (the graph id is in the call's
 * response, or, for `StartImportTask`, in its request).
 */
export function apiCallPattern(graphIds?: readonly string[]): events.EventPattern {
  const detail: Record<string, unknown> = {
    eventSource: ['neptune-graph.amazonaws.com'],
    eventName: [...IMPORT_STARTING_API_CALLS],
    errorCode: [{ exists: false }],
  };
  if (graphIds !== undefined) {
    detail.$or = [
      { responseElements: { graphId: [...graphIds] } },
      { requestParameters: { graphIdentifier: [...graphIds] } },
    ];
  }
  return { source: ['aws.neptune-graph'], detailType: [CLOUDTRAIL_API_CALL_DETAIL_TYPE], detail };
}

/**
 * Watch requests put by any producer; limited to `graphIds` when given. With `pollerName`, only
 * requests that name this poller in `detail.poller`, or name no poller: several pollers can then
 * share a bus, and a request that names one reaches that one only.
 */
export function watchRequestPattern(graphIds?: readonly string[], pollerName?: string): events.EventPattern {
  const detail: Record<string, unknown> = { taskId: [{ prefix: 't-' }] };
  if (graphIds !== undefined) detail.graphId = [...graphIds];
  if (pollerName !== undefined) detail.$or = [{ poller: [pollerName] }, { poller: [{ exists: false }] }];
  return { detailType: [WATCH_REQUEST_DETAIL_TYPE], detail };
}

/** Executions of `stateMachineArn` that failed, timed out or were aborted, as Step Functions reports them to the default bus. */
export function executionFailedPattern(stateMachineArn: string): events.EventPattern {
  return {
    source: ['aws.states'],
    detailType: [EXECUTION_STATUS_CHANGE_DETAIL_TYPE],
    detail: { stateMachineArn: [stateMachineArn], status: [...FAILED_EXECUTION_STATUSES] },
  };
}

/** EventBridge's default quota on the length of a rule's event pattern, in characters. */
export const MAX_EVENT_PATTERN_LENGTH = 2048;

/** The event pattern as EventBridge receives it: JSON, with the envelope's field names (`detail-type`). */
export function eventPatternJson(pattern: events.EventPattern): string {
  const { detailType, ...rest } = pattern;
  return JSON.stringify(detailType === undefined ? rest : { ...rest, 'detail-type': detailType });
}

/** The most graph ids `patternOf` can hold within {@link MAX_EVENT_PATTERN_LENGTH}, counting every graph id as 12 characters. */
export function maxGraphIdsIn(patternOf: (graphIds: readonly string[]) => events.EventPattern): number {
  let count = 0;
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `g-${String(i).padStart(10, '0')}`);
  while (eventPatternJson(patternOf(ids(count + 1))).length <= MAX_EVENT_PATTERN_LENGTH) count += 1;
  return count;
}

/**
 * The most graph ids a poller may be limited to: as many as the rule for CloudTrail records, whose
 * pattern holds each twice, can hold.
 */
export const MAX_GRAPH_IDS = maxGraphIdsIn(apiCallPattern);
