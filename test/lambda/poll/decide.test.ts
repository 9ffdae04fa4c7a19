import type { PollerConfig } from '../../../lib/poller-config';
import type { PollDecision, WatchState } from '../../../lambda/poll/contract';
import {
  afterAnswer,
  afterError,
  describePollFailure,
  isTerminalStatus,
  planPoll,
  retryIntervalCap,
  startFrom,
} from '../../../lambda/poll/decide';
import { CLOSING_EVENTS, MIN_HISTORY_EVENT_BUDGET, pollCycleEvents } from '../../../lambda/poll/history-accounting';
import type { ImportTaskSnapshot } from '../../../lib/events';

const NOW = Date.UTC(2026, 5, 1);
const CONFIG: PollerConfig = {
  timeoutSeconds: 3600,
  polling: { kind: 'exponential', initialWaitSeconds: 30, maxWaitSeconds: 900, growthRate: 2, jitter: 0 },
  errorRetry: { maxAttempts: 3, initialIntervalSeconds: 2, maxIntervalSeconds: 300, backoffRate: 2 },
  emitStatusChanges: false,
  historyEventBudget: 20_000,
};

function watch(overrides: Partial<WatchState> = {}): WatchState {
  return {
    taskId: 't-0123456789',
    graphId: 'g-0123456789',
    watchStartedAt: NOW,
    deadline: NOW + 3_600_000,
    pollCount: 1,
    consecutiveErrors: 0,
    lastStatus: null,
    generation: 0,
    historyEvents: 1,
    strategyMemory: {},
    ...overrides,
  };
}

const task = (status: string, extra: Partial<ImportTaskSnapshot> = {}): ImportTaskSnapshot => ({
  taskId: 't-0123456789',
  graphId: 'g-0123456789',
  status,
  importTaskDetails: { status, progressPercentage: 40, timeElapsedSeconds: 600 },
  ...extra,
});

const wait = (decision: PollDecision) => {
  if (decision.action !== 'WAIT') throw new Error(`expected WAIT, got ${decision.action}`);
  return decision;
};
const finish = (decision: PollDecision) => {
  if (decision.action !== 'FINISH') throw new Error(`expected FINISH, got ${decision.action}`);
  return decision;
};

describe('startFrom', () => {
  test('a request with a task id starts a watch with a deadline timeoutSeconds away', () => {
    const start = startFrom({ taskId: 't-0123456789', graphId: 'g-abcdefghij', trigger: 'api-call' }, CONFIG, NOW);

    expect(start).toEqual({
      kind: 'watch',
      watch: expect.objectContaining({
        taskId: 't-0123456789',
        graphId: 'g-abcdefghij',
        deadline: NOW + 3_600_000,
        pollCount: 0,
        historyEvents: 1,
      }),
    });
  });

  test('a previous decision continues its watch unchanged', () => {
    const previous = watch({ pollCount: 7 });
    expect(startFrom({ action: 'WAIT', waitSeconds: 30, watch: previous }, CONFIG, NOW)).toEqual({
      kind: 'watch',
      watch: previous,
    });
  });

  test.each([
    [undefined, null],
    ['t-0123456789', null],
    [[{ taskId: 't-0123456789' }], null],
    [{ taskId: 42 }, null],
    [{ taskId: 't-012345678' }, 't-012345678'],
    [{ taskId: 't-01234567890' }, 't-01234567890'],
    [{ taskId: ' t-0123456789' }, ' t-0123456789'],
  ])('fails when the input is %j: INVALID_REQUEST naming the value', (input, shown) => {
    const start = startFrom(input, CONFIG, NOW);

    expect(start.kind).toBe('refused');
    const decision = finish((start as { decision: PollDecision }).decision);
    expect(decision.event.detail).toMatchObject({
      reason: 'INVALID_REQUEST',
      taskId: shown,
      pollCount: 0,
      terminal: true,
    });
  });

  test('fails when a carried watch state is damaged', () => {
    const start = startFrom({ watch: { taskId: 't-0123456789' } }, CONFIG, NOW);
    expect(start.kind).toBe('refused');
  });
});

