/**
 * The poller's decisions, as pure functions of what it knows, what it saw and the time.
 * The poll function supplies the I/O; tests and the benchmark call these directly.
 */
import {
  MONITORING_FAILED_DETAIL_TYPE,
  STATUS_CHANGE_DETAIL_TYPE,
  TERMINAL_IMPORT_STATUSES,
  type ImportTaskMonitoringFailedDetail,
  type ImportTaskSnapshot,
  type ImportTaskStatusChangeDetail,
  type MonitoringFailureReason,
} from '../../lib/events';
import { describeInvalidTaskId, executionNameFor, isGraphId, isTaskId } from '../../lib/identifiers';
import type { ErrorSummary, PollErrorClass } from './classify-error';
import type { ErrorRetryConfig, EventToPublish, PollDecision, PollerConfig, WatchState } from './contract';
import { fitEventDetail } from './fit-event-detail';
import { HISTORY_EVENTS_PER_STATE, mustContinueAsNew, pollCycleEvents } from './history-accounting';
import { finiteNumber } from './import-task-snapshot';
import { nextPollWait } from './strategies';

/** Where a poll step starts from: a watch to continue, or a request refused outright. */
export type WatchStart =
  | { readonly kind: 'watch'; readonly watch: WatchState }
  | { readonly kind: 'refused'; readonly decision: PollDecision };

/** What the poll step should do before it sends a request. */
export type PollPlan =
  { readonly kind: 'poll'; readonly watch: WatchState } | { readonly kind: 'decided'; readonly decision: PollDecision };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** Whether `status` ends an import task. Statuses this code does not know are not terminal. */
export function isTerminalStatus(status: string): boolean {
  return TERMINAL_IMPORT_STATUSES.includes(status);
}

function isWatchState(value: unknown): value is WatchState {
  if (!isRecord(value)) return false;
  const numbers = ['watchStartedAt', 'deadline', 'pollCount', 'consecutiveErrors', 'generation', 'historyEvents'];
  return (
    isTaskId(value.taskId) &&
    (value.graphId === null || typeof value.graphId === 'string') &&
    (value.lastStatus === null || typeof value.lastStatus === 'string') &&
    numbers.every((field) => typeof value[field] === 'number' && Number.isFinite(value[field])) &&
    isRecord(value.strategyMemory)
  );
}

/** What a Monitoring Failed event says about the task; a watch state is one. */
interface FailureSubject {
  readonly taskId: string | null;
  readonly graphId: string | null;
  readonly pollCount: number;
  readonly watchStartedAt: number;
  readonly lastStatus: string | null;
}

/** The subject of a failure that happened before any watch began. */
function unwatched(taskId: string | null, graphId: string | null, now: number): FailureSubject {
  return { taskId, graphId, pollCount: 0, watchStartedAt: now, lastStatus: null };
}

function monitoringFailed(
  watch: FailureSubject,
  reason: MonitoringFailureReason,
  message: string,
  now: number,
  error: ErrorSummary | null,
): PollDecision {
  const detail: ImportTaskMonitoringFailedDetail = {
    taskId: watch.taskId,
    graphId: watch.graphId,
    terminal: true,
    reason,
    message,
    lastStatus: watch.lastStatus,
    pollCount: watch.pollCount,
    watchStartedAt: iso(watch.watchStartedAt),
    observedAt: iso(now),
    error: error === null ? null : { name: error.name, message: error.message },
  };
  return { action: 'FINISH', event: { detailType: MONITORING_FAILED_DETAIL_TYPE, detail: { ...detail } } };
}

/**
 * Reads the state's input: the previous decision or a continued execution's input carry a
 * watch; anything else is a request to start one, which must name a well-formed task id.
 */
