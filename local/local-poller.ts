/**
 * Runs the synthesized state machine in a local ASL interpreter (aws-local-stepfunctions),
 * with the real poll handler behind its Lambda task, a recording EventBridge behind its
 * PutEvents tasks, itself behind its StartExecution task, so that a chain of continued
 * executions runs here as it would in Step Functions, and a local DynamoDB behind its
 * `.waitForTaskToken` PutItem task, whose token `sendTaskSuccess` and `sendTaskFailure` return.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { DynamoDBClient, PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import type { PollHandler } from '../lambda/poll/poll-handler';
import { isTaskId, watchExecutionName } from '../lib/identifiers';
import type { ClockActor, LocalClock } from './clock';
import { eventSchemaViolations } from './event-schema-validation';
import {
  ExecutionHistory,
  WAIT_FOR_TASK_TOKEN,
  type HistoryEvent,
  type InterpreterEvent,
} from './step-functions-history';
import { LOCAL_REGION, type SynthesizedPoller } from './synthesized-poller';

/** The Step Functions (Standard) quotas the local runner enforces, as AWS documents them. */
export const STEP_FUNCTIONS_LIMITS = {
  /** A state's input, output, or task result, in bytes of UTF-8 JSON. */
  payloadBytes: 262_144,
  /** Events in one execution's history; the execution fails on the next one. */
  historyEvents: 25_000,
  /** Characters of an execution name. */
  executionNameLength: 80,
  /** Largest `Seconds` (or `SecondsPath` value) of a Wait state. */
  waitSeconds: 99_999_999,
  /** Longest a Standard execution may run, and the largest `TimeoutSeconds`: one year. */
  executionSeconds: 365 * 86_400,
  /** Largest `TimeoutSeconds` (or `TimeoutSecondsPath` value) of a Task state, and its default. */
  taskTimeoutSeconds: 99_999_999,
  /** Characters of a task token. */
  taskTokenLength: 2048,
  /** Characters of the `error` of `SendTaskFailure`. */
  taskFailureErrorLength: 256,
  /** Characters of the `cause` of `SendTaskFailure`. */
  taskFailureCauseLength: 32_768,
} as const;

/** EventBridge's limit on one entry, in bytes. */
export const EVENT_ENTRY_LIMIT_BYTES = 262_144;

