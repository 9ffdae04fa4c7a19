import type {
  ExponentialPollingConfig,
  FixedPollingConfig,
  PollingStrategyConfig,
  ProgressAwarePollingConfig,
} from '../../../lib/poller-config';

export type { ExponentialPollingConfig, FixedPollingConfig, PollingStrategyConfig, ProgressAwarePollingConfig };

/**
 * Polling strategies decide how long to wait before the next poll of a running import.
 * They are pure: the poll function, the tests and the benchmark call the same code.
 */

/** What one answered poll showed. */
export interface PollObservation {
  /** Epoch milliseconds of the answer. */
  readonly at: number;
  readonly status: string;
  /** `importTaskDetails.progressPercentage`, when reported. */
  readonly progressPercentage?: number;
  /** `importTaskDetails.timeElapsedSeconds`, when reported. */
  readonly timeElapsedSeconds?: number;
  readonly attemptNumber?: number;
}

/** What a strategy is asked. */
export interface WaitQuestion {
  readonly observation: PollObservation;
  /** Answered or not, polls sent so far, this one included. */
  readonly pollCount: number;
  /** What the strategy remembered after the previous poll; `{}` at first. */
  readonly memory: Readonly<Record<string, unknown>>;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/** A strategy's answer. */
export interface WaitAnswer {
  /** Whole seconds, at least 1. */
  readonly waitSeconds: number;
  /** Carried to the next question. Keep it small: it travels in every state. */
  readonly memory: Record<string, unknown>;
}

/** Lowers `seconds` by a uniform share of up to `jitter`, so that watches started together drift apart. */
export function applyJitter(seconds: number, jitter: number, random: () => number): number {
  return seconds * (1 - jitter * random());
}

/** Rounds a wait to the whole seconds a Wait state takes, never below one. */
export function toWaitSeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds));
}
