/**
 * What Step Functions records in a Standard execution's history (the event types of
 * `GetExecutionHistory`), derived from the local interpreter's own event log. It is written from
 * the Step Functions API's event types, apart from the poll function's accounting, so that a
 * local run checks that accounting instead of repeating it.
 */

/** The interpreter's event, as far as the history needs it. */
export interface InterpreterEvent {
  readonly type: string;
  /** The error of a state that failed. */
  readonly Error?: string;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input?: unknown;
    readonly output?: unknown;
  };
}

/** One event of an execution's history: its type and, for a state's events, the state. */
export interface HistoryEvent {
  readonly type: string;
  readonly stateName?: string;
  /** The error of a task's failure (`TaskFailed`, `LambdaFunctionFailed`), as its details name it. */
  readonly error?: string;
}

/**
 * How a Task state's work is recorded: a Lambda invocation, a callback (`.waitForTaskToken`)
 * integration, or any other service integration.
 */
type TaskKind = 'lambda' | 'callback' | 'service';

/** The suffix of a Task state's `Resource` that makes it wait for its task token. */
export const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';

const TASK_EVENTS: Readonly<
  Record<TaskKind, { entered: string[]; attempt: string[]; succeeded: string[]; failed: string[]; timedOut: string[] }>
> = {
  lambda: {
    entered: ['TaskStateEntered'],
    attempt: ['LambdaFunctionScheduled', 'LambdaFunctionStarted'],
    succeeded: ['LambdaFunctionSucceeded'],
    failed: ['LambdaFunctionFailed'],
    timedOut: ['LambdaFunctionTimedOut'],
  },
  // TaskSubmitted comes between TaskStarted and the outcome, once the request that carries the
  // token is accepted: the runner records it then (recordTaskSubmitted). A timeout is TaskTimedOut.
  callback: {
    entered: ['TaskStateEntered'],
    attempt: ['TaskScheduled', 'TaskStarted'],
    succeeded: ['TaskSucceeded'],
    failed: ['TaskFailed'],
    timedOut: ['TaskTimedOut'],
  },
  // Request-response integrations record TaskSubmitted with the service's answer for some services;
  // counting it for every one keeps the local count an upper bound.
  service: {
    entered: ['TaskStateEntered'],
    attempt: ['TaskScheduled', 'TaskStarted'],
    succeeded: ['TaskSubmitted', 'TaskSucceeded'],
    failed: ['TaskFailed'],
    timedOut: ['TaskTimedOut'],
  },
};

const EXECUTION_EVENTS: Readonly<Record<string, string>> = {
  ExecutionStarted: 'ExecutionStarted',
  ExecutionSucceeded: 'ExecutionSucceeded',
  ExecutionFailed: 'ExecutionFailed',
  ExecutionAborted: 'ExecutionAborted',
  ExecutionTimeout: 'ExecutionTimedOut',
};

/**
 * Turns one execution's interpreter events into Step Functions history event types, in order.
 * `resourceOf` gives a state's `Resource`, which tells Lambda tasks and callback
 * (`.waitForTaskToken`) tasks from other integrations.
 */
export class ExecutionHistory {
  /** The history so far. */
  public readonly events: HistoryEvent[] = [];
  private failedAttempt = false;
  /** The attempt failing next ran out of its `TimeoutSeconds`, rather than failing. */
  private attemptTimedOut = false;
  private ended = false;

  constructor(private readonly resourceOf: (stateName: string) => unknown) {}

  /** Records one interpreter event; returns the history events it added. */
  record(event: InterpreterEvent): readonly HistoryEvent[] {
    // An execution ends once; an abort racing the interpreter's own end adds nothing after it.
    if (this.ended) return [];
    const stateName = event.state?.name;
    const added = this.translate(event).map((type): HistoryEvent => {
      if (stateName !== undefined && type.includes('State')) return { type, stateName };
      return type.endsWith('Failed') && event.Error !== undefined && event.type === 'StateFailed'
        ? { type, error: event.Error }
        : { type };
    });
    this.ended = EXECUTION_EVENTS[event.type] !== undefined && event.type !== 'ExecutionStarted';
    this.events.push(...added);
    return added;
  }

  /**
   * Records that a callback task's request, carrying its token, was accepted (`TaskSubmitted`);
   * returns the history events it added.
   */
  recordTaskSubmitted(stateName: string): readonly HistoryEvent[] {
    if (this.ended || this.taskKind(stateName) !== 'callback') return [];
    const added = [{ type: 'TaskSubmitted' }];
    this.events.push(...added);
    return added;
  }

  /** Notes that the Task state's current attempt timed out: its failure is recorded as a timeout. */
  noteTimeout(): void {
    this.attemptTimedOut = true;
  }

  private taskKind(stateName: string): TaskKind {
    const resource = this.resourceOf(stateName);
    if (typeof resource !== 'string') return 'service';
    if (resource.endsWith(WAIT_FOR_TASK_TOKEN)) return 'callback';
    return resource.includes(':lambda:') ? 'lambda' : 'service';
  }

  private translate(event: InterpreterEvent): string[] {
    const execution = EXECUTION_EVENTS[event.type];
    if (execution !== undefined) return [execution];
    const state = event.state;
    if (state === undefined) return [];
    const isTask = state.type === 'Task';
    const task = isTask ? TASK_EVENTS[this.taskKind(state.name)] : undefined;
    switch (event.type) {
      case 'StateEntered':
        this.failedAttempt = false;
        return task === undefined ? [`${state.type}StateEntered`] : [...task.entered, ...task.attempt];
      case 'StateFailed': {
        this.failedAttempt = true;
        const timedOut = this.attemptTimedOut;
        this.attemptTimedOut = false;
        return (timedOut ? task?.timedOut : task?.failed) ?? [];
      }
      case 'StateRetried':
        this.failedAttempt = false;
        return task?.attempt ?? [];
      case 'StateExited':
        // A Fail state ends the execution without leaving; a caught task leaves without succeeding.
        if (state.type === 'Fail') return [];
        if (task === undefined) return [`${state.type}StateExited`];
        return this.failedAttempt ? ['TaskStateExited'] : [...task.succeeded, 'TaskStateExited'];
      default:
        return [];
    }
  }
}
