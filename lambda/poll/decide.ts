/**
 * The poller's decisions, as pure functions of what it knows, what it saw and the time.
 * The poll function supplies the I/O; tests and the benchmark call these directly.
 */
import {
  MONITORING_FAILED_DETAIL_TYPE,
  STATUS_CHANGE_DETAIL_TYPE,
  isTerminalImportStatus,
  type ImportTaskMonitoringFailedDetail,
  type ImportTaskSnapshot,
  type ImportTaskStatusChangeDetail,
  type MonitoringFailureReason,
} from '../../lib/events';
import {
  MAX_EXECUTION_NAME_LENGTH,
  continuedExecutionName,
  describeInvalidTaskId,
  isGraphId,
  isTaskId,
  isWatchExecutionName,
} from '../../lib/identifiers';
import { MAX_ERROR_MESSAGE_CHARS, MAX_ERROR_NAME_CHARS, type ErrorSummary } from '../shared/error-summary';
import { isRecord } from '../shared/records';
import type { PollErrorClass } from './classify-error';
import {
  CONTRACT_VERSION,
  OLDEST_READ_WATCH_VERSION,
  PARK_FAILED_MAX_WAIT_SECONDS,
  POLL_ACTIONS,
  POLL_FAILURE_KEY,
} from '../../lib/poll-contract';
import { lateEndSeconds, UNKNOWN_STATUS } from '../../lib/sweep-contract';
import { importTaskEndedAt } from '../shared/import-task-end';
import type { ErrorRetryConfig, EventToPublish, PollDecision, PollerConfig, WatchState } from './contract';
import {
  boundFieldPaths,
  cutToChars,
  fitEventDetail,
  MAX_DETAIL_BYTES,
  MAX_TRUNCATED_FIELDS_BYTES,
} from './fit-event-detail';
import { HISTORY_EVENTS_PER_STATE, mustContinueAsNew, pollCycleEvents } from './history-accounting';
import { finiteNumber } from './import-task-snapshot';
import { nextPollWait } from './strategies';

/** Where a poll step starts from: a watch to continue, a request refused outright, or a failed execution to report. */
export type WatchStart =
  | { readonly kind: 'watch'; readonly watch: WatchState }
  | { readonly kind: 'refused'; readonly decision: PollDecision }
  | { readonly kind: 'report'; readonly decision: PollDecision }
  /**
   * An execution started directly under a name of its own hands the task over to the start path's
   * rule, which starts (or finds) the task's watch under the name every trigger uses.
   */
  | { readonly kind: 'hand-over'; readonly taskId: string; readonly graphId: string | null };

/** What the poll step should do before it sends a request. */
export type PollPlan =
  { readonly kind: 'poll'; readonly watch: WatchState } | { readonly kind: 'decided'; readonly decision: PollDecision };

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** Whether `status` ends an import task. Statuses this code does not know are not terminal. */
export function isTerminalStatus(status: string): boolean {
  return isTerminalImportStatus(status);
}

function isWatchState(value: unknown): value is WatchState {
  if (!isRecord(value)) return false;
  const numbers = ['watchStartedAt', 'deadline', 'pollCount', 'consecutiveErrors', 'generation', 'historyEvents'];
  return (
    isTaskId(value.taskId) &&
    (value.graphId === null || typeof value.graphId === 'string') &&
    (value.lastStatus === null || typeof value.lastStatus === 'string') &&
    numbers.every((field) => typeof value[field] === 'number' && Number.isFinite(value[field])) &&
    ['notFoundPolls', 'failingSince'].every(
      (field) => value[field] === undefined || (typeof value[field] === 'number' && Number.isFinite(value[field])),
    ) &&
    (value.followsMonitoringFailure === undefined || typeof value.followsMonitoringFailure === 'boolean') &&
    (value.watchName === undefined ||
      (typeof value.watchName === 'string' && value.watchName.length <= MAX_EXECUTION_NAME_LENGTH)) &&
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
  readonly followsMonitoringFailure?: boolean;
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
    followsMonitoringFailure: watch.followsMonitoringFailure === true,
    error: error === null ? null : { name: error.name, message: error.message },
  };
  return { action: POLL_ACTIONS.finish, event: { detailType: MONITORING_FAILED_DETAIL_TYPE, detail: { ...detail } } };
}

