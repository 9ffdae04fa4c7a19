import {
  IDLE_LISTING_SECONDS,
  PARKED_CHECK_SECONDS,
  SETTLE_MS,
  SweepMemory,
  wakeMatters,
} from '../../../lambda/sweep/sweep-memory';

const TASK = 't-0000000001';
/** The start of an idle listing period, plus five minutes: not the first sweep of the period. */
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % (IDLE_LISTING_SECONDS * 1000)) + 300_000;

describe('wakeMatters', () => {
  test.each([
    ['SUCCEEDED', 'IMPORTING', false, true],
    ['FAILED', undefined, false, true],
    ['ROLLING_BACK', 'IMPORTING', false, false],
    ['ROLLING_BACK', 'IMPORTING', true, true],
    ['SUCCEEDED', 'SUCCEEDED', true, false],
  ])('listed %s, watch saw %s, emitStatusChanges %s: %s', (listed, seen, emit, expected) => {
    expect(wakeMatters(listed, seen, emit)).toBe(expected);
  });
});

describe('SweepMemory', () => {
  describe('which items a sweep reads', () => {
    test('GIVEN a task first listed with a terminal status THEN its item is read until a read finds nothing owed once it has been listed for the settle time', () => {
      const memory = new SweepMemory(T0, false);

      expect(memory.listed(TASK, 'SUCCEEDED', T0, false).readItem).toBe(true);
      memory.itemRead(TASK, T0, true, false);
      expect(memory.listed(TASK, 'SUCCEEDED', T0 + 30_000, false).readItem).toBe(true);
      memory.itemRead(TASK, T0 + SETTLE_MS, true, false);
      expect(memory.listed(TASK, 'SUCCEEDED', T0 + 120_000, false).readItem).toBe(false);
    });

    test('GIVEN a read that found something owed THEN the status is read again, however long it has been listed', () => {
      const memory = new SweepMemory(T0, false);
      memory.listed(TASK, 'FAILED', T0, false);
      memory.itemRead(TASK, T0 + 10 * SETTLE_MS, true, true);
      expect(memory.listed(TASK, 'FAILED', T0 + 11 * SETTLE_MS, false).readItem).toBe(true);
    });

    test('GIVEN an active task discovery may not watch THEN no read, and a change to another active status asks none', () => {
      const memory = new SweepMemory(T0, false);
      expect(memory.listed(TASK, 'IMPORTING', T0, false).readItem).toBe(false);
      expect(memory.listed(TASK, 'ROLLING_BACK', T0 + 60_000, false).readItem).toBe(false);
      expect(memory.listed(TASK, 'FAILED', T0 + 120_000, false).readItem).toBe(true);
    });

    test('GIVEN emitStatusChanges THEN every change of status is read', () => {
      const memory = new SweepMemory(T0, true);
      expect(memory.listed(TASK, 'IMPORTING', T0, false).readItem).toBe(true);
      memory.itemRead(TASK, T0 + SETTLE_MS, true, false);
      expect(memory.listed(TASK, 'IMPORTING', T0 + SETTLE_MS + 1, false).readItem).toBe(false);
      expect(memory.listed(TASK, 'ROLLING_BACK', T0 + 2 * SETTLE_MS, false).readItem).toBe(true);
    });

    test('GIVEN a task discovery may watch THEN its item is read until one is known to exist', () => {
      const memory = new SweepMemory(T0, false);
      expect(memory.listed(TASK, 'IMPORTING', T0, true).readItem).toBe(true);
      memory.itemRead(TASK, T0, false, true);
      expect(memory.listed(TASK, 'IMPORTING', T0 + 60_000, true).readItem).toBe(true);
      memory.itemRead(TASK, T0 + 60_000, true, false);
      expect(memory.listed(TASK, 'IMPORTING', T0 + 120_000, true).readItem).toBe(false);
    });

    test('GIVEN a settled status unsettled by a parked watch found behind it THEN it is read again', () => {
      const memory = new SweepMemory(T0, false);
      memory.listed(TASK, 'SUCCEEDED', T0, false);
      memory.itemRead(TASK, T0 + SETTLE_MS, true, false);
      memory.unsettle(TASK, T0 + 2 * SETTLE_MS);
      expect(memory.listed(TASK, 'SUCCEEDED', T0 + 3 * SETTLE_MS, false).readItem).toBe(true);
    });
  });

  describe('when the listing and the parked watches are read', () => {
    test('GIVEN none parked THEN the listing waits for the next idle period, unless asked for', () => {
      const memory = new SweepMemory(T0, false);
      memory.parkedChecked(T0, [], 0);
      expect(memory.listingDue(T0, 60, false)).toBe(false);
      expect(memory.listingDue(T0, 60, true)).toBe(true);
      const nextPeriod = T0 - 300_000 + IDLE_LISTING_SECONDS * 1000;
      expect(memory.listingDue(nextPeriod + 30_000, 60, false)).toBe(true);
      expect(memory.listingDue(nextPeriod + 90_000, 60, false)).toBe(false);
    });

    test('GIVEN a parked watch THEN the listing is read every sweep; a watch without a token counts as none', () => {
      const memory = new SweepMemory(T0, false);
      memory.parkedChecked(T0, [{ taskId: TASK }], 0);
      expect(memory.listingDue(T0 + 60_000, 60, false)).toBe(false);
      memory.parkedChecked(T0, [{ taskId: TASK, token: 'token-1' }], 0);
      expect(memory.listingDue(T0 + 60_000, 60, false)).toBe(true);
    });

    test('GIVEN a parked watch THEN the parked watches are looked at only every 15 minutes; GIVEN parked watches of tasks not listed THEN every sweep', () => {
      const memory = new SweepMemory(T0, false);
      memory.parkedChecked(T0, [{ taskId: TASK, token: 'token-1' }], 0);
      expect(memory.parkedCheckDue(T0 + 60_000)).toBe(false);
      expect(memory.parkedCheckDue(T0 + PARKED_CHECK_SECONDS * 1000)).toBe(true);
      memory.parkedChecked(T0, [{ taskId: TASK, token: 'token-1' }], 1);
      expect(memory.parkedCheckDue(T0 + 60_000)).toBe(true);
    });

    test('GIVEN an end listed of a task no item is known of THEN every sweep looks at the parked watches, until an item is found', () => {
      const memory = new SweepMemory(T0, false);
      memory.parkedChecked(T0, [{ taskId: TASK, token: 'token-1' }], 0);
      memory.listed('t-0000000002', 'IMPORTING', T0 + 30_000, false);
      memory.itemRead('t-0000000002', T0 + 30_000, false, false);
      expect(memory.parkedCheckDue(T0 + 60_000)).toBe(false);
      memory.listed('t-0000000002', 'SUCCEEDED', T0 + 90_000, false);
      expect(memory.listedStatusOf('t-0000000002')).toBe('SUCCEEDED');
      for (let minute = 2; minute <= 30; minute++) {
        expect(memory.parkedCheckDue(T0 + minute * 60_000)).toBe(true);
        memory.parkedChecked(T0 + minute * 60_000, [{ taskId: TASK, token: 'token-1' }], 0);
      }
      memory.itemRead('t-0000000002', T0 + 31 * 60_000, true, false);
      expect(memory.parkedCheckDue(T0 + 32 * 60_000)).toBe(false);
    });

    test('GIVEN a watch first seen parked after the last whole pass began THEN that pass does not count it unlisted; GIVEN it seen before THEN it does', () => {
      const memory = new SweepMemory(T0, false);
      memory.pageRead(T0, undefined);
      memory.parkedChecked(T0 + 30_000, [{ taskId: TASK, token: 'token-1' }], 0);
      memory.stoppedAt(undefined);
      expect(memory.parkedBeforeLastPass(TASK)).toBe(false);

      memory.parkedChecked(T0 + 60_000, [{ taskId: TASK, token: 'token-1' }], 0);
      memory.pageRead(T0 + 60_000, undefined);
      memory.stoppedAt(undefined);
      expect(memory.parkedBeforeLastPass(TASK)).toBe(true);

      // Parked again with a new token: seen anew.
      memory.parkedChecked(T0 + 120_000, [{ taskId: TASK, token: 'token-2' }], 0);
      expect(memory.parkedBeforeLastPass(TASK)).toBe(false);
      expect(memory.parkedBeforeLastPass('t-0000000002')).toBe(false);
    });

    test('GIVEN a sweep interval as long as the idle one THEN every sweep reads the listing', () => {
      const memory = new SweepMemory(T0, false);
      memory.parkedChecked(T0, [], 0);
      expect(memory.listingDue(T0, IDLE_LISTING_SECONDS, false)).toBe(true);
    });

    test('GIVEN a listing left unread a whole idle period THEN the next sweep reads it, whatever its time', () => {
      const memory = new SweepMemory(T0, false);
      memory.parkedChecked(T0, [], 0);
      expect(memory.listingDue(T0 + IDLE_LISTING_SECONDS * 1000, 7 * 60, false)).toBe(true);
    });
  });

  describe('where the listing is left', () => {
    test('GIVEN a pass read over several sweeps THEN the cursor goes on, and its end forgets the tasks it did not list', () => {
      const memory = new SweepMemory(T0, false);
      memory.pageRead(T0, undefined);
      memory.listed('t-0000000001', 'IMPORTING', T0, false);
      memory.listed('t-0000000002', 'IMPORTING', T0, false);
      expect(memory.stoppedAt('100')).toBe(0);
      expect(memory.cursor).toBe('100');
      expect(memory.unreadSeconds(T0 + 60_000)).toBe(60);
      memory.pageRead(T0 + 60_000, '100');
      expect(memory.stoppedAt(undefined)).toBe(0);
      expect(memory.unreadSeconds(T0 + 60_000)).toBe(60);

      memory.pageRead(T0 + 120_000, undefined);
      memory.listed('t-0000000001', 'IMPORTING', T0 + 120_000, false);
      expect(memory.stoppedAt(undefined)).toBe(1);
      expect(memory.size).toBe(1);
      expect(memory.cursor).toBeUndefined();
      expect(memory.unreadSeconds(T0 + 120_000)).toBe(0);
    });

    test('GIVEN the listing restarted THEN the next sweep reads from the first page', () => {
      const memory = new SweepMemory(T0, false);
      memory.pageRead(T0, undefined);
      memory.stoppedAt('200');
      memory.restartListing();
      expect(memory.cursor).toBeUndefined();
    });
  });
});

