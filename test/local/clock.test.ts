import { FastForwardClock, ScaledClock, SteppingClock } from '../../local/clock';

describe('local clocks', () => {
  test('FastForwardClock: real time runs as it is, and each wait jumps the clock by the part it skips', () => {
    let real = 1_000_000;
    const clock = new FastForwardClock(0.001, () => real);

    expect(clock.realMillisFor(60)).toBeCloseTo(60);
    real += 60;
    expect(clock.now() - 1_000_000).toBeCloseTo(60_000);
    real += 3_000;
    expect(clock.now() - 1_000_000).toBeCloseTo(63_000);
  });

  test('ScaledClock: everything runs a thousand times as fast', () => {
    let real = 1_000_000;
    const clock = new ScaledClock(0.001, () => real);
    real += 3;
    expect(clock.now() - 1_000_000).toBeCloseTo(3_000);
    expect(clock.realMillisFor(60)).toBeCloseTo(60);
  });

  test('SteppingClock: stands still until a wait moves it, and retries do not', () => {
    const clock = new SteppingClock(0);
    expect(clock.realMillisFor(90)).toBe(0);
    expect(clock.retryPauseMillis()).toBe(0);
    expect(clock.now()).toBe(90_000);
  });

  test.each([0, -1, 2])('fails when the scale is %d', (scale) => {
    expect(() => new FastForwardClock(scale)).toThrow(RangeError);
  });
});