/**
 * Reads the state's input: the previous decision or a continued execution's input carry a
 * watch; anything else is a request to start one, which must name a well-formed task id.
 */
export function startFrom(input: unknown, config: PollerConfig, now: number, executionName?: string): WatchStart {
  const mismatch = contractMismatch(input, config);
  if (mismatch !== undefined) {
    const subject = isRecord(input) && isRecord(input.watch) ? input.watch : isRecord(input) ? input : {};
    const taskId = isTaskId(subject.taskId) ? subject.taskId : null;
    return {
      kind: 'refused',
      decision: monitoringFailed(unwatched(taskId, null, now), 'INVALID_REQUEST', mismatch, now, null),
    };
  }
  if (isRecord(input) && 'backstop' in input)
    return { kind: 'report', decision: reportFailedExecution(input.backstop, now) };
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
  const followsMonitoringFailure = isRecord(input) && input.followsMonitoringFailure === true;
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
  const watch: WatchState = {
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
    contractVersion: CONTRACT_VERSION,
    ...(followsMonitoringFailure ? { followsMonitoringFailure } : {}),
    watchName: (executionName ?? taskId).slice(0, MAX_EXECUTION_NAME_LENGTH),
  };
  if (executionName === undefined || isWatchExecutionName(executionName, taskId)) return { kind: 'watch', watch };
  // Started directly under another name (or none): the task is watched under the names every trigger and the
  // sweep use, so that one task has one watch and one parked item, and a watch that failed is watched again.
  return { kind: 'hand-over', taskId, graphId: watch.graphId };
}

/**
 * What an execution started directly under a name of its own decides: to put a watch request for
 * the task (naming `pollerName`, so that only this poller takes it) and end. The start function
 * then starts the task's watch, or finds it, as it does for every trigger.
 */
export function handOverDecision(taskId: string, graphId: string | null, pollerName?: string): PollDecision {
  return {
    action: POLL_ACTIONS.handedOver,
    watchRequest: {
      taskId,
      ...(graphId === null ? {} : { graphId }),
      ...(pollerName === undefined || pollerName === '' ? {} : { poller: pollerName }),
    },
  };
}

/**
 * Why the definition's config or the carried watch state speaks a contract version this function
 * does not read, or undefined. The definition invokes the function version it was deployed with,
 * so its config speaks this function's version; a watch state continued across a deploy speaks
 * this version or the one before.
 */
function contractMismatch(input: unknown, config: PollerConfig): string | undefined {
  const fix = 'deploy the state machine and the poll function from the same release of neptune-import-poller';
  if (config.contractVersion !== CONTRACT_VERSION) {
    return `The state machine's definition speaks contract version ${JSON.stringify(config.contractVersion)}; this poll function speaks version ${CONTRACT_VERSION}: ${fix}`;
  }
  const watch = isRecord(input) && isRecord(input.watch) ? input.watch : undefined;
  if (watch === undefined) return undefined;
  const version = watch.contractVersion;
  if (version !== CONTRACT_VERSION && version !== OLDEST_READ_WATCH_VERSION) {
    return `The watch state was written under contract version ${JSON.stringify(version) ?? 'none'}; this poll function reads versions ${OLDEST_READ_WATCH_VERSION} and ${CONTRACT_VERSION}: ${fix}`;
  }
  return undefined;
}

/**
 * Adds the history events of this invocation's failed attempts (`$$.State.RetryCount`), which
 * Step Functions recorded before the function could count them.
 */
export function withRetriedAttempts(watch: WatchState, retryCount: unknown): WatchState {
  const retries = typeof retryCount === 'number' && Number.isInteger(retryCount) && retryCount > 0 ? retryCount : 0;
  return { ...watch, historyEvents: watch.historyEvents + retries * HISTORY_EVENTS_PER_STATE.retriedAttempt };
}

/** An execution hands its watch over this long before the state machine's own timeout would end it. */
export const EXECUTION_TIMEOUT_MARGIN_SECONDS = 86_400;

/** Where the running execution stands against the state machine's timeout. */
export interface ExecutionClock {
  /** Epoch milliseconds now. */
  readonly now: number;
  /** Epoch milliseconds when the execution started; unknown when its start time could not be read. */
  readonly executionStartedAt?: number;
}

