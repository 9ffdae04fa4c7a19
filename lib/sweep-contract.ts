/**
 * What joins the state machine, the poll function and the sweep function: the table where a
 * waiting watch parks its task token, the shape of its items, and the sweep's input. Defined
 * once, read by all three; no dependency on aws-cdk-lib.
 *
 * A watch with nothing to do waits in a `.waitForTaskToken` task whose timeout is the wait the
 * poll function chose. The task writes one item per import task: the status the watch last saw
 * and the token that ends the wait. The sweep lists the account's import tasks and, for every
 * task whose listed status differs from its item's, sends the token back, so that the watch polls
 * now. When the timeout passes first, the watch polls as it would have after a Wait state.
 */

/** Attribute names of the watch table's items. */
export const WATCH_TABLE_ATTRIBUTES = {
  /** Partition key: the import task id. */
  taskId: 'taskId',
  /** The task's graph id, as listed (items a sweep writes). */
  graphId: 'graphId',
  /** The status the watch last saw (or the listed status a sweep recorded). */
  status: 'status',
  /** Task token of the waiting watch; absent once a sweep found it stale. */
  token: 'token',
  /**
   * Name of the execution that parked. Only the park task writes it, and a sweep that finds the
   * token stale removes it with the token: the items that hold it are those of parked watches.
   */
  executionName: 'executionName',
  /** ISO-8601 time a sweep first recorded a task it found unwatched. */
  discoveredAt: 'discoveredAt',
} as const;

/**
 * The watch table's sparse index of parked watches: keyed on `executionName`, which only items
 * of parked watches hold, so that a sweep finds every parked watch by scanning it, at the cost of
 * the parked watches alone, without reading the items of tasks long ended. Besides the keys it
 * holds the token and the status the watch last saw.
 */
export const PARKED_WATCHES_INDEX = {
  indexName: 'ParkedWatches',
  partitionKey: WATCH_TABLE_ATTRIBUTES.executionName,
  projectedAttributes: [WATCH_TABLE_ATTRIBUTES.token, WATCH_TABLE_ATTRIBUTES.status],
} as const;

/** Status written while a watch waits for a task it has not seen answered yet (no `lastStatus`). */
export const UNKNOWN_STATUS = 'UNKNOWN';

/** The part of a WAIT decision that the park task writes as the table item (paths under `$.park`). */
export interface ParkRequest {
  readonly taskId: string;
  /** The status the watch last saw, or {@link UNKNOWN_STATUS}. */
  readonly status: string;
}

/** Where the park task reads its item's values, as JSONPath. */
export const PARK_PATHS = {
  park: '$.park',
  taskId: '$.park.taskId',
  status: '$.park.status',
} as const;

/** Why a sweep runs: on its schedule, or for a CloudTrail record that named a graph and no task. */
export const SWEEP_REASONS = ['schedule', 'api-call-without-task-id'] as const;

/** The sweep function's event: a scheduled run, or a run for one graph a CloudTrail record named without its task. */
export interface SweepRequest {
  /** Only tasks of this graph are considered for discovery; wakes are not restricted. */
  readonly graphId?: string;
  /** Why this sweep runs, for logs and metrics. */
  readonly reason?: (typeof SWEEP_REASONS)[number];
}

/**
 * Most pages of 100 tasks one sweep may read, and what it reads unless told otherwise: its time,
 * not a count of pages, bounds a sweep, which reads pages until {@link SWEEP_TIME_RESERVE_SECONDS}
 * are left before its timeout, and the next sweep goes on from there.
 */
export const MAX_SWEEP_MAX_PAGES = 1000;
export const DEFAULT_SWEEP_MAX_PAGES = MAX_SWEEP_MAX_PAGES;

/** Seconds before its timeout at which a sweep reads no further page: room for its wakes, records and metrics. */
export const SWEEP_TIME_RESERVE_SECONDS = 10;

/**
 * The sweep function's timeout for a sweep every `intervalSeconds`: the interval, at most five
 * minutes, so that a sweep that cannot finish before the next one starts is cut short by its own clock.
 */
export function sweepTimeoutSeconds(intervalSeconds: number): number {
  return Math.min(intervalSeconds, 300);
}

/**
 * Seconds after an import's end (or after its watch began, for an end before it) beyond which a
 * watch with the sweep on sees that end late: two sweep intervals and five minutes, longer than the
 * sweep takes to wake a watch at an end, even over a pass of a few sweeps. An end seen later was
 * missed by the sweep (failing, slow, or a listing that does not show it) or kept from the watch
 * by failing polls; the poll function counts it in `EndsSeenLate`, which is alarmed.
 */
export function lateEndSeconds(periodSeconds: number): number {
  return 2 * periodSeconds + 300;
}
