/**
 * Runs the synthesized state machine in a local ASL interpreter (aws-local-stepfunctions),
 * with the real poll handler behind its Lambda task, a recording EventBridge behind its
 * PutEvents tasks, and itself behind its StartExecution task, so that a chain of continued
 * executions runs here as it would in Step Functions.
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { PollHandler } from '../lambda/poll/poll-handler';
import { isTaskId, watchExecutionName } from '../lib/identifiers';
import type { LocalClock } from './clock';
import { eventSchemaViolations } from './event-schema-validation';
import { ExecutionHistory, type HistoryEvent, type InterpreterEvent } from './step-functions-history';
import type { SynthesizedPoller } from './synthesized-poller';

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

/** What the runner keeps of an execution while it runs. */
interface RunningExecution {
  readonly record: LocalExecution;
  readonly history: ExecutionHistory;
  /** Epoch milliseconds on the run's clock when the execution times out; undefined without `TimeoutSeconds`. */
  readonly deadline: number | undefined;
  /** The first limit the execution broke; it ends the execution. */
  violation?: StatesTerminalError;
  /** Ends the interpreter's run. */
  abort?: () => void;
  /** Failed attempts of each Task state's current visit, for `$$.State.RetryCount`. */
  readonly failedAttempts: Map<string, number>;
  /** The state being run, for the context object. */
  currentState?: string;
  lastPollOutput?: unknown;
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
  private readonly states: Record<string, StateJson>;
  private readonly machine: StateMachine;
  /** The definition's `TimeoutSeconds`, enforced on the run's clock rather than by a Node timer. */
  private readonly timeoutSeconds: number | undefined;

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
    this.machine = new StateMachine(definition as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
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
      deadline: this.timeoutSeconds === undefined ? undefined : startedAt + this.timeoutSeconds * 1000,
      failedAttempts: new Map(),
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
        retryIntervalOverrides: this.retryOverrides(),
      },
      context: {
        Execution: { Id: record.arn, Name: record.name },
        StateMachine: { Id: this.options.synthesized.stateMachineArn, Name: 'NeptuneImportPoller' },
        State: {
          get Name() {
            return running.currentState;
          },
          get RetryCount() {
            return running.failedAttempts.get(running.currentState ?? '') ?? 0;
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
    try {
      await this.options.onExecutionEnded?.(record);
    } catch (error) {
      // In AWS, EventBridge would retry the delivery and then keep it in the dead-letter queue.
      this.undeliveredEnds.push({ executionName: record.name, error: String(error) });
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
        if (event.state !== undefined) running.failedAttempts.delete(event.state.name);
      }
      if (running.violation !== undefined) continue;
      const violation =
        history.events.length >= STEP_FUNCTIONS_LIMITS.historyEvents && added.length > 0
          ? new StatesTerminalError(
              'States.Runtime',
              `The execution history reached ${STEP_FUNCTIONS_LIMITS.historyEvents} events, the limit of a Standard execution`,
            )
          : statePayloadViolation(event);
      if (violation !== undefined) this.breakLimit(running, violation, 'abort');
    }
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
        await this.checkpoint(running);
        const inputViolation = payloadViolation(input, `The input of ${name}`);
        if (inputViolation !== undefined) this.breakLimit(running, inputViolation, 'throw');
        let result: Json;
        try {
          result = await work(input);
        } catch (error) {
          running.failedAttempts.set(name, (running.failedAttempts.get(name) ?? 0) + 1);
          throw error;
        }
        const resultViolation = payloadViolation(result, `The result of ${name}`);
        if (resultViolation !== undefined) this.breakLimit(running, resultViolation, 'throw');
        return result;
      };
    }
    return handlers;
  }

  /** What a Task state's resource does, locally. */
  private taskWork(name: string, resource: string, running: RunningExecution): (input: Json) => Promise<Json> {
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
    return () => Promise.reject(new StatesTaskError('States.TaskFailed', `No local handler for ${name}: ${resource}`));
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
          // Armed before the interpreter's own timer for the wait, so it fires first.
          setTimeout(() => this.breakLimit(running, this.timedOut(), 'abort'), millis);
          return millis;
        },
      });
    }
    return overrides;
  }

  /** Retry pauses: each retrier's first interval, paced by the clock (backoff and jitter are not simulated). */
  private retryOverrides(): Record<string, number[]> {
    const overrides: Record<string, number[]> = {};
    for (const [name, state] of Object.entries(this.states)) {
      const retriers = state.Retry as { IntervalSeconds?: number }[] | undefined;
      if (retriers === undefined) continue;
      overrides[name] = retriers.map((retrier) => this.options.clock.retryPauseMillis(retrier.IntervalSeconds ?? 1));
    }
    return overrides;
  }
}