/** Characters Step Functions refuses in execution names, besides whitespace and control characters. */
const FORBIDDEN_NAME_CHARACTERS = /[\s?*<>{}[\]"#%\\^|~`$&,;:/]/;

/** Whether `code` is a C0 or C1 control character (U+0000–U+001F, U+007F–U+009F). */
const isControlCharacter = (code: number): boolean => code <= 0x1f || (code >= 0x7f && code <= 0x9f);

/** An event the state machine put. */
export interface PublishedEvent {
  readonly Source: string;
  readonly DetailType: string;
  readonly EventBusName: string;
  readonly Detail: Record<string, unknown>;
  readonly Resources: readonly string[];
  /** ISO-8601 on the run's clock. */
  readonly Time: string;
  /** Execution that put it. */
  readonly executionName: string;
}

/** One local execution. */
export interface LocalExecution {
  readonly name: string;
  readonly arn: string;
  readonly input: string;
  readonly startedBy?: string;
  status: ExecutionStatus;
  output?: unknown;
  error?: { readonly name: string; readonly message: string };
  /** States entered, retries included: what Step Functions bills as state transitions. */
  stateTransitions: number;
  /** The history Step Functions would have recorded, in order, from the interpreter's event log. */
  readonly history: readonly HistoryEvent[];
  /** Epoch milliseconds on the run's clock. */
  readonly startedAt: number;
  /** Epoch milliseconds on the run's clock when it ended. */
  stoppedAt?: number;
  readonly children: LocalExecution[];
  readonly events: PublishedEvent[];
  /** Settles when the execution ends, never rejects. */
  readonly done: Promise<void>;
}

/** Statuses of an execution, as `DescribeExecution` names them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What ended a chain of executions that watched one task. */
export interface WatchOutcome {
  readonly executions: readonly LocalExecution[];
  readonly events: readonly PublishedEvent[];
}

/** The local DynamoDB table that stands for the definition's watch table. */
export interface LocalWatchTable {
  /** Endpoint of the local DynamoDB (dynalite) server. */
  readonly endpoint: string;
  /** Name of the table there. */
  readonly tableName: string;
}

/** Options of the local poller. */
export interface LocalPollerOptions {
  readonly synthesized: SynthesizedPoller;
  readonly pollHandler: PollHandler;
  readonly clock: LocalClock;
  /** EventBridge's verdict on an entry: an error code refuses it (FailedEntryCount 1), undefined accepts it. */
  readonly putEventsVerdict?: (entry: Record<string, unknown>) => string | undefined;
  /** Called for each event put. */
  readonly onEvent?: (event: PublishedEvent) => void;
  /** Called when an execution ends, as EventBridge's "Step Functions Execution Status Change" would be. */
  readonly onExecutionEnded?: (execution: LocalExecution) => void | Promise<void>;
  /**
   * Where the park task's PutItem goes: the definition's table name (`SynthesizedPoller.watchTableName`)
   * is this table. Without it, a park task fails as a PutItem to an unreachable DynamoDB would.
   */
  readonly watchTable?: LocalWatchTable;
  /**
   * Draws of full jitter between 0 and 1, as Step Functions draws each retry's pause below its bound.
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * The answer of the state machine's own `StartExecution` (continue-as-new) before it starts the
   * execution: an error (name and message, as the integration names it, such as
   * `StepFunctions.ThrottlingException`) refuses the call; undefined lets it through.
   */
  readonly startExecutionFault?: () => { readonly name: string; readonly message: string } | undefined;
}

/** A named error, as the interpreter matches `Retry` and `Catch` on `error.name`. */
class StatesTaskError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An error Step Functions raises that no `Retry` or `Catch` matches, `States.ALL` included: it
 * fails the execution (`States.DataLimitExceeded`, `States.Runtime`), or ends it (`States.Timeout`
 * of the execution itself, which the execution's status tells).
 */
export class StatesTerminalError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;

  constructor(
    override readonly name: 'States.DataLimitExceeded' | 'States.Runtime' | 'States.Timeout',
    message: string,
    /** The status the execution ends with. */
    readonly status: Extract<ExecutionStatus, 'FAILED' | 'TIMED_OUT'> = 'FAILED',
  ) {
    super(message);
  }
}

/**
 * An event broke its shipped schema. Not an EventBridge behaviour: a guard that makes every
 * local run, tests included, check the contract. Neither retried nor caught.
 */
export class EventSchemaViolationError extends Error {
  override readonly name = 'EventSchemaViolation';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** StartExecution refused: the name is taken (by an ended execution, or one with another input). */
export class ExecutionAlreadyExistsError extends Error {
  override readonly name = 'ExecutionAlreadyExists';
}

/** StartExecution refused: the name is too long or holds a character Step Functions does not allow. */
export class InvalidExecutionNameError extends Error {
  override readonly name = 'InvalidName';
}

/** SendTask* refused: the token is not one Step Functions gives. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidToken';
}

/** SendTask* refused: the token has the form of a task token, but no task was given it. */
export class TaskDoesNotExistError extends Error {
  override readonly name = 'TaskDoesNotExist';
}

/** SendTask* refused: the task the token was given to is closed (answered, timed out, or its execution ended). */
export class TaskTimedOutError extends Error {
  override readonly name = 'TaskTimedOut';
}

/** SendTaskSuccess refused: the output is not JSON. */
export class InvalidOutputError extends Error {
  override readonly name = 'InvalidOutput';
}

/** A request refused for a parameter's length, as the AWS JSON protocol refuses it. */
export class ValidationError extends Error {
  override readonly name = 'ValidationException';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StateJson = Record<string, unknown> & { Type: string };

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** A `States.DataLimitExceeded` error when `value` is over the payload limit. */
function payloadViolation(value: unknown, what: string): StatesTerminalError | undefined {
  const bytes = byteLength(value);
  if (bytes <= STEP_FUNCTIONS_LIMITS.payloadBytes) return undefined;
  return new StatesTerminalError(
    'States.DataLimitExceeded',
    `${what} is ${bytes} bytes; Step Functions allows ${STEP_FUNCTIONS_LIMITS.payloadBytes}`,
  );
}

/** A `States.DataLimitExceeded` error when the input a state entered with, or its output, is over the limit. */
function statePayloadViolation(event: InterpreterEvent): StatesTerminalError | undefined {
  const state = event.state;
  if (state === undefined) return undefined;
  if (event.type === 'StateEntered') return payloadViolation(state.input, `The input of ${state.name}`);
  if (event.type === 'StateExited') return payloadViolation(state.output, `The output of ${state.name}`);
  return undefined;
}

/** Task tokens this runner gives: its prefix, then 96 random base64url characters. */
const TASK_TOKEN_FORM = /^AQ-local-[A-Za-z0-9_-]{96}$/;

/** A fresh, opaque task token. */
function newTaskToken(): string {
  return `AQ-local-${randomBytes(72).toString('base64url')}`;
}

/** The resource of the park task: DynamoDB PutItem through the AWS SDK integration, waiting for its token. */
const PUT_ITEM_WAITING_FOR_TOKEN = /^arn:[a-z-]+:states:::aws-sdk:dynamodb:putItem\.waitForTaskToken$/;

/**
 * The longest real timer the interpreter may arm for a Task state: each Task state gets it as its
 * `TimeoutSeconds`, so that the interpreter's own 60-second default never applies, while the
 * definition's timeouts are enforced on the run's clock.
 */
const INTERPRETER_TASK_TIMEOUT_SECONDS = Math.floor(2_147_483_647 / 1000);

/** Whether `value` is a Task state timeout Step Functions accepts: a whole number of seconds from 1 to the maximum. */
function isTaskTimeout(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds
  );
}

/**
 * The error Step Functions names for an AWS SDK integration's failed call: `Service.ErrorName`,
 * both in PascalCase and the error name ending in `Exception`; errors that are not the service's
 * answer (no connection, say) are `States.TaskFailed`.
 */
function sdkIntegrationError(service: string, error: unknown): StatesTaskError {
  const named = error as { name?: unknown; message?: unknown; $fault?: unknown };
  const message = typeof named.message === 'string' ? named.message : String(error);
  if (named.$fault === undefined || typeof named.name !== 'string')
    return new StatesTaskError('States.TaskFailed', message);
  const name = named.name.endsWith('Exception') ? named.name : `${named.name}Exception`;
  return new StatesTaskError(`${service}.${name}`, message);
}

/** Why Step Functions would refuse `name` for an execution, or undefined. */
export function executionNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > STEP_FUNCTIONS_LIMITS.executionNameLength) {
    return `execution names have 1 to ${STEP_FUNCTIONS_LIMITS.executionNameLength} characters; got ${name.length}`;
  }
  const forbidden =
    FORBIDDEN_NAME_CHARACTERS.exec(name)?.[0] ?? [...name].find((c) => isControlCharacter(c.charCodeAt(0)));
  return forbidden === undefined ? undefined : `execution names may not hold ${JSON.stringify(forbidden)}`;
}

