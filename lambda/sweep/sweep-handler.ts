import type { Logger } from '@aws-lambda-powertools/logger';
import { WATCH_TABLE_ATTRIBUTES as A } from '../../lib/sweep-contract';
import { summarizeError } from '../poll/classify-error';
import type { MetricDatum } from '../poll/poll-metrics';
import type { WatchStartOutcome } from '../start/start-watch';
import type { ImportTaskPage } from './listing-page';
import {
  planSweepPage,
  verdictOnEndedTask,
  type ListedImportTask,
  type SweepAction,
  type WatchItem,
} from './plan-sweep-page';
import { spreadWakes, unlistedWakes, type PlannedWake } from './plan-wakes';
import { metricsForSweep, type SweepSummary } from './sweep-metrics';
import { sweepRunFromEvent, type SweepRun } from './sweep-request';
import type { SweepSettings } from './sweep-settings';

/** Reads the page of `ListImportTasks` that `nextToken` names (the first without one). */
export type ImportTaskLister = (nextToken: string | undefined) => Promise<ImportTaskPage>;

/** Reads the watch table's items of up to 100 keys; keys without an item are left out. Throws when it cannot. */
export type WatchItemReader = (taskIds: readonly string[]) => Promise<readonly WatchItem[]>;

/** Reads every item of the watch table's index of parked watches, all pages. Throws when it cannot. */
export type ParkedWatchScanner = () => Promise<readonly WatchItem[]>;

/** Sends a task token back to Step Functions with `output`; throws what Step Functions answered otherwise. */
export type TaskSuccessSender = (token: string, output: string) => Promise<void>;

/**
 * Removes the stale `token` from the task's item, with the item's execution name (so that it
 * leaves the index of parked watches), and records `status` when given; does nothing when the
 * item holds another token by now. Resolves whether it removed the token.
 */
export type StaleTokenClearer = (taskId: string, token: string, status?: string) => Promise<boolean>;

/** Writes `item` (string attributes) unless an item with its key exists; resolves whether it did. */
export type ItemCreator = (item: Readonly<Record<string, string>>) => Promise<boolean>;

/** Starts a watch of a task the sweep found unwatched, through the one-watch-per-task rule. */
export type DiscoveredWatchStarter = (task: ListedImportTask) => Promise<WatchStartOutcome>;

/** Epoch milliseconds the poller was deployed: when its watch table was created. */
export type DeploymentTimeReader = () => Promise<number>;

/** Epoch milliseconds an ended import task ended, by `GetImportTask`; undefined when the answer does not tell. */
export type ImportTaskEndReader = (taskId: string) => Promise<number | undefined>;

