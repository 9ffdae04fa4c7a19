/**
 * What a sweep function instance remembers from one sweep to the next, and the decisions drawn
 * from it: pure, on the times it is given. Lambda keeps an instance for many sweeps; a new
 * instance starts with nothing remembered and so does everything once, as a sweep always did.
 *
 * - The status each listed task was last listed with, and whether that status is settled: its
 *   item was read at least {@link SETTLE_MS} after the status was first listed and nothing was
 *   owed to it. A settled status costs no read of the table; a task that stays listed after it
 *   ended costs one `ListImportTasks` entry a sweep and nothing else.
 * - Whether the watch table holds an item for a task (discovery has nothing to do for it then),
 *   and when each task was first listed: an active task nobody watches is left to its trigger
 *   for the discovery grace.
 * - Where the last sweep stopped in the listing, so that the next goes on from there.
 * - How many watches were parked at the last look at the index of parked watches, and when the
 *   listing was last read: while nothing is parked, the listing is read only every
 *   {@link IDLE_LISTING_SECONDS}.
 */
import { isTerminalImportStatus } from '../../lib/events';

/**
 * Milliseconds a listed status must have been listed before a read of its item that finds
 * nothing owed settles it. A watch that polled just before the change parks a moment after it,
 * with the status before: the read of the next sweep finds that park and wakes it.
 */
export const SETTLE_MS = 50_000;

/**
 * Seconds between two readings of the listing while no watch is parked and no sweep was asked
 * for: a task that only discovery would find is found within this time in an idle account.
 */
export const IDLE_LISTING_SECONDS = 900;

/**
 * Seconds after which a sweep looks at the index of parked watches even when nothing listed
 * asks for it: a watch that parked with a status that differs from the listing, or whose task is
 * not listed at all, is woken within this time whatever else happens.
 */
export const PARKED_CHECK_SECONDS = 900;

/**
 * Whether a watch that last saw `itemStatus` is worth waking for `listedStatus`: a terminal
 * status always; another change only when the watches put an event on every status change.
 */
export function wakeMatters(listedStatus: string, itemStatus: string | undefined, emitStatusChanges: boolean): boolean {
  if (listedStatus === itemStatus) return false;
  return emitStatusChanges || isTerminalImportStatus(listedStatus);
}

interface Remembered {
  /** Epoch ms the task was first listed. */
  readonly firstListedAt: number;
  /** Its graph, as listed. */
  readonly graphId?: string;
  /** Status the task was last listed with. */
  status: string;
  /** Epoch ms that status was first listed. */
  since: number;
  /** Whether no read of the item is owed for that status. */
  settled: boolean;
  /** Epoch ms the task was last read in the listing. */
  readAt: number;
}

/** What the memory says about one listed task. */
export interface ListedTaskOutlook {
  /** Whether its item must be read this sweep. */
  readonly readItem: boolean;
  /** Whether discovery may start a watch of it now, its trigger's grace over. */
  readonly discoverNow: boolean;
}

/** The memory of one sweep function instance. */
export class SweepMemory {
  private readonly tasks = new Map<string, Remembered>();
  private readonly withItem = new Set<string>();
  /** Active tasks discovery may watch, no item of them known: left to their trigger for a while. */
  private readonly awaitingDiscovery = new Set<string>();
  private cursorToken: string | undefined;
  /** Epoch ms the pass now under way read its first page. */
  private passStartedAt: number | undefined;
  /** Epoch ms the last pass read to its end began; every task listed throughout was read since. */
  private lastWholePassStartedAt: number | undefined;
  private parked: number | undefined;
  private lastParkedCheckAt: number | undefined;
  /** Tasks whose parked watches a whole listing did not show, at the last look. */
  private unlistedParked = 0;
  /** Each parked watch's token, and when it was first seen at a look at the parked watches. */
  private parkedSince = new Map<string, { readonly token: string; readonly at: number }>();
  private lastListedAt: number | undefined;
  private readonly startedAt: number;
  /** Active tasks left to their trigger that left the listing before discovery watched them. */
  private vanished: { readonly taskId: string; readonly status: string; readonly graphId?: string }[] = [];
  /** Whether a sweep began to read the listing and failed: the next reads it, whatever else holds. */
  private listingOwed = false;

  /**
   * @param startedAt epoch ms the instance began
   * @param emitStatusChanges whether a status change other than an end is worth a wake
   * @param discoveryGraceMs how long an active task nobody watches is left to its trigger
   */
  constructor(
    startedAt: number,
    private readonly emitStatusChanges: boolean,
    private readonly discoveryGraceMs = 0,
  ) {
    this.startedAt = startedAt;
  }

  /** Token of the page the next sweep reads first; undefined: the first page. */
  get cursor(): string | undefined {
    return this.cursorToken;
  }

