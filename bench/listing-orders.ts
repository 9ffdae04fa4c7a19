/**
 * How long an end waits for the sweep when the listing is longer than a sweep reads, in each
 * order the service might list in: each sweep reads its pages from where the last stopped (an
 * offset into the listing, as the stand-in's tokens are), and the listing shifts between sweeps
 * as tasks start and leave it. Seeded and pure.
 */
import { createHash } from 'node:crypto';
import type { ListingOrder } from '../local/neptune-graph-standin';
import { logUniform, quantile, seededRandom } from '../local/seeded-random';

/** One account and sweep to simulate. */
export interface ListingOrderCase {
  readonly order: ListingOrder;
  /** Tasks listed at a sweep, on average: those running and those ended within the retention. */
  readonly listed: number;
  /** Imports running at once, on average. */
  readonly running: number;
  readonly maxPagesPerSweep: number;
  readonly seed: number;
}

/** What the sweeps of one case did. */
export interface ListingOrderFigures extends ListingOrderCase {
  /** Ends measured. */
  readonly ends: number;
  /** Seconds from an end to the wake of its watch (the sweep that reads it, plus the wake's 2 s). */
  readonly p95Seconds: number;
  readonly maxSeconds: number;
  /** Ends no sweep read before the task left the listing: their watches' own polls see them. */
  readonly unread: number;
  /** Imports no sweep read while they ran or were listed: discovery would never find them. */
  readonly neverListedToASweep: number;
  /** Most seconds a listed task went unread by the sweeps. */
  readonly maxUnreadSeconds: number;
}

const PAGE = 100;
/** Ends a case measures at least, about: enough for a p95 that five runs agree on. */
const MEASURED_ENDS = 600;
const PERIOD = 60;
const WAKE_DELAY = 2;

interface Task {
  readonly start: number;
  readonly end: number;
  readonly key: string;
  lastRead: number;
  endSeen?: number;
  everRead: boolean;
}

/**
 * Simulates six hours of sweeps (longer, for about 600 ends), a minute apart, after two warm-up hours, over imports that start
 * as a Poisson process and run log-uniform from 5 minutes to 30 hours (the workload's range).
 */
export function simulateListingOrder(options: ListingOrderCase): ListingOrderFigures {
  const random = seededRandom(options.seed);
  const meanDuration = (30 * 3600 - 300) / Math.log((30 * 3600) / 300);
  const rate = options.running / meanDuration;
  const retention = Math.max(0, (options.listed - options.running) / rate);
  const warmUp = 2 * 3600;
  // Six hours, or long enough for about MEASURED_ENDS ends to end within it: a p95 of few ends says little.
  const measured = Math.max(6 * 3600, MEASURED_ENDS / rate);
  const horizon = warmUp + measured;
  // Imports that may be listed during the horizon: started since the longest duration and retention before it.
  const earliest = -(30 * 3600 + retention);
  const tasks: Task[] = [];
  for (let at = earliest; at < horizon;) {
    at += -Math.log(1 - random()) / rate;
    const end = at + logUniform(random, 300, 30 * 3600);
    tasks.push({
      start: at,
      end,
      key: createHash('sha256').update(String(tasks.length)).digest('hex'),
      lastRead: at,
      everRead: false,
    });
  }
  const byKey = [...tasks].sort((a, b) => a.key.localeCompare(b.key));
  let cursor = 0;
  let maxUnread = 0;
  for (let t = random() * PERIOD; t < horizon; t += PERIOD) {
    const isListed = (task: Task) => task.start <= t && t < task.end + retention;
    let listing: Task[];
    switch (options.order) {
      case 'oldest-first':
        listing = tasks.filter(isListed);
        break;
      case 'newest-first':
        listing = tasks.filter(isListed).reverse();
        break;
      case 'random':
        listing = byKey.filter(isListed);
        break;
    }
    let pages = options.maxPagesPerSweep;
    let fromFirst = cursor === 0;
    while (pages > 0) {
      if (cursor >= listing.length) {
        cursor = 0;
        if (fromFirst) break;
        fromFirst = true;
        continue;
      }
      for (const task of listing.slice(cursor, cursor + PAGE)) {
        task.lastRead = t;
        task.everRead = true;
        if (task.endSeen === undefined && t >= task.end) task.endSeen = t;
      }
      cursor += PAGE;
      pages -= 1;
      if (cursor >= listing.length) {
        cursor = 0;
        if (fromFirst) break;
        fromFirst = true;
      }
    }
    if (t >= warmUp) for (const task of listing) maxUnread = Math.max(maxUnread, t - task.lastRead);
  }
  const ending = tasks.filter((task) => task.end >= warmUp && task.end < horizon - 2 * 3600);
  const latencies = ending.flatMap((task) =>
    task.endSeen === undefined ? [] : [task.endSeen - task.end + WAKE_DELAY],
  );
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    ...options,
    ends: ending.length,
    p95Seconds: round(quantile(latencies, 0.95)),
    maxSeconds: round(Math.max(...latencies)),
    unread: ending.length - latencies.length,
    neverListedToASweep: tasks.filter(
      (task) => task.start >= warmUp && task.start < horizon - 2 * 3600 && !task.everRead,
    ).length,
    maxUnreadSeconds: Math.round(maxUnread),
  };
}

/** The cases the benchmark runs: each order, 2,000 and 20,000 tasks listed, 100 and 1,000 imports at once. */
export function listingOrderCases(maxPagesPerSweep: number, seed: number): ListingOrderCase[] {
  const orders: ListingOrder[] = ['newest-first', 'oldest-first', 'random'];
  const sizes = [
    { listed: 2000, running: 100 },
    { listed: 2000, running: 1000 },
    { listed: 20_000, running: 1000 },
  ];
  return sizes.flatMap((size) => orders.map((order) => ({ order, ...size, maxPagesPerSweep, seed })));
}
