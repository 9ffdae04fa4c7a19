/**
 * Which parked watches a sweep wakes beyond those of the listing, and when it sends each wake:
 * pure, from the parked watches, the tasks listed, and the time the sweep has left.
 */
import type { WatchItem } from './plan-sweep-page';
import { wakeMatters } from './sweep-memory';

/** A waiting watch to send its token back to. */
export interface PlannedWake {
  readonly taskId: string;
  readonly token: string;
  /** The task's listed status; null for a task the listing does not show. */
  readonly listedStatus: string | null;
  /** The status the watch last saw. */
  readonly itemStatus?: string;
}

/**
 * The wakes of parked watches whose task is not among `listed`, the ids of every task of a
 * complete listing: a task deleted, or left out of the listing, would otherwise be looked at
 * only when its watch's wait is over.
 */
export function unlistedWakes(parked: readonly WatchItem[], listed: ReadonlySet<string>): PlannedWake[] {
  const wakes: PlannedWake[] = [];
  const seen = new Set<string>();
  for (const item of parked) {
    if (item.token === undefined || listed.has(item.taskId) || seen.has(item.taskId)) continue;
    seen.add(item.taskId);
    wakes.push({
      taskId: item.taskId,
      token: item.token,
      listedStatus: null,
      ...(item.status === undefined ? {} : { itemStatus: item.status }),
    });
  }
  return wakes;
}

/**
 * Wakes sent per second at most. Each woken watch calls `GetImportTask` at once: a hundred at the
 * same instant meet the service's request rate limit and are answered 429.
 */
export const WAKES_PER_SECOND = 10;

/** When a sweep's wakes are sent. */
export interface WakeSpread {
  /** Milliseconds from the first wake to each wake sent, in order. */
  readonly delaysMs: readonly number[];
  /** Wakes, the last ones, left to the next sweep: there is no time to send them at this pace. */
  readonly deferred: number;
}

/**
 * Spreads `count` wakes evenly, `perSecond` a second, over at most `budgetMs` milliseconds (the
 * sweep's time left, its reserve kept); the wakes that would come later are left to the next
 * sweep, which finds them owed still.
 */
export function spreadWakes(count: number, budgetMs: number, perSecond: number = WAKES_PER_SECOND): WakeSpread {
  const gapMs = 1000 / perSecond;
  const fitting = budgetMs < 0 ? 0 : Math.min(count, Math.floor(budgetMs / gapMs) + 1);
  return {
    delaysMs: Array.from({ length: fitting }, (_, index) => Math.round(index * gapMs)),
    deferred: count - fitting,
  };
}

/**
 * The wakes of parked watches whose task's listed status (`listedStatusOf`, undefined for a task
 * not known to be listed) is worth a wake ({@link wakeMatters}), other than those of `planned`: a
 * watch that parked with an older status than the listing's after its item was last read.
 */
export function parkedMismatchWakes(
  parked: readonly WatchItem[],
  listedStatusOf: (taskId: string) => string | undefined,
  planned: ReadonlySet<string>,
  emitStatusChanges: boolean,
): PlannedWake[] {
  const wakes: PlannedWake[] = [];
  const seen = new Set<string>(planned);
  for (const item of parked) {
    const listedStatus = listedStatusOf(item.taskId);
    if (item.token === undefined || listedStatus === undefined || seen.has(item.taskId)) continue;
    if (!wakeMatters(listedStatus, item.status, emitStatusChanges)) continue;
    seen.add(item.taskId);
    wakes.push({
      taskId: item.taskId,
      token: item.token,
      listedStatus,
      ...(item.status === undefined ? {} : { itemStatus: item.status }),
    });
  }
  return wakes;
}
