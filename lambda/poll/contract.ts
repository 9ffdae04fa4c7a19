/**
 * What the state machine and the poll function pass each other. The state machine's
 * definition embeds a {@link PollerConfig}; every invocation gets it with the state's input.
 */
import type { POLL_ACTIONS } from '../../lib/poll-contract';
import type { ErrorRetryConfig, PollerConfig } from '../../lib/poller-config';
import type { ParkRequest } from '../../lib/sweep-contract';

export type { ErrorRetryConfig, PollerConfig };

/**
 * What the poller knows about a task between polls; small, and carried across executions. Only
 * bounded values are copied into it from answers: a well-formed graph id, a plausible status.
 */
export interface WatchState {
  /** The contract version of the function that wrote it: this release's or the one before. */
  readonly contractVersion: number;
  readonly taskId: string;
  /** The task's graph: from the request, or from an answer that names a well-formed one. */
  readonly graphId: string | null;
  /** Epoch milliseconds of the first step of the first execution: the watch's start. */
  readonly watchStartedAt: number;
  /** Epoch milliseconds after which the watch gives up with `TIMED_OUT`. */
  readonly deadline: number;
  readonly pollCount: number;
  /** Failed polls in a row, "not found" answers retried during the grace left out; they raise the retry backoff. */
  readonly consecutiveErrors: number;
  /**
   * Epoch milliseconds of the first failed poll of the current run of failures; absent when the
   * last poll was answered. The run ends the watch once it has lasted `errorRetry.budgetSeconds`.
   */
  readonly failingSince?: number;
  /**
   * True when an earlier watch of the same task ended with a Monitoring Failed event: the terminal
   * event of this watch says so, for consumers who acted on that failure.
   */
  readonly followsMonitoringFailure?: boolean;
  /**
   * "Not found" answers retried during the not-found grace, before the first answer; absent when
   * none. They raise the retry backoff like failed polls, but do not count toward the limit.
   */
  readonly notFoundPolls?: number;
  /** The last status answered, or `null` before the first answer. */
  readonly lastStatus: string | null;
  /** Execution number in a chain of continued executions; 0 for the first. */
  readonly generation: number;
  /** History events the current execution has used, as accounted by the poll function. */
  readonly historyEvents: number;
  /** Name of the watch's first execution, which its continued executions' names extend. */
  readonly watchName: string;
  /** Whatever the polling strategy remembers between polls. */
  readonly strategyMemory: Record<string, unknown>;
}

/** One event for the state machine to put. */
export interface EventToPublish {
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

/** What the poll function tells the state machine to do next. */
export type PollDecision =
  | {
      /** Wait `waitSeconds`, then poll again; publish `event` first when present. */
      readonly action: typeof POLL_ACTIONS.wait;
      readonly waitSeconds: number;
      readonly watch: WatchState;
      readonly event?: EventToPublish;
      /** What the park task writes to the watch table, when a sweep can wake the wait (`config.sweep`). */
      readonly park?: ParkRequest;
      /** With `park`: the wait instead, when the park task cannot write its item; at most `waitSeconds`. */
      readonly parkFailedWaitSeconds?: number;
    }
  | {
      /** Publish `event`, the terminal one, and end. */
      readonly action: typeof POLL_ACTIONS.finish;
      readonly event: EventToPublish;
    }
  | {
      /** Start a new execution named `executionName` with `input`, and end this one. */
      readonly action: typeof POLL_ACTIONS.continue;
      readonly executionName: string;
      readonly input: { readonly watch: WatchState };
    }
  | {
      /**
       * Put `watchRequest`, the detail of a watch request for the task, and end: an execution
       * started directly under a name of its own hands its task to the start function, which
       * watches it as it watches every task asked for.
       */
      readonly action: typeof POLL_ACTIONS.handedOver;
      readonly watchRequest: Record<string, unknown>;
    };

/** The payload the state machine sends the poll function. */
export interface PollRequest {
  readonly config: PollerConfig;
  /** The state's input: an execution input, or the previous decision. */
  readonly input: unknown;
  /** Name of the execution (`$$.Execution.Name`). */
  readonly executionName: string;
  /** When the execution started (`$$.Execution.StartTime`, ISO-8601). */
  readonly executionStartTime: string;
  /** Failed attempts of this invocation before this one (`$$.State.RetryCount`). */
  readonly retryCount?: number;
}

/** The payload the state machine sends the poll function after the poll step failed for good. */
export interface PollFailureReport {
  readonly config: PollerConfig;
  /** The poll step's input, with the caught error under `pollFailure`. */
  readonly failed: unknown;
}
