import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricDatum } from '../shared/metric-datum';
import { EXECUTION_STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { failedExecutionFromDetail, respondToFailure, type HistoryReader } from './execution-failure';
import { metricsForStartOutcome } from './start-metrics';
import {
  isExecutionAlreadyExists,
  startWatchOfTask,
  type ExecutionStarter,
  type WatchStartOutcome,
} from '../shared/start-watch';
import type { ExecutionDescriber } from '../shared/watch-lineage';
import { watchRequestFromEvent, type WatchRequest } from './watch-request-from-event';

export type { ExecutionStarter } from '../shared/start-watch';

/** Asks the sweep function, without waiting for it, to sweep the tasks of one graph. */
export type SweepRequester = (graphId: string) => Promise<void>;

/** Keeps a malformed trigger where a person finds it, with the reason no watch was started. */
export type MalformedTriggerKeeper = (event: unknown, reason: string) => Promise<void>;

/** What the starter did with one event. */
export type StartOutcome =
  | WatchStartOutcome
  /** An execution failed before its terminal event; the execution that reports it was started. */
  | { readonly outcome: 'failure-reported'; readonly failedExecution: string; readonly executionName: string }
  | { readonly outcome: 'ignored'; readonly reason: string }
  /** The event claimed a task but named none readable; it was kept in the dead-letter queue. */
  | { readonly outcome: 'malformed'; readonly reason: string }
  /** A successful call's record named its graph but no task: a sweep of the graph was asked for. */
  | { readonly outcome: 'sweep-requested'; readonly graphId: string; readonly reason: string };

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
  /**
   * Asks for a sweep of the graph a CloudTrail record names when the record holds no task id.
   * @default - no sweep: such a record is malformed, like any other that names no task
   */
  readonly requestSweep?: SweepRequester;
}

/** Thrown for a trigger that claims a task but names none readable, when it is not kept otherwise. */
export class MalformedTriggerError extends Error {
  override readonly name = 'MalformedTriggerError';
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
 * reason; a malformed one is also kept for a person, and a CloudTrail record that names its graph
 * but no task asks for a sweep of the graph when `requestSweep` is given. Failures to start or to
 * ask are thrown, for Lambda's retries and dead-letter queue to keep.
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
      if (!isExecutionAlreadyExists(error)) throw error;
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

  /**
   * Asks for a sweep of the graph a record named without its task, which starts the watch when it
   * lists the task. A failure to ask is thrown, for Lambda's retries and dead-letter queue.
   */
  const requestSweep = async (
    request: Extract<WatchRequest, { kind: 'sweep-graph' }>,
    event: unknown,
  ): Promise<StartOutcome> => {
    if (deps.requestSweep === undefined) return keepMalformed(event, request.reason);
    const { graphId, reason } = request;
    try {
      await deps.requestSweep(graphId);
    } catch (error) {
      deps.logger.error('Could not ask for a sweep', { graphId, error: error as Error, ...eventKeys(event) });
      throw error;
    }
    deps.logger.warn('No task id in the record; a sweep of its graph was asked for', {
      graphId,
      reason,
      ...eventKeys(event),
    });
    return done({ outcome: 'sweep-requested', graphId, reason });
  };

  return async (event) => {
    if (isExecutionStatusChange(event)) return reportFailure(event.detail);
    const request = watchRequestFromEvent(event, { sweepGraphWithoutTaskId: deps.requestSweep !== undefined });
    if (request.kind === 'malformed') return keepMalformed(event, request.reason);
    if (request.kind === 'sweep-graph') return requestSweep(request, event);
    if (request.kind === 'ignored') {
      deps.logger.warn('No watch started', { reason: request.reason, ...eventKeys(event) });
      return done({ outcome: 'ignored', reason: request.reason });
    }
    return done(await startWatchOfTask(request, deps, eventKeys(event).eventId));
  };
}
