/**
 * Time for local runs. The poll handler and the Neptune Analytics stand-in read `now()`; the
 * local runner asks how long a Wait state's wait really lasts; whatever else waits on the run's
 * time (a parked wait, the sweep's schedule) does it as an {@link ClockActor}.
 */

/**
 * Something that works on a clock's time and waits on it: an execution, the sweep, a trigger
 * being delivered. On a clock that skips waits, the clock moves on only while no actor works.
 */
export interface ClockActor {
  /**
   * Resolves once `seconds` have passed on the clock, or as soon as `signal` aborts; the actor
   * works again from then on.
   */
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
  /** Ends the actor: it holds the clock back no more. Ending an actor that sleeps wakes it first. */
  retire(): void;
}

/** A clock of a local run. */
export interface LocalClock {
  /** Epoch milliseconds on this clock. */
  now(): number;
  /** Real milliseconds to pause for a wait of `seconds` on this clock (and advances it, if it is virtual). */
  realMillisFor(seconds: number): number;
  /** Real milliseconds to pause before a Step Functions retry whose interval is `seconds`. */
  retryPauseMillis(seconds: number): number;
  /** A new actor on this clock, working from now until it sleeps or retires. */
  actor(): ClockActor;
}

/** The longest delay a Node.js timer takes; longer ones fire at once. */
const MAX_TIMER_MILLIS = 2_147_483_647;

/** Resolves after `millis` real milliseconds (however many), or as soon as `signal` aborts. */
export function realSleep(millis: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true || !(millis > 0)) {
      resolve();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const arm = (left: number): void => {
      timer = setTimeout(
        () => (left > MAX_TIMER_MILLIS ? arm(left - MAX_TIMER_MILLIS) : done()),
        Math.min(left, MAX_TIMER_MILLIS),
      );
    };
    signal?.addEventListener('abort', done, { once: true });
    arm(millis);
  });
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

  /** Actors of a clock that never skips: each sleep is a real pause, scaled. */
  actor(): ClockActor {
    return { sleep: (seconds, signal) => realSleep(this.realMillisFor(seconds), signal), retire: () => undefined };
  }
}

/** An actor's sleep: when it ends on the clock, and how to end it. */
interface Sleeper {
  readonly due: number;
  readonly wake: () => void;
}

/**
 * A clock that skips the waits of its actors: while every actor sleeps, the clock jumps toward
 * the earliest wake-up (all the way, or all but the share waited for real); while one works, it
 * holds. So the actors of a run (its executions, its sweep) take turns as they would in real
 * time, however much is skipped.
 */
abstract class WaitSkippingClock implements LocalClock {
  private working = 0;
  private readonly sleepers = new Set<Sleeper>();
  private idleCheck: NodeJS.Immediate | undefined;
  private realTimer: NodeJS.Timeout | undefined;
  /** The wake-up time the clock last jumped toward; it jumps toward each one once. */
  private jumpedToward: number | undefined;

  /**
   * @param realShare share of a skipped wait still waited for real, from 0 to 1
   * @param timeRuns whether the clock moves with real time, so that a wake-up also comes by itself
   */
  protected constructor(
    private readonly realShare: number,
    private readonly timeRuns: boolean,
  ) {}

  abstract now(): number;
  abstract realMillisFor(seconds: number): number;
  abstract retryPauseMillis(seconds: number): number;
  /** Moves the clock forward by `millis` without waiting. */
  protected abstract skip(millis: number): void;