export function startFrom(input: unknown, config: PollerConfig, now: number): WatchStart {
  if (isRecord(input) && 'watch' in input) {
    if (isWatchState(input.watch)) return { kind: 'watch', watch: input.watch };
    return {
      kind: 'refused',
      decision: monitoringFailed(
        unwatched(null, null, now),
        'INVALID_REQUEST',
        'The input carries a watch state that is not valid',
        now,
        null,
      ),
    };
  }
  const taskId = isRecord(input) ? input.taskId : undefined;
  const graphId = isRecord(input) ? input.graphId : undefined;
  const shownTaskId = typeof taskId === 'string' ? taskId.slice(0, 100) : null;
  if (!isTaskId(taskId)) {
    const message = isRecord(input)
      ? `Refused before any request was sent: ${describeInvalidTaskId(taskId)}`
      : `Refused before any request was sent: the input must be an object like {"taskId":"t-0123456789"}; got ${JSON.stringify(input)?.slice(0, 100) ?? 'nothing'}`;
    return {
      kind: 'refused',
      decision: monitoringFailed(unwatched(shownTaskId, null, now), 'INVALID_REQUEST', message, now, null),
    };
  }
  if (graphId !== undefined && graphId !== null && !isGraphId(graphId)) {
    const message = `Refused before any request was sent: graphId must match g- and ten lower-case letters or digits; got ${JSON.stringify(graphId).slice(0, 100)}`;
    return {
      kind: 'refused',
      decision: monitoringFailed(unwatched(taskId, null, now), 'INVALID_REQUEST', message, now, null),
    };
  }
  return {
    kind: 'watch',
    watch: {
      taskId,
      graphId: typeof graphId === 'string' ? graphId : null,
      watchStartedAt: now,
      deadline: now + config.timeoutSeconds * 1000,
      pollCount: 0,
      consecutiveErrors: 0,
      lastStatus: null,
      generation: 0,
      historyEvents: HISTORY_EVENTS_PER_STATE.executionStart,
      strategyMemory: {},
    },
  };
}

/** Hands the watch to a new execution when this one's history could not hold another cycle. */
export function planPoll(watch: WatchState, config: PollerConfig): PollPlan {
  if (!mustContinueAsNew(watch.historyEvents, config.historyEventBudget)) return { kind: 'poll', watch };
  const generation = watch.generation + 1;
  return {
    kind: 'decided',
    decision: {
      action: 'CONTINUE',
      executionName: executionNameFor(watch.taskId, generation),
      input: { watch: { ...watch, generation, historyEvents: HISTORY_EVENTS_PER_STATE.executionStart } },
    },
  };
}

/** Whole seconds left before the deadline; below one, the deadline has come (a Wait state waits whole seconds). */
function secondsLeft(watch: WatchState, now: number): number {
  return Math.floor((watch.deadline - now) / 1000);
}

function clampToDeadline(waitSeconds: number, watch: WatchState, now: number): number {
  return Math.max(1, Math.min(waitSeconds, secondsLeft(watch, now)));
}

function waitDecision(watch: WatchState, waitSeconds: number, event: EventToPublish | undefined): PollDecision {
  const historyEvents = watch.historyEvents + pollCycleEvents(event !== undefined);
  return { action: 'WAIT', waitSeconds, watch: { ...watch, historyEvents }, ...(event === undefined ? {} : { event }) };
}

/** The start of a TIMED_OUT message: how long the watch ran, and how many polls it sent. */
function gaveUpAfter(watch: WatchState, now: number): string {
  return `Gave up after ${Math.round((now - watch.watchStartedAt) / 1000)} s and ${watch.pollCount} polls`;
}

function statusChangeEvent(
  watch: WatchState,
  task: ImportTaskSnapshot,
  terminal: boolean,
  now: number,
): EventToPublish {
  const details = task.importTaskDetails;
  const detail: ImportTaskStatusChangeDetail = {
    taskId: watch.taskId,
    graphId: typeof task.graphId === 'string' ? task.graphId : watch.graphId,
    status: task.status,
    previousStatus: watch.lastStatus,
    terminal,
    statusReason: typeof task.statusReason === 'string' ? task.statusReason : null,
    attemptNumber: finiteNumber(task.attemptNumber) ?? null,
    progressPercentage: finiteNumber(details?.progressPercentage) ?? null,
    pollCount: watch.pollCount,
    watchStartedAt: iso(watch.watchStartedAt),
    observedAt: iso(now),
    importTask: task,
    truncatedFields: [],
  };
  const fitted = fitEventDetail(detail);
  return {
    detailType: STATUS_CHANGE_DETAIL_TYPE,
    detail: { ...fitted.detail, truncatedFields: fitted.truncatedFields },
  };
}

