import type { Logger } from '@aws-lambda-powertools/logger';
import { SWEEP_TIME_RESERVE_SECONDS, WATCH_TABLE_ATTRIBUTES as A } from '../../lib/sweep-contract';
import { summarizeError } from '../shared/error-summary';
import type { MetricDatum } from '../shared/metric-datum';
import type { WatchStartOutcome } from '../shared/start-watch';
import { CALL_DEADLINE_MS, SweepCallDeadlineError } from './call-deadline';
import type { ImportTaskPage } from './listing-page';
import {
  discoveryAllows,
  planSweepPage,
  verdictOnEndedTask,
  type ListedImportTask,
  type SweepAction,
  type WatchItem,
} from './plan-sweep-page';
import { parkedMismatchWakes, spreadWakes, unlistedWakes, WAKES_PER_SECOND, type PlannedWake } from './plan-wakes';
import { SweepMemory } from './sweep-memory';
import { metricsForSweep, type SweepSummary } from './sweep-metrics';
import { sweepRunFromEvent, type SweepRun } from './sweep-request';
import { DEFAULT_DISCOVERY_GRACE_SECONDS, DEFAULT_INTERVAL_SECONDS, type SweepSettings } from './sweep-settings';

/**
 * Reads the page of `ListImportTasks` that `nextToken` names (the first without one), within
 * `deadlineMs` when given (the call's own deadline otherwise).
 */
export type ImportTaskLister = (nextToken: string | undefined, deadlineMs?: number) => Promise<ImportTaskPage>;

/**
 * Reads the watch table's items of up to 100 keys, within `deadlineMs` when given; keys without an
 * item are left out. Throws when it cannot.
 */
export type WatchItemReader = (taskIds: readonly string[], deadlineMs?: number) => Promise<readonly WatchItem[]>;

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
export const TIME_RESERVE_MS = SWEEP_TIME_RESERVE_SECONDS * 1000;

/**
 * Ended tasks nobody watches whose end time one sweep asks for at most. Deployed into an account
 * that keeps thousands of ended tasks, the poller spreads their `GetImportTask` calls over sweeps.
 */
export const MAX_END_CHECKS_PER_SWEEP = 100;

/** Milliseconds of its time left, beyond the reserve and its wakes, below which a sweep reads no further page. */
const MIN_PAGE_BUDGET_MS = 1_000;

