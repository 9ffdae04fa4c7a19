/**
 * Time for local runs. The poll handler and the Neptune Analytics stand-in read `now()`; the
 * local runner asks how long a Wait state's wait really lasts.
 */
export interface LocalClock {
  /** Epoch milliseconds on this clock. */
  now(): number;
  /** Real milliseconds to pause for a wait of `seconds` on this clock (and advances it, if it is virtual). */
  realMillisFor(seconds: number): number;
  /** Real milliseconds to pause before a Step Functions retry whose interval is `seconds`. */
  retryPauseMillis(seconds: number): number;
}

/**
 * Runs uniformly `1 / scale` times as fast as real time (0.001: a minute passes in 60 ms), for
 * many watches at once against an in-process stand-in on the same clock. Real latency is sped up
 * too, so use {@link FastForwardClock} for a single watch against a real or separate endpoint.
 */
export class ScaledClock implements LocalClock {
  private readonly origin: number;

  constructor(
    private readonly scale: number,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(scale > 0)) throw new RangeError(`The time scale must be greater than 0; got ${scale}`);
    this.origin = realNow();
  }

  now(): number {
    return this.origin + (this.realNow() - this.origin) / this.scale;
  }

  realMillisFor(seconds: number): number {
    return seconds * 1000 * this.scale;
  }

  retryPauseMillis(seconds: number): number {
    return seconds * 1000 * this.scale;
  }
}

/**
 * Real time, fast-forwarded past the part of each wait that is skipped: a wait of `seconds` lasts
 * `seconds × scale` for real and moves the clock the full `seconds`. Requests, synthesis and
 * everything else take the time they take, so a slow answer costs what it would in Step
 * Functions. Meant for one chain of executions at a time, as `npm run local` runs: concurrent
 * waits would each fast-forward the one clock.
 */
export class FastForwardClock implements LocalClock {
  private skipped = 0;

  constructor(
    private readonly scale: number,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`The time scale must be above 0 and at most 1; got ${scale}`);
  }

  now(): number {
    return this.realNow() + this.skipped;
  }

  realMillisFor(seconds: number): number {
    this.skipped += seconds * 1000 * (1 - this.scale);
    return seconds * 1000 * this.scale;
  }

  retryPauseMillis(seconds: number): number {
    return this.realMillisFor(seconds);
  }
}

/**
 * A clock that stands still until a wait moves it forward, so a days-long import is watched
 * in moments. Meant for one chain of executions at a time: concurrent waits would all move it.
 */
export class SteppingClock implements LocalClock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  realMillisFor(seconds: number): number {
    this.current += seconds * 1000;
    return 0;
  }

  /** Retries do not move the clock: they stand for moments, not for the waits between polls. */
  retryPauseMillis(): number {
    return 0;
  }

  /** Moves the clock forward without a wait, as time spent elsewhere would. */
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}