function executionTooOld(config: PollerConfig, clock: ExecutionClock | undefined): boolean {
  const limit = config.executionTimeoutSeconds;
  if (clock?.executionStartedAt === undefined) return false;
  return clock.now - clock.executionStartedAt >= (limit - EXECUTION_TIMEOUT_MARGIN_SECONDS) * 1000;
}

/**
 * Hands the watch to a new execution when this one's history could not hold another cycle, or
 * when it has run within a day of the state machine's timeout.
 */
export function planPoll(watch: WatchState, config: PollerConfig, clock?: ExecutionClock): PollPlan {
  if (
    !mustContinueAsNew(watch.historyEvents, config.historyEventBudget, config.sweep !== undefined) &&
    !executionTooOld(config, clock)
  ) {
    return { kind: 'poll', watch };
  }
  const generation = watch.generation + 1;
  return {
    kind: 'decided',
    decision: {
      action: POLL_ACTIONS.continue,
      executionName: continuedExecutionName(watch.watchName, generation),
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

function waitDecision(
  watch: WatchState,
  waitSeconds: number,
  event: EventToPublish | undefined,
  config: PollerConfig,
): PollDecision {
  const parks = config.sweep !== undefined;
  const historyEvents = watch.historyEvents + pollCycleEvents(event !== undefined, parks);
  return {
    action: POLL_ACTIONS.wait,
    waitSeconds,
    watch: { ...watch, historyEvents },
    ...(event === undefined ? {} : { event }),
    ...(parks
      ? {
          park: { taskId: watch.taskId, status: watch.lastStatus ?? UNKNOWN_STATUS },
          parkFailedWaitSeconds: Math.min(waitSeconds, PARK_FAILED_MAX_WAIT_SECONDS),
        }
      : {}),
  };
}

/**
 * Whether a new watch leaves its first look at the task to the sweep: the sweep is on and wakes
 * the watch only for an end (no status-change events), the polling is the sweep's fixed backstop,
 * and the watch begins for the API call that started the task, which cannot have ended yet. Such
 * a watch parks at once, without a `GetImportTask` call: the sweep lists the task every interval
 * and wakes the watch at its end. An end the listing showed before the watch parked (a record
 * delivered late) is announced all the same: with discovery on, by the sweep's own watch of that
 * end, which the late record finds; otherwise the next sweep, looking at the parked watches while
 * an end nobody watched is listed, wakes this one. A watch asked for by a request, by the sweep,
 * or after a Monitoring Failed watch looks first itself.
 */
export function sweepLooksFirst(input: unknown, config: PollerConfig): boolean {
  return (
    config.sweep !== undefined &&
    !config.emitStatusChanges &&
    config.polling.kind === 'fixed' &&
    isRecord(input) &&
    input.trigger === 'api-call' &&
    input.followsMonitoringFailure !== true
  );
}

/**
 * The first decision of a watch whose first look is the sweep's ({@link sweepLooksFirst}): to park
 * as a watch that has seen nothing yet, for the backstop's wait, without a `GetImportTask` call.
 */
export function parkForSweep(watch: WatchState, config: PollerConfig, now: number, random: () => number): PollDecision {
  const answer = nextPollWait(config.polling, {
    observation: { at: now, status: UNKNOWN_STATUS },
    pollCount: watch.pollCount,
    memory: watch.strategyMemory,
    random,
  });
  return waitDecision(
    { ...watch, strategyMemory: answer.memory },
    clampToDeadline(answer.waitSeconds, watch, now),
    undefined,
    config,
  );
}

/**
 * Seconds after the import's end (or after the watch began, for an end before it) at which `task`,
 * an answer at `now`, shows its end, when the sweep is on and that is later than the sweep shows
 * an end ({@link lateEndSeconds}); undefined for an answer that is not an end, an end seen in
 * time, an end whose time the answer does not tell, and without the sweep, whose own polls see an
 * end midway at their next poll.
 */
export function endSeenLateBy(
  watch: WatchState,
  task: ImportTaskSnapshot,
  config: PollerConfig,
  now: number,
): number | undefined {
  if (config.sweep === undefined || !isTerminalStatus(task.status)) return undefined;
  const endedAt = importTaskEndedAt(task.importTaskDetails);
  if (endedAt === undefined) return undefined;
  const lateBy = (now - Math.max(endedAt, watch.watchStartedAt)) / 1000;
  return lateBy > lateEndSeconds(config.sweep.periodSeconds) ? Math.round(lateBy) : undefined;
}

/** The start of a TIMED_OUT message: how long the watch ran, and how many polls it sent. */
function gaveUpAfter(watch: WatchState, now: number): string {
  return `Gave up after ${Math.round((now - watch.watchStartedAt) / 1000)} s and ${watch.pollCount} polls`;
}

/** Longest `statusReason` an event carries beside the answer, which holds it whole when it fits. */
export const MAX_STATUS_REASON_CHARS = 2_000;

/** `path` within the answer as a path within a Status Change event's detail. */
const inImportTask = (path: string): string => (path === '' ? 'importTask' : `importTask.${path}`);

function statusChangeEvent(
  watch: WatchState,
  task: ImportTaskSnapshot,
  truncatedInAnswer: readonly string[],
  terminal: boolean,
  now: number,
): EventToPublish {
  const details = task.importTaskDetails;
  const reason = typeof task.statusReason === 'string' ? task.statusReason : null;
  const reasonCut = reason !== null && reason.length > MAX_STATUS_REASON_CHARS;
  const detail: ImportTaskStatusChangeDetail = {
    taskId: watch.taskId,
    graphId: watch.graphId,
    status: task.status,
    previousStatus: watch.lastStatus,
    terminal,
    statusReason: reasonCut ? cutToChars(reason, MAX_STATUS_REASON_CHARS) : reason,
    attemptNumber: finiteNumber(task.attemptNumber) ?? null,
    progressPercentage: finiteNumber(details?.progressPercentage) ?? null,
    pollCount: watch.pollCount,
    watchStartedAt: iso(watch.watchStartedAt),
    observedAt: iso(now),
    followsMonitoringFailure: watch.followsMonitoringFailure === true,
    importTask: task,
    truncatedFields: [],
  };
  // Room is kept for the list of what was cut, so that the whole detail stays within MAX_DETAIL_BYTES.
  const fitted = fitEventDetail(detail, MAX_DETAIL_BYTES - MAX_TRUNCATED_FIELDS_BYTES);
  const truncatedFields = boundFieldPaths([
    ...truncatedInAnswer.map(inImportTask),
    ...(reasonCut ? ['statusReason'] : []),
    ...fitted.truncatedFields,
  ]);
  return { detailType: STATUS_CHANGE_DETAIL_TYPE, detail: { ...fitted.detail, truncatedFields } };
}

/**
 * Decides after `GetImportTask` answered: finish on a terminal status or at the deadline, else
 * wait. `task` is the answer as `toImportTaskSnapshot` reads it, and `truncatedInAnswer` the
 * paths of what it dropped or cut. Only a well-formed graph id and the (plausible) status are
 * copied into the watch state.
 */
export function afterAnswer(
  polled: WatchState,
  task: ImportTaskSnapshot,
  config: PollerConfig,
  now: number,
  random: () => number,
  truncatedInAnswer: readonly string[] = [],
): PollDecision {
  // An answer ends the run of failures, "not found" answers included.
  const { notFoundPolls: _retriedNotFound, failingSince: _failingSince, ...answered } = polled;
  const watch: WatchState = {
    ...answered,
    graphId: isGraphId(task.graphId) ? task.graphId : polled.graphId,
    consecutiveErrors: 0,
  };
  const changed = task.status !== polled.lastStatus;
  if (isTerminalStatus(task.status)) {
    return { action: POLL_ACTIONS.finish, event: statusChangeEvent(watch, task, truncatedInAnswer, true, now) };
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
  const event =
    changed && config.emitStatusChanges ? statusChangeEvent(watch, task, truncatedInAnswer, false, now) : undefined;
  const next: WatchState = { ...seen, strategyMemory: answer.memory };
  return waitDecision(next, clampToDeadline(answer.waitSeconds, next, now), event, config);
}

/** Upper bound of the wait before retry number `failures`, before jitter. */
export function retryIntervalCap(retry: ErrorRetryConfig, failures: number): number {
  return Math.min(retry.maxIntervalSeconds, retry.initialIntervalSeconds * Math.pow(retry.backoffRate, failures - 1));
}

/** The wait before retry number `failures`: drawn uniformly below its bound (full jitter), at least a second. */
function retryWait(retry: ErrorRetryConfig, failures: number, random: () => number): number {
  return Math.max(1, Math.round(random() * retryIntervalCap(retry, failures)));
}

/** Seconds of the not-found grace; 0 turns it off. */
function notFoundGraceSeconds(config: PollerConfig): number {
  return Math.max(0, config.notFoundGraceSeconds);
}

function describeError(error: ErrorSummary): string {
  return `${error.name}${error.httpStatusCode === undefined ? '' : ` (HTTP ${error.httpStatusCode})`}: ${error.message}`;
}

/**
 * Decides after `GetImportTask` failed. Every failure is retried, with full jitter below a growing
 * bound, until its run of failures has lasted the retry budget: a single 403 or 400 right after a
 * deployment (IAM changes take seconds to spread) or a throttling storm of several minutes does
 * not end a watch. The last retry is sent when the budget ends; a failure then ends the watch with
 * the reason of that failure. "Not found" has rules of its own.
 */
export function afterError(
  polled: WatchState,
  error: ErrorSummary,
  errorClass: PollErrorClass,
  config: PollerConfig,
  now: number,
  random: () => number,
): PollDecision {
  if (errorClass.reason === 'TASK_NOT_FOUND') return afterNotFound(polled, error, config, now, random);
  const described = describeError(error);
  const failures = polled.consecutiveErrors + 1;
  const failingSince = polled.consecutiveErrors > 0 && polled.failingSince !== undefined ? polled.failingSince : now;
  const watch: WatchState = { ...polled, consecutiveErrors: failures, failingSince };
  const budgetEndsAt = failingSince + config.errorRetry.budgetSeconds * 1000;
  if (now >= budgetEndsAt) {
    const message =
      `GetImportTask failed ${failures} times in a row over ${Math.round((now - failingSince) / 1000)} s ` +
      `(retried for ${config.errorRetry.budgetSeconds} s); the last failure was ${described}`;
    return monitoringFailed(watch, errorClass.reason, message, now, error);
  }
  if (secondsLeft(watch, now) < 1) {
    const message = `${gaveUpAfter(watch, now)}; the last poll failed with ${described}`;
    return monitoringFailed(watch, 'TIMED_OUT', message, now, error);
  }
  const untilBudgetEnds = Math.ceil((budgetEndsAt - now) / 1000);
  const wait = Math.min(retryWait(config.errorRetry, failures + (watch.notFoundPolls ?? 0), random), untilBudgetEnds);
  return waitDecision(watch, clampToDeadline(wait, watch, now), undefined, config);
}

/**
 * Decides after `GetImportTask` answered "not found". A task never seen may have just started
 * and not be visible yet: within the grace, counted from the start of the watch, it is retried
 * like a failed poll, each wait drawn below a growing bound, the last one ending when the grace
 * does. These retries do not count toward the failed-poll limit, which is for a service that
 * fails; the grace bounds them. After the grace, or for a task seen before (it is gone), the
 * watch ends with `TASK_NOT_FOUND`.
 */
function afterNotFound(
  polled: WatchState,
  error: ErrorSummary,
  config: PollerConfig,
  now: number,
  random: () => number,
): PollDecision {
  const described = describeError(error);
  const grace = notFoundGraceSeconds(config);
  const graceEndsAt = polled.watchStartedAt + grace * 1000;
  if (polled.lastStatus !== null || now >= graceEndsAt) {
    const retried =
      polled.lastStatus === null && grace > 0
        ? `; still not found ${Math.round((now - polled.watchStartedAt) / 1000)} s after the watch started ` +
          `(${polled.notFoundPolls ?? 0} "not found" answers retried), past the ${grace} s grace for a task just started`
        : '';
    return monitoringFailed(polled, 'TASK_NOT_FOUND', `GetImportTask failed with ${described}${retried}`, now, error);
  }
  const notFoundPolls = (polled.notFoundPolls ?? 0) + 1;
  const watch: WatchState = { ...polled, notFoundPolls };
  if (secondsLeft(watch, now) < 1) {
    const message = `${gaveUpAfter(watch, now)}; the last poll failed with ${described}`;
    return monitoringFailed(watch, 'TIMED_OUT', message, now, error);
  }
  const untilGraceEnds = Math.ceil((graceEndsAt - now) / 1000);
  const wait = retryWait(config.errorRetry, watch.consecutiveErrors + notFoundPolls, random);
  return waitDecision(watch, clampToDeadline(Math.min(wait, untilGraceEnds), watch, now), undefined, config);
}

/** Reads `{errorType, errorMessage}` out of a Lambda failure's `Cause`, which is JSON when it came from a function. */
function parseCause(error: unknown, cause: unknown): ErrorSummary {
  const fallbackName = typeof error === 'string' ? error : 'UnknownError';
  const summary = (name: string, message: string): ErrorSummary => ({
    name: name.slice(0, MAX_ERROR_NAME_CHARS),
    message: message.slice(0, MAX_ERROR_MESSAGE_CHARS),
  });
  if (typeof cause !== 'string') return summary(fallbackName, '');
  try {
    const parsed: unknown = JSON.parse(cause);
    if (isRecord(parsed)) {
      return summary(
        typeof parsed.errorType === 'string' ? parsed.errorType : fallbackName,
        typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause,
      );
    }
  } catch {
    // A Cause that is not JSON is a message already.
  }
  return summary(fallbackName, cause);
}

/**
 * Describes a poll step that failed beyond its retries (the function itself could not run,
 * or threw). `failed` is the poll step's input with the caught error under `pollFailure`.
 */
export function describePollFailure(failed: unknown, now: number): PollDecision {
  const record = isRecord(failed) ? failed : {};
  const caught = record[POLL_FAILURE_KEY];
  const failure = isRecord(caught) ? caught : {};
  const error = parseCause(failure.Error, failure.Cause);
  const message = `The poll step failed beyond its retries with ${error.name}: ${error.message}`;
  if (isWatchState(record.watch)) return monitoringFailed(record.watch, 'POLLING_ERROR', message, now, error);
  const taskId = typeof record.taskId === 'string' ? record.taskId.slice(0, 100) : null;
  const graphId = isGraphId(record.graphId) ? record.graphId : null;
  return monitoringFailed(unwatched(taskId, graphId, now), 'POLLING_ERROR', message, now, error);
}

/** The first task id (`t-` and ten characters) an execution name begins with, as the poller names executions. */
function taskIdOfExecutionName(name: unknown): string | null {
  const match = typeof name === 'string' ? /^t-[a-z0-9]{10}(?![a-z0-9])/.exec(name) : null;
  return match === null ? null : match[0];
}

/**
 * The Monitoring Failed event of an execution that failed, timed out or was aborted before it put
 * its terminal event, as the start function's backstop reports it: the task, and what is known of
 * the watch, are read from the failed execution's input and name.
 */
export function reportFailedExecution(backstop: unknown, now: number): PollDecision {
  const report = isRecord(backstop) ? backstop : {};
  const input = isRecord(report.input) ? report.input : {};
  const text = (value: unknown, max: number): string | null => (typeof value === 'string' ? value.slice(0, max) : null);
  const name = text(report.executionName, MAX_EXECUTION_NAME_LENGTH) ?? 'an execution';
  const status = text(report.status, 20) ?? 'FAILED';
  const error = { name: text(report.error, 200) ?? `States.${status}`, message: text(report.cause, 1000) ?? '' };
  const message = `Execution ${name} ended ${status} before it put its terminal event: ${error.name}${error.message === '' ? '' : `: ${error.message}`}`;
  if (isWatchState(input.watch)) return monitoringFailed(input.watch, 'POLLER_FAILED', message, now, error);
  const taskId = isTaskId(input.taskId) ? input.taskId : taskIdOfExecutionName(report.executionName);
  const graphId = isGraphId(input.graphId) ? input.graphId : null;
  return monitoringFailed(unwatched(taskId, graphId, now), 'POLLER_FAILED', message, now, error);
}