/** Whether `error` is a call's deadline passing that the sweep set short, to end by its own time. */
const cutByOwnTime = (error: unknown, deadlineMs: number | undefined): boolean =>
  deadlineMs !== undefined && error instanceof SweepCallDeadlineError;

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
 * Builds the sweep handler. The handler remembers, from one sweep to the next of the same
 * function instance, what it has done ({@link SweepMemory}). A sweep first looks at the index of
 * parked watches when that is due (nothing known, nothing parked, tasks found unlisted, an end
 * listed of a task the table holds no item of, or a while since the last look). It reads the listing while a watch is parked,
 * when asked, or every 15 minutes otherwise, page after page from where the last sweep stopped. For
 * the listed tasks whose status is not settled, or that discovery may have to watch, it reads the
 * watch table's items: it starts a watch for every active task nobody watches (discovery) and,
 * for every ended task nobody watches, asks when it ended: a watch announces it unless it ended
 * before the poller was deployed. Then it wakes, a few at a time, the waiting watch of every task
 * whose listed status is terminal and differs from what the watch last saw (with
 * `emitStatusChanges`, any status that differs), and, after a listing read whole, of every task
 * not listed. A failed wake, discovery, end-time check or record is counted and logged and the
 * sweep goes on; a listing that fails or cannot be used, and a read of the table that fails, are
 * thrown once the wakes owed so far are sent, so that the invocation fails.
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

  const memory = new SweepMemory(
    deps.now(),
    settings.emitStatusChanges ?? false,
    (settings.discoveryGraceSeconds ?? DEFAULT_DISCOVERY_GRACE_SECONDS) * 1000,
  );
  const intervalSeconds = settings.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;

  const sweepOnce = async (run: SweepRun, remainingTimeMs: () => number, counts: Counts): Promise<void> => {
    const listed = new Map<string, string>();
    const wakes: PlannedWake[] = [];
    let failure: { readonly error: unknown } | undefined;
    try {
      const startedAt = deps.now();
      let parked: readonly WatchItem[] | undefined;
      if (memory.parkedCheckDue(startedAt)) {
        try {
          parked = await checkParked(counts);
          memory.parkedChecked(startedAt, parked, 0);
        } catch (error) {
          // The listing's own reads still find what is owed; the sweep fails once they are sent.
          failure = { error };
          memory.parkedSeen();
        }
      }
      if (!memory.listingDue(startedAt, intervalSeconds, run.reason !== 'schedule')) return;
      memory.listingBegun();
      // `whole`: a pass from the first page to the last ended in this sweep, begun by it or by the sweeps before.
      const { whole, gone, acrossSweeps } = await readListing(run, remainingTimeMs, counts, listed, wakes);
      memory.listingRead();
      // A task left to its trigger that left the listing unwatched gets a watch, which says what became of it.
      await forEachConcurrently(memory.takeVanishedUnwatched(), CONCURRENCY, async (task) => {
        if (!(await discover(task, counts))) memory.stillUnwatched(task);
      });
      // A task that left a listing read whole may have a parked watch: look for it now.
      // So may a task that a pass read over several sweeps never listed: look when such a pass ends.
      if (whole && (gone > 0 || acrossSweeps) && parked === undefined) {
        parked = await checkParked(counts);
        memory.parkedChecked(deps.now(), parked, 0);
      }
      if (parked !== undefined) {
        const planned = new Set(wakes.map((wake) => wake.taskId));
        const unlisted = whole
          ? unlistedWakes(
              parked.filter((item) => memory.parkedBeforeLastPass(item.taskId)),
              memory.listedTaskIds(),
            )
          : [];
        // Compared with the status each task was last listed with, this sweep's pages or the pass's.
        const statusOf = (taskId: string) => listed.get(taskId) ?? memory.listedStatusOf(taskId);
        const mismatched = parkedMismatchWakes(parked, statusOf, planned, settings.emitStatusChanges ?? false);
        for (const missed of mismatched) memory.unsettle(missed.taskId, deps.now());
        wakes.push(...mismatched, ...unlisted);
        memory.parkedChecked(deps.now(), parked, unlisted.length);
      }
    } catch (error) {
      failure = { error };
    }
    // The wakes found before a failure are owed to their watches whatever failed after.
    await sendWakes(wakes, remainingTimeMs, counts);
    if (counts.failures > 0) memory.workLeftUndone();
    if (failure !== undefined) throw failure.error;
  };

  const checkParked = async (counts: Counts): Promise<readonly WatchItem[]> => {
    counts.parkedChecked = true;
    return deps.scanParkedWatches();
  };

  /**
   * Reads the listing from where the last sweep stopped, page after page, while the sweep has
   * pages and time left; at the end of the listing it goes on from the first page, unless it
   * started there. Resolves whether a pass through the whole listing, first page to last, ended
   * (begun by this sweep or by the sweeps before it), and how many remembered tasks it no longer
   * listed.
   */
  const readListing = async (
    run: SweepRun,
    remainingTimeMs: () => number,
    counts: Counts,
    listed: Map<string, string>,
    wakes: PlannedWake[],
  ): Promise<{ whole: boolean; gone: number; acrossSweeps: boolean }> => {
    const planOptions = {
      discovery: settings.discovery,
      emitStatusChanges: settings.emitStatusChanges ?? false,
      ...(settings.graphIds === undefined ? {} : { graphIds: settings.graphIds }),
      ...(run.graphId === undefined ? {} : { requestGraphId: run.graphId }),
    };
    let token = memory.cursor;
    let fromFirst = token === undefined;
    let passEnded = false;
    let gone = 0;
    // Whether the pass under way began in an earlier sweep.
    const passBegunBefore = memory.passUnderWay() && !fromFirst;
    let acrossSweeps = false;
    const cutShort = () => {
      counts.truncated = true;
      memory.stoppedAt(token);
      logger.warn('Sweep cut short: the next sweep goes on from the page it stopped at', {
        pagesRead: counts.pagesRead,
        maxPages: settings.maxPages,
        remainingTimeMs: remainingTimeMs(),
      });
      return { whole: passEnded, gone, acrossSweeps };
    };
    for (;;) {
      // The wakes found so far come first: a page is read only while time is left to send them too,
      // and its calls end by then, so that no call runs into the time kept for the wakes.
      const budgetMs = remainingTimeMs() - TIME_RESERVE_MS - (wakes.length * 1000) / WAKES_PER_SECOND;
      if (counts.pagesRead >= settings.maxPages || budgetMs < MIN_PAGE_BUDGET_MS) return cutShort();
      const deadlineMs = budgetMs < CALL_DEADLINE_MS ? Math.floor(budgetMs) : undefined;
      let page: ImportTaskPage | undefined;
      try {
        page = await readPage(token, counts, counts.pagesRead === 0 && !fromFirst, deadlineMs);
      } catch (error) {
        // A call cut short by the sweep's own time, not by the service: the next sweep reads that page.
        if (cutByOwnTime(error, deadlineMs)) return cutShort();
        throw error;
      }
      if (page === undefined) {
        token = undefined;
        fromFirst = true;
        continue;
      }
      const now = deps.now();
      memory.pageRead(now, token);
      if (token === undefined) fromFirst = true;
      counts.pagesRead += 1;
      counts.tasksListed += page.tasks.length;
      if (page.unreadable > 0) {
        counts.failures += page.unreadable;
        logger.warn('Listed entries without a task id or status left out', {
          page: counts.pagesRead,
          unreadable: page.unreadable,
        });
      }
      try {
        await actOnPage(page.tasks, now, planOptions, remainingTimeMs, counts, listed, wakes, deadlineMs);
      } catch (error) {
        // Its tasks are listed but their items unread: unsettled, they are read at the next sweep.
        if (cutByOwnTime(error, deadlineMs)) return cutShort();
        throw error;
      }
      token = page.nextToken;
      if (token === undefined) {
        if (memory.passUnderWay()) {
          passEnded = true;
          acrossSweeps = passBegunBefore;
        }
        gone += memory.stoppedAt(undefined);
        if (fromFirst) return { whole: passEnded, gone, acrossSweeps };
        // Started in the middle: the first pages, where new tasks may be, come next.
        fromFirst = false;
      }
    }
  };

  /**
   * Reads the page `token` names; undefined when the service refuses a token a past sweep kept
   * (`kept`; the listing is then read again from its first page).
   */
  const readPage = async (
    token: string | undefined,
    counts: Counts,
    kept: boolean,
    deadlineMs: number | undefined,
  ): Promise<ImportTaskPage | undefined> => {
    try {
      return await deps.listImportTasks(token, deadlineMs);
    } catch (error) {
      if (!kept || summarizeError(error).name !== 'ValidationException') throw error;
      counts.failures += 1;
      memory.restartListing();
      logger.warn('The listing token kept from the last sweep was refused: reading from the first page', {
        error: summarizeError(error),
      });
      return undefined;
    }
  };

  /**
   * Reads the items of the page's tasks whose listed status is not settled, or that discovery
   * may have to watch, and acts on them: wakes are collected, discoveries and end checks done.
   */
  const actOnPage = async (
    tasks: readonly ListedImportTask[],
    now: number,
    planOptions: Parameters<typeof planSweepPage>[2],
    remainingTimeMs: () => number,
    counts: Counts,
    listed: Map<string, string>,
    wakes: PlannedWake[],
    deadlineMs: number | undefined,
  ): Promise<void> => {
    const toRead: ListedImportTask[] = [];
    const inGrace = new Set<string>();
    for (const task of tasks) {
      if (listed.has(task.taskId)) continue;
      listed.set(task.taskId, task.status);
      const outlook = memory.listed(task.taskId, task.status, now, discoveryAllows(task, planOptions), task.graphId);
      if (outlook.readItem) toRead.push(task);
      if (!outlook.discoverNow) inGrace.add(task.taskId);
    }
    if (toRead.length === 0) return;
    const items = await readItems(
      toRead.map((task) => task.taskId),
      deadlineMs,
    );
    counts.itemsRead += toRead.length;
    const done = new Map<string, boolean>();
    const others: Exclude<SweepAction, { kind: 'wake' }>[] = [];
    for (const action of planSweepPage(toRead, items, planOptions)) {
      // An active task nobody watches is left to its trigger for a while; the next sweeps read it again.
      if (action.kind === 'discover' && inGrace.has(action.task.taskId)) done.set(action.task.taskId, false);
      else if (action.kind !== 'wake') others.push(action);
      else {
        wakes.push({
          taskId: action.task.taskId,
          token: action.token,
          listedStatus: action.task.status,
          ...(action.itemStatus === undefined ? {} : { itemStatus: action.itemStatus }),
        });
      }
    }
    await forEachConcurrently(others, CONCURRENCY, async (action) => {
      const recorded =
        action.kind === 'discover'
          ? await discover(action.task, counts)
          : await checkEnd(action.task, remainingTimeMs, counts);
      done.set(action.task.taskId, recorded);
    });
    for (const task of toRead) {
      const item = items.get(task.taskId);
      if (item?.token !== undefined) memory.parkedSeen();
      const acted = done.get(task.taskId);
      memory.itemRead(task.taskId, deps.now(), item !== undefined || acted === true, acted === false);
    }
  };

  const readItems = async (listedIds: readonly string[], deadlineMs?: number): Promise<Map<string, WatchItem>> => {
    // BatchGetItem refuses a key twice; a listing may repeat a task.
    const taskIds = [...new Set(listedIds)];
    const items = new Map<string, WatchItem>();
    for (let start = 0; start < taskIds.length; start += BATCH_GET_MAX_KEYS) {
      for (const item of await deps.readWatchItems(taskIds.slice(start, start + BATCH_GET_MAX_KEYS), deadlineMs)) {
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
      for (const planned of left) memory.unsettle(planned.taskId, deps.now());
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
        if (outcome === 'failed') memory.unsettle(planned.taskId, deps.now());
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
      // Read again at the next sweep: a failure that lasts shows in every interval, as its alarm counts it.
      memory.unsettle(taskId, deps.now());
    }
    return 'stale';
  };

  /**
   * Starts the watch first and records the task second: a failed start leaves no record, and the
   * next sweep tries again. Resolves whether the task's item is there now.
   */
  const discover = async (task: ListedImportTask, counts: Counts): Promise<boolean> => {
    let outcome: WatchStartOutcome;
    try {
      outcome = await deps.startWatch(task);
    } catch (error) {
      failed(counts, 'Could not start a watch of an unwatched task', task.taskId, error);
      return false;
    }
    if (outcome.outcome === 'started') counts.discovered += 1;
    logger.info('Unwatched task found', {
      taskId: task.taskId,
      status: task.status,
      outcome: outcome.outcome,
      executionName: outcome.executionName,
    });
    const recorded = (await record(task, counts)) !== 'failed';
    // A watch that runs and has not parked yet (its trigger just came) parks in a moment, perhaps
    // behind this status: the task stays owed, and the next sweep reads its item again.
    return recorded && outcome.outcome !== 'already-watching';
  };

  /**
   * Announces an ended task nobody watches, through a watch, unless it ended before the poller
   * was deployed; then it is recorded only. A check that fails leaves no record: the next sweep
   * asks again. Checks beyond {@link MAX_END_CHECKS_PER_SWEEP}, or without the time for them,
   * are left to the next sweeps. Resolves whether the task's item is there now.
   */
  const checkEnd = async (task: ListedImportTask, remainingTimeMs: () => number, counts: Counts): Promise<boolean> => {
    if (counts.endChecks >= MAX_END_CHECKS_PER_SWEEP || remainingTimeMs() < TIME_RESERVE_MS) {
      counts.endChecksDeferred += 1;
      return false;
    }
    counts.endChecks += 1;
    let verdict: ReturnType<typeof verdictOnEndedTask>;
    try {
      const deployed = await deploymentTime();
      verdict = verdictOnEndedTask(await deps.readImportTaskEnd(task.taskId), deployed);
    } catch (error) {
      failed(counts, 'Could not tell when an unwatched ended task ended', task.taskId, error);
      return false;
    }
    if (verdict === 'announce') return discover(task, counts);
    const recorded = await record(task, counts);
    if (recorded === 'written') counts.endedBeforeDeployment += 1;
    return recorded !== 'failed';
  };

  /** Writes the task's item with its listed status unless one is there. */
  const record = async (task: ListedImportTask, counts: Counts): Promise<'written' | 'exists' | 'failed'> => {
    try {
      const written = await deps.putItemIfAbsent({
        [A.taskId]: task.taskId,
        ...(task.graphId === undefined ? {} : { [A.graphId]: task.graphId }),
        [A.status]: task.status,
        [A.discoveredAt]: new Date(deps.now()).toISOString(),
      });
      return written ? 'written' : 'exists';
    } catch (error) {
      failed(counts, 'Could not record the task', task.taskId, error);
      return 'failed';
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
      itemsRead: 0,
      parkedChecked: false,
      unreadSeconds: 0,
    };
    try {
      await sweepOnce(run, remainingTimeMs, counts);
      // A sweep that left the listing for later, nothing being parked, has nothing to say of it.
      if (counts.pagesRead > 0) counts.unreadSeconds = Math.round(memory.unreadSeconds(deps.now()));
    } catch (error) {
      logger.error('Sweep failed', { ...run, ...counts, error: summarizeError(error) });
      throw error;
    } finally {
      deps.publishMetrics(metricsForSweep(counts, intervalSeconds));
    }
    logger.info('Sweep done', { ...run, ...counts });
    return { ...counts };
  };
}