describe('SweepMemory, a listing that failed', () => {
  test('GIVEN a sweep that began to read the listing and failed THEN the next reads it, even while idle', () => {
    const memory = new SweepMemory(T0, false);
    memory.parkedChecked(T0, [], 0);
    memory.listingBegun();
    expect(memory.listingDue(T0 + 60_000, 60, false)).toBe(true);
    memory.listingRead();
    expect(memory.listingDue(T0 + 120_000, 60, false)).toBe(false);
  });
});

describe('SweepMemory, the grace left to triggers', () => {
  test('GIVEN an active task discovery may watch THEN it is not read for discovery until the grace has passed since it was first listed, and the listing stays due meanwhile', () => {
    const memory = new SweepMemory(T0, false, 300_000);
    memory.parkedChecked(T0, [], 0);

    expect(memory.listed(TASK, 'INITIALIZING', T0, true)).toEqual({ readItem: false, discoverNow: false });
    expect(memory.listingDue(T0 + 60_000, 60, false)).toBe(true);
    expect(memory.listed(TASK, 'IMPORTING', T0 + 240_000, true)).toEqual({ readItem: false, discoverNow: false });
    expect(memory.listed(TASK, 'IMPORTING', T0 + 300_000, true)).toEqual({ readItem: true, discoverNow: true });
    memory.itemRead(TASK, T0 + 300_000, true, false);
    expect(memory.listingDue(T0 + 360_000, 60, false)).toBe(false);
  });

  test('GIVEN an ended task THEN the grace does not hold it back', () => {
    const memory = new SweepMemory(T0, false, 300_000);
    expect(memory.listed(TASK, 'FAILED', T0, true)).toEqual({ readItem: true, discoverNow: true });
  });
});

describe('SweepMemory, a task that leaves the listing while left to its trigger', () => {
  test('GIVEN an active task left to its trigger THEN, once a pass no longer lists it, it is handed back once to be watched', () => {
    const memory = new SweepMemory(T0, false, 300_000);
    memory.pageRead(T0, undefined);
    memory.listed(TASK, 'IMPORTING', T0, true, 'g-aaaaaaaaaa');
    memory.listed('t-0000000002', 'IMPORTING', T0, false);
    memory.stoppedAt(undefined);

    memory.pageRead(T0 + 60_000, undefined);
    expect(memory.stoppedAt(undefined)).toBe(2);

    const vanished = memory.takeVanishedUnwatched();
    expect(vanished).toEqual([{ taskId: TASK, status: 'IMPORTING', graphId: 'g-aaaaaaaaaa' }]);
    expect(memory.takeVanishedUnwatched()).toEqual([]);
    memory.stillUnwatched(vanished[0]);
    expect(memory.takeVanishedUnwatched()).toEqual(vanished);
  });
});
