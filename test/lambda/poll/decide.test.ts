import type { PollerConfig } from '../../../lib/poller-config';
import type { PollDecision, WatchState } from '../../../lambda/poll/contract';
import {
  afterAnswer,
  afterError,
  describePollFailure,
  endSeenLateBy,
  isTerminalStatus,
  parkForSweep,
  planPoll,
  MAX_STATUS_REASON_CHARS,
  retryIntervalCap,
  startFrom,
  reportFailedExecution,
  sweepLooksFirst,
} from '../../../lambda/poll/decide';
import { TRUNCATION_MARKER } from '../../../lambda/poll/fit-event-detail';
import { CONTRACT_VERSION, PARK_PUT_RETRIES } from '../../../lib/poll-contract';
import { CLOSING_EVENTS, MIN_HISTORY_EVENT_BUDGET, pollCycleEvents } from '../../../lambda/poll/history-accounting';
import type { ImportTaskSnapshot, ImportTaskStatusChangeDetail } from '../../../lib/events';

const NOW = Date.UTC(2026, 5, 1);
const POLLING_ERROR_CLASS = { reason: 'POLLING_ERROR' } as const;
const CONFIG: PollerConfig = {
  timeoutSeconds: 3600,
  polling: { kind: 'exponential', initialWaitSeconds: 30, maxWaitSeconds: 900, growthRate: 2, jitter: 0 },
  errorRetry: { budgetSeconds: 900, initialIntervalSeconds: 2, maxIntervalSeconds: 300, backoffRate: 2 },
  emitStatusChanges: false,
  historyEventBudget: 20_000,
  contractVersion: CONTRACT_VERSION,
  executionTimeoutSeconds: 365 * 86_400,
  notFoundGraceSeconds: 0,
};