/** What the sweep handler needs from the outside world. */
export interface SweepHandlerDependencies {
  readonly settings: SweepSettings;
  readonly listImportTasks: ImportTaskLister;
  readonly readWatchItems: WatchItemReader;
  readonly scanParkedWatches: ParkedWatchScanner;
  readonly sendTaskSuccess: TaskSuccessSender;
  readonly clearStaleToken: StaleTokenClearer;
  readonly putItemIfAbsent: ItemCreator;
  readonly startWatch: DiscoveredWatchStarter;
  readonly readDeploymentTime: DeploymentTimeReader;
  readonly readImportTaskEnd: ImportTaskEndReader;
  readonly logger: Logger;
  /** Publishes one sweep's metrics. */
  readonly publishMetrics: (data: readonly MetricDatum[]) => void;
  /** Epoch milliseconds now. */
  readonly now: () => number;
  /**
   * Waits `ms` milliseconds, between the wakes a sweep spreads out.
   * @default - a timer
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The sweep function: one sweep for `event`. `remainingTimeMs` is the invocation's time left
 * (Lambda's `getRemainingTimeInMillis`); without it the sweep stops only at its page limit.
 */
export type SweepHandler = (event: unknown, remainingTimeMs?: () => number) => Promise<SweepSummary>;

/** Step Functions' answers for a token whose task has ended: the watch moved on or ended. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/**
 * Milliseconds left to the invocation below which no further page is read, no further end time
 * asked for and no further wake sent: room for the work under way, each call of which ends by its
 * deadline, and for the metrics.
 */
export const TIME_RESERVE_MS = 10_000;

/**
 * Ended tasks nobody watches whose end time one sweep asks for at most. Deployed into an account
 * that keeps thousands of ended tasks, the poller spreads their `GetImportTask` calls over sweeps.
 */
export const MAX_END_CHECKS_PER_SWEEP = 100;

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

const timer = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Counts = { -readonly [K in keyof SweepSummary]: SweepSummary[K] };

/** What sending one wake came to. */
type WakeOutcome = 'woken' | 'stale' | 'failed';

/**
 * Builds the sweep handler. A sweep lists the account's import tasks page by page; on each page
 * it starts a watch for every active task nobody watches (discovery) and, for every ended task
 * nobody watches, asks when it ended: a watch announces it unless it ended before the poller was
 * deployed. Once the listing is read, and when it was read whole, it finds the parked watches of
 * tasks not listed. Then it wakes the waiting watch of every task whose listed status differs
 * from what the watch last saw, and of every task not listed, a few at a time. A failed wake,
 * discovery, end-time check or record is counted and logged and the sweep goes on; a listing that
 * fails or cannot be used, and a read of the table that fails, are thrown once the wakes owed so
 * far are sent, so that the invocation fails.
 */
export function createSweepHandler(deps: SweepHandlerDependencies): SweepHandler {
  const { settings, logger } = deps;
  const sleep = deps.sleep ?? timer;
  // The table lives as long as the deployment: its creation time is read once per container.
  let deployedAt: Promise<number> | undefined;
  const deploymentTime = (): Promise<number> => {
    deployedAt ??= deps.readDeploymentTime().catch((error: unknown) => {
      deployedAt = undefined;
      throw error;
    });
    return deployedAt;
  };

  const sweepOnce = async (run: SweepRun, remainingTimeMs: () => number, counts: Counts): Promise<void> => {
    const listed = new Set<string>();
    const wakes: PlannedWake[] = [];
    let failure: { readonly error: unknown } | undefined;
    try {
      await readListing(run, remainingTimeMs, counts, listed, wakes);
      // Only a whole listing tells that a task is not listed.
      if (!counts.truncated) wakes.push(...unlistedWakes(await deps.scanParkedWatches(), listed));
    } catch (error) {
      failure = { error };
    }
    // The wakes found before a failure are owed to their watches whatever failed after.
    await sendWakes(wakes, remainingTimeMs, counts);
    if (failure !== undefined) throw failure.error;
  };

  const readListing = async (
    run: SweepRun,
    remainingTimeMs: () => number,
    counts: Counts,
    listed: Set<string>,
    wakes: PlannedWake[],
  ): Promise<void> => {
    const planOptions = {
      discovery: settings.discovery,
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
      if (page.unreadable > 0) {
        counts.failures += page.unreadable;
        logger.warn('Listed entries without a task id or status left out', {
          page: counts.pagesRead,
          unreadable: page.unreadable,
        });
      }
      for (const task of page.tasks) listed.add(task.taskId);
      const items = await readItems(page.tasks.map((task) => task.taskId));
      const others: Exclude<SweepAction, { kind: 'wake' }>[] = [];
      for (const action of planSweepPage(page.tasks, items, planOptions)) {
        if (action.kind !== 'wake') others.push(action);
        else {
          wakes.push({
            taskId: action.task.taskId,
            token: action.token,
            listedStatus: action.task.status,
            ...(action.itemStatus === undefined ? {} : { itemStatus: action.itemStatus }),
          });
        }
      }
      await forEachConcurrently(others, CONCURRENCY, (action) =>
        action.kind === 'discover' ? discover(action.task, counts) : checkEnd(action.task, remainingTimeMs, counts),
      );
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
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

  const failed = (counts: Counts, message: string, taskId: string, error: unknown): void => {
    counts.failures += 1;
    logger.error(message, { taskId, error: summarizeError(error) });
  };

  /**
   * Sends the wakes spread out over the time left, {@link spreadWakes}: every woken watch polls
   * at once, and a burst of them would be throttled.
   */
  const sendWakes = async (wakes: readonly PlannedWake[], remainingTimeMs: () => number, counts: Counts) => {
    const { delaysMs, deferred } = spreadWakes(wakes.length, remainingTimeMs() - TIME_RESERVE_MS);
    if (deferred > 0) {
      const left = wakes.slice(delaysMs.length);
      counts.wakesDeferred += deferred;
      counts.unlisted += left.filter((planned) => planned.listedStatus === null).length;
      logger.warn('Wakes left to the next sweep: no time left to send them at a pace the service answers', {
        deferred,
        sent: delaysMs.length,
      });
    }
    await Promise.all(
      delaysMs.map(async (delayMs, index) => {
        if (delayMs > 0) await sleep(delayMs);
        const planned = wakes[index];
        const outcome = await wake(planned, counts);
        if (planned.listedStatus === null) {
          // A stale token is a watch that is over: its task going unlisted is no one's concern.
          if (outcome !== 'stale') counts.unlisted += 1;
        } else if (outcome === 'woken') counts.woken += 1;
      }),
    );
  };

  const wake = async (planned: PlannedWake, counts: Counts): Promise<WakeOutcome> => {
    const { taskId, token, listedStatus } = planned;
    try {
      await deps.sendTaskSuccess(token, JSON.stringify({ wokenBy: 'sweep', listedStatus }));
      logger.info(listedStatus === null ? 'Watch of a task not listed woken' : 'Watch woken', {
        taskId,
        lastStatus: planned.itemStatus,
        listedStatus,
      });
      return 'woken';
    } catch (error) {
      if (!isStaleTokenError(error)) {
        failed(counts, 'Could not wake the watch', taskId, error);
        return 'failed';
      }
      counts.staleTokens += 1;
    }
    try {
      const cleared = await deps.clearStaleToken(taskId, token, listedStatus ?? undefined);
      logger.info(cleared ? 'Stale token removed' : 'Stale token already replaced: the watch waits again', {
        taskId,
        listedStatus,
      });
    } catch (error) {
      failed(counts, 'Could not remove the stale token', taskId, error);
    }
    return 'stale';
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
    await record(task, counts);
  };

  /**
   * Announces an ended task nobody watches, through a watch, unless it ended before the poller
   * was deployed; then it is recorded only. A check that fails leaves no record: the next sweep
   * asks again. Checks beyond {@link MAX_END_CHECKS_PER_SWEEP}, or without the time for them,
   * are left to the next sweeps.
   */
  const checkEnd = async (task: ListedImportTask, remainingTimeMs: () => number, counts: Counts): Promise<void> => {
    if (counts.endChecks >= MAX_END_CHECKS_PER_SWEEP || remainingTimeMs() < TIME_RESERVE_MS) {
      counts.endChecksDeferred += 1;
      return;
    }
    counts.endChecks += 1;
    let verdict: ReturnType<typeof verdictOnEndedTask>;
    try {
      const deployed = await deploymentTime();
      verdict = verdictOnEndedTask(await deps.readImportTaskEnd(task.taskId), deployed);
    } catch (error) {
      return failed(counts, 'Could not tell when an unwatched ended task ended', task.taskId, error);
    }
    if (verdict === 'announce') return discover(task, counts);
    if (await record(task, counts)) counts.endedBeforeDeployment += 1;
  };

  const record = async (task: ListedImportTask, counts: Counts): Promise<boolean> => {
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
      unlisted: 0,
      endChecks: 0,
      endedBeforeDeployment: 0,
      endChecksDeferred: 0,
      wakesDeferred: 0,
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