/** Lets the interpreter's event log, which runs on promise callbacks, catch up with the execution. */
const drainEventLog = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Reads a simple reference path (`$.a.b`) from `root`. */
function readPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  if (!/^\$(\.[A-Za-z0-9_]+)+$/.test(path)) throw new Error(`Unsupported path ${path}`);
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>(
      (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
      root,
    );
}

/** The interpreter calls Promise.withResolvers, which Node.js 20 lacks. */
function polyfillPromiseWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (typeof promise.withResolvers === 'function') return;
  promise.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}

polyfillPromiseWithResolvers();

/**
 * The states as the interpreter runs them: Task states without `TimeoutSeconds` and
 * `TimeoutSecondsPath`, which the runner enforces on the run's clock (the interpreter would arm
 * real timers), each with the longest real timeout instead, so that the interpreter's own
 * 60-second default never cuts a task short. Refuses what it cannot run as Step Functions would.
 */
function interpreterStates(states: Record<string, StateJson>): Record<string, StateJson> {
  const result: Record<string, StateJson> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Task') {
      result[name] = state;
      continue;
    }
    const { TimeoutSeconds: timeout, TimeoutSecondsPath: timeoutPath, ...rest } = state;
    if (timeout !== undefined && !isTaskTimeout(timeout)) {
      throw new RangeError(
        `${name}: TimeoutSeconds must be a whole number from 1 to ${STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds}; got ${JSON.stringify(timeout)}`,
      );
    }
    if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) {
      throw new RangeError(`${name}: the local runner does not enforce heartbeats; the definition has one`);
    }
    const timesOut =
      timeout !== undefined || timeoutPath !== undefined || String(state.Resource).endsWith(WAIT_FOR_TASK_TOKEN);
    const handlers = [
      ...((state.Retry ?? []) as { ErrorEquals: string[] }[]),
      ...((state.Catch ?? []) as { ErrorEquals: string[] }[]),
    ];
    if (timesOut && handlers.some((handler) => handler.ErrorEquals.includes('States.TaskFailed'))) {
      // The interpreter tells a timeout from a failure only for its own timers, which the runner replaces.
      throw new RangeError(
        `${name}: the local runner cannot keep States.TaskFailed from matching the task's timeout; name the errors instead`,
      );
    }
    result[name] = { ...rest, TimeoutSeconds: INTERPRETER_TASK_TIMEOUT_SECONDS };
  }
  return result;
}

/** What the runner keeps of an execution while it runs. */
interface RunningExecution {
  readonly record: LocalExecution;
  readonly history: ExecutionHistory;
  /** The execution on the run's clock: it works, or sleeps in a parked wait. */
  readonly actor: ClockActor;
  /** Epoch milliseconds on the run's clock when the execution times out; undefined without `TimeoutSeconds`. */
  readonly deadline: number | undefined;
  /** The first limit the execution broke; it ends the execution. */
  violation?: StatesTerminalError;
  /** Ends the interpreter's run. */
  abort?: () => void;
  /**
   * The Task state whose failed attempt the interpreter retries next, with the failed attempts of
   * its visit (`$$.State.RetryCount`) and each retrier's retries so far; undefined when the next
   * task to run is a first attempt.
   */
  retry?: TaskVisit;
  /** The state being run, for the context object. */
  currentState?: string;
  /** The input the state being run entered with, for its reference paths. */
  enteredInput?: unknown;
  lastPollOutput?: unknown;
  /** `$$.Task.Token` as the current Task state's parameters read it; taken by its task. */
  mintedToken?: string;
  /** Tokens given to this execution's tasks that are still open. */
  readonly openTokens: Set<string>;
}

/** Attempts of one visit of a Task state. */
interface TaskVisit {
  readonly state: string;
  readonly failedAttempts: number;
  /** Retries each retrier of the state has made in this visit. */
  readonly retrierAttempts: number[];
}

/**
 * Whether the interpreter retries an attempt of `state` that failed with `error`, decided as it
 * decides (aws-local-stepfunctions' `StateExecutor.shouldRetry`), counting the retry in
 * `retrierAttempts`. Known while the attempt fails, before the interpreter reads the next
 * attempt's `$$.State.RetryCount`, which its event log, read later, cannot tell in time.
 */
function interpreterRetries(state: StateJson, error: unknown, retrierAttempts: number[]): boolean {
  const { name, isRetryable } = error as { name?: unknown; isRetryable?: unknown };
  if (isRetryable === false) return false;
  const retriers = (state.Retry ?? []) as { ErrorEquals: string[]; MaxAttempts?: number }[];
  for (const [index, retrier] of retriers.entries()) {
    // States.TaskFailed matches every error of a task but its timeout.
    const matches = retrier.ErrorEquals.some(
      (e) => e === name || e === 'States.ALL' || (e === 'States.TaskFailed' && name !== 'States.Timeout'),
    );
    if (!matches) continue;
    const made = retrierAttempts[index] ?? 0;
    if (made >= (retrier.MaxAttempts ?? 3)) return false;
    retrierAttempts[index] = made + 1;
    return true;
  }
  return false;
}

