import { PARK_PUT_RETRIES } from '../../lib/poll-contract';

/**
 * Step Functions ends a Standard execution that reaches 25,000 history events. The poll
 * function counts the events its own decisions cause, per state type, so that it can hand the
 * watch over to a fresh execution in time. The counts are those of the Step Functions
 * execution history; service tasks get one spare event.
 */
export const HISTORY_EVENTS_PER_STATE = {
  /** ExecutionStarted. */
  executionStart: 1,
  /** TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited. */
  lambdaTask: 5,
  /** TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited, and one spare. */
  serviceTask: 6,
  /** ChoiceStateEntered, ChoiceStateExited. */
  choice: 2,
  /** WaitStateEntered, WaitStateExited. */
  wait: 2,
  /**
   * A wait in the `.waitForTaskToken` park task: TaskStateEntered, TaskScheduled, TaskStarted,
   * TaskSubmitted, TaskSucceeded (woken) or TaskTimedOut, TaskStateExited: six. When the put itself
   * fails: TaskStateEntered, TaskScheduled, TaskStarted, TaskFailed, TaskStateExited and the
   * fallback Wait state's two: seven. When a SendTaskFailure ends it after the put: TaskStateEntered,
   * TaskScheduled, TaskStarted, TaskSubmitted, TaskFailed, TaskStateExited and the Wait state's two:
   * eight, the largest, are counted, with {@link PARK_PUT_RETRIES} retried attempts of the put.
   */
  parkedWait: 8 + PARK_PUT_RETRIES * 3,
  /** SucceedStateEntered, SucceedStateExited (a Pass or Fail state makes two as well). */
  succeed: 2,
  /** A task attempt that failed and is retried: the failure, and the next attempt's scheduled and started. */
  retriedAttempt: 3,
  /** ExecutionSucceeded. */
  executionEnd: 1,
} as const;

const E = HISTORY_EVENTS_PER_STATE;

/** Events of one poll cycle: poll, route, optionally publish a status change, wait (parked, when a sweep can wake it). */
export function pollCycleEvents(publishesEvent: boolean, parks = false): number {
  return E.lambdaTask + E.choice + (publishesEvent ? E.serviceTask : 0) + (parks ? E.parkedWait : E.wait);
}

/** Events of the last step of an execution: poll, route, publish or start the next execution, succeed. */
export const CLOSING_EVENTS = E.lambdaTask + E.choice + E.serviceTask + E.succeed + E.executionEnd;

/** Smallest budget that lets an execution poll at least once before it must hand over, whatever its waits. */
export const MIN_HISTORY_EVENT_BUDGET = E.executionStart + pollCycleEvents(true, true) + CLOSING_EVENTS;

/**
 * Whether an execution that has used `used` events must hand over now: one more full cycle
 * (with a published status change, and a parked wait when `parks`) followed by the closing step
 * would not fit in `budget`.
 */
export function mustContinueAsNew(used: number, budget: number, parks = false): boolean {
  return used + pollCycleEvents(true, parks) + CLOSING_EVENTS > budget;
}
