/**
 * The one-watch-per-task rule: watch n of a task starts with an execution named after the task
 * and n, so that of two starters racing for the same watch (a CloudTrail record, a watch request,
 * a sweep), Step Functions lets one start it; the others read where the task's watches stand.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { watchExecutionName } from '../../lib/identifiers';
import { standingOfWatch, type ExecutionDescriber } from './watch-lineage';

/** Starts an execution of the poller's state machine; resolves with its ARN. */
export type ExecutionStarter = (name: string, input: string) => Promise<{ executionArn?: string }>;

/** How a watch was asked for: a CloudTrail record, a watch request, or a sweep that found the task unwatched. */
export type TriggerKind = 'api-call' | 'watch-request' | 'sweep';

/** A task to start a watch of, and how it was asked for. */
export interface TaskWatchRequest {
  readonly kind: 'watch';
  readonly taskId: string;
  readonly graphId: string | null;
  readonly trigger: TriggerKind;
  /** Where in the event, or the listing, the task id was read. */
  readonly taskIdPath: string;
  /** Whether to watch again a task whose terminal status was already announced. */
  readonly rewatch: boolean;
}

/** What starting a task's watch came to. */
export type WatchStartOutcome =
  | {
      readonly outcome: 'started';
      readonly taskId: string;
      readonly executionName: string;
      readonly executionArn?: string;
    }
  | { readonly outcome: 'already-watching'; readonly taskId: string; readonly executionName: string }
  /** An earlier watch announced the task's terminal status; a request with `rewatch: true` asks again. */
  | { readonly outcome: 'already-announced'; readonly taskId: string; readonly executionName: string };

/** What starting a watch needs from the outside world. */
export interface WatchStartDependencies {
  readonly startExecution: ExecutionStarter;
  /** Describes an execution of the poller's state machine by name, to see where a task's watches stand. */
  readonly describeExecution: ExecutionDescriber;
  readonly logger: Logger;
}

const ALREADY_EXISTS = new Set(['ExecutionAlreadyExists', 'ExecutionAlreadyExistsException']);

/** Watches of one task tried before the task is taken as watched; far more than any task needs. */
const MAX_WATCHES = 1_000;

/** Whether `error` is Step Functions refusing an execution name that is taken. */
export function isExecutionAlreadyExists(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && ALREADY_EXISTS.has(name);
}

/**
 * Starts the task's next watch, unless one runs or the last announced its terminal status (and
 * the request does not ask to watch again). Failures to start are thrown.
 * @param eventId - id of the event that asked, for the log lines
 */
export async function startWatchOfTask(
  request: TaskWatchRequest,
  deps: WatchStartDependencies,
  eventId?: unknown,
): Promise<WatchStartOutcome> {
  const logger = deps.logger.createChild({ persistentKeys: { taskId: request.taskId } });
  const { taskId, trigger } = request;
  // Set once an earlier watch ended without announcing a terminal status: the next one's event says so.
  let followsMonitoringFailure = false;
  for (let watch = 1; watch <= MAX_WATCHES; watch++) {
    const executionName = watchExecutionName(taskId, watch);
    const input = JSON.stringify({
      taskId,
      ...(request.graphId === null ? {} : { graphId: request.graphId }),
      trigger,
      ...(followsMonitoringFailure ? { followsMonitoringFailure } : {}),
    });
    try {
      const { executionArn } = await deps.startExecution(executionName, input);
      logger.info('Watch started', { executionName, executionArn, trigger, taskIdPath: request.taskIdPath, eventId });
      return { outcome: 'started', taskId, executionName, ...(executionArn ? { executionArn } : {}) };
    } catch (error) {
      if (!isExecutionAlreadyExists(error)) {
        logger.error('Could not start the watch', { executionName, error: error as Error, eventId });
        throw error;
      }
    }
    const standing = await standingOfWatch(executionName, deps.describeExecution);
    if (standing.kind === 'running') {
      logger.info('Task already watched; nothing started', { ...standing, trigger, eventId });
      return { outcome: 'already-watching', taskId, executionName: standing.executionName };
    }
    if (standing.kind === 'announced' && !request.rewatch) {
      logger.info('Task already announced; nothing started', { ...standing, trigger, eventId });
      return { outcome: 'already-announced', taskId, executionName: standing.executionName };
    }
    followsMonitoringFailure = standing.kind === 'ended';
  }
  throw new Error(`${taskId} has been watched ${MAX_WATCHES} times; no further watch is started`);
}
