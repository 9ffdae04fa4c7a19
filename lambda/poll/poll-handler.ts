import type { Logger } from '@aws-lambda-powertools/logger';
import { POLL_ACTIONS } from '../../lib/poll-contract';
import { summarizeError } from '../shared/error-summary';
import { isRecord } from '../shared/records';
import type { MetricDatum } from '../shared/metric-datum';
import { classifyPollError, isThrottled } from './classify-error';
import type { PollDecision, PollFailureReport, PollRequest, PollerConfig } from './contract';
import {
  afterAnswer,
  afterError,
  describePollFailure,
  endSeenLateBy,
  handOverDecision,
  parkForSweep,
  planPoll,
  startFrom,
  sweepLooksFirst,
  withRetriedAttempts,
} from './decide';
import type { ImportTaskFetcher } from './fetch-import-task';
import { boundFieldPaths } from './fit-event-detail';
import { toImportTaskSnapshot, type ReadImportTask } from './import-task-snapshot';
import { metricsForPollStep, type PollStepRecord } from './poll-metrics';

/** The poll function's state machine payload was not built by this construct. */
export class InvalidPollerConfigError extends Error {
  override readonly name = 'InvalidPollerConfigError';
}

/** What the poll handler needs from the outside world. */
export interface PollHandlerDependencies {
  readonly fetchImportTask: ImportTaskFetcher;
  /** Epoch milliseconds now. */
  readonly now: () => number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  readonly logger: Logger;
  /** Publishes one step's metrics. */
  readonly publishMetrics: (data: readonly MetricDatum[]) => void;
  /**
   * The poller's name (`POWERTOOLS_SERVICE_NAME`), which the watch request of a hand-over names, so
   * that only this poller takes it.
   * @default - the request names no poller
   */
  readonly pollerName?: string;
}

/** The poll function: one `GetImportTask` call and the decision that follows. */
export type PollHandler = (event: PollRequest | PollFailureReport) => Promise<PollDecision>;

function assertConfig(config: unknown): asserts config is PollerConfig {
  const c = config as Partial<PollerConfig> | undefined;
  const ok =
    typeof c === 'object' &&
    c !== null &&
    typeof c.timeoutSeconds === 'number' &&
    typeof c.historyEventBudget === 'number' &&
    typeof c.emitStatusChanges === 'boolean' &&
    typeof c.polling === 'object' &&
    c.polling !== null &&
    typeof c.errorRetry === 'object' &&
    c.errorRetry !== null &&
    typeof c.contractVersion === 'number' &&
    typeof c.executionTimeoutSeconds === 'number' &&
    typeof c.notFoundGraceSeconds === 'number';
  if (!ok) {
    throw new InvalidPollerConfigError(
      `The payload's config is missing or incomplete (got ${JSON.stringify(config)?.slice(0, 300) ?? 'nothing'}); ` +
        'the state machine must be the one NeptuneImportTaskPoller deploys',
    );
  }
}

function logDecision(logger: Logger, decision: PollDecision): void {
  switch (decision.action) {
    case POLL_ACTIONS.wait:
      logger.info('Waiting before the next poll', {
        waitSeconds: decision.waitSeconds,
        lastStatus: decision.watch.lastStatus,
        pollCount: decision.watch.pollCount,
        consecutiveErrors: decision.watch.consecutiveErrors,
        publishes: decision.event?.detailType,
      });
      return;
    case POLL_ACTIONS.finish:
      logger.info('Watch finished', { detailType: decision.event.detailType, detail: decision.event.detail });
      return;
    case POLL_ACTIONS.continue:
      logger.info('Continuing the watch in a new execution', {
        executionName: decision.executionName,
        pollCount: decision.input.watch.pollCount,
      });
      return;
  }
}

/** One `GetImportTask` call: the answer read into a snapshot, or what went wrong, a malformed answer included. */
type PollOutcome =
  { readonly kind: 'answered'; readonly read: ReadImportTask } | { readonly kind: 'failed'; readonly error: unknown };

/**
 * Sends one `GetImportTask` request and reads its answer. Only the request and the reading are
 * failed polls: what is decided afterwards never counts toward the failed-poll limit.
 */
