/**
 * Progress-aware polling: estimate when the import will end from its progress and poll just
 * before and after that moment, instead of guessing.
 *
 * - While the import reports progress, the remaining time is estimated from the fastest of three
 *   rates (since the phase began, since the previous poll, and before a stall) and the next poll comes after a
 *   share (`approachFactor`) of it: waits shrink geometrically as the end nears, down to
 *   `minWaitSeconds`, the interval at which the end itself is caught.
 * - In phases without progress (INITIALIZING, ANALYZING_DATA, REPROVISIONING, statuses this code
 *   does not know, or IMPORTING at 0 %) the wait grows with the time already spent in the phase
 *   (`idleFactor`).
 * - ROLLING_BACK and CANCELLING end the import soon: poll at `minWaitSeconds`.
 * - Guards: during a stall the pace seen before it is kept (progress may resume at any moment),
 *   so waits do not stretch; a jump raises the pace; progress that falls back by more than ten
 *   points, a new `attemptNumber` or a new phase start the estimate again; with one sample of a
 *   phase the wait is at most a tenth of the time since the previous poll; and no wait looks
 *   further ahead than the phase has been watched (`idleFactor`). Every wait lies between the
 *   minimum and maximum, and is jittered.
 */
import type { ProgressAwarePollingConfig } from '../../../lib/poller-config';
import { applyJitter, toWaitSeconds, type WaitAnswer, type WaitQuestion } from './strategy';

/** Statuses after which the import ends soon, whatever its progress. */
const ENDING_STATUSES = new Set(['ROLLING_BACK', 'CANCELLING']);

/** A fall in progress larger than this many points means the import started over. */
const RESTART_DROP = 10;

/** Points of progress the reported whole number may hide. */
const QUANTUM = 1;

/** With one sample of a phase, wait at most this share of the time since the previous poll (or the phase's start). */
const FIRST_SAMPLE_SHARE = 0.1;

/** What the strategy carries from one poll to the next (short keys: it travels in every state). */
interface ProgressMemory {
  /** Status and attempt of the phase being timed. */
  readonly status?: string;
  readonly attempt?: number;
  /** Estimated start of the phase, epoch ms. */
  readonly since?: number;
  /** Time of the previous answer. */
  readonly at?: number;
  /** Highest progress seen in this phase, as of the previous answer. */
  readonly peak?: number;
  /** The last rate measured while progress advanced, points per second: the pace to expect after a stall. */
  readonly rate?: number;
}

function readMemory(memory: Readonly<Record<string, unknown>>): ProgressMemory {
  const number = (key: string): number | undefined => {
    const value = memory[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  return {
    ...(typeof memory.status === 'string' ? { status: memory.status } : {}),
    ...(number('attempt') === undefined ? {} : { attempt: number('attempt') }),
    ...(number('since') === undefined ? {} : { since: number('since') }),
    ...(number('at') === undefined ? {} : { at: number('at') }),
    ...(number('peak') === undefined ? {} : { peak: number('peak') }),
    ...(number('rate') === undefined ? {} : { rate: number('rate') }),
  };
}

/** Where the current phase began: the import's start for its first phase, else between the last two polls. */
function phaseStart(question: WaitQuestion, previous: ProgressMemory, samePhase: boolean): number {
  const { observation } = question;
  if (samePhase && previous.since !== undefined) return previous.since;
  if (previous.at !== undefined) return (previous.at + observation.at) / 2;
  const elapsed = observation.timeElapsedSeconds;
  return elapsed !== undefined && elapsed >= 0 ? observation.at - elapsed * 1000 : observation.at;
}

/** Progress rates, in points per second, of the current phase. */
interface Rates {
  /** Since the phase began. */
  readonly average: number;
  /** Since the previous poll; undefined when that poll was in another phase. */
  readonly recent?: number;
  /** The last rate measured while progress advanced. */
  readonly active?: number;
}

function measureRates(
  progress: number,
  now: number,
  since: number,
  previous: ProgressMemory,
  samePhase: boolean,
): Rates {
  const phaseSeconds = (now - since) / 1000;
  const average = phaseSeconds > 0 ? progress / phaseSeconds : 0;
  if (!samePhase || previous.at === undefined || previous.peak === undefined || now <= previous.at) return { average };
  // Progress is reported in whole points: between two polls it may have advanced up to one more.
  const recent = (progress - previous.peak + QUANTUM) / ((now - previous.at) / 1000);
  const active = progress > previous.peak ? recent : previous.rate;
  return { average, recent, ...(active === undefined ? {} : { active }) };
}

/**
 * Seconds until the import is expected to reach 100 %, at the fastest pace it has shown: since
 * the phase began, since the previous poll, or before a stall. Undefined when it has shown none.
 */
function estimateRemainingSeconds(progress: number, rates: Rates): number | undefined {
  const rate = Math.max(rates.average, rates.recent ?? 0, rates.active ?? 0);
  return rate > 0 ? Math.max(0, 100 - progress) / rate : undefined;
}

/** Seconds to wait before the next poll, by progress when there is some, by time in the phase when not. */
export function progressAwareWait(config: ProgressAwarePollingConfig, question: WaitQuestion): WaitAnswer {
  const { observation } = question;
  const now = observation.at;
  const previous = readMemory(question.memory);
  const attempt = observation.attemptNumber ?? previous.attempt ?? 1;
  const reported = observation.progressPercentage;
  const restarted = reported !== undefined && previous.peak !== undefined && reported < previous.peak - RESTART_DROP;
  const samePhase = observation.status === previous.status && attempt === previous.attempt && !restarted;
  const since = phaseStart(question, previous, samePhase);
  const peak = Math.max(reported ?? 0, samePhase ? (previous.peak ?? 0) : 0);
  const clamp = (seconds: number): number => Math.min(config.maxWaitSeconds, Math.max(config.minWaitSeconds, seconds));

  const rates = measureRates(peak, now, since, previous, samePhase);
  const phaseSeconds = Math.max(0, (now - since) / 1000);
  // Never look further ahead than the phase has been watched: a young phase's pace is a guess.
  const horizon = config.idleFactor * phaseSeconds;
  let seconds: number;
  if (ENDING_STATUSES.has(observation.status)) {
    seconds = config.minWaitSeconds;
  } else {
    const remaining = reported === undefined ? undefined : estimateRemainingSeconds(peak, rates);
    if (remaining === undefined) {
      seconds = clamp(horizon);
    } else if (rates.recent === undefined) {
      // One sample of this phase: the pace is unknown until the next, so look again soon.
      const sinceReference = (now - (previous.at ?? since)) / 1000;
      seconds = clamp(Math.min(config.approachFactor * remaining, FIRST_SAMPLE_SHARE * sinceReference));
    } else {
      seconds = clamp(Math.min(config.approachFactor * remaining, horizon));
    }
  }

  const memory: ProgressMemory = {
    status: observation.status,
    attempt,
    since,
    at: now,
    peak,
    ...(rates.active === undefined ? {} : { rate: rates.active }),
  };
  return {
    waitSeconds: toWaitSeconds(applyJitter(seconds, config.jitter, question.random)),
    memory: { ...memory },
  };
}
