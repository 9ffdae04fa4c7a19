import type { WatchItem } from '../../../lambda/sweep/plan-sweep-page';
import { parkedMismatchWakes, spreadWakes, unlistedWakes, WAKES_PER_SECOND } from '../../../lambda/sweep/plan-wakes';

describe('unlistedWakes', () => {
  const parked = (taskId: string, token?: string, status = 'IMPORTING'): WatchItem => ({
    taskId,
    status,
    executionName: taskId,
    ...(token === undefined ? {} : { token }),
  });

  test('GIVEN parked watches, some of tasks not listed THEN those alone are woken, with no listed status', () => {
    const wakes = unlistedWakes(
      [parked('t-0000000001', 'a'), parked('t-0000000002', 'b', 'UNKNOWN'), parked('t-0000000003', 'c')],
      new Set(['t-0000000001', 't-0000000003']),
    );
    expect(wakes).toEqual([{ taskId: 't-0000000002', token: 'b', listedStatus: null, itemStatus: 'UNKNOWN' }]);
  });

  test('GIVEN every parked task listed THEN nothing is woken', () => {
    expect(unlistedWakes([parked('t-0000000001', 'a')], new Set(['t-0000000001']))).toEqual([]);
  });

  test('GIVEN an item without a token, or one seen twice THEN it is woken once, or not at all', () => {
    const wakes = unlistedWakes(
      [parked('t-0000000001'), parked('t-0000000002', 'b'), parked('t-0000000002', 'b')],
      new Set(),
    );
    expect(wakes.map((wake) => wake.taskId)).toEqual(['t-0000000002']);
  });

  test('GIVEN an empty listing THEN every parked watch is woken', () => {
    expect(unlistedWakes([parked('t-0000000001', 'a'), parked('t-0000000002', 'b')], new Set())).toHaveLength(2);
  });
});

describe('spreadWakes', () => {
  test(`GIVEN 25 wakes and time enough THEN they go ${WAKES_PER_SECOND} a second, evenly, the first at once`, () => {
    const { delaysMs, deferred } = spreadWakes(25, 60_000);
    expect(deferred).toBe(0);
    expect(delaysMs).toEqual(Array.from({ length: 25 }, (_, index) => index * 100));
  });

  test('GIVEN any second of the spread THEN it holds at most the rate', () => {
    const { delaysMs } = spreadWakes(120, 60_000);
    for (let second = 0; second < 12; second++) {
      expect(delaysMs.filter((ms) => ms >= second * 1000 && ms < (second + 1) * 1000)).toHaveLength(10);
    }
  });

  test('GIVEN less time than the wakes need THEN the last ones are left to the next sweep, none sent late', () => {
    const { delaysMs, deferred } = spreadWakes(120, 2_500);
    expect(delaysMs).toHaveLength(26);
    expect(Math.max(...delaysMs)).toBeLessThanOrEqual(2_500);
    expect(deferred).toBe(94);
  });

  test('GIVEN no time at all THEN every wake is left to the next sweep', () => {
    expect(spreadWakes(3, -1)).toEqual({ delaysMs: [], deferred: 3 });
  });

  test('GIVEN no limit to the time (no Lambda context) THEN every wake is sent, at the same pace', () => {
    const { delaysMs, deferred } = spreadWakes(3, Number.POSITIVE_INFINITY, 4);
    expect({ delaysMs, deferred }).toEqual({ delaysMs: [0, 250, 500], deferred: 0 });
  });

  test('GIVEN no wakes THEN nothing', () => {
    expect(spreadWakes(0, 60_000)).toEqual({ delaysMs: [], deferred: 0 });
  });
});

describe('parkedMismatchWakes', () => {
  const item = (taskId: string, status: string, token?: string) => ({
    taskId,
    status,
    ...(token === undefined ? {} : { token }),
  });
  const listed = new Map([
    ['t-0000000001', 'SUCCEEDED'],
    ['t-0000000002', 'ROLLING_BACK'],
    ['t-0000000003', 'IMPORTING'],
    ['t-0000000004', 'FAILED'],
  ]);
  const parked = [
    item('t-0000000001', 'IMPORTING', 'a'),
    item('t-0000000002', 'IMPORTING', 'b'),
    item('t-0000000003', 'IMPORTING', 'c'),
    item('t-0000000004', 'IMPORTING'),
    item('t-0000000005', 'IMPORTING', 'e'),
  ];

  test('GIVEN parked watches behind the listing THEN those whose task lists a terminal status are woken, with it', () => {
    expect(parkedMismatchWakes(parked, (taskId) => listed.get(taskId), new Set(), false)).toEqual([
      { taskId: 't-0000000001', token: 'a', listedStatus: 'SUCCEEDED', itemStatus: 'IMPORTING' },
    ]);
  });

  test('GIVEN emitStatusChanges THEN any other listed status wakes; a wake already planned is not planned twice', () => {
    expect(
      parkedMismatchWakes(parked, (taskId) => listed.get(taskId), new Set(['t-0000000001']), true).map(
        (wake) => wake.taskId,
      ),
    ).toEqual(['t-0000000002']);
  });
});
