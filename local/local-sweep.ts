/**
 * The sweep of a local run: the real sweep handler, run on the run's clock every period as the
 * deployed schedule runs it, and on request (as the start function asks for a sweep of one
 * graph), each run an actor of the clock, so that on a clock that skips waits the sweeps and the
 * watches take their turns in order.
 */
import { randomUUID } from 'node:crypto';
import type { SweepHandler } from '../lambda/sweep/sweep-handler';
import type { SweepSummary } from '../lambda/sweep/sweep-metrics';
import type { LocalClock } from './clock';
import { LOCAL_REGION } from './synthesized-poller';

/** One run of the sweep. */
export interface LocalSweepRun {
  /** Epoch milliseconds on the run's clock when it started, and when it ended. */
  readonly startedAt: number;
  endedAt?: number;
  /** `schedule`, or the request's reason. */
  readonly reason: string;
  /** What the sweep reported, when it ended normally. */
  summary?: SweepSummary;
  /** What it threw, when it failed. */
  error?: { readonly name: string; readonly message: string };
}

/** Options of a local sweep. */
export interface LocalSweepOptions {
  readonly handler: SweepHandler;
  readonly clock: LocalClock;
  /** Seconds between two scheduled runs, on the run's clock. */
  readonly periodSeconds: number;
  /**
   * The function's timeout, in seconds: each run is told the time it has left, as Lambda's
   * `getRemainingTimeInMillis` does, in real time: the function's work takes real time whatever
   * the run's clock does.
   * @default - no limit
   */
  readonly timeoutSeconds?: number;
}

/** The EventBridge event a schedule rule delivers. */
function scheduledEvent(time: number): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date(time).toISOString(),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:123456789012:rule/LocalSweepSchedule`],
    detail: {},
  };
}

/** The sweep, running on a schedule of the run's clock until stopped. */
export class LocalSweep {
  /** Every run, in the order they started. */
  public readonly runs: LocalSweepRun[] = [];
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private schedule: Promise<void> | undefined;

  constructor(private readonly options: LocalSweepOptions) {
    if (!(options.periodSeconds > 0))
      throw new RangeError(`The sweep period must be above 0; got ${options.periodSeconds}`);
  }

  /** Starts the schedule: the first run one period from now. */
  start(): void {
    this.schedule ??= this.runOnSchedule();
  }

  /** Runs a sweep for `request` (a `SweepRequest`) now, beside the schedule, without waiting for it. */
  request(request: Record<string, unknown>): void {
    const reason = typeof request.reason === 'string' ? request.reason : 'request';
    this.invoke(request, reason);
  }

  /** Stops the schedule; resolves once the runs under way have ended. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.schedule;
    await Promise.all([...this.inFlight]);
  }

  /** The runs that ended with their summary, in order. */
  get completedRuns(): LocalSweepRun[] {
    return this.runs.filter((run) => run.summary !== undefined);
  }

  /**
   * Invokes the handler at every period from the start, as an EventBridge schedule does: on time,
   * whether or not the run before has ended.
   */
  private async runOnSchedule(): Promise<void> {
    const actor = this.options.clock.actor();
    const firstAt = this.options.clock.now();
    try {
      for (let tick = 1; ; tick++) {
        const dueAt = firstAt + tick * this.options.periodSeconds * 1000;
        await actor.sleep((dueAt - this.options.clock.now()) / 1000, this.stopping.signal);
        if (this.stopping.signal.aborted) return;
        this.invoke(scheduledEvent(this.options.clock.now()), 'schedule');
      }
    } finally {
      actor.retire();
    }
  }

  /** Starts one invocation, an actor of the clock until it ends. */
  private invoke(event: Record<string, unknown>, reason: string): void {
    if (this.stopping.signal.aborted) return;
    const actor = this.options.clock.actor();
    const run = this.runOnce(event, reason).finally(() => {
      actor.retire();
      this.inFlight.delete(run);
    });
    this.inFlight.add(run);
  }

  /** One invocation of the handler; a failed one is recorded, as Lambda would log it, and the schedule goes on. */
  private async runOnce(event: Record<string, unknown>, reason: string): Promise<void> {
    const run: LocalSweepRun = { startedAt: this.options.clock.now(), reason };
    this.runs.push(run);
    const { timeoutSeconds } = this.options;
    const startedReal = Date.now();
    const remainingTimeMs =
      timeoutSeconds === undefined ? undefined : () => timeoutSeconds * 1000 - (Date.now() - startedReal);
    try {
      run.summary = await this.options.handler(event, remainingTimeMs);
    } catch (error) {
      const named = error instanceof Error ? error : new Error(String(error));
      run.error = { name: named.name, message: named.message };
    } finally {
      run.endedAt = this.options.clock.now();
    }
  }
}
