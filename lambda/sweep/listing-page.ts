/**
 * One page of `ListImportTasks`, read from the SDK's answer: pure. The SDK passes the body's
 * values through as they came, so a `tasks` that is a string, null or missing arrives as such.
 */
import type { ListedImportTask } from './plan-sweep-page';
import { isRecord } from '../shared/records';

/** One page of `ListImportTasks`. */
export interface ImportTaskPage {
  readonly tasks: readonly ListedImportTask[];
  /** Entries of the page without a task id or a status, left out: nothing can be done about them. */
  readonly unreadable: number;
  /** Token of the next page; absent on the last. */
  readonly nextToken?: string;
}

/**
 * A `ListImportTasks` answer the sweep cannot use: without a list of tasks, or with a next-page
 * token that is not a string. Read as an empty page, it would pass for an account without tasks
 * and hide every task from the sweep.
 */
export class UnusableListingError extends Error {
  override readonly name = 'UnusableListingError';
}

/** The value as a message shows it: JSON, cut short, or `missing`. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  return (JSON.stringify(value) ?? typeof value).slice(0, 100);
}

/** The listed task an entry describes, or undefined for an entry without a string task id and status. */
function listedTaskOf(entry: unknown): ListedImportTask | undefined {
  if (!isRecord(entry) || typeof entry.taskId !== 'string' || typeof entry.status !== 'string') return undefined;
  return {
    taskId: entry.taskId,
    status: entry.status,
    ...(typeof entry.graphId === 'string' ? { graphId: entry.graphId } : {}),
  };
}

/**
 * The page `answer` lists; throws {@link UnusableListingError} when its `tasks` is not a list or
 * its `nextToken` is neither absent nor a string. Entries without a task id or status are left
 * out and counted.
 */
export function importTaskPageOf(answer: { readonly tasks?: unknown; readonly nextToken?: unknown }): ImportTaskPage {
  const { tasks, nextToken } = answer;
  if (!Array.isArray(tasks)) {
    throw new UnusableListingError(`ListImportTasks answered without a list of tasks: tasks is ${shown(tasks)}`);
  }
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string') {
    throw new UnusableListingError(`ListImportTasks answered a nextToken that is not a string: ${shown(nextToken)}`);
  }
  const listed: ListedImportTask[] = [];
  for (const entry of tasks as unknown[]) {
    const task = listedTaskOf(entry);
    if (task !== undefined) listed.push(task);
  }
  return {
    tasks: listed,
    unreadable: tasks.length - listed.length,
    ...(typeof nextToken === 'string' && nextToken !== '' ? { nextToken } : {}),
  };
}
