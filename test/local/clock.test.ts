import { FastForwardClock, realSleep, ScaledClock, SteppingClock } from '../../local/clock';

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

  test("SteppingClock: stands still until a wait or a retry's pause moves it, at once", () => {
    const clock = new SteppingClock(0);
    expect(clock.realMillisFor(90)).toBe(0);
    expect(clock.retryPauseMillis(2.5)).toBe(0);
    expect(clock.now()).toBe(92_500);
  });

  test.each([0, -1, 2])('fails when the scale is %d', (scale) => {
    expect(() => new FastForwardClock(scale)).toThrow(RangeError);
  });

  describe('actors of a clock that skips waits', () => {
    test('SteppingClock: while one actor works the clock holds; once every actor sleeps it jumps to the earliest wake-up', async () => {
      const clock = new SteppingClock(0);
      const first = clock.actor();
      const second = clock.actor();
      const woken: string[] = [];

      const firstSleeps = first.sleep(60).then(() => woken.push(`first at ${clock.now() / 1000} s`));
      await realSleep(5);
      expect(clock.now()).toBe(0);
      await second.sleep(30);
      woken.push(`second at ${clock.now() / 1000} s`);
      await realSleep(5);
      expect(clock.now()).toBe(30_000);
      second.retire();
      await firstSleeps;
      first.retire();

      expect(woken).toEqual(['second at 30 s', 'first at 60 s']);
    });

    test('SteppingClock: an aborted sleep ends at once, and the clock stays where it was', async () => {
      const clock = new SteppingClock(0);
      const sleeper = clock.actor();
      const woken = new AbortController();

      const sleeping = sleeper.sleep(3600, woken.signal);
      woken.abort();
      await sleeping;
      sleeper.retire();

      expect(clock.now()).toBe(0);
    });

    test('SteppingClock: a Wait state that moves the clock past a sleeper wakes it there', async () => {
      const clock = new SteppingClock(0);
      const waiting = clock.actor();
      const sleeper = clock.actor();

      const sleeping = sleeper.sleep(60).then(() => clock.now());
      expect(clock.realMillisFor(90)).toBe(0);

      expect(await sleeping).toBe(90_000);
      sleeper.retire();
      waiting.retire();
    });

    test('FastForwardClock: a sleep lasts its scaled share for real, and moves the clock the full wait', async () => {
      const clock = new FastForwardClock(0.01);
      const sleeper = clock.actor();
      const before = clock.now();
      const realBefore = Date.now();

      await sleeper.sleep(2);
      sleeper.retire();

      expect(clock.now() - before).toBeGreaterThanOrEqual(2000);
      // 20 ms for real; less than the whole 2 s wait however busy the machine.
      expect(Date.now() - realBefore).toBeLessThan(2000);
    });

    test('ScaledClock: a sleep is the scaled wait, in real time', async () => {
      const clock = new ScaledClock(0.01);
      const sleeper = clock.actor();
      const before = clock.now();

      await sleeper.sleep(2);
      sleeper.retire();

      expect(clock.now() - before).toBeGreaterThanOrEqual(1900);
    });
  });
});
