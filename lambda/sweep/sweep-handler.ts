import type { Logger } from '@aws-lambda-powertools/logger';
import { SWEEP_BASELINE_KEY, WATCH_TABLE_ATTRIBUTES as A } from '../../lib/sweep-contract';
import { summarizeError } from '../poll/classify-error';
import type { MetricDatum } from '../poll/poll-metrics';
import type { WatchStartOutcome } from '../start/start-watch';
import { planSweepPage, type ListedImportTask, type SweepAction, type WatchItem } from './plan-sweep-page';
import { metricsForSweep, type SweepSummary } from './sweep-metrics';
import { sweepRunFromEvent, type SweepRun } from './sweep-request';
import type { SweepSettings } from './sweep-settings';

/** One page of `ListImportTasks`. */
export interface ImportTaskPage {
  readonly tasks: readonly ListedImportTask[];
  /** Token of the next page; absent on the last. */
  readonly nextToken?: string;
}

/** Reads the page of `ListImportTasks` that `nextToken` names (the first without one). */
export type ImportTaskLister = (nextToken: string | undefined) => Promise<ImportTaskPage>;

/** Reads the watch table's items of up to 100 keys; keys without an item are left out. Throws when it cannot. */
export type WatchItemReader = (taskIds: readonly string[]) => Promise<readonly WatchItem[]>;

/** Sends a task token back to Step Functions with `output`; throws what Step Functions answered otherwise. */
export type TaskSuccessSender = (token: string, output: string) => Promise<void>;

/**
 * Removes the stale `token` from the task's item and records `status`, unless the item holds
 * another token by now; resolves whether it did.
 */
export type StaleTokenClearer = (taskId: string, token: string, status: string) => Promise<boolean>;

/** Writes `item` (string attributes) unless an item with its key exists; resolves whether it did. */
export type ItemCreator = (item: Readonly<Record<string, string>>) => Promise<boolean>;

/** Starts a watch of a task the sweep found unwatched, through the one-watch-per-task rule. */
export type DiscoveredWatchStarter = (task: ListedImportTask) => Promise<WatchStartOutcome>;

/** What the sweep handler needs from the outside world. */
export interface SweepHandlerDependencies {
  readonly settings: SweepSettings;
  readonly listImportTasks: ImportTaskLister;
  readonly readWatchItems: WatchItemReader;
  readonly sendTaskSuccess: TaskSuccessSender;
  readonly clearStaleToken: StaleTokenClearer;
  readonly putItemIfAbsent: ItemCreator;
  readonly startWatch: DiscoveredWatchStarter;
  readonly logger: Logger;
  /** Publishes one sweep's metrics. */
  readonly publishMetrics: (data: readonly MetricDatum[]) => void;
  /** Epoch milliseconds now. */
  readonly now: () => number;
}

/**
 * The sweep function: one sweep for `event`. `remainingTimeMs` is the invocation's time left
 * (Lambda's `getRemainingTimeInMillis`); without it the sweep stops only at its page limit.
 */
export type SweepHandler = (event: unknown, remainingTimeMs?: () => number) => Promise<SweepSummary>;

/** Step Functions' answers for a token whose task has ended: the watch moved on or ended. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** Milliseconds left to the invocation below which no further page is read: room for one page's work. */
export const TIME_RESERVE_MS = 10_000;

/** Keys one `BatchGetItem` reads at most. */
const BATCH_GET_MAX_KEYS = 100;

/** Tasks of a page acted on at once: enough to be quick, few enough not to flood Step Functions. */
const CONCURRENCY = 10;

/** Whether `error` is Step Functions saying the token's task is over. */
export function isStaleTokenError(error: unknown): boolean {
  return STALE_TOKEN_ERRORS.has(summarizeError(error).name);
}

/** Calls `act` on every item, `limit` at a time. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, act: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await act(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

type Counts = { -readonly [K in keyof SweepSummary]: SweepSummary[K] };

/**
 * Builds the sweep handler. A sweep lists the account's import tasks page by page; on each page
 * it wakes the waiting watch of every task whose listed status differs from what the watch last
 * saw, starts a watch for every task nobody watches (discovery), and, until the first sweep has
 * written the baseline, records tasks already ended without announcing them. A failed wake,
 * discovery or record is counted and logged and the sweep goes on; a failed listing or read of
 * the table is thrown, once the pages read before it are handled, so that the invocation fails.
 */
