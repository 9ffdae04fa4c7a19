import type { Logger } from '@aws-lambda-powertools/logger';
import { watchExecutionName } from '../../lib/identifiers';
import type { MetricDatum } from '../poll/poll-metrics';
import { EXECUTION_STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { failedExecutionFromDetail, respondToFailure, type HistoryReader } from './execution-failure';
import { metricsForStartOutcome } from './start-metrics';
import { standingOfWatch, type ExecutionDescriber } from './watch-lineage';
import { watchRequestFromEvent, type WatchRequest } from './watch-request-from-event';

/** Starts an execution of the poller's state machine; resolves with its ARN. */
export type ExecutionStarter = (name: string, input: string) => Promise<{ executionArn?: string }>;

/** Keeps a malformed trigger where a person finds it, with the reason no watch was started. */
export type MalformedTriggerKeeper = (event: unknown, reason: string) => Promise<void>;

/** What the starter did with one event. */
export type StartOutcome =
  | {
      readonly outcome: 'started';
      readonly taskId: string;
      readonly executionName: string;
      readonly executionArn?: string;
    }
  | { readonly outcome: 'already-watching'; readonly taskId: string; readonly executionName: string }
  /** An earlier watch announced the task's terminal status; a watch request with `rewatch: true` asks again. */
  | { readonly outcome: 'already-announced'; readonly taskId: string; readonly executionName: string }
  /** An execution failed before its terminal event; the execution that reports it was started. */
  | { readonly outcome: 'failure-reported'; readonly failedExecution: string; readonly executionName: string }
  | { readonly outcome: 'ignored'; readonly reason: string }
  /** The event claimed a task but named none readable; it was kept in the dead-letter queue. */
  | { readonly outcome: 'malformed'; readonly reason: string };

/** What the start handler needs from the outside world. */
export interface StartHandlerDependencies {
  readonly startExecution: ExecutionStarter;
  /** Describes an execution of the poller's state machine by name, to see where a task's watches stand. */
  readonly describeExecution: ExecutionDescriber;
  /** Reads the latest events of a failed execution's history. */
  readonly readHistory: HistoryReader;
  readonly logger: Logger;
  /**
   * Publishes the metrics of one trigger's outcome.
   * @default - no metrics
   */
  readonly publishMetrics?: (data: readonly MetricDatum[]) => void;
  /**
   * Keeps a malformed trigger, once, so that the invocation can succeed.
   * @default - the trigger is thrown as a `MalformedTriggerError`, for Lambda's retries and dead-letter queue to keep
   */
  readonly keepMalformedTrigger?: MalformedTriggerKeeper;
}

/** Thrown for a trigger that claims a task but names none readable, when it is not kept otherwise. */
export class MalformedTriggerError extends Error {
  override readonly name = 'MalformedTriggerError';
}

const ALREADY_EXISTS = new Set(['ExecutionAlreadyExists', 'ExecutionAlreadyExistsException']);

/** Watches of one task tried before the task is taken as watched; far more than any task needs. */
const MAX_WATCHES = 1_000;

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

function isExecutionStatusChange(event: unknown): event is { detail?: unknown } {
  if (typeof event !== 'object' || event === null) return false;
  const { source, 'detail-type': detailType } = event as Record<string, unknown>;
  return source === 'aws.states' && detailType === EXECUTION_STATUS_CHANGE_DETAIL_TYPE;
}

/** The event's id and detail-type, for log lines; nothing for an event that is not an object. */
function eventKeys(event: unknown): { eventId?: unknown; detailType?: unknown } {
  if (typeof event !== 'object' || event === null) return {};
  const { id, 'detail-type': detailType } = event as Record<string, unknown>;
  return { eventId: id, detailType };
}

/**
 * Builds the start handler: it turns a trigger event into one execution named after the task,
 * so a task announced twice is watched once. Every trigger that starts nothing is counted by
 * reason; a malformed one is also kept for a person. Failures to start are thrown, for Lambda's
 * retries and dead-letter queue to keep.
 */
export function createStartHandler(deps: StartHandlerDependencies): (event: unknown) => Promise<StartOutcome> {
  const publishMetrics = deps.publishMetrics ?? (() => undefined);
  const done = (outcome: StartOutcome): StartOutcome => {
    publishMetrics(metricsForStartOutcome(outcome));
    return outcome;
  };

  const keepMalformed = async (event: unknown, reason: string): Promise<StartOutcome> => {
    deps.logger.error('Malformed trigger; no watch started', { reason, ...eventKeys(event) });
    // Counted here, once per invocation: when the keeper works, that is once per trigger.
    const outcome = done({ outcome: 'malformed', reason });
    if (deps.keepMalformedTrigger === undefined) throw new MalformedTriggerError(reason);
    try {
      await deps.keepMalformedTrigger(event, reason);
    } catch (error) {
      deps.logger.error('Could not keep the malformed trigger', { error: error as Error, ...eventKeys(event) });
      throw new MalformedTriggerError(`${reason}; keeping the trigger failed: ${String(error)}`, { cause: error });
    }
    return outcome;
  };

  /**
   * Starts the task's next watch, unless one runs or the last announced its terminal status:
   * watch n's first execution is named after the task and n, so that of two triggers racing for
   * the same watch, Step Functions lets one start it.
   */
  const startWatch = async (
    request: Extract<WatchRequest, { kind: 'watch' }>,
    eventId: unknown,
  ): Promise<StartOutcome> => {
    const logger = deps.logger.createChild({ persistentKeys: { taskId: request.taskId } });
    const { taskId, trigger } = request;
    const input = JSON.stringify({
      taskId,
      ...(request.graphId === null ? {} : { graphId: request.graphId }),
      trigger,
    });
    for (let watch = 1; watch <= MAX_WATCHES; watch++) {
      const executionName = watchExecutionName(taskId, watch);
      try {
        const { executionArn } = await deps.startExecution(executionName, input);
        logger.info('Watch started', { executionName, executionArn, trigger, taskIdPath: request.taskIdPath, eventId });
        return done({ outcome: 'started', taskId, executionName, ...(executionArn ? { executionArn } : {}) });
      } catch (error) {
        const name = errorName(error);
        if (name === undefined || !ALREADY_EXISTS.has(name)) {
          logger.error('Could not start the watch', { executionName, error: error as Error, eventId });
          throw error;
        }
      }
      const standing = await standingOfWatch(executionName, deps.describeExecution);
      if (standing.kind === 'running') {
        logger.info('Task already watched; nothing started', { ...standing, trigger, eventId });
        return done({ outcome: 'already-watching', taskId, executionName: standing.executionName });
      }
      if (standing.kind === 'announced' && !request.rewatch) {
        logger.info('Task already announced; nothing started', { ...standing, trigger, eventId });
        return done({ outcome: 'already-announced', taskId, executionName: standing.executionName });
      }
    }
    throw new Error(`${taskId} has been watched ${MAX_WATCHES} times; no further watch is started`);
  };

  /** Starts the backstop execution for an execution that ended without its terminal event, once. */
  const reportFailure = async (detail: unknown): Promise<StartOutcome> => {
    const failed = failedExecutionFromDetail(detail);
    if (failed === undefined) {
      return done({ outcome: 'ignored', reason: 'The execution status change is not a failure' });
    }
    const response = respondToFailure(failed, await deps.readHistory(failed.executionArn));
    if (response.kind === 'nothing') {
      deps.logger.info('Failed execution needs no report', { reason: response.reason });
      return done({ outcome: 'ignored', reason: response.reason });
    }
    const reported = { failedExecution: failed.executionName, executionName: response.executionName };
    try {
      await deps.startExecution(response.executionName, response.input);
    } catch (error) {
      const name = errorName(error);
      if (name === undefined || !ALREADY_EXISTS.has(name)) throw error;
      deps.logger.info('Failure already reported', reported);
      return done({ outcome: 'ignored', reason: `The failure of ${failed.executionName} was already reported` });
    }
    deps.logger.error('Execution ended without its terminal event; reporting it', {
      ...reported,
      status: failed.status,
      error: failed.error,
    });
    return done({ outcome: 'failure-reported', ...reported });
  };

  return async (event) => {
    if (isExecutionStatusChange(event)) return reportFailure(event.detail);
    const request = watchRequestFromEvent(event);
    if (request.kind === 'malformed') return keepMalformed(event, request.reason);
    if (request.kind === 'ignored') {
      deps.logger.warn('No watch started', { reason: request.reason, ...eventKeys(event) });
      return done({ outcome: 'ignored', reason: request.reason });
    }
    return startWatch(request, eventKeys(event).eventId);
  };
}
