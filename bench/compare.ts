/** The strategies side by side on one workload. */
import { timelineSeconds } from '../local/import-timeline';
import { quantile, seededRandom } from '../local/seeded-random';
import { SweepListing, type ListingFigures, type SweepModel } from './listing';
import type { ScheduleFactory } from './schedules';
import { simulateWatch, type WatchResult } from './simulate';
import type { Workload } from './workload';

/** Polling figures of one strategy over a workload. */
export interface StrategyFigures {
  readonly name: string;
  readonly description: string;
  /** The sweep that woke the watches; absent without one. */
  readonly sweep?: SweepModel;
  /** `GetImportTask` calls per import, mean. */
  readonly meanPolls: number;
  readonly p95Polls: number;
  /** Detection latency of the imports' ends, over the imports detected. */
  readonly p50LatencySeconds: number;
  readonly p95LatencySeconds: number;
  readonly maxLatencySeconds: number;
  readonly undetected: number;
  /** Latency over the imports that failed midway, which no schedule can foresee. */
  readonly p95FailureLatencySeconds: number;
  readonly maxFailureLatencySeconds: number;
  /**
   * Latency over every end: each import's terminal status, the successes and the failures
   * midway alike. A restart is no end: without status-change events nobody hears of it.
   */
  readonly p95EndLatencySeconds: number;
  readonly maxEndLatencySeconds: number;
  /** Latency of the restarts (the end of a first attempt, REPROVISIONING), seen at the first poll after them. */
  readonly p95RestartLatencySeconds: number;
  /** `ListImportTasks` calls per import: the sweeps' pages over one cycle of the workload, shared by its imports. */
  readonly listCallsPerImport: number;
  /** `GetImportTask` and `ListImportTasks` calls per import: the sum of the two rounded means. */
  readonly callsPerImport: number;
  /** Polls that a sweep woke, per import. */
  readonly meanWakes: number;
  /** Sweeps that would have woken a watch but did not read the page its task was on, over the workload. */
  readonly missedBySweep: number;
  /** What the sweeps did over one cycle; absent without the sweep. */
  readonly listing?: ListingFigures;
  readonly results: readonly WatchResult[];
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const defined = (values: readonly (number | undefined)[]): number[] =>
  values.flatMap((value) => (value === undefined ? [] : [value]));

/**
 * Runs every schedule over the workload, each with its own seeded random numbers. The sweeps of
 * every schedule with a sweep run at the same times: `period × k` plus one seeded phase.
 */
export function compareStrategies(
  workload: Workload,
  factories: readonly ScheduleFactory[],
  seed: number,
): StrategyFigures[] {
  const { imports } = workload;
  const lives = imports.map((i) => ({ startsAt: i.startsAt, endsAt: i.startsAt + timelineSeconds(i.timeline) }));
  const phaseShare = seededRandom(seed + 2)();
  return factories.map((factory) => {
    const random = seededRandom(seed);
    const listing =
      factory.sweep === undefined
        ? undefined
        : new SweepListing(lives, workload.cycleSeconds, factory.sweep, phaseShare * factory.sweep.periodSeconds);
    const results = imports.map((subject, index) =>
      simulateWatch(subject, factory, random, listing === undefined ? undefined : { listing, index }),
    );
    const latencies = defined(results.map((r) => r.latencySeconds));
    const failureLatencies = defined(
      results.map((r, i) => (imports[i].kind === 'fails' ? r.latencySeconds : undefined)),
    );
    const endLatencies = latencies;
    const restartLatencies = defined(results.map((r) => r.restartLatencySeconds));
    const polls = results.map((r) => r.polls);
    const listingFigures = listing?.figures();
    const getCalls = round(mean(polls), 2);
    const listCalls = round(listingFigures === undefined ? 0 : listingFigures.pages / imports.length, 2);
    return {
      name: factory.name,
      description: factory.description,
      ...(factory.sweep === undefined ? {} : { sweep: factory.sweep }),
      meanPolls: getCalls,
      p95Polls: quantile(polls, 0.95),
      p50LatencySeconds: round(quantile(latencies, 0.5)),
      p95LatencySeconds: round(quantile(latencies, 0.95)),
      maxLatencySeconds: round(Math.max(...latencies)),
      undetected: results.length - latencies.length,
      p95FailureLatencySeconds: round(quantile(failureLatencies, 0.95)),
      maxFailureLatencySeconds: round(Math.max(...failureLatencies)),
      p95EndLatencySeconds: round(quantile(endLatencies, 0.95)),
      maxEndLatencySeconds: round(Math.max(...endLatencies)),
      p95RestartLatencySeconds: round(quantile(restartLatencies, 0.95)),
      listCallsPerImport: listCalls,
      callsPerImport: round(getCalls + listCalls, 2),
      meanWakes: round(mean(results.map((r) => r.wakes)), 2),
      missedBySweep: results.reduce((sum, r) => sum + r.missedBySweep, 0),
      ...(listingFigures === undefined ? {} : { listing: listingFigures }),
      results,
    };
  });
}