describe('afterAnswer', () => {
  test.each(['SUCCEEDED', 'FAILED', 'CANCELLED', 'DELETED'])('%s finishes with a terminal Status Change', (status) => {
    const decision = finish(afterAnswer(watch({ lastStatus: 'IMPORTING' }), task(status), CONFIG, NOW, () => 0));
    expect(decision.event.detail).toMatchObject({
      status,
      previousStatus: 'IMPORTING',
      terminal: true,
      progressPercentage: 40,
    });
  });

  test.each(['ROLLING_BACK', 'REPROVISIONING', 'EXPORTING', 'CANCELLING', 'SOMETHING_NEW'])(
    '%s is not terminal: wait and poll again',
    (status) => {
      expect(isTerminalStatus(status)).toBe(false);
      expect(afterAnswer(watch(), task(status), CONFIG, NOW, () => 0).action).toBe('WAIT');
    },
  );

  test('a status change is published only when emitStatusChanges is on', () => {
    const quiet = wait(afterAnswer(watch({ lastStatus: 'ANALYZING_DATA' }), task('IMPORTING'), CONFIG, NOW, () => 0));
    const loud = wait(
      afterAnswer(
        watch({ lastStatus: 'ANALYZING_DATA' }),
        task('IMPORTING'),
        { ...CONFIG, emitStatusChanges: true },
        NOW,
        () => 0,
      ),
    );
    const same = wait(
      afterAnswer(
        watch({ lastStatus: 'IMPORTING' }),
        task('IMPORTING'),
        { ...CONFIG, emitStatusChanges: true },
        NOW,
        () => 0,
      ),
    );

    expect(quiet.event).toBeUndefined();
    expect(loud.event?.detail).toMatchObject({
      status: 'IMPORTING',
      previousStatus: 'ANALYZING_DATA',
      terminal: false,
    });
    expect(same.event).toBeUndefined();
  });

  test('history accounting counts one cycle, more when it publishes', () => {
    const quiet = wait(afterAnswer(watch({ historyEvents: 100 }), task('IMPORTING'), CONFIG, NOW, () => 0));
    const loud = wait(
      afterAnswer(
        watch({ historyEvents: 100 }),
        task('IMPORTING'),
        { ...CONFIG, emitStatusChanges: true },
        NOW,
        () => 0,
      ),
    );
    expect(quiet.watch.historyEvents).toBe(100 + pollCycleEvents(false));
    expect(loud.watch.historyEvents).toBe(100 + pollCycleEvents(true));
  });

  test('the wait never runs past the deadline', () => {
    const decision = wait(
      afterAnswer(watch({ pollCount: 9, deadline: NOW + 45_500 }), task('IMPORTING'), CONFIG, NOW, () => 0),
    );
    expect(decision.waitSeconds).toBe(45);
  });

  test('less than a second before the deadline counts as the deadline', () => {
    const decision = finish(afterAnswer(watch({ deadline: NOW + 999 }), task('IMPORTING'), CONFIG, NOW, () => 0));
    expect(decision.event.detail).toMatchObject({ reason: 'TIMED_OUT' });
  });

  test('at the deadline a running task ends the watch with TIMED_OUT and the status seen', () => {
    const decision = finish(afterAnswer(watch({ deadline: NOW }), task('IMPORTING'), CONFIG, NOW, () => 0));
    expect(decision.event.detail).toMatchObject({ reason: 'TIMED_OUT', lastStatus: 'IMPORTING', terminal: true });
  });

  test('at the deadline a terminal status still wins', () => {
    const decision = finish(afterAnswer(watch({ deadline: NOW }), task('SUCCEEDED'), CONFIG, NOW, () => 0));
    expect(decision.event.detail).toMatchObject({ status: 'SUCCEEDED' });
  });

  test('the graph id of the answer replaces an unknown one', () => {
    const decision = wait(afterAnswer(watch({ graphId: null }), task('IMPORTING'), CONFIG, NOW, () => 0));
    expect(decision.watch.graphId).toBe('g-0123456789');
  });
});

