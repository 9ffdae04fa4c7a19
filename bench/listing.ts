/**
 * The sweep as the benchmark models it: at fixed times, one `ListImportTasks` listing of the
 * account, read page by page up to a cap. Which tasks a listing holds, how many pages it takes,
 * and which tasks the sweep sees within its pages.
 *
 * The workload repeats with its cycle, so that every sweep sees the account in its steady state:
 * the imports of the cycles before and after the measured one are listed as well, as the other
 * tasks of the account they stand for. Each import appears once per cycle, as a copy started
 * `m` cycles away from the measured one.
 */

import { LIST_PAGE_SIZE } from '../lambda/sweep/aws-clients';
import { DEFAULT_DISCOVERY_GRACE_SECONDS } from '../lambda/sweep/sweep-settings';
import { resolveSweepOptions } from '../lib/import-task-sweep';
import { pollerConfigOf } from '../lib/poller-props';
import { SWEEP_TIME_RESERVE_SECONDS, sweepTimeoutSeconds } from '../lib/sweep-contract';
import { PRICES } from './costs';

/** Settings of the modelled sweep. */
export interface SweepModel {
  /** Seconds between two sweeps. */
  readonly periodSeconds: number;
  /** Seconds from a sweep to the poll of a watch it wakes: the sweep's own run, `SendTaskSuccess`, the poll. */
  readonly wakeDelaySeconds: number;
  /**
   * Measured wake paths, seconds: each wake takes one of them (the same for the same task and sweep),
   * in place of `wakeDelaySeconds`.
   * @default - every wake takes `wakeDelaySeconds`
   */
  readonly wakeDelaySamplesSeconds?: readonly number[];
  /** Tasks per `ListImportTasks` page. */
  readonly pageSize: number;
  /**
   * Pages one sweep reads at most, its page cap or what its time holds ({@link pagesInTime});
   * tasks listed beyond them are not seen by that sweep.
   */
  readonly maxPagesPerSweep: number;
  /**
   * Seconds an ended task stays listed, which AWS does not document; `Infinity` lists every
   * task ever started.
   */
  readonly listingRetentionSeconds: number;
  /**
   * Whether any change of the listed status wakes a watch (`emitStatusChanges`), rather than only
   * a terminal status.
   * @default false
   */
  readonly wakeOnEveryChange?: boolean;
  /**
   * Seconds discovery leaves an active task to its trigger after a sweep first lists it.
   * @default 0
   */
  readonly discoveryGraceSeconds?: number;
}

/**
 * The sweep of the construct's defaults, read from the construct: its interval and page limit,
 * and whether the watches emit status changes. How long ended tasks stay listed is not the
 * construct's to say (AWS documents nothing): an hour is assumed.
 */
export const DEFAULT_SWEEP: SweepModel = defaultSweepModel();

/**
 * Pages a sweep every `periodSeconds` reads at most: its page cap, or as many pages of
 * `secondsPerPage` as its time holds, its timeout less the reserve it keeps and its own run.
 */
export function pagesInTime(periodSeconds: number, maxPages: number, secondsPerPage: number): number {
  const seconds = sweepTimeoutSeconds(periodSeconds) - SWEEP_TIME_RESERVE_SECONDS - PRICES.sweepBilledSecondsPerRun;
  return Math.max(1, Math.min(maxPages, Math.floor(seconds / secondsPerPage)));
}

function defaultSweepModel(): SweepModel {
  const options = resolveSweepOptions()!;
  const periodSeconds = options.interval.toSeconds();
  return {
    periodSeconds,
    wakeDelaySeconds: 2,
    pageSize: LIST_PAGE_SIZE,
    maxPagesPerSweep: pagesInTime(periodSeconds, options.maxPages, PRICES.sweepBilledSecondsPerPage),
    listingRetentionSeconds: 3600,
    wakeOnEveryChange: pollerConfigOf({}).emitStatusChanges,
    discoveryGraceSeconds: DEFAULT_DISCOVERY_GRACE_SECONDS,
  };
}

/** When an import runs, seconds from the workload's start. */
export interface ImportLife {
  readonly startsAt: number;
  readonly endsAt: number;
}

/** How one sweep sees one import: not listed, listed on a page it reads, or listed beyond its pages. */
export type SweepVisibility = 'unlisted' | 'seen' | 'beyond-cap';

/** What the sweeps of one cycle of the workload did. */
export interface ListingFigures {
  readonly sweeps: number;
  /** `ListImportTasks` calls. */
  readonly pages: number;
  /** Tasks on the pages read: the keys the sweep looks up in the watch table. */
  readonly tasksRead: number;
  /** Tasks listed per sweep; `Infinity` when every task ever started is listed. */
  readonly meanListed: number;
  readonly maxListed: number;
  /** Imports running at once, per sweep. */
  readonly meanRunning: number;
  /** Sweeps that listed more tasks than their pages hold. */
  readonly cappedSweeps: number;
}

interface SweepView {
  readonly listed: number;
  readonly running: number;
  /** Lowest global rank (cycle × imports + position by start) of a task the sweep sees; absent when it sees all. */
  readonly oldestSeen?: number;
}

/** Pages one sweep reads for `listed` tasks: at least one, at most the cap. */
export function pagesFor(listed: number, model: SweepModel): number {
  return Math.max(1, Math.min(model.maxPagesPerSweep, Math.ceil(listed / model.pageSize)));
}