/** A retrier of a state's `Retry`, as the definition writes it. */
interface RetrierJson {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/**
 * Seconds Step Functions pauses before the `retry`-th retry (from 1) of `retrier`: its interval
 * (1 s by default) times its backoff rate (2 by default) to the power of the retries before,
 * capped by its maximum delay, and with full jitter a share of that drawn by `random`.
 */
export function retryPauseSeconds(
  retrier: Omit<RetrierJson, 'ErrorEquals'>,
  retry: number,
  random: () => number,
): number {
  const bound = Math.min(
    retrier.MaxDelaySeconds ?? Infinity,
    (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, retry - 1),
  );
  return retrier.JitterStrategy === 'FULL' ? bound * random() : bound;
}

/** How a token's task ended. */
type TokenOutcome =
  | { readonly kind: 'success'; readonly output: Json }
  | { readonly kind: 'failure'; readonly error: string; readonly cause: string }
  | { readonly kind: 'closed' };

/** A task token given out: open while its task waits for it. */
interface TaskTokenEntry {
  readonly executionName: string;
  readonly stateName: string;
  /** Ends the wait of an open token's task; undefined once the token is closed. */
  settle?: (outcome: TokenOutcome) => void;
}

/** One attempt of a Task state, as its handler sees it. */
interface TaskAttempt {
  /** The task token of the attempt. */
  readonly token: string;
  /** The attempt's `TimeoutSeconds`, on the run's clock; undefined without one. */
  readonly timeoutSeconds: number | undefined;
}

/** The synthesized state machine, run locally, under Step Functions' limits. */
export class LocalPoller {
  /** Every event put, in order. */
  public readonly events: PublishedEvent[] = [];
  /** Every execution, by name: Step Functions keeps names for 90 days, longer than any local run. */
  public readonly executions = new Map<string, LocalExecution>();
  /** Events that broke their shipped schema; each also failed its execution. */
  public readonly schemaViolations: string[] = [];
  /** Executions whose end `onExecutionEnded` could not take in, and why. */
  public readonly undeliveredEnds: { readonly executionName: string; readonly error: string }[] = [];
  /** Every task token given out, by token: Step Functions answers a closed one differently from an unknown one. */
  private readonly taskTokens = new Map<string, TaskTokenEntry>();
  private readonly states: Record<string, StateJson>;
  private readonly machine: StateMachine;
  /** The definition's `TimeoutSeconds`, enforced on the run's clock rather than by a Node timer. */
  private readonly timeoutSeconds: number | undefined;
  private dynamoDb: DynamoDBClient | undefined;