async function pollImportTask(fetchImportTask: ImportTaskFetcher, taskId: string): Promise<PollOutcome> {
  try {
    return { kind: 'answered', read: toImportTaskSnapshot(await fetchImportTask(taskId), taskId) };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** Builds the poll handler around its dependencies. */
export function createPollHandler(deps: PollHandlerDependencies): PollHandler {
  const finish = (step: PollStepRecord): PollDecision => {
    deps.publishMetrics(metricsForPollStep(step));
    return step.decision;
  };
  return async (event) => {
    assertConfig(event?.config);
    const { config } = event;
    if ('failed' in event) {
      const decision = describePollFailure(event.failed, deps.now());
      deps.logger.error('The poll step failed beyond its retries', {
        detail: decision.action === POLL_ACTIONS.finish ? decision.event.detail : undefined,
      });
      return finish({ polled: false, decision, now: deps.now() });
    }

    const start = startFrom(event.input, config, deps.now(), event.executionName);
    if (start.kind === 'refused') {
      deps.logger.warn('Watch request refused', { decision: start.decision });
      return finish({ polled: false, decision: start.decision, now: deps.now() });
    }
    if (start.kind === 'hand-over') {
      const decision = handOverDecision(start.taskId, start.graphId, deps.pollerName);
      deps.logger.info('Started under a name of its own: the task is handed to the start function, as triggers are', {
        taskId: start.taskId,
      });
      return decision;
    }
    if (start.kind === 'report') {
      deps.logger.error('An execution ended without its terminal event; reporting it', { decision: start.decision });
      return finish({ polled: false, decision: start.decision, now: deps.now() });
    }
    const logger = deps.logger.createChild({ persistentKeys: { taskId: start.watch.taskId } });
    const started = withRetriedAttempts(start.watch, event.retryCount);
    const executionStartedAt = Date.parse(event.executionStartTime);
    const plan = planPoll(started, config, {
      now: deps.now(),
      ...(Number.isFinite(executionStartedAt) ? { executionStartedAt } : {}),
    });
    if (plan.kind === 'decided') {
      logDecision(logger, plan.decision);
      return finish({ before: started, polled: false, decision: plan.decision, now: deps.now() });
    }

    const before = plan.watch;
    // A watch begins with the step that reads its execution's own input rather than a decision.
    const begins = !(isRecord(event.input) && 'watch' in event.input);
    if (begins && sweepLooksFirst(event.input, config)) {
      const decision = parkForSweep(before, config, deps.now(), deps.random);
      logger.info('Parked for the sweep, which takes the first look at a task just started', {
        waitSeconds: decision.action === POLL_ACTIONS.wait ? decision.waitSeconds : undefined,
      });
      return finish({ before, begins, polled: false, decision, now: deps.now() });
    }
    const watch = { ...before, pollCount: before.pollCount + 1 };
    const outcome = await pollImportTask(deps.fetchImportTask, watch.taskId);
    const now = deps.now();
    let step: PollStepRecord;
    if (outcome.kind === 'answered') {
      const { task, adjusted, truncated } = outcome.read;
      if (adjusted.length > 0)
        logger.warn('GetImportTask answered fields of the wrong type; converted or dropped', { adjusted });
      if (truncated.length > 0)
        logger.warn('GetImportTask answered members too deep, long or many to carry; dropped or cut', {
          truncated: boundFieldPaths(truncated),
        });
      logger.info('GetImportTask answered', {
        status: task.status,
        progressPercentage: task.importTaskDetails?.progressPercentage,
        attemptNumber: task.attemptNumber,
        pollCount: watch.pollCount,
      });
      const decision = afterAnswer(watch, task, config, now, deps.random, truncated);
      const lateBy = endSeenLateBy(watch, task, config, now);
      if (lateBy !== undefined)
        logger.warn('The end was seen later than the sweep shows one: the sweep missed it, or polls kept failing', {
          status: task.status,
          secondsLate: lateBy,
        });
      step = {
        before,
        begins,
        polled: true,
        task,
        decision,
        now,
        ...(lateBy === undefined ? {} : { endSeenLateBy: lateBy }),
      };
    } else {
      const { error } = outcome;
      const summary = summarizeError(error);
      const errorClass = classifyPollError(error);
      logger.warn('GetImportTask failed', {
        error: summary,
        reasonIfItPersists: errorClass.reason,
        pollCount: watch.pollCount,
      });
      step = {
        before,
        begins,
        polled: true,
        error: { summary, errorClass, throttled: isThrottled(error) },
        decision: afterError(watch, summary, errorClass, config, now, deps.random),
        now,
      };
    }
    logDecision(logger, step.decision);
    return finish(step);
  };
}