  /**
   * Whether this sweep reads the listing: a sweep that was asked for, a listing a failed sweep
   * owes, a pass under way, a parked watch to wake, or an interval at least as long as the idle one always does; otherwise only the
   * first sweep of each {@link IDLE_LISTING_SECONDS} of the clock, or one that finds the listing
   * unread for that long.
   * @param requested whether the sweep was asked for, rather than scheduled
   */
  listingDue(now: number, intervalSeconds: number, requested: boolean): boolean {
    if (requested || this.listingOwed || this.cursorToken !== undefined || (this.parked ?? 0) > 0) return true;
    if (this.awaitingDiscovery.size > 0) return true;
    const idleMs = IDLE_LISTING_SECONDS * 1000;
    if (intervalSeconds * 1000 >= idleMs) return true;
    if (Math.floor(now / idleMs) !== Math.floor((now - intervalSeconds * 1000) / idleMs)) return true;
    return now - (this.lastListedAt ?? this.startedAt) >= idleMs;
  }

  /**
   * Whether this sweep looks at the index of parked watches before it lists: when nothing is
   * known of it, when no watch was parked at the last look (the listing waits for one), when
   * parked watches of tasks not listed were found last time, while the listing shows an end of a
   * task no item is known of ({@link unwatchedEndListed}), and at least every
   * {@link PARKED_CHECK_SECONDS}.
   */
  parkedCheckDue(now: number): boolean {
    if (this.parked === undefined || this.parked === 0 || this.unlistedParked > 0) return true;
    if (this.unwatchedEndListed()) return true;
    return this.lastParkedCheckAt === undefined || now - this.lastParkedCheckAt >= PARKED_CHECK_SECONDS * 1000;
  }

  /**
   * Whether the listing shows a task ended that no item of the table is known of: a task discovery
   * does not watch (it is off, or the task's graph is not among its graphs). A CloudTrail record
   * that comes after such a short import ended starts a watch that parks behind an end the sweeps
   * settled; looking at the parked watches every sweep, the next sweep wakes it.
   */
  private unwatchedEndListed(): boolean {
    for (const [taskId, entry] of this.tasks) {
      if (isTerminalImportStatus(entry.status) && !this.withItem.has(taskId)) return true;
    }
    return false;
  }

  /** The status `taskId` was last listed with, while the memory holds it. */
  listedStatusOf(taskId: string): string | undefined {
    return this.tasks.get(taskId)?.status;
  }

  /**
   * Records a look, at `now`, at the index of parked watches: how many hold a token, how many of
   * their tasks a whole listing did not show, and when each token was first seen parked.
   */
  parkedChecked(
    now: number,
    parked: readonly { readonly taskId: string; readonly token?: string }[],
    unlisted: number,
  ): void {
    this.unlistedParked = unlisted;
    this.lastParkedCheckAt = now;
    const since = new Map<string, { readonly token: string; readonly at: number }>();
    for (const { taskId, token } of parked) {
      if (token === undefined) continue;
      const known = this.parkedSince.get(taskId);
      since.set(taskId, { token, at: known?.token === token ? known.at : now });
    }
    this.parkedSince = since;
    this.parked = since.size;
  }

  /**
   * Whether the watch of `taskId` was seen parked, with the token it holds at the last look, before
   * the last pass read whole began: only then does that pass's not listing the task say it is not
   * listed, rather than that it started after the pass read its page.
   */
  parkedBeforeLastPass(taskId: string): boolean {
    const seen = this.parkedSince.get(taskId);
    return seen !== undefined && this.lastWholePassStartedAt !== undefined && seen.at <= this.lastWholePassStartedAt;
  }

  /** Records that a read of the table found a parked watch, or that a wake or a new watch will park one. */
  parkedSeen(): void {
    this.parked = Math.max(this.parked ?? 0, 1);
  }

  /** Records that a sweep begins to read the listing: until {@link listingRead}, the next sweep owes it. */
  listingBegun(): void {
    this.listingOwed = true;
  }

  /**
   * Records that a sweep left work undone (a wake, discovery, end-time check or record failed): the
   * next sweep reads the listing again, so that the work is retried every interval and a failure
   * that lasts shows in every interval, as its alarm counts it.
   */
  workLeftUndone(): void {
    this.listingOwed = true;
  }

  /** Records that the sweep read the listing as far as it could: no listing is owed. */
  listingRead(): void {
    this.listingOwed = false;
  }

  /** Records that the listing is read from the page `token` names (the first without one) at `now`. */
  pageRead(now: number, token: string | undefined): void {
    if (token === undefined) this.passStartedAt = now;
    this.lastListedAt = now;
  }

