import {
  CLOUDTRAIL_API_CALL_DETAIL_TYPE,
  IMPORT_STARTING_API_CALLS,
  WATCH_REQUEST_DETAIL_TYPE,
} from '../../lib/events';
import { describeInvalidTaskId, isGraphId, isTaskId } from '../../lib/identifiers';

/** The part of an EventBridge event the starter reads. */
export interface TriggerEvent {
  readonly id?: string;
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: unknown;
}

/** How a watch was asked for. */
export type TriggerKind = 'api-call' | 'watch-request';

/** A task to watch, or why the event names none. */
export type WatchRequest =
  | { readonly kind: 'watch'; readonly taskId: string; readonly graphId: string | null; readonly trigger: TriggerKind }
  | { readonly kind: 'ignored'; readonly reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function request(trigger: TriggerKind, taskId: unknown, graphId: unknown, where: string): WatchRequest {
  if (!isTaskId(taskId)) {
    return {
      kind: 'ignored',
      reason:
        taskId === undefined
          ? `The ${trigger} event carries no ${where}; no watch started`
          : `The ${trigger} event's ${where} is not a task id: ${describeInvalidTaskId(taskId)}; no watch started`,
    };
  }
  return { kind: 'watch', taskId, graphId: isGraphId(graphId) ? graphId : null, trigger };
}

/**
 * Reads the task to watch from a CloudTrail record of `StartImportTask` or
 * `CreateGraphUsingImportTask` (the id is in the call's response), or from a watch request.
 */
export function watchRequestFromEvent(event: TriggerEvent): WatchRequest {
  const detail = isRecord(event.detail) ? event.detail : {};
  const detailType = event['detail-type'];
  if (detailType === CLOUDTRAIL_API_CALL_DETAIL_TYPE) {
    if (typeof detail.eventName !== 'string' || !IMPORT_STARTING_API_CALLS.includes(detail.eventName)) {
      return { kind: 'ignored', reason: `API call ${JSON.stringify(detail.eventName)} does not start an import task` };
    }
    if (detail.errorCode !== undefined) {
      return {
        kind: 'ignored',
        reason: `${detail.eventName} failed with ${JSON.stringify(detail.errorCode)}; nothing to watch`,
      };
    }
    const response = isRecord(detail.responseElements) ? detail.responseElements : {};
    const requestParameters = isRecord(detail.requestParameters) ? detail.requestParameters : {};
    return request(
      'api-call',
      response.taskId,
      response.graphId ?? requestParameters.graphIdentifier,
      'responseElements.taskId',
    );
  }
  if (detailType === WATCH_REQUEST_DETAIL_TYPE) {
    return request('watch-request', detail.taskId, detail.graphId, 'detail.taskId');
  }
  return { kind: 'ignored', reason: `Events of detail-type ${JSON.stringify(detailType)} do not start watches` };
}
