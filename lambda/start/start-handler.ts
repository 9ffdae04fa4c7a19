import type { Logger } from '@aws-lambda-powertools/logger';
import { executionNameFor } from '../../lib/identifiers';
import { watchRequestFromEvent, type TriggerEvent } from './watch-request-from-event';

/** Starts an execution of the poller's state machine; resolves with its ARN. */
export type ExecutionStarter = (name: string, input: string) => Promise<{ executionArn?: string }>;

/** What the starter did with one event. */
export type StartOutcome =
  | {
      readonly outcome: 'started';
      readonly taskId: string;
      readonly executionName: string;
      readonly executionArn?: string;
    }
  | { readonly outcome: 'already-watching'; readonly taskId: string; readonly executionName: string }
  | { readonly outcome: 'ignored'; readonly reason: string };

/** What the start handler needs from the outside world. */
export interface StartHandlerDependencies {
  readonly startExecution: ExecutionStarter;
  readonly logger: Logger;
}

const ALREADY_EXISTS = new Set(['ExecutionAlreadyExists', 'ExecutionAlreadyExistsException']);

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

/**
 * Builds the start handler: it turns a trigger event into one execution named after the task,
 * so a task announced twice is watched once. Failures to start are thrown, for EventBridge's
 * and Lambda's retries and dead-letter queue to keep.
 */
export function createStartHandler(deps: StartHandlerDependencies): (event: TriggerEvent) => Promise<StartOutcome> {
  return async (event) => {
    const request = watchRequestFromEvent(event);
    if (request.kind === 'ignored') {
      deps.logger.warn('No watch started', {
        reason: request.reason,
        eventId: event.id,
        detailType: event['detail-type'],
      });
      return { outcome: 'ignored', reason: request.reason };
    }
    const logger = deps.logger.createChild({ persistentKeys: { taskId: request.taskId } });
    const executionName = executionNameFor(request.taskId, 0);
    const input = JSON.stringify({
      taskId: request.taskId,
      ...(request.graphId === null ? {} : { graphId: request.graphId }),
      trigger: request.trigger,
    });
    try {
      const { executionArn } = await deps.startExecution(executionName, input);
      logger.info('Watch started', { executionName, executionArn, trigger: request.trigger, eventId: event.id });
      return { outcome: 'started', taskId: request.taskId, executionName, ...(executionArn ? { executionArn } : {}) };
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && ALREADY_EXISTS.has(name)) {
        logger.info('Task already watched; nothing started', {
          executionName,
          trigger: request.trigger,
          eventId: event.id,
        });
        return { outcome: 'already-watching', taskId: request.taskId, executionName };
      }
      logger.error('Could not start the watch', { executionName, error: error as Error, eventId: event.id });
      throw error;
    }
  };
}
