import type { Logger } from '@aws-lambda-powertools/logger';
import { executionNameFor } from '../../lib/identifiers';
import type { MetricDatum } from '../poll/poll-metrics';
import { metricsForStartOutcome } from './start-metrics';
import { watchRequestFromEvent } from './watch-request-from-event';

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
  | { readonly outcome: 'ignored'; readonly reason: string }
  /** The event claimed a task but named none readable; it was kept in the dead-letter queue. */
  | { readonly outcome: 'malformed'; readonly reason: string };

/** What the start handler needs from the outside world. */
export interface StartHandlerDependencies {
  readonly startExecution: ExecutionStarter;
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

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
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

  return async (event) => {
    const request = watchRequestFromEvent(event);
    if (request.kind === 'malformed') return keepMalformed(event, request.reason);
    if (request.kind === 'ignored') {
      deps.logger.warn('No watch started', { reason: request.reason, ...eventKeys(event) });
      return done({ outcome: 'ignored', reason: request.reason });
    }
    const { eventId } = eventKeys(event);
    const logger = deps.logger.createChild({ persistentKeys: { taskId: request.taskId } });
    const executionName = executionNameFor(request.taskId, 0);
    const input = JSON.stringify({
      taskId: request.taskId,
      ...(request.graphId === null ? {} : { graphId: request.graphId }),
      trigger: request.trigger,
    });
    try {
      const { executionArn } = await deps.startExecution(executionName, input);
      logger.info('Watch started', {
        executionName,
        executionArn,
        trigger: request.trigger,
        taskIdPath: request.taskIdPath,
        eventId,
      });
      return done({
        outcome: 'started',
        taskId: request.taskId,
        executionName,
        ...(executionArn ? { executionArn } : {}),
      });
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && ALREADY_EXISTS.has(name)) {
        logger.info('Task already watched; nothing started', { executionName, trigger: request.trigger, eventId });
        return done({ outcome: 'already-watching', taskId: request.taskId, executionName });
      }
      logger.error('Could not start the watch', { executionName, error: error as Error, eventId });
      throw error;
    }
  };
}
