import {
  END_TIME_MARGIN_MS,
  planSweepPage,
  verdictOnEndedTask,
  type ListedImportTask,
  type SweepPlanOptions,
  type WatchItem,
} from '../../../lambda/sweep/plan-sweep-page';

const GRAPH = 'g-aaaaaaaaaa';
const OTHER_GRAPH = 'g-bbbbbbbbbb';
const TASK = 't-0000000001';

const listed = (status: string, overrides: Partial<ListedImportTask> = {}): ListedImportTask => ({
  taskId: TASK,
  graphId: GRAPH,
  status,
  ...overrides,
});
const items = (...watchItems: WatchItem[]): Map<string, WatchItem> =>
  new Map(watchItems.map((item) => [item.taskId, item]));
const parked = (status: string, token = 'token-1'): WatchItem => ({ taskId: TASK, status, token });
const options = (overrides: Partial<SweepPlanOptions> = {}): SweepPlanOptions => ({
  discovery: true,
  ...overrides,
});

describe('planSweepPage', () => {
  describe('waking a waiting watch', () => {
    test.each([
      ['IMPORTING', 'SUCCEEDED'],
      ['IMPORTING', 'FAILED'],
      ['ROLLING_BACK', 'FAILED'],
      ['CANCELLING', 'CANCELLED'],
      ['UNKNOWN', 'DELETED'],
    ])('GIVEN a watch that last saw %s and the task listed %s THEN it is woken with its token', (seen, status) => {
      const task = listed(status);
      expect(planSweepPage([task], items(parked(seen, 'the-token')), options())).toEqual([
        { kind: 'wake', task, token: 'the-token', itemStatus: seen },
      ]);
    });

    test.each([
      ['IMPORTING', 'ROLLING_BACK'],
      ['IMPORTING', 'CANCELLING'],
      ['UNKNOWN', 'INITIALIZING'],
      ['IMPORTING', 'REPROVISIONING'],
    ])(
      'GIVEN a watch that last saw %s and the task listed %s THEN it is woken only with emitStatusChanges',
      (seen, status) => {
        const task = listed(status);
        expect(planSweepPage([task], items(parked(seen, 'the-token')), options())).toEqual([]);
        expect(planSweepPage([task], items(parked(seen, 'the-token')), options({ emitStatusChanges: true }))).toEqual([
          { kind: 'wake', task, token: 'the-token', itemStatus: seen },
        ]);
      },
    );

    test('GIVEN a waiting watch that saw the listed status THEN nothing is done', () => {
      expect(planSweepPage([listed('IMPORTING')], items(parked('IMPORTING')), options())).toEqual([]);
    });

    test('GIVEN an item without a token (a stale token removed, or a task recorded) THEN nothing is done, whatever the status', () => {
      expect(planSweepPage([listed('SUCCEEDED')], items({ taskId: TASK, status: 'IMPORTING' }), options())).toEqual([]);
    });

    test('GIVEN a token and no status THEN the watch is woken for a terminal status', () => {
      const task = listed('SUCCEEDED');
      expect(planSweepPage([task], items({ taskId: TASK, token: 't' }), options())).toEqual([
        { kind: 'wake', task, token: 't' },
      ]);
    });

    test('wakes are not restricted to the graphs discovery may watch, nor by discovery being off', () => {
      const task = listed('SUCCEEDED', { graphId: OTHER_GRAPH });
      const plan = planSweepPage(
        [task],
        items(parked('IMPORTING')),
        options({ discovery: false, graphIds: [GRAPH], requestGraphId: GRAPH }),
      );
      expect(plan).toEqual([{ kind: 'wake', task, token: 'token-1', itemStatus: 'IMPORTING' }]);
    });
  });

  describe('discovering unwatched tasks', () => {
    test.each(['INITIALIZING', 'IMPORTING', 'ROLLING_BACK', 'CANCELLING'])(
      'GIVEN an active task (%s) with no item THEN a watch is started for it',
      (status) => {
        const task = listed(status);
        expect(planSweepPage([task], items(), options())).toEqual([{ kind: 'discover', task }]);
      },
    );

    test.each(['SUCCEEDED', 'FAILED', 'CANCELLED', 'DELETED'])(
      'GIVEN a task ended (%s) with no item THEN the time it ended is asked for, to announce it unless it ended before the deployment',
      (status) => {
        const task = listed(status);
        expect(planSweepPage([task], items(), options())).toEqual([{ kind: 'check-end', task }]);
      },
    );

    test('GIVEN discovery off or restricted THEN an ended task with no item is neither checked nor recorded', () => {
      const task = listed('SUCCEEDED', { graphId: OTHER_GRAPH });
      expect(planSweepPage([task], items(), options({ discovery: false }))).toEqual([]);
      expect(planSweepPage([task], items(), options({ graphIds: [GRAPH] }))).toEqual([]);
      expect(planSweepPage([task], items(), options({ requestGraphId: GRAPH }))).toEqual([]);
    });

    test('GIVEN discovery off THEN no watch is started for an unwatched task', () => {
      expect(planSweepPage([listed('IMPORTING'), listed('SUCCEEDED')], items(), options({ discovery: false }))).toEqual(
        [],
      );
    });

    test('GIVEN graphIds THEN only tasks of those graphs are discovered; a task whose graph is not listed is not', () => {
      const mine = listed('IMPORTING', { taskId: 't-0000000001', graphId: GRAPH });
      const theirs = listed('IMPORTING', { taskId: 't-0000000002', graphId: OTHER_GRAPH });
      const unknown: ListedImportTask = { taskId: 't-0000000003', status: 'IMPORTING' };
      expect(planSweepPage([mine, theirs, unknown], items(), options({ graphIds: [GRAPH] }))).toEqual([
        { kind: 'discover', task: mine },
      ]);
    });

    test("GIVEN a sweep asked for one graph THEN only that graph's tasks are discovered", () => {
      const mine = listed('IMPORTING', { taskId: 't-0000000001', graphId: GRAPH });
      const theirs = listed('IMPORTING', { taskId: 't-0000000002', graphId: OTHER_GRAPH });
      expect(planSweepPage([mine, theirs], items(), options({ requestGraphId: OTHER_GRAPH }))).toEqual([
        { kind: 'discover', task: theirs },
      ]);
    });

    test('GIVEN both graphIds and a requested graph outside them THEN nothing is discovered', () => {
      const theirs = listed('IMPORTING', { graphId: OTHER_GRAPH });
      expect(planSweepPage([theirs], items(), options({ graphIds: [GRAPH], requestGraphId: OTHER_GRAPH }))).toEqual([]);
    });
  });

  test('a listed id that is not an import task id is left alone', () => {
    expect(planSweepPage([listed('IMPORTING', { taskId: 'T-NOT-AN-ID' })], items(), options())).toEqual([]);
  });

  test('a task listed twice gets one action', () => {
    const task = listed('SUCCEEDED');
    expect(planSweepPage([task, task], items(parked('IMPORTING')), options())).toHaveLength(1);
    expect(planSweepPage([listed('IMPORTING'), listed('IMPORTING')], items(), options())).toHaveLength(1);
  });

  test('each task of a page gets its own action, in listing order', () => {
    const woken = listed('SUCCEEDED', { taskId: 't-0000000001' });
    const quiet = listed('IMPORTING', { taskId: 't-0000000002' });
    const found = listed('IMPORTING', { taskId: 't-0000000003' });
    const plan = planSweepPage(
      [woken, quiet, found],
      items(
        { taskId: 't-0000000001', status: 'IMPORTING', token: 'a' },
        { taskId: 't-0000000002', status: 'IMPORTING', token: 'b' },
      ),
      options(),
    );
    expect(plan).toEqual([
      { kind: 'wake', task: woken, token: 'a', itemStatus: 'IMPORTING' },
      { kind: 'discover', task: found },
    ]);
  });
});

describe('verdictOnEndedTask', () => {
  const deployedAt = Date.parse('2026-03-01T12:00:00Z');
  const DAY_MS = 86_400_000;

  test('GIVEN a task that ended a day before the deployment THEN it is recorded, never announced', () => {
    expect(verdictOnEndedTask(deployedAt - DAY_MS, deployedAt)).toBe('record');
  });

  test('GIVEN a task that ended after the deployment, or at its moment THEN it is announced', () => {
    expect(verdictOnEndedTask(deployedAt + 1, deployedAt)).toBe('announce');
    expect(verdictOnEndedTask(deployedAt, deployedAt)).toBe('announce');
  });

  test('GIVEN a task whose end is unknown THEN it is announced: a task is never lost for want of its time', () => {
    expect(verdictOnEndedTask(undefined, deployedAt)).toBe('announce');
  });

  test('GIVEN a task that ended just before the deployment, within the margin of whole seconds and clocks THEN it is announced', () => {
    expect(verdictOnEndedTask(deployedAt - END_TIME_MARGIN_MS, deployedAt)).toBe('announce');
    expect(verdictOnEndedTask(deployedAt - END_TIME_MARGIN_MS - 1, deployedAt)).toBe('record');
  });
});
