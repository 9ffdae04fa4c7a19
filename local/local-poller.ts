/**
 * Runs the synthesized state machine in a local ASL interpreter (aws-local-stepfunctions),
 * with the real poll handler behind its Lambda task, a recording EventBridge behind its
 * PutEvents tasks, and itself behind its StartExecution task, so that a chain of continued
 * executions runs here as it would in Step Functions.
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { HISTORY_EVENTS_PER_STATE, historyEventsOfState } from '../lambda/poll/history-accounting';
import type { PollHandler } from '../lambda/poll/poll-handler';
import { executionNameFor, isTaskId } from '../lib/identifiers';
import type { LocalClock } from './clock';
import { eventSchemaViolations } from './event-schema-validation';
import type { SynthesizedPoller } from './synthesized-poller';

/** Step Functions' limit on a state's input or output, in bytes. */
export const STATE_PAYLOAD_LIMIT_BYTES = 262_144;
/** EventBridge's limit on one entry, in bytes. */
export const EVENT_ENTRY_LIMIT_BYTES = 262_144;

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
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { readonly name: string; readonly message: string };
  /** States entered, retries included: what Step Functions bills as state transitions. */
  stateTransitions: number;
  /** The history events Step Functions would have recorded, counted from the interpreter's event log. */
  historyEvents: number;
  readonly children: LocalExecution[];
  readonly events: PublishedEvent[];
  /** Settles when the execution ends, never rejects. */
  readonly done: Promise<void>;
}

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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StateJson = Record<string, unknown> & { Type: string };

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

function checkPayload(value: unknown, what: string): void {
  const bytes = byteLength(value);
  if (bytes > STATE_PAYLOAD_LIMIT_BYTES) {
    throw new StatesTaskError(
      'States.DataLimitExceeded',
      `${what} is ${bytes} bytes; Step Functions allows ${STATE_PAYLOAD_LIMIT_BYTES}`,
    );
  }
}

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

/** The synthesized state machine, run locally. */
export class LocalPoller {
  /** Every event put, in order. */
  public readonly events: PublishedEvent[] = [];
  /** Every execution, by name. */
  public readonly executions = new Map<string, LocalExecution>();
  /** Events that broke their shipped schema; each also failed its execution. */
  public readonly schemaViolations: string[] = [];
  private readonly states: Record<string, StateJson>;
  private readonly machine: StateMachine;

  constructor(private readonly options: LocalPollerOptions) {
    this.states = options.synthesized.definition.States as Record<string, StateJson>;
    this.machine = new StateMachine(options.synthesized.definition as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
  }

  /**
   * Starts an execution, as `StartExecution` does: a name in use by a running execution with
   * the same input returns that execution; any other use of a taken name is refused.
   */
  startExecution(name: string, input: string, parent?: LocalExecution): LocalExecution {
    const existing = this.executions.get(name);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ExecutionAlreadyExistsError(`Execution Already Exists: '${existing.arn}'`);
    }
    const arn = `${this.options.synthesized.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    let settle!: () => void;
    const record: LocalExecution = {
      name,
      arn,
      input,
      ...(parent === undefined ? {} : { startedBy: parent.arn }),
      status: 'RUNNING',
      stateTransitions: 0,
      historyEvents: 0,
      children: [],
      events: [],
      done: new Promise<void>((resolve) => (settle = resolve)),
    };
    this.executions.set(name, record);
    parent?.children.push(record);
    void this.run(record).finally(settle);
    return record;
  }

  /** Starts watching as a direct execution would, and resolves when the chain of executions ends. */
  async watch(input: unknown): Promise<WatchOutcome> {
    const taskId = typeof input === 'object' && input !== null ? (input as { taskId?: unknown }).taskId : undefined;
    const name = isTaskId(taskId) ? executionNameFor(taskId, 0) : `direct-${randomUUID()}`;
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

  private async run(record: LocalExecution): Promise<void> {
    const context = { lastPollOutput: undefined as unknown };
    const execution = this.machine.run(JSON.parse(record.input) as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(record, context),
        waitTimeOverrides: this.waitOverrides(context),
        retryIntervalOverrides: this.retryOverrides(),
      },
      context: {
        Execution: { Id: record.arn, Name: record.name },
        StateMachine: { Id: this.options.synthesized.stateMachineArn, Name: 'NeptuneImportPoller' },
      },
    });
    const counting = this.countHistory(record, execution.eventLogs as AsyncGenerator<Record<string, unknown>>);
    try {
      record.output = await execution.result;
      record.status = 'SUCCEEDED';
    } catch (error) {
      record.status = 'FAILED';
      const cause = (error as { cause?: unknown }).cause;
      const named = (cause instanceof Error ? cause : error) as Error;
      record.error = { name: named.name, message: named.message };
    }
    await counting;
  }

  private async countHistory(record: LocalExecution, logs: AsyncGenerator<Record<string, unknown>>): Promise<void> {
    const E = HISTORY_EVENTS_PER_STATE;
    for await (const event of logs) {
      const state = event.state as { name: string; type: string } | undefined;
      switch (event.type) {
        case 'ExecutionStarted':
          record.historyEvents += E.executionStart;
          break;
        case 'ExecutionSucceeded':
        case 'ExecutionFailed':
          record.historyEvents += E.executionEnd;
          break;
        case 'StateEntered':
          record.stateTransitions += 1;
          if (state !== undefined)
            record.historyEvents += historyEventsOfState(state.type, this.states[state.name]?.Resource);
          break;
        case 'StateRetried':
          record.stateTransitions += 1;
          record.historyEvents += E.retriedAttempt;
          break;
        default:
          break;
      }
    }
  }

  private taskHandlers(record: LocalExecution, context: { lastPollOutput: unknown }) {
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [name, state] of Object.entries(this.states)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource === this.options.synthesized.pollFunctionArn) {
        handlers[name] = async (input) => {
          checkPayload(input, `The input of ${name}`);
          const payload = JSON.parse(JSON.stringify(input)) as Parameters<PollHandler>[0];
          const output = JSON.parse(JSON.stringify(await this.options.pollHandler(payload))) as Json;
          checkPayload(output, `The output of ${name}`);
          context.lastPollOutput = output;
          return output;
        };
      } else if (resource.endsWith(':states:::events:putEvents')) {
        handlers[name] = (input) => Promise.resolve().then(() => this.putEvents(record, input));
      } else if (resource.endsWith(':states:::states:startExecution')) {
        handlers[name] = (input) => Promise.resolve().then(() => this.startChild(record, input));
      } else {
        handlers[name] = () =>
          Promise.reject(new StatesTaskError('States.TaskFailed', `No local handler for resource ${resource}`));
      }
    }
    return handlers;
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
      throw error;
    }
  }

  /** Wait durations, read from each Wait state's own `Seconds`/`SecondsPath` against its input, and paced by the clock. */
  private waitOverrides(context: { lastPollOutput: unknown }): Record<string, number> {
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
              : Number(readPath(context.lastPollOutput, String(state.SecondsPath)));
          if (!Number.isInteger(seconds) || seconds < 0) {
            throw new StatesTaskError(
              'States.Runtime',
              `${name}: SecondsPath gave ${String(seconds)}, not a whole number of seconds`,
            );
          }
          return this.options.clock.realMillisFor(seconds);
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