  actor(): ClockActor {
    this.working += 1;
    let state: 'working' | 'sleeping' | 'retired' = 'working';
    let current: Sleeper | undefined;
    return {
      sleep: (seconds, signal) => {
        if (state !== 'working') throw new Error(`An actor that is ${state} cannot sleep`);
        if (signal?.aborted === true || !(seconds > 0)) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const sleeper: Sleeper = {
            due: this.now() + seconds * 1000,
            wake: () => {
              if (!this.sleepers.delete(sleeper)) return;
              signal?.removeEventListener('abort', sleeper.wake);
              current = undefined;
              state = 'working';
              this.working += 1;
              this.jumpedToward = undefined;
              resolve();
            },
          };
          current = sleeper;
          state = 'sleeping';
          this.working -= 1;
          this.sleepers.add(sleeper);
          signal?.addEventListener('abort', sleeper.wake, { once: true });
          this.update();
        });
      },
      retire: () => {
        current?.wake();
        if (state === 'retired') return;
        state = 'retired';
        this.working -= 1;
        this.update();
      },
    };
  }

  /** Moves the clock by a wait that is not an actor's (a Wait state's), waking whoever it passes. */
  protected moved(): void {
    this.update();
  }

  /** Wakes the sleepers that are due, and arranges the next wake-up or jump. */
  private update(): void {
    const now = this.now();
    const ordered = [...this.sleepers].sort((a, b) => a.due - b.due);
    for (const sleeper of ordered) if (sleeper.due <= now) sleeper.wake();
    clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const earliest = this.earliestDue();
    if (earliest === undefined) return;
    if (this.timeRuns)
      this.realTimer = setTimeout(() => this.update(), Math.min(Math.ceil(earliest - now), MAX_TIMER_MILLIS));
    if (this.working === 0 && this.idleCheck === undefined) {
      this.idleCheck = setImmediate(() => {
        this.idleCheck = undefined;
        this.jumpIfIdle();
      });
    }
  }

  private earliestDue(): number | undefined {
    let earliest: number | undefined;
    for (const sleeper of this.sleepers) if (earliest === undefined || sleeper.due < earliest) earliest = sleeper.due;
    return earliest;
  }

  private jumpIfIdle(): void {
    const earliest = this.earliestDue();
    if (this.working > 0 || earliest === undefined || this.jumpedToward === earliest) return;
    this.jumpedToward = earliest;
    const gap = earliest - this.now();
    // A real share under a millisecond is skipped too: a Node.js timer waits at least one, which would
    // make a day of minute-long sleeps at a tiny scale cost seconds of real time.
    if (gap > 0) this.skip(this.realShare === 0 || gap * this.realShare < 1 ? gap : gap * (1 - this.realShare));
    this.update();
  }
}

/**
 * Real time, fast-forwarded past the part of each wait that is skipped: a wait of `seconds` lasts
 * `seconds × scale` for real and moves the clock the full `seconds`. Requests, synthesis and
 * everything else take the time they take, so a slow answer costs what it would in Step
 * Functions. Actors' waits are skipped only while every actor sleeps, so a watch and the sweep
 * beside it keep their turns; a Wait state's wait is skipped at once, so that concurrent Wait
 * states would each fast-forward the one clock: meant for one chain of executions at a time, as
 * `npm run local` runs.
 */
export class FastForwardClock extends WaitSkippingClock {
  private skipped = 0;

  constructor(
    private readonly scale: number,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`The time scale must be above 0 and at most 1; got ${scale}`);
    super(scale, true);
  }

  now(): number {
    return this.realNow() + this.skipped;
  }

  realMillisFor(seconds: number): number {
    this.skip(seconds * 1000 * (1 - this.scale));
    this.moved();
    return seconds * 1000 * this.scale;
  }

  retryPauseMillis(seconds: number): number {
    return this.realMillisFor(seconds);
  }

  protected skip(millis: number): void {
    this.skipped += millis;
  }
}

/**
 * A clock that stands still until a wait moves it, so a days-long import is watched in moments.
 * A Wait state moves it at once by its wait; actors' sleeps move it only while every actor
 * sleeps, to the earliest wake-up, so that watches that park and the sweep that wakes them take
 * their turns in order. Concurrent Wait states, and concurrent retries' pauses, would all move it:
 * meant for one chain of executions at a time when they wait in Wait states or retry.
 */
export class SteppingClock extends WaitSkippingClock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {
    super(0, false);
  }

  now(): number {
    return this.current;
  }

  realMillisFor(seconds: number): number {
    this.skip(seconds * 1000);
    this.moved();
    return 0;
  }

  /** A retry's pause moves the clock as a Wait state's does: faults that last minutes outlast retries that span less. */
  retryPauseMillis(seconds: number): number {
    return this.realMillisFor(seconds);
  }

  /** Moves the clock forward without a wait, as time spent elsewhere would. */
  advance(seconds: number): void {
    this.skip(seconds * 1000);
    this.moved();
  }

  protected skip(millis: number): void {
    this.current += millis;
  }
}
