/**
 * A seeded, reproducible workload of simulated Neptune Analytics imports: durations log-uniform
 * from minutes to more than a day, the service's phases, progress that advances unevenly (rate
 * changes, plateaus, noise that can step back a point), some imports that fail midway (rolling
 * back first) and some that restart with a new attempt after reprovisioning. The imports start
 * as a Poisson process, so that a given number of them run at once on average.
 */
import { timelineSeconds, type ImportPhase, type ImportTimeline } from '../local/import-timeline';
import { logUniform, seededRandom } from '../local/seeded-random';

/** Settings of the workload. */
export interface WorkloadOptions {
  readonly imports: number;
  readonly seed: number;
  /** Shortest and longest nominal duration, seconds. */
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** Share of imports that fail midway. */
  readonly failureShare: number;
  /** Share of imports that restart with a new attempt. */
  readonly restartShare: number;
  /** Mean number of imports running at once: sets the rate at which they start. */
  readonly concurrency: number;
}

/** The workload `npm run bench` runs. */
export const DEFAULT_WORKLOAD: WorkloadOptions = {
  imports: 1000,
  seed: 20261128,
  minSeconds: 5 * 60,
  maxSeconds: 30 * 3600,
  failureShare: 0.03,
  restartShare: 0.05,
  concurrency: 100,
};

/** One simulated import. */
export interface SimulatedImport {
  readonly kind: 'succeeds' | 'fails' | 'restarts';
  readonly timeline: ImportTimeline;
  /** Seconds after the import starts that its watch starts (CloudTrail delivery and the start function). */
  readonly watchStartsAfter: number;
  /** Seconds from the workload's start to the import's start. */
  readonly startsAt: number;
}

/** The imports, and the cycle after which their arrivals repeat. */
export interface Workload {
  readonly imports: readonly SimulatedImport[];
  /**
   * Seconds from the workload's start to the start of the import after the last: read as
   * repeating with this period, the workload has `concurrency` imports running at once on
   * average at any moment, with no ramp up or down.
   */
  readonly cycleSeconds: number;
}

const uniform = (random: () => number, min: number, max: number): number => min + random() * (max - min);

/**
 * Progress points of an IMPORTING phase: 3 to 6 stretches whose speeds differ up to fourfold,
 * some of them plateaus (never the last), and reported values that wobble by up to a point and
 * a half.
 */
function importingProgress(random: () => number): [number, number][] {
  const stretches = 3 + Math.floor(random() * 4);
  const times = Array.from({ length: stretches }, () => -Math.log(1 - random() * 0.999));
  const speeds = times.map((_, i) => (i < stretches - 1 && random() < 0.15 ? 0 : logUniform(random, 0.5, 2)));
  const totalTime = times.reduce((a, b) => a + b, 0);
  const totalWork = times.reduce((sum, t, i) => sum + t * speeds[i], 0);
  const points: [number, number][] = [[0, 0]];
  let at = 0;
  let done = 0;
  times.forEach((t, i) => {
    const steps = 4;
    for (let k = 1; k <= steps; k++) {
      const share = (at + (t * k) / steps) / totalTime;
      const progress = ((done + (t * speeds[i] * k) / steps) / totalWork) * 100;
      const wobble = k < steps || i < stretches - 1 ? uniform(random, -1.5, 1.5) : 0;
      points.push([share, Math.min(100, Math.max(0, progress + wobble))]);
    }
    at += t;
    done += t * speeds[i];
  });
  points[points.length - 1] = [1, 100];
  return points;
}

/** Cuts a progress curve at `share` of its time, rescaled to end there. */
function progressUntil(points: readonly [number, number][], share: number): [number, number][] {
  const kept = points.filter(([x]) => x <= share).map(([x, y]): [number, number] => [x / share, y]);
  return kept.length > 0 ? kept : [[0, 0]];
}

/** A first attempt's IMPORTING phase, cut off at `share` of the `seconds` it would have taken. */
function importingUntil(random: () => number, seconds: number, share: number): ImportPhase {
  return {
    status: 'IMPORTING',
    seconds: seconds * share,
    progress: progressUntil(importingProgress(random), share),
    attemptNumber: 1,
  };
}

function generateImport(random: () => number, options: WorkloadOptions): Omit<SimulatedImport, 'startsAt'> {
  const total = logUniform(random, options.minSeconds, options.maxSeconds);
  const initializing = Math.max(30, total * uniform(random, 0.02, 0.06));
  const analyzing = Math.max(30, total * uniform(random, 0.05, 0.15));
  const importing = Math.max(60, total - initializing - analyzing);
  const head: ImportPhase[] = [
    { status: 'INITIALIZING', seconds: initializing, attemptNumber: 1 },
    { status: 'ANALYZING_DATA', seconds: analyzing, attemptNumber: 1 },
  ];
  const watchStartsAfter = uniform(random, 30, 180);
  const roll = random();
  if (roll < options.failureShare) {
    const share = uniform(random, 0.05, 0.95);
    return {
      kind: 'fails',
      watchStartsAfter,
      timeline: {
        phases: [
          ...head,
          importingUntil(random, importing, share),
          { status: 'ROLLING_BACK', seconds: uniform(random, 60, 600), attemptNumber: 1 },
        ],
        outcome: { status: 'FAILED', statusReason: 'Import failed', errorCount: 1, errorDetails: 'simulated failure' },
      },
    };
  }
  if (roll < options.failureShare + options.restartShare) {
    const share = uniform(random, 0.1, 0.9);
    return {
      kind: 'restarts',
      watchStartsAfter,
      timeline: {
        phases: [
          ...head,
          importingUntil(random, importing, share),
          { status: 'REPROVISIONING', seconds: uniform(random, 120, 900), attemptNumber: 2 },
          {
            status: 'IMPORTING',
            seconds: importing * uniform(random, 0.8, 1.5),
            progress: importingProgress(random),
            attemptNumber: 2,
          },
        ],
        outcome: { status: 'SUCCEEDED' },
      },
    };
  }
  return {
    kind: 'succeeds',
    watchStartsAfter,
    timeline: {
      phases: [
        ...head,
        { status: 'IMPORTING', seconds: importing, progress: importingProgress(random), attemptNumber: 1 },
      ],
      outcome: { status: 'SUCCEEDED' },
    },
  };
}

/**
 * The workload: the same imports for the same options, on any machine. They start at the rate
 * that keeps `concurrency` running on average (Little's law: rate × mean duration); the start
 * times come from a random stream of their own, so that the imports do not depend on them.
 */
export function generateWorkload(options: WorkloadOptions = DEFAULT_WORKLOAD): Workload {
  const random = seededRandom(options.seed);
  const imports = Array.from({ length: options.imports }, () => generateImport(random, options));
  const meanSeconds = imports.reduce((sum, i) => sum + timelineSeconds(i.timeline), 0) / imports.length;
  const meanGapSeconds = meanSeconds / options.concurrency;
  const arrivals = seededRandom(options.seed + 1);
  let clock = 0;
  const startTimes = Array.from(
    { length: imports.length + 1 },
    () => (clock += -Math.log(1 - arrivals()) * meanGapSeconds),
  );
  return {
    imports: imports.map((subject, i) => ({ ...subject, startsAt: startTimes[i] })),
    cycleSeconds: startTimes[imports.length],
  };
}