/** Decides after `GetImportTask` answered: finish on a terminal status or at the deadline, else wait. */
export function afterAnswer(
  polled: WatchState,
  task: ImportTaskSnapshot,
  config: PollerConfig,
  now: number,
  random: () => number,
): PollDecision {
  const watch: WatchState = {
    ...polled,
    graphId: typeof task.graphId === 'string' ? task.graphId : polled.graphId,
    consecutiveErrors: 0,
  };
  const changed = task.status !== polled.lastStatus;
  if (isTerminalStatus(task.status)) {
    return { action: 'FINISH', event: statusChangeEvent(watch, task, true, now) };
  }
  const seen: WatchState = { ...watch, lastStatus: task.status };
  if (secondsLeft(watch, now) < 1) {
    const message = `${gaveUpAfter(watch, now)}: the task was still ${task.status}`;
    return monitoringFailed(seen, 'TIMED_OUT', message, now, null);
  }
  const details = task.importTaskDetails;
  const answer = nextPollWait(config.polling, {
    observation: {
      at: now,
      status: task.status,
      progressPercentage: finiteNumber(details?.progressPercentage),
      timeElapsedSeconds: finiteNumber(details?.timeElapsedSeconds),
      attemptNumber: finiteNumber(task.attemptNumber),
    },
    pollCount: watch.pollCount,
    memory: watch.strategyMemory,
    random,
  });
  const event = changed && config.emitStatusChanges ? statusChangeEvent(watch, task, false, now) : undefined;
  const next: WatchState = { ...seen, strategyMemory: answer.memory };
  return waitDecision(next, clampToDeadline(answer.waitSeconds, next, now), event);
}

/** Upper bound of the wait before retry number `failures`, before jitter. */
export function retryIntervalCap(retry: ErrorRetryConfig, failures: number): number {
  return Math.min(retry.maxIntervalSeconds, retry.initialIntervalSeconds * Math.pow(retry.backoffRate, failures - 1));
}

/** Decides after `GetImportTask` failed: give up for good reasons, else retry with full jitter. */
export function afterError(
  polled: WatchState,
  error: ErrorSummary,
  errorClass: PollErrorClass,
  config: PollerConfig,
  now: number,
  random: () => number,
): PollDecision {
  const described = `${error.name}${error.httpStatusCode === undefined ? '' : ` (HTTP ${error.httpStatusCode})`}: ${error.message}`;
  if (!errorClass.retryable) {
    return monitoringFailed(polled, errorClass.reason, `GetImportTask failed with ${described}`, now, error);
  }
  const failures = polled.consecutiveErrors + 1;
  const watch: WatchState = { ...polled, consecutiveErrors: failures };
  if (failures >= config.errorRetry.maxAttempts) {
    const message = `GetImportTask failed ${failures} times in a row; the last failure was ${described}`;
    return monitoringFailed(watch, 'POLLING_ERROR', message, now, error);
  }
  if (secondsLeft(watch, now) < 1) {
    const message = `${gaveUpAfter(watch, now)}; the last poll failed with ${described}`;
    return monitoringFailed(watch, 'TIMED_OUT', message, now, error);
  }
  const cap = retryIntervalCap(config.errorRetry, failures);
  const jittered = Math.max(1, Math.round(random() * cap));
  return waitDecision(watch, clampToDeadline(jittered, watch, now), undefined);
}

/** Reads `{errorType, errorMessage}` out of a Lambda failure's `Cause`, which is JSON when it came from a function. */
function parseCause(error: unknown, cause: unknown): ErrorSummary {
  const name = typeof error === 'string' ? error : 'UnknownError';
  if (typeof cause !== 'string') return { name, message: '' };
  try {
    const parsed: unknown = JSON.parse(cause);
    if (isRecord(parsed)) {
      return {
        name: typeof parsed.errorType === 'string' ? parsed.errorType : name,
        message: typeof parsed.errorMessage === 'string' ? parsed.errorMessage.slice(0, 1000) : cause.slice(0, 1000),
      };
    }
  } catch {
    // A Cause that is not JSON is a message already.
  }
  return { name, message: cause.slice(0, 1000) };
}

/**
 * Describes a poll step that failed beyond its retries (the function itself could not run,
 * or threw). `failed` is the poll step's input with the caught error under `pollFailure`.
 */
export function describePollFailure(failed: unknown, now: number): PollDecision {
  const record = isRecord(failed) ? failed : {};
  const failure = isRecord(record.pollFailure) ? record.pollFailure : {};
  const error = parseCause(failure.Error, failure.Cause);
  const message = `The poll step failed beyond its retries with ${error.name}: ${error.message}`;
  if (isWatchState(record.watch)) return monitoringFailed(record.watch, 'POLLING_ERROR', message, now, error);
  const taskId = typeof record.taskId === 'string' ? record.taskId.slice(0, 100) : null;
  const graphId = isGraphId(record.graphId) ? record.graphId : null;
  return monitoringFailed(unwatched(taskId, graphId, now), 'POLLING_ERROR', message, now, error);
}
