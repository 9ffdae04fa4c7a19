import { nextPollWait, type PollingStrategyConfig } from '../../../lambda/poll/strategies';

const observation = { at: 0, status: 'IMPORTING' };
const ask = (config: PollingStrategyConfig, pollCount: number, random: number) =>
  nextPollWait(config, { observation, pollCount, memory: {}, random: () => random }).waitSeconds;

describe('fixed polling', () => {
  const config: PollingStrategyConfig = { kind: 'fixed', intervalSeconds: 60, jitter: 0.2 };
  test('waits the interval, less up to the jitter share', () => {
    expect(ask(config, 1, 0)).toBe(60);
    expect(ask(config, 50, 0.999999)).toBe(48);
  });
});

describe('exponential polling', () => {
  const config: PollingStrategyConfig = {
    kind: 'exponential',
    initialWaitSeconds: 30,
    maxWaitSeconds: 900,
    growthRate: 2,
    jitter: 0,
  };
  test.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [5, 480],
    [6, 900],
    [40, 900],
  ])('after poll %i waits %i s', (pollCount, expected) => {
    expect(ask(config, pollCount, 0)).toBe(expected);
  });

  test('jitter only shortens the wait, never below one second', () => {
    const jittered = { ...config, jitter: 0.5 };
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const w = ask(jittered, 3, r);
      expect(w).toBeLessThanOrEqual(120);
      expect(w).toBeGreaterThanOrEqual(60);
    }
    expect(ask({ ...config, initialWaitSeconds: 1, jitter: 0.5 }, 1, 0.999)).toBe(1);
  });
});