describe('afterError', () => {
  const throttled = { name: 'ThrottlingException', message: 'Rate exceeded', httpStatusCode: 429 };

  test.each([
    [1, 2],
    [2, 4],
    [3, 8],
    [9, 300],
  ])('retry %i waits at most %i s (full jitter)', (failures, cap) => {
    expect(retryIntervalCap(CONFIG.errorRetry, failures)).toBe(cap);
    const config = { ...CONFIG, errorRetry: { ...CONFIG.errorRetry, maxAttempts: 100 } };
    const highest = wait(
      afterError(watch({ consecutiveErrors: failures - 1 }), throttled, { retryable: true }, config, NOW, () => 0.9999),
    );
    const lowest = wait(
      afterError(watch({ consecutiveErrors: failures - 1 }), throttled, { retryable: true }, config, NOW, () => 0),
    );
    expect(highest.waitSeconds).toBe(cap);
    expect(lowest.waitSeconds).toBe(1);
  });

  test('the last allowed failure ends the watch with POLLING_ERROR', () => {
    const decision = finish(
      afterError(watch({ consecutiveErrors: 2 }), throttled, { retryable: true }, CONFIG, NOW, () => 0),
    );
    expect(decision.event.detail).toMatchObject({ reason: 'POLLING_ERROR', error: { name: 'ThrottlingException' } });
  });

  test('a failure at the deadline ends the watch with TIMED_OUT', () => {
    const decision = finish(
      afterError(watch({ deadline: NOW - 1 }), throttled, { retryable: true }, CONFIG, NOW, () => 0),
    );
    expect(decision.event.detail).toMatchObject({ reason: 'TIMED_OUT' });
  });

  test('a failure for good ends the watch with its reason at once', () => {
    const denied = { name: 'AccessDeniedException', message: 'no', httpStatusCode: 403 };
    const decision = finish(
      afterError(watch(), denied, { retryable: false, reason: 'ACCESS_DENIED' }, CONFIG, NOW, () => 0),
    );
    expect(decision.event.detail).toMatchObject({
      reason: 'ACCESS_DENIED',
      message: 'GetImportTask failed with AccessDeniedException (HTTP 403): no',
    });
  });
});

describe('planPoll', () => {
  test('polls while one more full cycle and the closing step fit the budget', () => {
    const budget = 1000;
    const limit = budget - pollCycleEvents(true) - CLOSING_EVENTS;
    expect(planPoll(watch({ historyEvents: limit }), { ...CONFIG, historyEventBudget: budget }).kind).toBe('poll');
    expect(planPoll(watch({ historyEvents: limit + 1 }), { ...CONFIG, historyEventBudget: budget })).toEqual({
      kind: 'decided',
      decision: {
        action: 'CONTINUE',
        executionName: 't-0123456789-continued-1',
        input: { watch: expect.objectContaining({ generation: 1, historyEvents: 1, pollCount: 1 }) },
      },
    });
  });

  test('the smallest budget still allows a poll in each execution', () => {
    expect(
      planPoll(watch({ historyEvents: 1 }), { ...CONFIG, historyEventBudget: MIN_HISTORY_EVENT_BUDGET }).kind,
    ).toBe('poll');
  });
});

describe('describePollFailure', () => {
  test('reads the function error out of the Cause and keeps the watch', () => {
    const decision = finish(
      describePollFailure(
        {
          watch: watch({ lastStatus: 'IMPORTING', pollCount: 12 }),
          pollFailure: {
            Error: 'TypeError',
            Cause: JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined', trace: [] }),
          },
        },
        NOW,
      ),
    );
    expect(decision.event.detail).toMatchObject({
      reason: 'POLLING_ERROR',
      taskId: 't-0123456789',
      lastStatus: 'IMPORTING',
      pollCount: 12,
      error: { name: 'TypeError', message: 'x is undefined' },
    });
  });

  test('before the first poll it names the requested task', () => {
    const decision = finish(
      describePollFailure(
        {
          taskId: 't-0123456789',
          graphId: 'g-0123456789',
          pollFailure: { Error: 'Lambda.ServiceException', Cause: 'down' },
        },
        NOW,
      ),
    );
    expect(decision.event.detail).toMatchObject({
      taskId: 't-0123456789',
      graphId: 'g-0123456789',
      pollCount: 0,
      error: { name: 'Lambda.ServiceException', message: 'down' },
    });
  });
});
