/**
 * What a sweep does about one page of `ListImportTasks`: pure, from the listed tasks and the watch
 * table's items of the same tasks.
 */
import { TERMINAL_IMPORT_STATUSES } from '../../lib/events';
import { isTaskId } from '../../lib/identifiers';

/** One task of a `ListImportTasks` page, as far as the sweep reads it. */
export interface ListedImportTask {
  readonly taskId: string;
  /** Absent when the listing leaves it out. */
  readonly graphId?: string;
  readonly status: string;
}

/** An item of the watch table, as far as the sweep reads it. */
export interface WatchItem {
  readonly taskId: string;
  /** The status the watch last saw, or the listed status a sweep recorded. */
  readonly status?: string;
  /** Task token of a waiting watch. */
  readonly token?: string;
  readonly executionName?: string;
}

/** What the planner is told beyond the page. */
export interface SweepPlanOptions {
  /** Start watches for tasks nobody watches. */
  readonly discovery: boolean;
  /**
   * Graphs whose tasks discovery may watch.
   * @default - every graph
   */
  readonly graphIds?: readonly string[];
  /**
   * The one graph this sweep was asked to discover tasks of.
   * @default - every graph
   */
  readonly requestGraphId?: string;
  /** Whether an earlier sweep wrote the baseline: tasks found ended since then are announced. */
  readonly baselineExists: boolean;
}

/** One thing to do for one listed task. */
export type SweepAction =
  /** Send the waiting watch its token back, so that it polls now. */
  | {
      readonly kind: 'wake';
      readonly task: ListedImportTask;
      readonly token: string;
      /** The status the watch last saw. */
      readonly itemStatus?: string;
    }
  /** Start a watch of a task nobody watches, then record the task. */
  | { readonly kind: 'discover'; readonly task: ListedImportTask }
  /** Record a task that had ended before the first sweep, without announcing it. */
  | { readonly kind: 'mark-seen'; readonly task: ListedImportTask };

const isTerminal = (status: string): boolean => TERMINAL_IMPORT_STATUSES.includes(status);

function discoveryAllows(task: ListedImportTask, options: SweepPlanOptions): boolean {
  if (!options.discovery) return false;
  if (options.graphIds !== undefined && (task.graphId === undefined || !options.graphIds.includes(task.graphId))) {
    return false;
  }
  return options.requestGraphId === undefined || task.graphId === options.requestGraphId;
}

/** The action one listed task calls for, if any. */
function actionFor(
  task: ListedImportTask,
  item: WatchItem | undefined,
  options: SweepPlanOptions,
): SweepAction | undefined {
  if (item !== undefined) {
    // An item without a token is a task already seen; its watch, if any, polls on its own.
    if (item.token === undefined || item.status === task.status) return undefined;
    return { kind: 'wake', task, token: item.token, ...(item.status === undefined ? {} : { itemStatus: item.status }) };
  }
  if (isTerminal(task.status) && !options.baselineExists) {
    // Recorded whatever the discovery settings, so that turning discovery on later announces none of them.
    return { kind: 'mark-seen', task };
  }
  return discoveryAllows(task, options) ? { kind: 'discover', task } : undefined;
}

/**
 * Decides, for every listed task, whether to wake its waiting watch (its listed status differs
 * from what the watch last saw), to start a watch of it (nobody watches it and discovery may), or
 * to record it as seen (it had ended before the first sweep). Tasks whose id is not an import
 * task id are left alone: no watch could be named after them. A task listed twice counts once.
 */
export function planSweepPage(
  listed: readonly ListedImportTask[],
  items: ReadonlyMap<string, WatchItem>,
  options: SweepPlanOptions,
): SweepAction[] {
  const actions: SweepAction[] = [];
  const seen = new Set<string>();
  for (const task of listed) {
    // A task listed twice is acted on once: a second wake would find its own token stale.
    if (seen.has(task.taskId) || !isTaskId(task.taskId)) continue;
    seen.add(task.taskId);
    const action = actionFor(task, items.get(task.taskId), options);
    if (action !== undefined) actions.push(action);
  }
  return actions;
}
