/** Runs a schedule against a simulated import and measures what a user would see. */
import { wakeMatters } from '../lambda/sweep/sweep-memory';
import { importStateAt, timelineSeconds, type ImportTimeline } from '../local/import-timeline';
import type { SweepListing, SweepModel } from './listing';
import type { ScheduleFactory } from './schedules';
import type { SimulatedImport } from './workload';

/** What one watch did. */
export interface WatchResult {
  readonly polls: number;
  /** WAIT decisions. */
  readonly waits: number;
  /** Waits parked in the watch table (one write each), where a sweep can wake them. */
  readonly parks: number;
  /** Seconds from the import's end to the poll that saw it; undefined when never seen. */
  readonly latencySeconds?: number;
  /** Seconds from the restart (the first attempt's end) to the first poll after it; undefined without one or unseen. */
  readonly restartLatencySeconds?: number;
  /** Polls that a sweep woke. */
  readonly wakes: number;
  /** Sweeps that would have woken the watch but did not read the page its task was listed on. */
  readonly missedBySweep: number;
  /**
   * Watch-table writes of the sweep for this import: a record when a sweep lists the task before
   * its watch first parked, and the removal of the stale token when a sweep lists it after its
   * watch ended.
   */
  readonly sweepWrites: number;
}

/** The sweep a watch is simulated with, and which import of the listing it watches. */
export interface SweepContext {
  readonly listing: SweepListing;
  readonly index: number;
}

/** The moment, as epoch ms, the simulated imports start. */
const EPOCH = Date.UTC(2026, 0, 1);

/** Status the import reports `elapsedSeconds` after it started (what a listing shows). */
export function statusAt(timeline: ImportTimeline, elapsedSeconds: number): string {
  let end = 0;
  for (const phase of timeline.phases) {
    end += phase.seconds;
    if (elapsedSeconds < end) return phase.status;
  }
  return timeline.outcome.status;
}

/** Seconds from the import's start to its first `REPROVISIONING`, or undefined. */
export function restartSeconds(timeline: ImportTimeline): number | undefined {
  let start = 0;
  for (const phase of timeline.phases) {
    if (phase.status === 'REPROVISIONING') return start;
    start += phase.seconds;
  }
  return undefined;
}

/** Where a watch's wait ends: its own due time, or earlier when a sweep wakes it. */
interface WaitEnd {
  readonly elapsed: number;
  readonly woken: boolean;
  readonly missed: number;
}

/**
 * The end of a wait parked after a poll at `from` that saw `seen`, due at `due` (seconds since the
 * import started): the first sweep that lists a status worth a wake (a terminal one; any other
 * with `wakeOnEveryChange`), and reads the page the task is on, or that reads the whole listing
 * and does not find the task in it, wakes the watch; the watch polls `wakeDelaySeconds` later, unless its own poll comes first.
 */
function waitEnd(subject: SimulatedImport, sweep: SweepContext, from: number, due: number, seen: string): WaitEnd {
  const { listing, index } = sweep;
  const { model } = listing;
  let missed = 0;
  for (let k = listing.firstTickAfter(subject.startsAt + from); ; k++) {
    const elapsed = listing.tickAt(k) - subject.startsAt;
    const delay = wakeDelay(model, index, k);
    if (elapsed + delay >= due) return { elapsed: due, woken: false, missed };
    const visibility = listing.visibility(index, k);
    // A task that left a listing read whole has its watch woken, whatever its status.
    if (visibility === 'unlisted' && listing.readsWhole(k)) {
      return { elapsed: elapsed + delay, woken: true, missed };
    }
    if (!wakeMatters(statusAt(subject.timeline, elapsed), seen, model.wakeOnEveryChange ?? false)) continue;
    if (visibility === 'seen') return { elapsed: elapsed + delay, woken: true, missed };
    if (visibility === 'beyond-cap') missed += 1;
  }
}

/**
 * Seconds from sweep `k` to the woken poll of task `index`: one of the measured wake paths, the
 * same for the same task and sweep, or the model's constant without measurements.
 */
