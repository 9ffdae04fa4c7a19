import { WATCH_REQUEST_DETAIL_TYPE, type ImportTaskWatchRequestDetail } from './events';
import { isGraphId, isTaskId } from './identifiers';

/** The `source` a watch request gets unless the producer names its own. */
export const DEFAULT_WATCH_REQUEST_SOURCE = 'neptune-import-poller.watch-request';

/** A watch request names a task or graph id in the wrong format; the message shows the value. */
export class InvalidWatchRequestError extends Error {
  override readonly name = 'InvalidWatchRequestError';
}

/** What to put in a watch request. */
export interface WatchRequestOptions {
  /** The import task to watch, `t-` and ten lower-case letters or digits. */
  readonly taskId: string;
  /** The task's graph; required when the poller is limited to some graphs. */
  readonly graphId?: string;
  /**
   * Watch the task even though an earlier watch already announced its terminal status, and
   * announce it again (a consumer lost the first event, say).
   * @default false - a task already announced is not watched again
   */
  readonly rewatch?: boolean;
  /**
   * The `serviceName` of the one poller that should watch the task, when several pollers hear the
   * same bus; a request that names no poller is taken by every poller on the bus.
   * @default - every poller on the bus
   */
  readonly poller?: string;
  /**
   * `source` of the request; any producer's own name.
   * @default 'neptune-import-poller.watch-request'
   */
  readonly source?: string;
  /**
   * Name or ARN of the poller's bus.
   * @default - the default bus
   */
  readonly eventBusName?: string;
}

/** A PutEvents entry, shaped as `@aws-sdk/client-eventbridge`'s `PutEventsRequestEntry`. */
export interface WatchRequestEntry {
  readonly Source: string;
  readonly DetailType: string;
  /** JSON of an {@link ImportTaskWatchRequestDetail}. */
  readonly Detail: string;
  readonly EventBusName?: string;
}

/**
 * The PutEvents entry that asks a poller to watch `taskId`. Checks the ids first, so a typo fails
 * here rather than as a Monitoring Failed event later.
 *
 * @example
 * await eventBridge.send(new PutEventsCommand({ Entries: [watchRequestEntry({ taskId: 't-0123456789' })] }));
 */
export function watchRequestEntry(options: WatchRequestOptions): WatchRequestEntry {
  if (!isTaskId(options.taskId)) {
    throw new InvalidWatchRequestError(
      `taskId must be t- and ten lower-case letters or digits; got ${JSON.stringify(options.taskId)}`,
    );
  }
  if (options.graphId !== undefined && !isGraphId(options.graphId)) {
    throw new InvalidWatchRequestError(
      `graphId must be g- and ten lower-case letters or digits; got ${JSON.stringify(options.graphId)}`,
    );
  }
  if (options.poller !== undefined && options.poller.trim() === '') {
    throw new InvalidWatchRequestError('poller must be the serviceName of a poller; got an empty string');
  }
  const detail: ImportTaskWatchRequestDetail = {
    taskId: options.taskId,
    ...(options.graphId === undefined ? {} : { graphId: options.graphId }),
    ...(options.rewatch === true ? { rewatch: true } : {}),
    ...(options.poller === undefined ? {} : { poller: options.poller }),
  };
  return {
    Source: options.source ?? DEFAULT_WATCH_REQUEST_SOURCE,
    DetailType: WATCH_REQUEST_DETAIL_TYPE,
    Detail: JSON.stringify(detail),
    ...(options.eventBusName === undefined ? {} : { EventBusName: options.eventBusName }),
  };
}
