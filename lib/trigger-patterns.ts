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

/** Watch requests put by any producer; limited to `graphIds` when given. */
export function watchRequestPattern(graphIds?: readonly string[]): events.EventPattern {
  return {
    detailType: [WATCH_REQUEST_DETAIL_TYPE],
    detail:
      graphIds === undefined ? { taskId: [{ prefix: 't-' }] } : { taskId: [{ prefix: 't-' }], graphId: [...graphIds] },
  };
}

/** Executions of `stateMachineArn` that failed, timed out or were aborted, as Step Functions reports them to the default bus. */
export function executionFailedPattern(stateMachineArn: string): events.EventPattern {
  return {
    source: ['aws.states'],
    detailType: [EXECUTION_STATUS_CHANGE_DETAIL_TYPE],
    detail: { stateMachineArn: [stateMachineArn], status: [...FAILED_EXECUTION_STATUSES] },
  };
}