  /**
   * Records where the sweep stopped: the next page's token, or undefined at the end of the
   * listing. At the end of a pass read from its first page, forgets the tasks the pass did not
   * list, and returns how many: tasks that left the listing.
   */
  stoppedAt(nextToken: string | undefined): number {
    this.cursorToken = nextToken;
    if (nextToken !== undefined || this.passStartedAt === undefined) return 0;
    const passStartedAt = this.passStartedAt;
    this.lastWholePassStartedAt = passStartedAt;
    this.passStartedAt = undefined;
    let gone = 0;
    for (const [taskId, entry] of this.tasks) {
      if (entry.readAt < passStartedAt) {
        if (this.awaitingDiscovery.delete(taskId)) {
          this.vanished.push({
            taskId,
            status: entry.status,
            ...(entry.graphId === undefined ? {} : { graphId: entry.graphId }),
          });
        }
        this.tasks.delete(taskId);
        this.withItem.delete(taskId);
        gone += 1;
      }
    }
    return gone;
  }

  /**
   * The active tasks left to their trigger that left the listing before discovery watched them,
   * each returned once: a task deleted early, or a listing that dropped it. A watch says what
   * became of it rather than nothing at all.
   */
  takeVanishedUnwatched(): { readonly taskId: string; readonly status: string; readonly graphId?: string }[] {
    const vanished = this.vanished;
    this.vanished = [];
    return vanished;
  }

  /** Gives back a task {@link takeVanishedUnwatched} returned whose watch could not be started: the next sweep tries again. */
  stillUnwatched(task: { readonly taskId: string; readonly status: string; readonly graphId?: string }): void {
    this.vanished.push(task);
  }

  /** Whether a pass through the listing that began at its first page is under way: ending it reads the listing whole. */
  passUnderWay(): boolean {
    return this.passStartedAt !== undefined;
  }

  /** The tasks listed now, as far as the memory knows: after a pass ends, every task it read, and no other. */
  listedTaskIds(): ReadonlySet<string> {
    return new Set(this.tasks.keys());
  }

  /** Forgets where the listing was left: a token the service no longer takes. */
  restartListing(): void {
    this.cursorToken = undefined;
    this.passStartedAt = undefined;
  }

  /**
   * Seconds the task read longest ago may have gone unread: from the start of the last pass read
   * to its end (or, before any, from the instance's start) to `now`.
   */
  unreadSeconds(now: number): number {
    return Math.max(0, (now - (this.lastWholePassStartedAt ?? this.startedAt)) / 1000);
  }

  /**
   * Records that `taskId` is listed with `status` at `now`, and says whether its item must be
   * read: for a status not yet settled that could call for a wake (see {@link wakeMatters}), or
   * for discovery, when it may watch the task, no item of it is known, and the task has ended or
   * was first listed at least the discovery grace ago.
   */
  listed(taskId: string, status: string, now: number, discoveryMayWatch: boolean, graphId?: string): ListedTaskOutlook {
    let entry = this.tasks.get(taskId);
    if (entry === undefined || entry.status !== status) {
      const mayWake =
        entry === undefined
          ? isTerminalImportStatus(status) || this.emitStatusChanges
          : this.changeMatters(entry.status, status);
      entry = {
        firstListedAt: entry?.firstListedAt ?? now,
        ...(graphId === undefined ? {} : { graphId }),
        status,
        since: now,
        settled: !mayWake,
        readAt: now,
      };
      this.tasks.set(taskId, entry);
    }
    entry.readAt = now;
    const discoveryOwed = discoveryMayWatch && !this.withItem.has(taskId);
    const graceOver = isTerminalImportStatus(status) || now - entry.firstListedAt >= this.discoveryGraceMs;
    if (discoveryOwed && !isTerminalImportStatus(status)) this.awaitingDiscovery.add(taskId);
    else this.awaitingDiscovery.delete(taskId);
    return { readItem: !entry.settled || (discoveryOwed && graceOver), discoverNow: graceOver };
  }

  /**
   * Records what the read of `taskId`'s item at `now` came to: whether an item is there (or was
   * written), and whether anything is still owed to the task (a wake to send, a watch to start,
   * an end to check). A status whose read owed nothing is settled once it has been listed for
   * {@link SETTLE_MS}.
   */
  itemRead(taskId: string, now: number, hasItem: boolean, owed: boolean): void {
    if (hasItem) {
      this.withItem.add(taskId);
      this.awaitingDiscovery.delete(taskId);
    }
    const entry = this.tasks.get(taskId);
    if (entry === undefined) return;
    if (owed) entry.settled = false;
    else if (now - entry.since >= SETTLE_MS) entry.settled = true;
  }

  /** Marks `taskId`'s listed status unsettled from `now`: a parked watch was found owed a wake for it. */
  unsettle(taskId: string, now: number): void {
    const entry = this.tasks.get(taskId);
    if (entry === undefined) return;
    entry.settled = false;
    entry.since = now;
  }

  /** Tasks remembered. */
  get size(): number {
    return this.tasks.size;
  }

  private changeMatters(from: string, to: string): boolean {
    return from !== to && (this.emitStatusChanges || isTerminalImportStatus(to));
  }
}
