/**
 * The settings a deployed poller hands its poll function, embedded in the state machine's
 * definition. No dependency on aws-cdk-lib: the poll function reads these types too.
 */

/** Waits a fixed interval. */
export interface FixedPollingConfig {
  readonly kind: 'fixed';
  readonly intervalSeconds: number;
  /** Fraction in [0, 1): each wait is drawn uniformly from [interval × (1 − jitter), interval]. */
  readonly jitter: number;
}

/** Waits `initial × growthRate^(n−1)` before poll n+1, capped at `maxWaitSeconds`. */
export interface ExponentialPollingConfig {
  readonly kind: 'exponential';
  readonly initialWaitSeconds: number;
  readonly maxWaitSeconds: number;
  readonly growthRate: number;
  /** Fraction in [0, 1): each wait is drawn uniformly from [wait × (1 − jitter), wait]. */
  readonly jitter: number;
}

/** Estimates the end from the import's progress and polls just before and after it. */
export interface ProgressAwarePollingConfig {
  readonly kind: 'progress-aware';
  /** Shortest wait: the interval at which the end itself is caught. */
  readonly minWaitSeconds: number;
  /** Longest wait. */
  readonly maxWaitSeconds: number;
  /** Share of the estimated remaining time to wait before looking again, in (0, 1). */
  readonly approachFactor: number;
  /** Share of the time already spent in a phase without progress to wait before looking again. */
  readonly idleFactor: number;
  /** Fraction in [0, 1): each wait is drawn uniformly from [wait × (1 − jitter), wait]. */
  readonly jitter: number;
}

/** Any polling strategy's settings. */
export type PollingStrategyConfig = FixedPollingConfig | ExponentialPollingConfig | ProgressAwarePollingConfig;

/** How failed `GetImportTask` requests are retried: exponential backoff with full jitter, for a time budget. */
export interface ErrorRetryConfig {
  /**
   * Seconds a run of failed requests may last, from its first failure, before the watch ends with
   * the failure's reason; the last retry is sent when the budget ends.
   */
  readonly budgetSeconds: number;
  /** Upper bound of the first retry's wait. */
  readonly initialIntervalSeconds: number;
  /** Upper bound of any retry's wait. */
  readonly maxIntervalSeconds: number;
  /** Growth of the upper bound per failure. */
  readonly backoffRate: number;
}

/** Settings of one poller, fixed when it is deployed. */
export interface PollerConfig {
  /** The contract version of the definition (`CONTRACT_VERSION`), the same as its poll function's. */
  readonly contractVersion: number;
  /** How long a task is watched, counted from the first step of the first execution. */
  readonly timeoutSeconds: number;
  /** How long to wait between polls of a running task. */
  readonly polling: PollingStrategyConfig;
  /** How failed polls are retried. */
  readonly errorRetry: ErrorRetryConfig;
  /** Whether every status change is published, not only the terminal one. */
  readonly emitStatusChanges: boolean;
  /** History events one execution may use before the watch continues in a new execution. */
  readonly historyEventBudget: number;
  /**
   * The state machine's `TimeoutSeconds`: an execution that has run within a day of it hands the
   * watch to a new execution.
   */
  readonly executionTimeoutSeconds: number;
  /**
   * Seconds from the start of a watch during which `GetImportTask` answering "not found" for a
   * task never seen yet is retried, since a task just started may not be visible at once; 0 turns
   * the grace off.
   */
  readonly notFoundGraceSeconds: number;
  /**
   * Present when a sweep can wake waiting watches: each wait is then parked in the watch table
   * (a `.waitForTaskToken` task), and each WAIT decision carries what to park. Absent when the
   * sweep is off.
   */
  readonly sweep?: SweepConfig;
}

/** The sweep, as the poll function sees it. */
export interface SweepConfig {
  /** Seconds between two scheduled sweeps. */
  readonly periodSeconds: number;
}
