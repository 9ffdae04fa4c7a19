/**
 * What a sweep does about one page of `ListImportTasks`, and about a listed task found ended that
 * nobody watches: pure, from the listed tasks, the watch table's items of the same tasks, and the
 * times the task ended and the poller was deployed.
 */
import { isTerminalImportStatus as isTerminal } from '../../lib/events';
import { isTaskId } from '../../lib/identifiers';
import { wakeMatters } from './sweep-memory';

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
  /**
   * Whether the watches put an event on every status change: then any change of the listed status
   * wakes a watch; otherwise only a terminal one does.
   * @default false
   */
  readonly emitStatusChanges?: boolean;
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
  /** Start a watch of an active task nobody watches, then record the task. */
  | { readonly kind: 'discover'; readonly task: ListedImportTask }
  /**
   * Ask when a task found ended, that nobody watches, ended: a watch announces it unless it
   * ended before the poller was deployed ({@link verdictOnEndedTask}).
   */
  | { readonly kind: 'check-end'; readonly task: ListedImportTask };

/** Whether discovery may start a watch of `task`: it is on, and the task's graph is one it may watch. */
export function discoveryAllows(task: ListedImportTask, options: SweepPlanOptions): boolean {
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
    if (item.token === undefined || !wakeMatters(task.status, item.status, options.emitStatusChanges ?? false)) {
      return undefined;
    }
    return { kind: 'wake', task, token: item.token, ...(item.status === undefined ? {} : { itemStatus: item.status }) };
  }
  // Nothing is recorded for a task discovery may not watch: should discovery watch it later, the
  // time it ended, not a record, decides whether it is announced.
  if (!discoveryAllows(task, options)) return undefined;
  return isTerminal(task.status) ? { kind: 'check-end', task } : { kind: 'discover', task };
}

/**
 * Decides, for every listed task, whether to wake its waiting watch (its listed status is
 * terminal and differs from what the watch last saw; with `emitStatusChanges`, any status that
 * differs), to start a watch of it (nobody watches it, it is active, and
 * discovery may), or to ask when it ended (nobody watches it, it has ended, and discovery may).
 * Tasks whose id is not an import task id are left alone: no watch could be named after them. A
 * task listed twice counts once.
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

/**
 * How much earlier than the deployment a task must have ended to go unannounced. The service
 * gives the start and the elapsed time in whole seconds, which puts the end up to two seconds
 * early, and its clock and DynamoDB's may differ a little: a task that ended about when the
 * poller was deployed is announced rather than risk losing it.
 */
export const END_TIME_MARGIN_MS = 5_000;

/** Whether a task found ended, that nobody watches, gets a watch that announces it, or is recorded unannounced. */
export type EndedTaskVerdict = 'announce' | 'record';

/**
 * Tasks that ended before the poller was deployed are recorded and never announced; every other
 * ended task is announced, those whose end cannot be told included.
 * @param endedAt - epoch ms the task ended, or undefined when unknown
 * @param deployedAt - epoch ms the poller was deployed (its watch table created)
 */
export function verdictOnEndedTask(endedAt: number | undefined, deployedAt: number): EndedTaskVerdict {
  return endedAt !== undefined && endedAt < deployedAt - END_TIME_MARGIN_MS ? 'record' : 'announce';
}
