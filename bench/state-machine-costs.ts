/**
 * State transitions and history events per poll, measured by running the synthesized state
 * machine in the local interpreter against the stand-in, not typed in.
 */
import { Duration } from 'aws-cdk-lib';
import { PollingStrategy } from '../lib/polling-strategy';
import { simpleTimeline } from '../local/import-timeline';
import { startStandInRun } from '../local/local-environment';

/** A linear cost: `perPoll × polls + perWatch`. */
export interface LinearCost {
  readonly perPoll: number;
  readonly perWatch: number;
}

/** What one watch costs the state machine, as a function of its polls. */
export interface StateMachineCosts {
  readonly transitions: LinearCost;
  readonly historyEvents: LinearCost;
  /** The watches measured: polls, transitions, history events. */
  readonly samples: readonly { readonly polls: number; readonly transitions: number; readonly historyEvents: number }[];
}

/**
 * Watches two imports of different lengths, polling every minute with the sweep off (plain Wait
 * states), and fits a line through what they cost.
 */
export async function measureStateMachineCosts(): Promise<StateMachineCosts> {
  const { standIn, poller, stop } = await startStandInRun({
    props: {
      pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(1), jitter: 0 }),
      sweep: { enabled: false },
    },
    logLevel: 'SILENT',
  });
  const samples = [];
  for (const seconds of [600, 3600]) {
    const task = standIn.addTask({ timeline: simpleTimeline(seconds) });
    const { executions } = await poller.watch({ taskId: task.taskId });
    samples.push({
      polls: standIn.pollsOf(task.taskId).length,
      transitions: executions.reduce((sum, e) => sum + e.stateTransitions, 0),
      historyEvents: executions.reduce((sum, e) => sum + e.history.length, 0),
    });
  }
  await stop();
  const [a, b] = samples;
  const fit = (key: 'transitions' | 'historyEvents'): LinearCost => {
    const perPoll = (b[key] - a[key]) / (b.polls - a.polls);
    return { perPoll, perWatch: a[key] - perPoll * a.polls };
  };
  return { transitions: fit('transitions'), historyEvents: fit('historyEvents'), samples };
}