  constructor(private readonly options: LocalPollerOptions) {
    const { TimeoutSeconds: timeout, ...definition } = options.synthesized.definition;
    if (timeout !== undefined) {
      if (
        typeof timeout !== 'number' ||
        !Number.isInteger(timeout) ||
        timeout < 1 ||
        timeout > STEP_FUNCTIONS_LIMITS.executionSeconds
      ) {
        throw new RangeError(
          `TimeoutSeconds must be a whole number from 1 to ${STEP_FUNCTIONS_LIMITS.executionSeconds}; got ${JSON.stringify(timeout)}`,
        );
      }
      this.timeoutSeconds = timeout;
    }
    this.states = definition.States as Record<string, StateJson>;
    this.machine = new StateMachine({ ...definition, States: interpreterStates(this.states) } as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
  }

  /** Closes the connections the runner opened (to the local DynamoDB). */
  close(): void {
    this.dynamoDb?.destroy();
    this.dynamoDb = undefined;
  }

  /**
   * `SendTaskSuccess`: ends the wait of the task given `token`, with `output` (JSON text) as its
   * result. Refused as Step Functions refuses it: a token never given out, or one whose task is
   * closed (answered, timed out, or its execution ended), or output that is not JSON or too long.
   */
  sendTaskSuccess(token: string, output: string): void {
    const entry = this.openTaskToken(token);
    if (output.length > STEP_FUNCTIONS_LIMITS.payloadBytes) {
      throw new ValidationError(
        `1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${STEP_FUNCTIONS_LIMITS.payloadBytes}`,
      );
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new InvalidOutputError('Invalid Output: the output is not valid JSON');
    }
    if (Buffer.byteLength(output, 'utf8') > STEP_FUNCTIONS_LIMITS.payloadBytes) {
      throw new InvalidOutputError(
        `Invalid Output: the output is ${Buffer.byteLength(output, 'utf8')} bytes; Step Functions allows ${STEP_FUNCTIONS_LIMITS.payloadBytes}`,
      );
    }
    entry.settle!({ kind: 'success', output: parsed });
  }

  /** `SendTaskFailure`: fails the task given `token` with `error` and `cause`; refused as {@link sendTaskSuccess} is. */
  sendTaskFailure(token: string, error = '', cause = ''): void {
    const entry = this.openTaskToken(token);
    if (error.length > STEP_FUNCTIONS_LIMITS.taskFailureErrorLength) {
      throw new ValidationError(
        `1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to ${STEP_FUNCTIONS_LIMITS.taskFailureErrorLength}`,
      );
    }
    if (cause.length > STEP_FUNCTIONS_LIMITS.taskFailureCauseLength) {
      throw new ValidationError(
        `1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to ${STEP_FUNCTIONS_LIMITS.taskFailureCauseLength}`,
      );
    }
    entry.settle!({ kind: 'failure', error, cause });
  }

  /** `SendTaskHeartbeat`: accepted while the token's task waits (no task here has a heartbeat timeout). */
  sendTaskHeartbeat(token: string): void {
    this.openTaskToken(token);
  }

  /** The open task `token` was given to, or the error Step Functions answers for it. */
  private openTaskToken(token: string): TaskTokenEntry {
    if (token.length === 0 || token.length > STEP_FUNCTIONS_LIMITS.taskTokenLength) {
      throw new ValidationError(
        `1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and ${STEP_FUNCTIONS_LIMITS.taskTokenLength}`,
      );
    }
    const entry = this.taskTokens.get(token);
    if (entry === undefined) {
      if (!TASK_TOKEN_FORM.test(token)) throw new InvalidTokenError('Invalid Token: the token is not a task token');
      throw new TaskDoesNotExistError('Task Does Not Exist: no task was given this token');
    }
    if (entry.settle === undefined) {
      throw new TaskTimedOutError(
        `Task Timed Out: the task of state ${entry.stateName} in execution ${entry.executionName} is closed`,
      );
    }
    return entry;
  }

  /**
   * Starts an execution, as `StartExecution` does: a name in use by a running execution with
   * the same input returns that execution; any other use of a taken name is refused, however
   * long ago its execution ended.
   */
  startExecution(name: string, input: string, parent?: LocalExecution): LocalExecution {
    const problem = executionNameProblem(name);
    if (problem !== undefined) throw new InvalidExecutionNameError(`Invalid Name: '${name}': ${problem}`);
    const existing = this.executions.get(name);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ExecutionAlreadyExistsError(`Execution Already Exists: '${existing.arn}'`);
    }
    const arn = `${this.options.synthesized.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    let settle!: () => void;
    const history = new ExecutionHistory((stateName) => this.states[stateName]?.Resource);
    const startedAt = this.options.clock.now();
    const record: LocalExecution = {
      name,
      arn,
      input,
      ...(parent === undefined ? {} : { startedBy: parent.arn }),
      status: 'RUNNING',
      stateTransitions: 0,
      history: history.events,
      startedAt,
      children: [],
      events: [],
      done: new Promise<void>((resolve) => (settle = resolve)),
    };
    this.executions.set(name, record);
    parent?.children.push(record);
    const running: RunningExecution = {
      record,
      history,
      actor: this.options.clock.actor(),
      deadline: this.timeoutSeconds === undefined ? undefined : startedAt + this.timeoutSeconds * 1000,
      openTokens: new Set(),
    };
    void this.run(running).finally(settle);
    return record;
  }

  /** Resolves when every execution started so far, and every one they started in turn, has ended. */
  async settled(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
      if (running.length === 0) return;
      await Promise.all(running.map((execution) => execution.done));
    }
  }

  /** Starts watching as a direct execution would, and resolves when the chain of executions ends. */
  async watch(input: unknown): Promise<WatchOutcome> {
    const taskId = typeof input === 'object' && input !== null ? (input as { taskId?: unknown }).taskId : undefined;
    const name = isTaskId(taskId) ? watchExecutionName(taskId, 1) : `direct-${randomUUID()}`;
    return this.followChain(this.startExecution(name, JSON.stringify(input)));
  }

  /** Resolves when `root` and every execution it continued in have ended. */
  async followChain(root: LocalExecution): Promise<WatchOutcome> {
    const chain: LocalExecution[] = [];
    const queue = [root];
    while (queue.length > 0) {
      const execution = queue.shift()!;
      await execution.done;
      chain.push(execution);
      queue.push(...execution.children);
    }
    return { executions: chain, events: chain.flatMap((execution) => execution.events) };
  }

  private async run(running: RunningExecution): Promise<void> {
    const { record } = running;
    const execution = this.machine.run(JSON.parse(record.input) as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(running),
        waitTimeOverrides: this.waitOverrides(running),
        retryIntervalOverrides: this.retryOverrides(running),
      },
      context: {
        Execution: { Id: record.arn, Name: record.name },
        StateMachine: { Id: this.options.synthesized.stateMachineArn, Name: 'NeptuneImportPoller' },
        State: {
          get Name() {
            return running.currentState;
          },
          get RetryCount() {
            return running.retry?.failedAttempts ?? 0;
          },
        },
        // Read while the Task state's parameters are worked out, just before its task runs, which takes it.
        Task: {
          get Token() {
            return (running.mintedToken ??= newTaskToken());
          },
        },
      },
    });
    running.abort = execution.abort;
    const reading = this.readEventLog(running, execution.eventLogs as AsyncGenerator<InterpreterEvent>);
    try {
      record.output = await execution.result;
      record.status = 'SUCCEEDED';
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      const named = (cause instanceof Error ? cause : error) as Error;
      record.status = 'FAILED';
      record.error = { name: named.name, message: named.message };
    }
    await reading;
    // A limit broken by the execution's last steps still fails it, as in Step Functions.
    const violation = running.violation;
    if (violation !== undefined) {
      record.status = violation.status;
      record.error = { name: violation.name, message: violation.message };
      running.history.events.splice(-1, 1, {
        type: violation.status === 'TIMED_OUT' ? 'ExecutionTimedOut' : 'ExecutionFailed',
      });
    }
    record.stoppedAt = this.options.clock.now();
    // An execution that ended closes its tasks: their tokens are answered TaskTimedOut from now on.
    for (const token of running.openTokens) this.taskTokens.get(token)?.settle?.({ kind: 'closed' });
    try {
      await this.options.onExecutionEnded?.(record);
    } catch (error) {
      // In AWS, EventBridge would retry the delivery and then keep it in the dead-letter queue.
      this.undeliveredEnds.push({ executionName: record.name, error: String(error) });
    } finally {
      running.actor.retire();
    }
  }

  /**
   * Ends the execution for breaking a limit (the first limit broken is the one reported): at once
   * when the interpreter is between tasks, or by the error a task throws.
   */
  private breakLimit(running: RunningExecution, violation: StatesTerminalError, how: 'abort' | 'throw'): void {
    running.violation ??= violation;
    if (how === 'abort') running.abort?.();
    else throw violation;
  }

  /** Follows the interpreter's event log: the history, state transitions and the limits on them. */
  private async readEventLog(running: RunningExecution, logs: AsyncGenerator<InterpreterEvent>): Promise<void> {
    const { record, history } = running;
    for await (const event of logs) {
      const added = history.record(event);
      if (event.type === 'StateEntered' || event.type === 'StateRetried') record.stateTransitions += 1;
      if (event.type === 'StateEntered') {
        running.currentState = event.state?.name;
        running.enteredInput = event.state?.input;
      }
      this.checkHistoryLimit(running, added);
      const violation = running.violation === undefined ? statePayloadViolation(event) : undefined;
      if (violation !== undefined) this.breakLimit(running, violation, 'abort');
    }
  }

  /** Ends the execution once `added` events bring its history to Step Functions' limit. */
  private checkHistoryLimit(running: RunningExecution, added: readonly HistoryEvent[]): void {
    if (running.violation !== undefined || added.length === 0) return;
    if (running.history.events.length < STEP_FUNCTIONS_LIMITS.historyEvents) return;
    this.breakLimit(
      running,
      new StatesTerminalError(
        'States.Runtime',
        `The execution history reached ${STEP_FUNCTIONS_LIMITS.historyEvents} events, the limit of a Standard execution`,
      ),
      'abort',
    );
  }

  /**
   * Runs before any task does its work: lets the event log catch up, then refuses to go on once
   * the execution has broken a limit or passed its timeout, so that nothing happens after it.
   */
  private async checkpoint(running: RunningExecution): Promise<void> {
    await drainEventLog();
    if (
      running.violation === undefined &&
      running.deadline !== undefined &&
      this.options.clock.now() >= running.deadline
    ) {
      this.breakLimit(running, this.timedOut(), 'throw');
    }
    if (running.violation !== undefined) throw running.violation;
  }

  private timedOut(): StatesTerminalError {
    return new StatesTerminalError(
      'States.Timeout',
      `The execution ran for its TimeoutSeconds (${this.timeoutSeconds} s)`,
      'TIMED_OUT',
    );
  }

  private taskHandlers(running: RunningExecution) {
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [name, state] of Object.entries(this.states)) {
      if (state.Type !== 'Task') continue;
      const work = this.taskWork(name, String(state.Resource), running);
      handlers[name] = async (input) => {
        // The token the parameters just read belongs to this attempt, whether or not its task waits for it.
        const token = running.mintedToken ?? newTaskToken();
        running.mintedToken = undefined;
        const visit: TaskVisit =
          running.retry?.state === name ? running.retry : { state: name, failedAttempts: 0, retrierAttempts: [] };
        running.retry = undefined;
        await this.checkpoint(running);
        const inputViolation = payloadViolation(input, `The input of ${name}`);
        if (inputViolation !== undefined) this.breakLimit(running, inputViolation, 'throw');
        const timeoutSeconds = this.taskTimeoutSeconds(name, state, running);
        const startedAt = this.options.clock.now();
        let result: Json;
        try {
          result = await work(input, { token, timeoutSeconds });
          // A request-response task's answer that comes after its timeout is a timeout.
          if (timeoutSeconds !== undefined && this.options.clock.now() - startedAt > timeoutSeconds * 1000) {
            throw this.taskTimedOut(running, name, timeoutSeconds);
          }
        } catch (error) {
          if (interpreterRetries(state, error, visit.retrierAttempts)) {
            running.retry = { ...visit, failedAttempts: visit.failedAttempts + 1 };
          }
          throw error;
        }
        const resultViolation = payloadViolation(result, `The result of ${name}`);
        if (resultViolation !== undefined) this.breakLimit(running, resultViolation, 'throw');
        return result;
      };
    }
    return handlers;
  }

  /**
   * The Task state's timeout for this attempt, from `TimeoutSeconds` or `TimeoutSecondsPath`
   * (read from the state's input); a path that gives anything but a whole number of seconds from 1
   * to the maximum fails the execution with `States.Runtime`, as in Step Functions. Callback tasks
   * without one time out after the maximum, Step Functions' default.
   */
  private taskTimeoutSeconds(name: string, state: StateJson, running: RunningExecution): number | undefined {
    if (state.TimeoutSeconds !== undefined) return state.TimeoutSeconds as number;
    const path = state.TimeoutSecondsPath;
    if (typeof path === 'string') {
      const seconds = readPath(running.enteredInput, path);
      if (!isTaskTimeout(seconds)) {
        this.breakLimit(
          running,
          new StatesTerminalError(
            'States.Runtime',
            `${name}: TimeoutSecondsPath ${path} gives ${JSON.stringify(seconds) ?? 'nothing'}; Step Functions takes a whole number of seconds from 1 to ${STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds}`,
          ),
          'throw',
        );
      }
      return seconds as number;
    }
    return String(state.Resource).endsWith(WAIT_FOR_TASK_TOKEN) ? STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds : undefined;
  }

  /** The error of a task that ran out of its `TimeoutSeconds`, which the history records as timed out. */
  private taskTimedOut(running: RunningExecution, name: string, seconds: number): StatesTaskError {
    running.history.noteTimeout();
    return new StatesTaskError('States.Timeout', `${name} timed out after ${seconds} s`);
  }

  /** What a Task state's resource does, locally. */
  private taskWork(
    name: string,
    resource: string,
    running: RunningExecution,
  ): (input: Json, attempt: TaskAttempt) => Promise<Json> {
    const { record } = running;
    if (resource === this.options.synthesized.pollFunctionArn) {
      return async (input) => {
        const payload = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
        // The interpreter stamps $$.Execution.StartTime from the real clock; the run keeps its own.
        if ('executionStartTime' in payload) payload.executionStartTime = new Date(record.startedAt).toISOString();
        const output = JSON.parse(
          JSON.stringify(await this.options.pollHandler(payload as unknown as Parameters<PollHandler>[0])),
        ) as Json;
        running.lastPollOutput = output;
        return output;
      };
    }
    if (resource.endsWith(':states:::events:putEvents')) {
      return (input) => Promise.resolve().then(() => this.putEvents(record, input));
    }
    if (resource.endsWith(':states:::states:startExecution')) {
      return (input) => Promise.resolve().then(() => this.startChild(record, input));
    }
    if (PUT_ITEM_WAITING_FOR_TOKEN.test(resource)) {
      return (input, attempt) => this.putItemAndWaitForToken(name, running, input, attempt);
    }
    return () => Promise.reject(new StatesTaskError('States.TaskFailed', `No local handler for ${name}: ${resource}`));
  }

  /**
   * The park task: PutItem to the local DynamoDB, then wait, on the run's clock, for the token's
   * `SendTaskSuccess` (its output is the result) or `SendTaskFailure` (its error), or for the
   * timeout (`States.Timeout`). A refused PutItem fails the task with DynamoDB's error, as the
   * AWS SDK integration names it. The execution's own timeout ends it during the wait.
   */
  private async putItemAndWaitForToken(
    name: string,
    running: RunningExecution,
    input: Json,
    attempt: TaskAttempt,
  ): Promise<Json> {
    const request = { ...(input as Record<string, unknown>) } as unknown as PutItemCommandInput;
    const table = this.options.watchTable;
    if (table !== undefined && request.TableName === this.options.synthesized.watchTableName) {
      request.TableName = table.tableName;
    }
    try {
      await this.dynamoDbClient().send(new PutItemCommand(request));
    } catch (error) {
      throw sdkIntegrationError('DynamoDb', error);
    }
    this.checkHistoryLimit(running, running.history.recordTaskSubmitted(name));
    if (running.violation !== undefined) throw running.violation;

    const { token } = attempt;
    let outcome: TokenOutcome | undefined;
    const woken = new AbortController();
    this.taskTokens.set(token, {
      executionName: running.record.name,
      stateName: name,
      settle: (settled) => {
        outcome = settled;
        const entry = this.taskTokens.get(token);
        if (entry !== undefined) entry.settle = undefined;
        running.openTokens.delete(token);
        woken.abort();
      },
    });
    running.openTokens.add(token);
    const now = this.options.clock.now();
    const timeoutAt = now + (attempt.timeoutSeconds ?? STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds) * 1000;
    const until = Math.min(timeoutAt, running.deadline ?? Infinity);
    await running.actor.sleep((until - now) / 1000, woken.signal);

    const settled = outcome;
    if (settled === undefined) this.taskTokens.get(token)?.settle?.({ kind: 'closed' });
    if (settled?.kind === 'success') return settled.output;
    if (settled?.kind === 'failure') throw new StatesTaskError(settled.error, settled.cause);
    if (settled === undefined && until >= timeoutAt) throw this.taskTimedOut(running, name, (timeoutAt - now) / 1000);
    // The execution timed out during the wait, or ended otherwise: nothing runs after it.
    if (settled === undefined) this.breakLimit(running, this.timedOut(), 'abort');
    throw running.violation ?? new StatesTerminalError('States.Runtime', `${running.record.name} ended during ${name}`);
  }

  /** The client of the local DynamoDB, made when a park task first needs it. */
  private dynamoDbClient(): DynamoDBClient {
    this.dynamoDb ??= new DynamoDBClient({
      // With no local DynamoDB, a port nothing listens on: the PutItem fails as an unreachable one would.
      endpoint: this.options.watchTable?.endpoint ?? 'http://127.0.0.1:9',
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // The integration makes one request; the state's Retry and Catch decide what follows a failure.
      maxAttempts: 1,
      // One connection kept for every park, as a long-running service keeps its own.
      requestHandler: { httpAgent: new Agent({ keepAlive: true }) },
    });
    return this.dynamoDb;
  }

  private putEvents(record: LocalExecution, input: Json): Json {
    const entries = (input as { Entries?: Record<string, unknown>[] }).Entries ?? [];
    const results: Json[] = [];
    for (const entry of entries) {
      const detail = entry.Detail;
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
        throw new StatesTaskError(
          'EventBridge.EventBridgeException',
          `Detail must be a JSON object; got ${JSON.stringify(detail)}`,
        );
      }
      const source = typeof entry.Source === 'string' ? entry.Source : '';
      const detailType = typeof entry.DetailType === 'string' ? entry.DetailType : '';
      const resources = [record.arn, this.options.synthesized.stateMachineArn];
      const size =
        14 +
        Buffer.byteLength(source) +
        Buffer.byteLength(detailType) +
        byteLength(detail) +
        resources.reduce((sum, r) => sum + Buffer.byteLength(r), 0);
      const refusal =
        size > EVENT_ENTRY_LIMIT_BYTES
          ? 'EntrySizeExceeded'
          : source === '' || source.startsWith('aws.')
            ? 'InvalidSource'
            : this.options.putEventsVerdict?.(entry);
      if (refusal !== undefined) {
        throw new StatesTaskError(
          'EventBridge.FailedEntry',
          JSON.stringify({ FailedEntryCount: 1, Entries: [{ ErrorCode: refusal }] }),
        );
      }
      const violations = eventSchemaViolations(detailType, detail);
      if (violations.length > 0) {
        const message = `${detailType} event of ${record.name} breaks its schema: ${violations.join('; ')}`;
        this.schemaViolations.push(message);
        throw new EventSchemaViolationError(message);
      }
      const event: PublishedEvent = {
        Source: source,
        DetailType: detailType,
        EventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
        Detail: detail as Record<string, unknown>,
        Resources: resources,
        Time: new Date(this.options.clock.now()).toISOString(),
        executionName: record.name,
      };
      this.events.push(event);
      record.events.push(event);
      this.options.onEvent?.(event);
      results.push({ EventId: randomUUID() });
    }
    return { Entries: results, FailedEntryCount: 0 };
  }

  private startChild(record: LocalExecution, input: Json): Json {
    const request = input as { StateMachineArn?: string; Name?: string; Input?: Json };
    if (request.StateMachineArn !== this.options.synthesized.stateMachineArn) {
      throw new StatesTaskError(
        'StepFunctions.StateMachineDoesNotExistException',
        `No state machine ${request.StateMachineArn}`,
      );
    }
    const fault = this.options.startExecutionFault?.();
    if (fault !== undefined) throw new StatesTaskError(fault.name, fault.message);
    const childInput = typeof request.Input === 'string' ? request.Input : JSON.stringify(request.Input ?? {});
    try {
      const child = this.startExecution(String(request.Name), childInput, record);
      return { ExecutionArn: child.arn, StartDate: new Date(this.options.clock.now()).toISOString() };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExistsError) {
        throw new StatesTaskError('StepFunctions.ExecutionAlreadyExistsException', error.message);
      }
      if (error instanceof InvalidExecutionNameError) {
        throw new StatesTaskError('StepFunctions.InvalidNameException', error.message);
      }
      throw error;
    }
  }

  /**
   * Wait durations, read from each Wait state's own `Seconds`/`SecondsPath` against its input, and
   * paced by the clock. A wait past the execution's timeout lasts until the timeout, which ends it.
   */
  private waitOverrides(running: RunningExecution): Record<string, number> {
    const overrides: Record<string, number> = {};
    for (const [name, state] of Object.entries(this.states)) {
      if (state.Type !== 'Wait') continue;
      Object.defineProperty(overrides, name, {
        enumerable: true,
        get: () => {
          // Between the poll task and a Wait state there are only a Choice and tasks whose result is discarded,
          // so the Wait state's input is the poll function's last output.
          const seconds =
            typeof state.Seconds === 'number'
              ? state.Seconds
              : Number(readPath(running.lastPollOutput, String(state.SecondsPath)));
          if (!Number.isInteger(seconds) || seconds < 0 || seconds > STEP_FUNCTIONS_LIMITS.waitSeconds) {
            const violation = new StatesTerminalError(
              'States.Runtime',
              `${name}: the wait is ${String(seconds)} s; Step Functions waits a whole number of seconds from 0 to ${STEP_FUNCTIONS_LIMITS.waitSeconds}`,
            );
            this.breakLimit(running, violation, 'throw');
          }
          const left = running.deadline === undefined ? Infinity : (running.deadline - this.options.clock.now()) / 1000;
          if (seconds < left) return this.options.clock.realMillisFor(seconds);
          const millis = this.options.clock.realMillisFor(Math.max(0, left));
          // Armed before the interpreter's own timer for the wait, so it fires first; the interpreter skips a wait
          // of 0 ms without a timer, so that the execution would go on past its end.
          setTimeout(() => this.breakLimit(running, this.timedOut(), 'abort'), millis);
          return Math.max(1, millis);
        },
      });
    }
    return overrides;
  }

  /**
   * Retry pauses as Step Functions takes them: the retrier's interval times its backoff rate to the
   * power of the retries it made before, capped by its maximum delay, and with full jitter a random
   * share of that; paced by the run's clock. Worked out once per failed attempt, when the
   * interpreter first reads it.
   */
  private retryOverrides(running: RunningExecution): Record<string, number[]> {
    const overrides: Record<string, number[]> = {};
    const random = this.options.random ?? Math.random;
    const paused = new WeakMap<TaskVisit, number>();
    for (const [name, state] of Object.entries(this.states)) {
      const retriers = state.Retry as RetrierJson[] | undefined;
      if (retriers === undefined) continue;
      const pauses: number[] = [];
      for (const [index, retrier] of retriers.entries()) {
        Object.defineProperty(pauses, index, {
          enumerable: true,
          get: () => {
            const visit = running.retry;
            if (visit === undefined || visit.state !== name) return this.options.clock.retryPauseMillis(0);
            const known = paused.get(visit);
            if (known !== undefined) return known;
            const millis = this.options.clock.retryPauseMillis(
              retryPauseSeconds(retrier, visit.retrierAttempts[index] ?? 1, random),
            );
            paused.set(visit, millis);
            return millis;
          },
        });
      }
      overrides[name] = pauses;
    }
    return overrides;
  }
}
