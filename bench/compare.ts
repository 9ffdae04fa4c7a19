/** The strategies side by side on one workload. */
import { quantile, seededRandom } from '../local/seeded-random';
import type { ScheduleFactory } from './schedules';
import { simulateWatch, type WatchResult } from './simulate';
import type { SimulatedImport } from './workload';

/** Polling figures of one strategy over a workload. */
export interface StrategyFigures {
  readonly name: string;
  readonly description: string;
  readonly meanPolls: number;
  readonly p95Polls: number;
  /** Detection latency over the imports detected. */
  readonly p50LatencySeconds: number;
  readonly p95LatencySeconds: number;
  readonly maxLatencySeconds: number;
  readonly undetected: number;
  /** p95 latency over the imports that failed midway, which no schedule can foresee. */
  readonly p95FailureLatencySeconds: number;
  readonly results: readonly WatchResult[];
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs every schedule over the workload, each with its own seeded random numbers. */
export function compareStrategies(
  workload: readonly SimulatedImport[],
  factories: readonly ScheduleFactory[],
  seed: number,
): StrategyFigures[] {
  return factories.map((factory) => {
    const random = seededRandom(seed);
    const results = workload.map((subject) => simulateWatch(subject, factory, random));
    const latencies = results.flatMap((r) => (r.latencySeconds === undefined ? [] : [r.latencySeconds]));
    const failureLatencies = results.flatMap((r, i) =>
      workload[i].kind === 'fails' && r.latencySeconds !== undefined ? [r.latencySeconds] : [],
    );
    const polls = results.map((r) => r.polls);
    return {
      name: factory.name,
      description: factory.description,
      meanPolls: round(polls.reduce((a, b) => a + b, 0) / polls.length),
      p95Polls: quantile(polls, 0.95),
      p50LatencySeconds: round(quantile(latencies, 0.5)),
      p95LatencySeconds: round(quantile(latencies, 0.95)),
      maxLatencySeconds: round(Math.max(...latencies)),
      undetected: results.length - latencies.length,
      p95FailureLatencySeconds: round(quantile(failureLatencies, 0.95)),
      results,
    };
  });
}