function watch(overrides: Partial<WatchState> = {}): WatchState {
  return {
    contractVersion: CONTRACT_VERSION,
    watchName: 't-0123456789',
    taskId: 't-0123456789',
    graphId: 'g-0123456789',
    watchStartedAt: NOW,
    deadline: NOW + 3_600_000,
    pollCount: 1,
    consecutiveErrors: 0,
    notFoundPolls: 0,
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

  test.each([['t-0123456789'], ['t-0123456789-watch-2']])(
    'an execution named as the start path names watches (%s) watches the task itself',
    (name) => {
      expect(startFrom({ taskId: 't-0123456789' }, CONFIG, NOW, name)).toMatchObject({
        kind: 'watch',
        watch: { watchName: name },
      });
    },
  );

  test.each([['nightly-load'], ['t-0123456789-watch-x'], ['t-0123456789-continued-1'], ['t-9999999999']])(
    'an execution started directly under another name (%s) hands the task over to the start path, sending nothing',
    (name) => {
      expect(startFrom({ taskId: 't-0123456789', graphId: 'g-abcdefghij' }, CONFIG, NOW, name)).toEqual({
        kind: 'hand-over',
        taskId: 't-0123456789',
        graphId: 'g-abcdefghij',
      });
    },
  );

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

  test('a watch state carried from a poll function older than the not-found grace continues', () => {
    const { notFoundPolls: _none, ...older } = watch({ pollCount: 7 });
    expect(startFrom({ action: 'WAIT', waitSeconds: 30, watch: older }, CONFIG, NOW)).toEqual({
      kind: 'watch',
      watch: older,
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

  test.each([
    ['280 KB long', 'g'.repeat(280_000)],
    ['of the wrong form', 'G-0123456789'],
  ])('a graph id %s is copied neither into the watch nor into the event', (_name, graphId) => {
    const loud = { ...CONFIG, emitStatusChanges: true };
    const decision = wait(afterAnswer(watch({ graphId: null }), task('IMPORTING', { graphId }), loud, NOW, () => 0));

    expect(decision.watch.graphId).toBeNull();
    expect(decision.event?.detail.graphId).toBeNull();
  });

  test('a long statusReason is cut short beside the answer, which keeps it whole, and named', () => {
    const statusReason = 'r'.repeat(MAX_STATUS_REASON_CHARS + 1);
    const decision = finish(afterAnswer(watch(), task('FAILED', { statusReason }), CONFIG, NOW, () => 0));

    const detail = decision.event.detail as unknown as ImportTaskStatusChangeDetail;
    expect(detail.statusReason).toBe('r'.repeat(MAX_STATUS_REASON_CHARS) + TRUNCATION_MARKER);
    expect(detail.importTask.statusReason).toBe(statusReason);
    expect(detail.truncatedFields).toEqual(['statusReason']);
  });

  test('what the answer lost when it was read is named in the event, under importTask', () => {
    const decision = finish(
      afterAnswer(watch(), task('SUCCEEDED'), CONFIG, NOW, () => 0, ['importOptions.$unknown.1.a.a', 'extra']),
    );

    expect(decision.event.detail.truncatedFields).toEqual([
      'importTask.extra',
      'importTask.importOptions.$unknown.1.a.a',
    ]);
  });

  test('an answer ends a run of retried "not found" answers', () => {
    const decision = wait(
      afterAnswer(watch({ notFoundPolls: 3, consecutiveErrors: 1 }), task('IMPORTING'), CONFIG, NOW, () => 0),
    );
    expect(decision.watch).toMatchObject({ consecutiveErrors: 0, lastStatus: 'IMPORTING' });
    expect(decision.watch.notFoundPolls).toBeUndefined();
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
    const config = { ...CONFIG, errorRetry: { ...CONFIG.errorRetry, budgetSeconds: 86_400 } };
    const failing = watch({ consecutiveErrors: failures - 1, failingSince: NOW - 1000 });
    const highest = wait(afterError(failing, throttled, POLLING_ERROR_CLASS, config, NOW, () => 0.9999));
    const lowest = wait(afterError(failing, throttled, POLLING_ERROR_CLASS, config, NOW, () => 0));
    expect(highest.waitSeconds).toBe(cap);
    expect(lowest.waitSeconds).toBe(1);
  });

  test('the first failure starts the run of failures: it is retried, however many came before in other runs', () => {
    const decision = wait(afterError(watch(), throttled, POLLING_ERROR_CLASS, CONFIG, NOW, () => 0.9999));

    expect(decision.watch).toMatchObject({ consecutiveErrors: 1, failingSince: NOW });
    expect(decision.waitSeconds).toBe(2);
  });

  test('failures within the budget are retried, however many: a throttling storm of minutes does not end a watch', () => {
    const failing = watch({ consecutiveErrors: 40, failingSince: NOW - 899_000 });
    const decision = wait(afterError(failing, throttled, POLLING_ERROR_CLASS, CONFIG, NOW, () => 0.9999));

    expect(decision.watch).toMatchObject({ consecutiveErrors: 41, failingSince: NOW - 899_000 });
    // The last retry is sent when the budget ends, not a whole backoff later.
    expect(decision.waitSeconds).toBe(1);
  });

  test('a failure once the run has lasted the budget ends the watch with POLLING_ERROR, saying for how long', () => {
    const failing = watch({ consecutiveErrors: 12, failingSince: NOW - 900_000 });
    const decision = finish(afterError(failing, throttled, POLLING_ERROR_CLASS, CONFIG, NOW, () => 0));

    expect(decision.event.detail).toMatchObject({
      reason: 'POLLING_ERROR',
      error: { name: 'ThrottlingException' },
      message: expect.stringContaining('failed 13 times in a row over 900 s (retried for 900 s)'),
    });
  });

  test('an answer ends the run of failures: the next failure starts a new budget', () => {
    const failing = watch({ consecutiveErrors: 12, failingSince: NOW - 800_000 });
    const answered = wait(afterAnswer(failing, task('IMPORTING'), CONFIG, NOW, () => 0));
    expect(answered.watch).not.toHaveProperty('failingSince');

    const next = wait(afterError(answered.watch, throttled, POLLING_ERROR_CLASS, CONFIG, NOW + 1000, () => 0));
    expect(next.watch).toMatchObject({ consecutiveErrors: 1, failingSince: NOW + 1000 });
  });

  test('a failure at the deadline ends the watch with TIMED_OUT', () => {
    const decision = finish(
      afterError(watch({ deadline: NOW - 1 }), throttled, POLLING_ERROR_CLASS, CONFIG, NOW, () => 0),
    );
    expect(decision.event.detail).toMatchObject({ reason: 'TIMED_OUT' });
  });

  test.each([
    ['ACCESS_DENIED', { name: 'AccessDeniedException', message: 'no', httpStatusCode: 403 }],
    ['INVALID_REQUEST', { name: 'ValidationException', message: 'bad', httpStatusCode: 400 }],
  ] as const)('a single %s is retried: IAM changes take seconds to reach every endpoint', (reason, error) => {
    const decision = wait(afterError(watch(), error, { reason }, CONFIG, NOW, () => 0.9999));

    expect(decision.watch).toMatchObject({ consecutiveErrors: 1, failingSince: NOW });
  });

  test('an access denied that outlasts the budget ends the watch with ACCESS_DENIED', () => {
    const denied = { name: 'AccessDeniedException', message: 'no', httpStatusCode: 403 };
    const failing = watch({ consecutiveErrors: 14, failingSince: NOW - 900_000 });
    const decision = finish(afterError(failing, denied, { reason: 'ACCESS_DENIED' }, CONFIG, NOW, () => 0));

    expect(decision.event.detail).toMatchObject({
      reason: 'ACCESS_DENIED',
      message: expect.stringMatching(/the last failure was AccessDeniedException \(HTTP 403\): no$/),
    });
  });
});

describe('afterError, when the task is not found', () => {
  const notFound = { name: 'ResourceNotFoundException', message: 'Import task not found', httpStatusCode: 404 };
  const notFoundClass = { reason: 'TASK_NOT_FOUND' } as const;
  const GRACE: PollerConfig = { ...CONFIG, notFoundGraceSeconds: 300 };
  /** The decision after a 404 `elapsed` seconds into a watch of a task never seen. */
  const after404 = (elapsed: number, overrides: Partial<WatchState> = {}, config = GRACE, draw = 0.9999) =>
    afterError(
      watch({ watchStartedAt: NOW - elapsed * 1000, ...overrides }),
      notFound,
      notFoundClass,
      config,
      NOW,
      () => draw,
    );

  test('within the grace, a task never seen is polled again, the 404 counted apart from failed polls', () => {
    const decision = wait(after404(10));

    expect(decision.watch).toMatchObject({ notFoundPolls: 1, consecutiveErrors: 0, lastStatus: null });
    expect(decision.waitSeconds).toBe(2);
  });

  test.each([
    [1, 2],
    [3, 8],
    [6, 64],
  ])('within the grace, retry %i waits at most %i s, like a failed poll', (retry, cap) => {
    expect(wait(after404(1, { notFoundPolls: retry - 1 })).waitSeconds).toBe(cap);
    expect(wait(after404(1, { notFoundPolls: retry - 1 }, GRACE, 0)).waitSeconds).toBe(1);
  });

  test('the last retry comes when the grace ends, not later', () => {
    const decision = wait(after404(250.5, { notFoundPolls: 8 }));
    expect(decision.waitSeconds).toBe(50);
  });

  test('"not found" answers are bounded by the grace, not by the failed-poll budget', () => {
    const decision = wait(after404(30, { consecutiveErrors: 2, failingSince: NOW - 3_600_000, notFoundPolls: 20 }));
    expect(decision.watch).toMatchObject({ consecutiveErrors: 2, notFoundPolls: 21 });
  });

  test('a failed poll after "not found" answers waits by both, but only failed polls start the budget', () => {
    const throttled = { name: 'ThrottlingException', message: 'Rate exceeded', httpStatusCode: 429 };
    const decision = wait(
      afterError(watch({ notFoundPolls: 4 }), throttled, POLLING_ERROR_CLASS, CONFIG, NOW, () => 0.9999),
    );
    expect(decision.watch).toMatchObject({ consecutiveErrors: 1, notFoundPolls: 4 });
    expect(decision.waitSeconds).toBe(retryIntervalCap(CONFIG.errorRetry, 5));
  });

  test('when the grace is over, TASK_NOT_FOUND says how long the task was looked for', () => {
    const decision = finish(after404(300, { notFoundPolls: 9, pollCount: 10 }));

    expect(decision.event.detail).toMatchObject({ reason: 'TASK_NOT_FOUND', pollCount: 10, lastStatus: null });
    expect(decision.event.detail.message).toBe(
      'GetImportTask failed with ResourceNotFoundException (HTTP 404): Import task not found; ' +
        'still not found 300 s after the watch started (9 "not found" answers retried), past the 300 s grace for a task just started',
    );
  });

  test('a task seen before and now not found is gone: TASK_NOT_FOUND at once, within the grace too', () => {
    const decision = finish(after404(10, { lastStatus: 'IMPORTING' }));
    expect(decision.event.detail).toMatchObject({
      reason: 'TASK_NOT_FOUND',
      lastStatus: 'IMPORTING',
      message: 'GetImportTask failed with ResourceNotFoundException (HTTP 404): Import task not found',
    });
  });

  test.each([
    ['0', { ...CONFIG, notFoundGraceSeconds: 0 }],
    ['absent (a definition deployed before the grace)', CONFIG],
  ])('with the grace %s, the first 404 ends the watch', (_name, config) => {
    const decision = finish(after404(0, {}, config));
    expect(decision.event.detail).toMatchObject({
      reason: 'TASK_NOT_FOUND',
      message: 'GetImportTask failed with ResourceNotFoundException (HTTP 404): Import task not found',
    });
  });

  test('the deadline still wins within the grace', () => {
    const decision = finish(after404(10, { deadline: NOW }));
    expect(decision.event.detail).toMatchObject({ reason: 'TIMED_OUT' });
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

describe('reporting an execution that ended without its terminal event', () => {
  test('GIVEN a continued execution that failed THEN its Monitoring Failed event carries what its watch knew', () => {
    const decision = startFrom(
      {
        backstop: {
          executionName: 't-0123456789-continued-2',
          status: 'TIMED_OUT',
          error: 'States.Timeout',
          cause: null,
          input: { watch: watch({ pollCount: 40, lastStatus: 'IMPORTING' }) },
        },
      },
      CONFIG,
      NOW,
    );

    expect(decision.kind).toBe('report');
    expect(decision.kind === 'report' && decision.decision).toMatchObject({
      action: 'FINISH',
      event: {
        detailType: 'Neptune Analytics Import Task Monitoring Failed',
        detail: {
          reason: 'POLLER_FAILED',
          taskId: 't-0123456789',
          pollCount: 40,
          lastStatus: 'IMPORTING',
          error: { name: 'States.Timeout', message: '' },
          message:
            'Execution t-0123456789-continued-2 ended TIMED_OUT before it put its terminal event: States.Timeout',
        },
      },
    });
  });

  test('GIVEN a failed execution whose input was too large to carry THEN the task is read from its name', () => {
    const decision = reportFailedExecution(
      { executionName: 't-abcdefghij-watch-3', status: 'ABORTED', input: null },
      NOW,
    );

    expect(decision).toMatchObject({
      event: { detail: { taskId: 't-abcdefghij', graphId: null, reason: 'POLLER_FAILED', pollCount: 0 } },
    });
  });
});

describe('the contract version', () => {
  test('GIVEN a definition from a release with another contract version THEN the watch ends INVALID_REQUEST, saying so', () => {
    const start = startFrom({ taskId: 't-0123456789' }, { ...CONFIG, contractVersion: CONTRACT_VERSION + 1 }, NOW);

    expect(start).toMatchObject({
      kind: 'refused',
      decision: {
        action: 'FINISH',
        event: {
          detail: {
            reason: 'INVALID_REQUEST',
            taskId: 't-0123456789',
            message: expect.stringContaining(
              `definition speaks contract version ${CONTRACT_VERSION + 1}; this poll function speaks version ${CONTRACT_VERSION}`,
            ),
          },
        },
      },
    });
  });

  test('GIVEN a watch state written under another contract version THEN the watch ends INVALID_REQUEST, saying so', () => {
    const start = startFrom({ watch: watch({ contractVersion: 7 }) }, CONFIG, NOW);

    expect(start.kind).toBe('refused');
    expect(start.kind === 'refused' && start.decision).toMatchObject({
      event: { detail: { reason: 'INVALID_REQUEST', message: expect.stringContaining('contract version 7') } },
    });
  });

  test('GIVEN a definition of this release THEN a watch state of this release or the one before goes on, and no older one', () => {
    expect(startFrom({ watch: watch() }, CONFIG, NOW).kind).toBe('watch');
    // Continued across a deploy: the next execution runs the new definition, with the state the old function wrote.
    expect(startFrom({ watch: watch({ contractVersion: CONTRACT_VERSION - 1 }) }, CONFIG, NOW).kind).toBe('watch');
    for (const version of [CONTRACT_VERSION - 2, 1, undefined]) {
      const start = startFrom({ watch: { ...watch(), contractVersion: version } }, CONFIG, NOW);
      expect(start.kind === 'refused' && start.decision).toMatchObject({
        event: {
          detail: {
            reason: 'INVALID_REQUEST',
            message: expect.stringContaining(`reads versions ${CONTRACT_VERSION - 1} and ${CONTRACT_VERSION}`),
          },
        },
      });
    }
    expect(startFrom({ taskId: 't-0123456789' }, CONFIG, NOW)).toMatchObject({
      watch: { contractVersion: CONTRACT_VERSION },
    });
  });

  test('GIVEN a definition of an earlier release THEN the function refuses it: each definition invokes its own release', () => {
    const start = startFrom({ taskId: 't-0123456789' }, { ...CONFIG, contractVersion: CONTRACT_VERSION - 1 }, NOW);
    expect(start.kind).toBe('refused');
  });
});

describe('the first look left to the sweep', () => {
  const BACKSTOP: PollerConfig = {
    ...CONFIG,
    polling: { kind: 'fixed', intervalSeconds: 21_600, jitter: 0.1 },
    sweep: { periodSeconds: 60 },
  };
  const API_CALL = { taskId: 't-0123456789', trigger: 'api-call' };

  test('GIVEN the sweep, its fixed backstop, no status-change events and a watch begun by the API call THEN the sweep takes the first look', () => {
    expect(sweepLooksFirst(API_CALL, BACKSTOP)).toBe(true);
  });

  test.each([
    ['the sweep off', API_CALL, { ...BACKSTOP, sweep: undefined }],
    ['status-change events on', API_CALL, { ...BACKSTOP, emitStatusChanges: true }],
    ['a polling strategy other than a fixed interval', API_CALL, { ...BACKSTOP, polling: CONFIG.polling }],
    ['a watch request', { ...API_CALL, trigger: 'watch-request' }, BACKSTOP],
    ["the sweep's discovery", { ...API_CALL, trigger: 'sweep' }, BACKSTOP],
    ['a direct execution, with no trigger', { taskId: 't-0123456789' }, BACKSTOP],
    ['a watch after a Monitoring Failed one', { ...API_CALL, followsMonitoringFailure: true }, BACKSTOP],
  ])('GIVEN %s THEN the watch looks first itself', (_, input, config) => {
    expect(sweepLooksFirst(input, config)).toBe(false);
  });

  test("GIVEN a watch whose first look is the sweep's THEN it parks as one that has seen nothing, for the backstop wait, jittered, within its deadline", () => {
    const fresh = watch({ pollCount: 0, lastStatus: null, deadline: NOW + 7 * 86_400_000 });

    const decision = parkForSweep(fresh, BACKSTOP, NOW, () => 0.5);
    const nearDeadline = parkForSweep({ ...fresh, deadline: NOW + 600_000 }, BACKSTOP, NOW, () => 0.5);

    expect(decision).toMatchObject({
      action: 'WAIT',
      waitSeconds: 20_520,
      park: { taskId: 't-0123456789', status: 'UNKNOWN' },
      watch: { pollCount: 0, lastStatus: null },
    });
    expect(nearDeadline).toMatchObject({ action: 'WAIT', waitSeconds: 600 });
  });
});

describe('an end seen late', () => {
  const SWEPT: PollerConfig = { ...CONFIG, sweep: { periodSeconds: 60 } };
  /** An answer whose import ended `secondsAgo` before NOW. */
  const endedAgo = (secondsAgo: number, status = 'SUCCEEDED'): ImportTaskSnapshot => ({
    taskId: 't-0123456789',
    status,
    importTaskDetails: {
      status,
      startTime: new Date(NOW - (secondsAgo + 3600) * 1000).toISOString(),
      timeElapsedSeconds: 3600,
    },
  });
  const begun = (secondsAgo: number) => watch({ watchStartedAt: NOW - secondsAgo * 1000 });

  test('GIVEN the sweep every minute THEN an end seen more than 7 minutes after it is late, by how many seconds', () => {
    expect(endSeenLateBy(begun(86_400), endedAgo(421), SWEPT, NOW)).toBe(421);
    expect(endSeenLateBy(begun(86_400), endedAgo(420), SWEPT, NOW)).toBeUndefined();
    expect(endSeenLateBy(begun(86_400), endedAgo(65), SWEPT, NOW)).toBeUndefined();
  });

  test("GIVEN an end before the watch began THEN it is counted from the watch's start", () => {
    expect(endSeenLateBy(begun(60), endedAgo(86_400), SWEPT, NOW)).toBeUndefined();
    expect(endSeenLateBy(begun(3600), endedAgo(86_400), SWEPT, NOW)).toBe(3600);
  });

  test.each([
    ['without the sweep, whose polls see an end midway at the next one', CONFIG, endedAgo(3000)],
    ['for a status that is no end', SWEPT, endedAgo(3000, 'IMPORTING')],
    ['for an end the answer does not date', SWEPT, { taskId: 't-0123456789', status: 'FAILED' }],
  ])('GIVEN %s THEN nothing is late', (_, config, task) => {
    expect(endSeenLateBy(begun(86_400), task, config, NOW)).toBeUndefined();
  });
});

describe('parking a wait for the sweep', () => {
  const SWEPT: PollerConfig = { ...CONFIG, sweep: { periodSeconds: 60 } };
  const running: ImportTaskSnapshot = {
    taskId: 't-0123456789',
    status: 'IMPORTING',
    importTaskDetails: { status: 'IMPORTING', progressPercentage: 10, timeElapsedSeconds: 60 },
  };

  test('GIVEN a sweep WHEN the watch waits THEN the decision names the task and the status it last saw', () => {
    const decision = afterAnswer(watch(), running, SWEPT, NOW, () => 0.5);

    expect(decision).toMatchObject({ action: 'WAIT', park: { taskId: 't-0123456789', status: 'IMPORTING' } });
  });

  test('GIVEN a sweep WHEN a watch waits before any answer THEN the parked status is UNKNOWN', () => {
    const throttled = { name: 'ThrottlingException', message: 'Rate exceeded' };
    const decision = afterError(watch(), throttled, POLLING_ERROR_CLASS, SWEPT, NOW, () => 0.5);

    expect(decision).toMatchObject({ action: 'WAIT', park: { taskId: 't-0123456789', status: 'UNKNOWN' } });
  });

  test('GIVEN no sweep THEN no decision carries a park, and a cycle costs a plain wait', () => {
    const decision = afterAnswer(watch({ historyEvents: 100 }), running, CONFIG, NOW, () => 0.5);

    expect(decision).not.toHaveProperty('park');
    expect(decision.action === 'WAIT' && decision.watch.historyEvents).toBe(100 + pollCycleEvents('event' in decision));
  });

  test('GIVEN a sweep THEN a cycle is accounted with the parked wait, the largest of its outcomes', () => {
    const decision = afterAnswer(watch({ historyEvents: 100 }), running, SWEPT, NOW, () => 0.5);

    expect(decision.action === 'WAIT' && decision.watch.historyEvents).toBe(
      100 + pollCycleEvents('event' in decision, true),
    );
    // Six more than a plain wait (two events), and three for each retried put of the park task.
    expect(pollCycleEvents(false, true) - pollCycleEvents(false, false)).toBe(6 + 3 * PARK_PUT_RETRIES);
  });
});
