/**
 * The paths the state machine reads must find what the poll function writes: each is resolved
 * here against decisions the poll function's own code makes.
 */
import type { PollDecision } from '../../lambda/poll/contract';
import { afterAnswer, describePollFailure, planPoll, startFrom } from '../../lambda/poll/decide';
import { DECISION_PATHS, POLL_ACTIONS } from '../../lib/poll-contract';
import { Duration } from 'aws-cdk-lib';
import { PollingStrategy } from '../../lib/main';
import { pollerConfigOf } from '../../lib/poller-props';

const NOW = Date.UTC(2026, 5, 1);
// The config a deployed poller with these props hands its poll function.
const CONFIG = pollerConfigOf({
  pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(1), jitter: 0 }),
  emitStatusChanges: true,
});

/** Reads a simple JSONPath (`$.a.b`). */
function read(root: unknown, path: string): unknown {
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
}

function decisions(): Record<'wait' | 'finish' | 'continue', PollDecision> {
  const start = startFrom({ taskId: 't-0123456789' }, CONFIG, NOW, 't-0123456789');
  if (start.kind !== 'watch') throw new Error('expected a watch');
  const polled = { ...start.watch, pollCount: 1 };
  const answer = (status: string) => ({ taskId: 't-0123456789', status, importTaskDetails: { status } });
  const wait = afterAnswer(polled, answer('IMPORTING'), CONFIG, NOW, () => 0.5);
  const finish = afterAnswer(polled, answer('SUCCEEDED'), CONFIG, NOW, () => 0.5);
  const plan = planPoll({ ...polled, historyEvents: 19_990 }, CONFIG);
  if (plan.kind !== 'decided') throw new Error('expected a hand-over');
  return { wait, finish, continue: plan.decision };
}

describe('the contract between the state machine and the poll function', () => {
  const { wait, finish, continue: handOver } = decisions();

  test('GIVEN each decision THEN the Choice state reads its action', () => {
    expect(read(wait, DECISION_PATHS.action)).toBe(POLL_ACTIONS.wait);
    expect(read(finish, DECISION_PATHS.action)).toBe(POLL_ACTIONS.finish);
    expect(read(handOver, DECISION_PATHS.action)).toBe(POLL_ACTIONS.continue);
  });

  test('GIVEN a wait with a status change THEN the wait and the event are where the states read them', () => {
    expect(read(wait, DECISION_PATHS.waitSeconds)).toBe(60);
    expect(read(wait, DECISION_PATHS.event)).toBeDefined();
    expect(read(wait, DECISION_PATHS.eventDetailType)).toBe('Neptune Analytics Import Task Status Change');
  });

  test('GIVEN the terminal decision THEN PublishOutcome finds its detail and detail-type', () => {
    expect(read(finish, DECISION_PATHS.eventDetail)).toMatchObject({ status: 'SUCCEEDED', terminal: true });
    expect(read(finish, DECISION_PATHS.eventDetailType)).toBe('Neptune Analytics Import Task Status Change');
  });

  test('GIVEN a hand-over THEN the continued execution gets its name and the watch', () => {
    expect(read(handOver, DECISION_PATHS.executionName)).toBe('t-0123456789-continued-1');
    expect(read(handOver, DECISION_PATHS.continuedWatch)).toMatchObject({ taskId: 't-0123456789', generation: 1 });
  });

  test('GIVEN an error the state machine catches at its path THEN the poll function reads it from there', () => {
    const failed = { taskId: 't-0123456789' };
    const key = DECISION_PATHS.pollFailure.slice(2);
    const withError = {
      ...failed,
      [key]: { Error: 'Lambda.Unknown', Cause: JSON.stringify({ errorType: 'TypeError', errorMessage: 'boom' }) },
    };

    const decision = describePollFailure(withError, NOW);

    expect(decision).toMatchObject({ event: { detail: { reason: 'POLLING_ERROR', error: { name: 'TypeError' } } } });
  });
});