export function createSweepHandler(deps: SweepHandlerDependencies): SweepHandler {
  const { settings, logger } = deps;
  // Once written, the baseline stays as long as the table: known, it is not read again.
  let baselineKnown = false;

  const sweepOnce = async (run: SweepRun, remainingTimeMs: () => number, counts: Counts): Promise<void> => {
    const baselineExists = baselineKnown || (await deps.readWatchItems([SWEEP_BASELINE_KEY])).length > 0;
    baselineKnown = baselineExists;
    const planOptions = {
      discovery: settings.discovery,
      baselineExists,
      ...(settings.graphIds === undefined ? {} : { graphIds: settings.graphIds }),
      ...(run.graphId === undefined ? {} : { requestGraphId: run.graphId }),
    };
    let nextToken: string | undefined;
    do {
      if (counts.pagesRead >= settings.maxPages || remainingTimeMs() < TIME_RESERVE_MS) {
        counts.truncated = true;
        logger.warn('Sweep cut short: tasks beyond the pages read were not seen', {
          pagesRead: counts.pagesRead,
          maxPages: settings.maxPages,
          remainingTimeMs: remainingTimeMs(),
        });
        break;
      }
      const page = await deps.listImportTasks(nextToken);
      counts.pagesRead += 1;
      counts.tasksListed += page.tasks.length;
      const items = await readItems(page.tasks.map((task) => task.taskId));
      await forEachConcurrently(planSweepPage(page.tasks, items, planOptions), CONCURRENCY, (action) =>
        act(action, counts),
      );
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    if (!baselineExists && counts.pagesRead > 0) await writeBaseline(counts);
  };

  const readItems = async (listedIds: readonly string[]): Promise<Map<string, WatchItem>> => {
    // BatchGetItem refuses a key twice; a listing may repeat a task.
    const taskIds = [...new Set(listedIds)];
    const items = new Map<string, WatchItem>();
    for (let start = 0; start < taskIds.length; start += BATCH_GET_MAX_KEYS) {
      for (const item of await deps.readWatchItems(taskIds.slice(start, start + BATCH_GET_MAX_KEYS))) {
        items.set(item.taskId, item);
      }
    }
    return items;
  };

  const act = async (action: SweepAction, counts: Counts): Promise<void> => {
    switch (action.kind) {
      case 'wake':
        return wake(action, counts);
      case 'discover':
        return discover(action.task, counts);
      case 'mark-seen':
        if (await mark(action.task, counts)) counts.markedSeen += 1;
        return;
    }
  };

  const failed = (counts: Counts, message: string, taskId: string, error: unknown): void => {
    counts.failures += 1;
    logger.error(message, { taskId, error: summarizeError(error) });
  };

  const wake = async (action: Extract<SweepAction, { kind: 'wake' }>, counts: Counts): Promise<void> => {
    const { task, token, itemStatus } = action;
    try {
      await deps.sendTaskSuccess(token, JSON.stringify({ wokenBy: 'sweep', listedStatus: task.status }));
      counts.woken += 1;
      logger.info('Watch woken', { taskId: task.taskId, lastStatus: itemStatus, listedStatus: task.status });
      return;
    } catch (error) {
      if (!isStaleTokenError(error)) return failed(counts, 'Could not wake the watch', task.taskId, error);
      counts.staleTokens += 1;
    }
    try {
      const cleared = await deps.clearStaleToken(task.taskId, token, task.status);
      logger.info(cleared ? 'Stale token removed' : 'Stale token already replaced: the watch waits again', {
        taskId: task.taskId,
        listedStatus: task.status,
      });
    } catch (error) {
      failed(counts, 'Could not remove the stale token', task.taskId, error);
    }
  };

  /** Starts the watch first and records the task second: a failed start leaves no record, and the next sweep tries again. */
  const discover = async (task: ListedImportTask, counts: Counts): Promise<void> => {
    let outcome: WatchStartOutcome;
    try {
      outcome = await deps.startWatch(task);
    } catch (error) {
      return failed(counts, 'Could not start a watch of an unwatched task', task.taskId, error);
    }
    if (outcome.outcome === 'started') counts.discovered += 1;
    logger.info('Unwatched task found', {
      taskId: task.taskId,
      status: task.status,
      outcome: outcome.outcome,
      executionName: outcome.executionName,
    });
    await mark(task, counts);
  };

  const mark = async (task: ListedImportTask, counts: Counts): Promise<boolean> => {
    try {
      return await deps.putItemIfAbsent({
        [A.taskId]: task.taskId,
        ...(task.graphId === undefined ? {} : { [A.graphId]: task.graphId }),
        [A.status]: task.status,
        [A.discoveredAt]: new Date(deps.now()).toISOString(),
      });
    } catch (error) {
      failed(counts, 'Could not record the task', task.taskId, error);
      return false;
    }
  };

  const writeBaseline = async (counts: Counts): Promise<void> => {
    try {
      await deps.putItemIfAbsent({ [A.taskId]: SWEEP_BASELINE_KEY, [A.sweptAt]: new Date(deps.now()).toISOString() });
      baselineKnown = true;
      logger.info('Baseline written: tasks found ended from now on are announced');
    } catch (error) {
      failed(counts, 'Could not write the baseline', SWEEP_BASELINE_KEY, error);
    }
  };

  return async (event, remainingTimeMs = () => Number.POSITIVE_INFINITY) => {
    const run = sweepRunFromEvent(event);
    if (run.rejectedGraphId !== undefined) {
      logger.warn('The sweep request names no graph id; sweeping every graph', { graphId: run.rejectedGraphId });
    }
    const counts: Counts = {
      pagesRead: 0,
      truncated: false,
      tasksListed: 0,
      woken: 0,
      staleTokens: 0,
      discovered: 0,
      markedSeen: 0,
      failures: 0,
    };
    try {
      await sweepOnce(run, remainingTimeMs, counts);
    } catch (error) {
      logger.error('Sweep failed', { ...run, ...counts, error: summarizeError(error) });
      throw error;
    } finally {
      deps.publishMetrics(metricsForSweep(counts));
    }
    logger.info('Sweep done', { ...run, ...counts });
    return { ...counts };
  };
}