export function wakeDelay(model: SweepModel, index: number, k: number): number {
  const samples = model.wakeDelaySamplesSeconds;
  if (samples === undefined || samples.length === 0) return model.wakeDelaySeconds;
  // A multiplicative hash of the task and the sweep: spread over the samples, and reproducible.
  const pick = (Math.imul(index + 1, 2_654_435_761) ^ Math.imul(k + 1, 40_503)) >>> 0;
  return samples[pick % samples.length];
}

/** Whether a sweep after `from` and before `until` (seconds since the import started) reads the task. */
function seenBetween(subject: SimulatedImport, sweep: SweepContext, from: number, until: number): boolean {
  for (let k = sweep.listing.firstTickAfter(subject.startsAt + from); ; k++) {
    const elapsed = sweep.listing.tickAt(k) - subject.startsAt;
    if (elapsed >= until) return false;
    if (sweep.listing.visibility(sweep.index, k) === 'seen') return true;
  }
}

/**
 * Watches `subject` with a schedule from `factory`, polling until a terminal status or the
 * schedule gives up; with `sweep`, sweeps can end its waits early.
 */
export function simulateWatch(
  subject: SimulatedImport,
  factory: ScheduleFactory,
  random: () => number,
  sweep?: SweepContext,
): WatchResult {
  const end = timelineSeconds(subject.timeline);
  const restartAt = restartSeconds(subject.timeline);
  let elapsed = subject.watchStartsAfter;
  const schedule = factory.create(random, EPOCH + elapsed * 1000);
  let polls = 0;
  let waits = 0;
  let parks = 0;
  let wakes = 0;
  let missedBySweep = 0;
  let restartLatencySeconds: number | undefined;
  /** Status in the watch table's item: what the watch saw before it last parked. */
  let parkedStatus: string | undefined;
  const finish = (latencySeconds: number | undefined): WatchResult => {
    let sweepWrites = 0;
    if (sweep !== undefined) {
      // A sweep that reads the task before its watch first parked finds no item: it records the task (discovery).
      if (seenBetween(subject, sweep, 0, subject.watchStartsAfter)) sweepWrites += 1;
      // The last park's token is stale once the watch has ended; the next sweep that lists another status removes it.
      const next = sweep.listing.firstTickAfter(subject.startsAt + elapsed);
      const nextElapsed = sweep.listing.tickAt(next) - subject.startsAt;
      if (
        parkedStatus !== undefined &&
        statusAt(subject.timeline, nextElapsed) !== parkedStatus &&
        sweep.listing.visibility(sweep.index, next) === 'seen'
      ) {
        sweepWrites += 1;
      }
    }
    return {
      polls,
      waits,
      parks,
      ...(latencySeconds === undefined ? {} : { latencySeconds }),
      ...(restartLatencySeconds === undefined ? {} : { restartLatencySeconds }),
      wakes,
      missedBySweep,
      sweepWrites,
    };
  };
  /** Waits as `step` says from `elapsed`: parked, where a sweep can end the wait early, or not. */
  const wait = (step: { readonly waitSeconds: number; readonly parkedStatus?: string }): void => {
    waits += 1;
    const due = elapsed + step.waitSeconds;
    // Without a park request, the state machine waits in a plain Wait state, which no sweep can end.
    if (sweep === undefined || step.parkedStatus === undefined) {
      elapsed = due;
      return;
    }
    parks += 1;
    parkedStatus = step.parkedStatus;
    const ended = waitEnd(subject, sweep, elapsed, due, step.parkedStatus);
    elapsed = ended.elapsed;
    missedBySweep += ended.missed;
    if (ended.woken) wakes += 1;
  };
  // A watch that leaves its first look to the sweep parks before it polls.
  const first = schedule.begin?.(EPOCH + elapsed * 1000);
  if (first !== undefined) wait(first);
  for (;;) {
    polls += 1;
    if (restartAt !== undefined && restartLatencySeconds === undefined && elapsed >= restartAt) {
      restartLatencySeconds = elapsed - restartAt;
    }
    const state = importStateAt(subject.timeline, elapsed);
    if (state.ended) return finish(elapsed - end);
    const step = schedule.next(EPOCH + elapsed * 1000, state, elapsed);
    if ('giveUp' in step) return finish(undefined);
    wait(step);
  }
}
