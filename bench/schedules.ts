/**
 * The polling schedules compared: the poller's own strategies run through the very decision
 * code of the poll function, and the published schedules of the alternatives.
 */
import { Duration } from 'aws-cdk-lib';
import { afterAnswer, parkForSweep, startFrom, sweepLooksFirst } from '../lambda/poll/decide';
import type { ImportTaskSnapshot } from '../lib/events';
import { pollerConfigOf } from '../lib/neptune-import-task-poller';
import type { PollingStrategy } from '../lib/polling-strategy';
import type { ImportState } from '../local/import-timeline';
import type { SweepModel } from './listing';

/**
 * What a schedule does after an answer that is not terminal: wait (parked in the watch table with
 * `parkedStatus` when the poll function asks for it), or give up.
 */
export type ScheduleStep = { readonly waitSeconds: number; readonly parkedStatus?: string } | { readonly giveUp: true };

/** A polling schedule for one watch. */
export interface WatchSchedule {
  /**
   * The wait a watch begins with, before its first poll, when it leaves its first look to the
   * sweep; undefined when it polls first.
   */
  begin?(now: number): { readonly waitSeconds: number; readonly parkedStatus?: string } | undefined;
  /** Called after each non-terminal answer at `now` (epoch ms), with the answer's state. */
  next(now: number, state: ImportState, elapsedSeconds: number): ScheduleStep;
}

/** A named schedule maker, one schedule per watch. */
export interface ScheduleFactory {
  readonly name: string;
  readonly description: string;
  /** The sweep that can wake the watches' waits; absent when nothing does. */
  readonly sweep?: SweepModel;
  create(random: () => number, watchStartedAt: number): WatchSchedule;
}

/**
 * The poller itself, with its defaults and `pollingStrategy` (the construct's default when
 * undefined): each step is the poll function's own decision. With `sweep`, the poller runs the
 * sweep that model describes; without, it is turned off.
 */
export function pollerSchedule(
  name: string,
  description: string,
  pollingStrategy: PollingStrategy | undefined,
  sweep?: SweepModel,
): ScheduleFactory {
  const config = pollerConfigOf({
    ...(pollingStrategy === undefined ? {} : { pollingStrategy }),
    emitStatusChanges: sweep?.wakeOnEveryChange ?? false,
    sweep:
      sweep === undefined
        ? { enabled: false }
        : { interval: Duration.seconds(sweep.periodSeconds), maxPages: sweep.maxPagesPerSweep },
  });
  return {
    name,
    description,
    ...(sweep === undefined ? {} : { sweep }),
    create(random, watchStartedAt) {
      // Every watch begins for the API call that started its import, as a CloudTrail-triggered one does.
      const input = { taskId: 't-benchmark0', trigger: 'api-call' };
      const start = startFrom(input, config, watchStartedAt);
      if (start.kind !== 'watch') throw new Error('The benchmark task id is refused');
      let watch = start.watch;
      return {
        begin(now) {
          if (!sweepLooksFirst(input, config)) return undefined;
          const decision = parkForSweep(watch, config, now, random);
          if (decision.action !== 'WAIT') throw new Error('A watch that leaves its first look to the sweep waits');
          watch = decision.watch;
          return {
            waitSeconds: decision.waitSeconds,
            ...(decision.park === undefined ? {} : { parkedStatus: decision.park.status }),
          };
        },
        next(now, state, elapsedSeconds) {
          watch = { ...watch, pollCount: watch.pollCount + 1 };
          const task: ImportTaskSnapshot = {
            taskId: watch.taskId,
            status: state.status,
            attemptNumber: state.attemptNumber,
            importTaskDetails: {
              status: state.status,
              progressPercentage: state.progressPercentage,
              timeElapsedSeconds: Math.floor(elapsedSeconds),
            },
          };
          const decision = afterAnswer(watch, task, config, now, random);
          if (decision.action !== 'WAIT') return { giveUp: true };
          watch = decision.watch;
          return {
            waitSeconds: decision.waitSeconds,
            ...(decision.park === undefined ? {} : { parkedStatus: decision.park.status }),
          };
        },
      };
    },
  };
}

/** `aws neptune-graph wait import-task-successful`: every 60 s, 480 times. */
export const cliWaiter: ScheduleFactory = {
  name: 'cli-waiter',
  description: 'AWS CLI waiter: every 60 s, gives up after 480 polls (8 h)',
  create() {
    let polls = 0;
    return {
      next() {
        polls += 1;
        return polls >= 480 ? { giveUp: true } : { waitSeconds: 60 };
      },
    };
  },
};

/**
 * `waitUntilImportTaskSuccessful` of the AWS SDK v3: minDelay 60 s, maxDelay 28,800 s; the n-th
 * delay is uniform in [minDelay, minDelay·2^(n−1)] until n passes log2(maxDelay/minDelay)+1,
 * then exactly maxDelay. Given a maxWaitTime of 7 days, as the poller's own timeout.
 */
export const sdkWaiter: ScheduleFactory = {
  name: 'sdk-waiter',
  description: 'AWS SDK v3 waiter: minDelay 60 s, maxDelay 8 h, exponential with jitter',
  create(random, watchStartedAt) {
    const minDelay = 60;
    const maxDelay = 28_800;
    const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
    const waitUntil = watchStartedAt + 7 * 86_400 * 1000;
    let attempt = 0;
    return {
      next(now) {
        attempt += 1;
        const delay =
          attempt > ceiling
            ? maxDelay
            : minDelay + random() * (Math.min(minDelay * 2 ** (attempt - 1), maxDelay) - minDelay);
        return now + delay * 1000 > waitUntil ? { giveUp: true } : { waitSeconds: delay };
      },
    };
  },
};
