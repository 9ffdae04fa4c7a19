/** Runs a schedule against a simulated import and measures what a user would see. */
import { importStateAt, timelineSeconds } from '../local/import-timeline';
import type { ScheduleFactory } from './schedules';
import type { SimulatedImport } from './workload';

/** What one watch did. */
export interface WatchResult {
  readonly polls: number;
  /** Seconds from the import's end to the poll that saw it; undefined when never seen. */
  readonly latencySeconds?: number;
}

/** The moment, as epoch ms, the simulated imports start. */
const EPOCH = Date.UTC(2026, 0, 1);

/** Watches `subject` with a schedule from `factory`, polling until a terminal status or the schedule gives up. */
export function simulateWatch(subject: SimulatedImport, factory: ScheduleFactory, random: () => number): WatchResult {
  const end = timelineSeconds(subject.timeline);
  let elapsed = subject.watchStartsAfter;
  const schedule = factory.create(random, EPOCH + elapsed * 1000);
  let polls = 0;
  for (;;) {
    polls += 1;
    const state = importStateAt(subject.timeline, elapsed);
    if (state.ended) return { polls, latencySeconds: elapsed - end };
    const step = schedule.next(EPOCH + elapsed * 1000, state, elapsed);
    if ('giveUp' in step) return { polls };
    elapsed += step.waitSeconds;
  }
}