/** The listings of every sweep over a workload that repeats every `cycleSeconds`; sweeps are computed as asked. */
export class SweepListing {
  private readonly order: number[];
  private readonly positionOf: number[];
  private readonly views = new Map<number, SweepView>();

  /**
   * @param lives when each import runs; the workload repeats every `cycleSeconds`, which must
   * exceed the last start
   * @param phaseSeconds time of the first sweep, from 0 to the period
   */
  constructor(
    private readonly lives: readonly ImportLife[],
    private readonly cycleSeconds: number,
    public readonly model: SweepModel,
    private readonly phaseSeconds: number,
  ) {
    if (lives.some((life) => life.startsAt < 0 || life.startsAt >= cycleSeconds)) {
      throw new Error(`Every import must start within the cycle of ${cycleSeconds} s`);
    }
    this.order = lives.map((_, i) => i).sort((a, b) => lives[a].startsAt - lives[b].startsAt);
    this.positionOf = [];
    this.order.forEach((index, position) => (this.positionOf[index] = position));
  }

  /** Time of sweep `k`. */
  tickAt(k: number): number {
    return this.phaseSeconds + k * this.model.periodSeconds;
  }

  /** Number of the first sweep strictly after `time`. */
  firstTickAfter(time: number): number {
    return Math.max(0, Math.floor((time - this.phaseSeconds) / this.model.periodSeconds) + 1);
  }

  /** How sweep `k` sees import `index` (its copy in the measured cycle). */
  visibility(index: number, k: number): SweepVisibility {
    const at = this.tickAt(k);
    const life = this.lives[index];
    if (at < life.startsAt || at >= life.endsAt + this.model.listingRetentionSeconds) return 'unlisted';
    const view = this.view(k);
    return view.oldestSeen === undefined || this.positionOf[index] >= view.oldestSeen ? 'seen' : 'beyond-cap';
  }

  /** Whether sweep `k` reads the whole listing: only then does it wake the watches of tasks it does not list. */
  readsWhole(k: number): boolean {
    return this.view(k).oldestSeen === undefined;
  }

  /** Totals of the sweeps within one cycle. */
  figures(): ListingFigures {
    const capacity = this.model.maxPagesPerSweep * this.model.pageSize;
    let sweeps = 0;
    let pages = 0;
    let tasksRead = 0;
    let listedSum = 0;
    let maxListed = 0;
    let runningSum = 0;
    let cappedSweeps = 0;
    for (let k = 0; this.tickAt(k) < this.cycleSeconds; k++) {
      const view = this.view(k);
      sweeps += 1;
      pages += pagesFor(view.listed, this.model);
      tasksRead += Math.min(view.listed, capacity);
      listedSum += view.listed;
      maxListed = Math.max(maxListed, view.listed);
      runningSum += view.running;
      if (view.listed > capacity) cappedSweeps += 1;
    }
    return {
      sweeps,
      pages,
      tasksRead,
      meanListed: listedSum / sweeps,
      maxListed,
      meanRunning: runningSum / sweeps,
      cappedSweeps,
    };
  }

  /** Copies of import `index` started at or before `at` and listed then: cycles `low` to `high`. */
  private copies(index: number, at: number, retentionSeconds: number): { low: number; high: number } {
    const life = this.lives[index];
    const high = Math.floor((at - life.startsAt) / this.cycleSeconds);
    const low = Number.isFinite(retentionSeconds)
      ? Math.floor((at - life.endsAt - retentionSeconds) / this.cycleSeconds) + 1
      : Number.NEGATIVE_INFINITY;
    return { low, high };
  }

  private view(k: number): SweepView {
    const cached = this.views.get(k);
    if (cached !== undefined) return cached;
    const at = this.tickAt(k);
    const retention = this.model.listingRetentionSeconds;
    let listed = 0;
    let running = 0;
    this.lives.forEach((_, index) => {
      const kept = this.copies(index, at, retention);
      listed += Math.max(0, kept.high - kept.low + 1);
      const live = this.copies(index, at, 0);
      running += Math.max(0, live.high - live.low + 1);
    });
    const capacity = this.model.maxPagesPerSweep * this.model.pageSize;
    const view =
      listed > capacity ? { listed, running, oldestSeen: this.oldestSeen(at, capacity) } : { listed, running };
    this.views.set(k, view);
    return view;
  }

  /**
   * The listing is taken to be newest first (AWS documents no order): walking back from the
   * newest copy started by `at`, the global rank of the `capacity`-th one still listed.
   */
  private oldestSeen(at: number, capacity: number): number {
    const n = this.order.length;
    const newestCycle = Math.floor((at - this.lives[this.order[0]].startsAt) / this.cycleSeconds);
    let rank = newestCycle * n + n - 1;
    let seen = 0;
    for (; ; rank--) {
      const cycle = Math.floor(rank / n);
      const index = this.order[rank - cycle * n];
      const life = this.lives[index];
      const startsAt = life.startsAt + cycle * this.cycleSeconds;
      const endsAt = life.endsAt + cycle * this.cycleSeconds;
      if (startsAt <= at && at < endsAt + this.model.listingRetentionSeconds) seen += 1;
      if (seen === capacity) return rank;
    }
  }
}
