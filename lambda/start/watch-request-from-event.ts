import {
  CLOUDTRAIL_API_CALL_DETAIL_TYPE,
  IMPORT_STARTING_API_CALLS,
  WATCH_REQUEST_DETAIL_TYPE,
} from '../../lib/events';
import { describeInvalidTaskId, GRAPH_ID_PATTERN, isGraphId, isTaskId, TASK_ID_PATTERN } from '../../lib/identifiers';
import { isRecord } from '../shared/records';
import type { TaskWatchRequest } from '../shared/start-watch';
import { findIdentifier, type IdentifierSearch, type IdentifierSpec } from './find-identifier';

/** The part of an EventBridge event the starter reads. */
export interface TriggerEvent {
  readonly id?: string;
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: unknown;
}

/** A task to watch; or why the event names none: nothing to watch, or a task claimed but unreadable. */
export type WatchRequest =
  | TaskWatchRequest
  /** The event legitimately starts nothing: not an import-starting call, or a call that failed. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The event claims a task, but no task id could be read from it. */
  | { readonly kind: 'malformed'; readonly reason: string }
  /**
   * A successful import-starting call whose record holds no task id but names the graph: a sweep
   * of that graph finds the task. Only when {@link WatchRequestOptions.sweepGraphWithoutTaskId}.
   */
  | { readonly kind: 'sweep-graph'; readonly graphId: string; readonly reason: string };

/** How {@link watchRequestFromEvent} reads an event. */
export interface WatchRequestOptions {
  /**
   * A successful CloudTrail record with no task id anywhere in its response but a graph id asks
   * for a sweep of that graph (`sweep-graph`) rather than being malformed.
   * @default false
   */
  readonly sweepGraphWithoutTaskId?: boolean;
}

/** Keys a CloudTrail record may hold the task id under, whatever wrapper holds them. */
export const TASK_ID_SPEC: IdentifierSpec = { keys: ['taskid', 'importtaskid', 'id'], pattern: TASK_ID_PATTERN };
/** Keys a CloudTrail record may hold the graph id under. */
export const GRAPH_ID_SPEC: IdentifierSpec = { keys: ['graphid', 'graphidentifier', 'id'], pattern: GRAPH_ID_PATTERN };

const shown = (value: unknown): string => JSON.stringify(value)?.slice(0, 100) ?? String(value);

function describeMissingTaskId(search: Exclude<IdentifierSearch, { kind: 'found' }>, where: string): string {
  switch (search.kind) {
    case 'ambiguous':
      return `names more than one task in ${where}: ${search.found.map((c) => `${c.path} = ${shown(c.value)}`).join(', ')}`;
    case 'too-large':
      return `has a ${where} too large or deep to search (more than ${search.limits.maxValues} values or ${search.limits.maxDepth} levels)`;
    case 'none': {
      const [first] = search.rejected;
      return first === undefined
        ? `holds no task id in ${where} (no key ${TASK_ID_SPEC.keys.join(', ')} with a value matching ${TASK_ID_PATTERN.source})`
        : `holds no task id in ${where}; ${first.path} is not one: ${describeInvalidTaskId(first.value)}`;
    }
  }
}

/** The graph id of a CloudTrail record: from the response, else from the request; none when unclear. */
function graphIdFromApiCall(detail: Record<string, unknown>): string | null {
  for (const [where, value] of [
    ['responseElements', detail.responseElements],
    ['requestParameters', detail.requestParameters],
  ] as const) {
    const search = findIdentifier(value, where, GRAPH_ID_SPEC);
    if (search.kind === 'found') return search.value;
  }
  return null;
}

function fromApiCall(detail: Record<string, unknown>, options: WatchRequestOptions): WatchRequest {
  if (typeof detail.eventName !== 'string' || !IMPORT_STARTING_API_CALLS.includes(detail.eventName)) {
    return { kind: 'ignored', reason: `API call ${shown(detail.eventName)} does not start an import task` };
  }
  if (detail.errorCode !== undefined && detail.errorCode !== null) {
    return { kind: 'ignored', reason: `${detail.eventName} failed with ${shown(detail.errorCode)}; nothing to watch` };
  }
  const search = findIdentifier(detail.responseElements, 'responseElements', TASK_ID_SPEC);
  if (search.kind !== 'found') {
    const reason = `The successful ${detail.eventName} record ${describeMissingTaskId(search, 'responseElements')}; no watch started`;
    // Only a record that holds no task id at all: an ambiguous or oversized one is a person's to look at.
    const graphId =
      search.kind === 'none' && options.sweepGraphWithoutTaskId === true ? graphIdFromApiCall(detail) : null;
    return graphId === null ? { kind: 'malformed', reason } : { kind: 'sweep-graph', graphId, reason };
  }
  return {
    kind: 'watch',
    taskId: search.value,
    graphId: graphIdFromApiCall(detail),
    trigger: 'api-call',
    taskIdPath: search.path,
    rewatch: false,
  };
}

function fromWatchRequest(detail: unknown): WatchRequest {
  const taskId = isRecord(detail) ? detail.taskId : undefined;
  if (!isTaskId(taskId)) {
    return {
      kind: 'malformed',
      reason:
        taskId === undefined
          ? 'The watch-request event carries no detail.taskId; no watch started'
          : `The watch-request event's detail.taskId is not a task id: ${describeInvalidTaskId(taskId)}; no watch started`,
    };
  }
  const rewatch = isRecord(detail) ? detail.rewatch : undefined;
  if (rewatch !== undefined && typeof rewatch !== 'boolean') {
    // A flag meant to say "announce it again" that is quietly read as false would decline the request unseen.
    return {
      kind: 'malformed',
      reason: `The watch-request event's detail.rewatch must be true or false, not ${JSON.stringify(rewatch)?.slice(0, 40) ?? typeof rewatch}; no watch started`,
    };
  }
  const graphId = isRecord(detail) ? detail.graphId : undefined;
  return {
    kind: 'watch',
    taskId,
    graphId: isGraphId(graphId) ? graphId : null,
    trigger: 'watch-request',
    taskIdPath: 'detail.taskId',
    rewatch: rewatch === true,
  };
}

/**
 * Reads the task to watch from a CloudTrail record of `StartImportTask` or
 * `CreateGraphUsingImportTask` (the id is in the call's response, flat or under a wrapper), or
 * from a watch request. Anything may arrive here, `null` included.
 */
export function watchRequestFromEvent(event: unknown, options: WatchRequestOptions = {}): WatchRequest {
  if (!isRecord(event)) {
    return { kind: 'malformed', reason: `The event is not an object: got ${shown(event)}; no watch started` };
  }
  const detailType = event['detail-type'];
  if (detailType === CLOUDTRAIL_API_CALL_DETAIL_TYPE) {
    return fromApiCall(isRecord(event.detail) ? event.detail : {}, options);
  }
  if (detailType === WATCH_REQUEST_DETAIL_TYPE) {
    return fromWatchRequest(event.detail);
  }
  return { kind: 'ignored', reason: `Events of detail-type ${shown(detailType)} do not start watches` };
}
