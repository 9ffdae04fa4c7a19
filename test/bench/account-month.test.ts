import {
  accountMonth,
  hoursWithEvents,
  MONTHLY_PRICES,
  poissonMean,
  sweptBeforeTrigger,
  type StrategyUsage,
} from '../../bench/account-month';
import type { SweepModel } from '../../bench/listing';

const sweep: SweepModel = {
  periodSeconds: 60,
  wakeDelaySeconds: 2,
  pageSize: 100,
  maxPagesPerSweep: 10,
  listingRetentionSeconds: 3600,
};
const stateMachine = { transitions: { perPoll: 4, perWatch: 6 }, historyEvents: { perPoll: 10, perWatch: 12 } };
const swept: StrategyUsage = { name: 'swept', polls: 4, parks: 3, sweepWrites: 1, wakes: 1, sweep, alarmMetrics: 17 };
const polling: StrategyUsage = { name: 'polling', polls: 25, parks: 0, sweepWrites: 0, wakes: 0, alarmMetrics: 11 };
const HOUR_SECONDS = 3600;

describe('poissonMean and hoursWithEvents', () => {
  test('the mean of n and the share of n > 0 are those of a Poisson distribution', () => {
    expect(poissonMean(7.5, (n) => n)).toBeCloseTo(7.5, 6);
    expect(poissonMean(2, (n) => (n > 0 ? 1 : 0))).toBeCloseTo(1 - Math.exp(-2), 9);
    expect(poissonMean(0, (n) => n + 1)).toBe(1);
  });

  test('an event once an hour on average leaves about 37 % of the hours without one', () => {
    expect(hoursWithEvents(1)).toBeCloseTo(720 * (1 - Math.exp(-1)));
    expect(hoursWithEvents(0)).toBe(0);
  });

  test('with sweeps a minute apart, 95 % of the imports are listed before a trigger 30 to 180 s after their start', () => {
    expect(sweptBeforeTrigger(60)).toBeCloseTo(0.95, 2);
  });

  test('with five minutes left to the triggers, none of those imports is discovered first', () => {
    expect(sweptBeforeTrigger(60, 300)).toBe(0);
  });
});

describe('accountMonth', () => {
  test('GIVEN an idle account and the sweep THEN it pays the sweep runs, logs and scans, no trace (only executions are traced), and lists once in 15 minutes', () => {
    const month = accountMonth(swept, 0, 5 * HOUR_SECONDS, stateMachine);

    expect(month.listCalls).toBeCloseTo(43_200 / 15);
    expect(month.getCalls).toBe(0);
    expect(month.physicalCalls).toBe(0);
    expect(month.callsOverPhysical).toBeUndefined();
    expect(month.costUsd).toMatchObject({ stepFunctions: 0, functions: 0, customMetrics: 0 });
    expect(month.costUsd.xray).toBe(0);
    // One scan of an empty index a sweep, half a read unit each.
    expect(month.costUsd.dynamoDb).toBeCloseTo(43_200 * 0.5 * 0.125e-6);
    expect(month.costUsd.alarms).toBeCloseTo(17 * MONTHLY_PRICES.alarmMetricPerMonthUsd);
    expect(month.costUsd.total).toBeCloseTo(month.costUsd.running + month.costUsd.alarms);
  });

  test('GIVEN an idle account without the sweep THEN only its alarms cost', () => {
    const month = accountMonth(polling, 0, 5 * HOUR_SECONDS, stateMachine);

    expect(month.costUsd.running).toBe(0);
    expect(month.costUsd.total).toBeCloseTo(1.1);
  });

  test('GIVEN imports that always overlap THEN a sweep lists every minute, and the physical limit is a listing a minute and a poll an import', () => {
    // 480 imports a day of 5 hours: 100 running on average.
    const month = accountMonth(swept, 480, 5 * HOUR_SECONDS, stateMachine);

    expect(month.meanRunning).toBeCloseTo(100);
    expect(month.imports).toBe(14_400);
    expect(month.getCalls).toBe(14_400 * 4);
    // 100 running and 20 ended in the hour before: one or two pages, every minute.
    expect(month.listCalls).toBeGreaterThan(43_200);
    expect(month.listCalls).toBeLessThan(2 * 43_200);
    expect(month.physicalCalls).toBeGreaterThan(43_200 + 14_400);
    expect(month.callsOverPhysical).toBeCloseTo((month.listCalls + month.getCalls) / month.physicalCalls);
  });

  test('polls cost state transitions, invocations, history logged and metric hours; the sweep saves them', () => {
    const withSweep = accountMonth(swept, 20, 5 * HOUR_SECONDS, stateMachine);
    const withoutSweep = accountMonth(polling, 20, 5 * HOUR_SECONDS, stateMachine);

    expect(withoutSweep.costUsd.stepFunctions).toBeCloseTo(600 * (4 * 25 + 6) * 0.025e-3);
    expect(withSweep.costUsd.stepFunctions).toBeCloseTo(600 * (4 * 4 + 6) * 0.025e-3);
    expect(withoutSweep.costUsd.sweep).toBe(0);
    expect(withSweep.costUsd.sweep).toBeGreaterThan(0);
    expect(withoutSweep.listCalls).toBe(0);
  });
});
