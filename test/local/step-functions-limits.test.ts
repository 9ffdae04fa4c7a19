/**
 * The local runner is the project's stand-in for Step Functions: each limit AWS enforces is
 * broken here on purpose, through the synthesized state machine, and must end the way it ends in
 * AWS — an execution that fails (or times out) without any further step, whatever `Catch` says.
 * The poll function is scripted here, so the backstop (which needs the real one) is left out; the
 * backstop's own tests are in test/state-machine/nothing-lost.test.ts.
 */
import { Duration } from 'aws-cdk-lib';
import type { PollDecision, WatchState } from '../../lambda/poll/contract';
import type { PollHandler } from '../../lambda/poll/poll-handler';
import { POLLER_STATE_NAMES } from '../../lib/poller-definition';
import { simpleTimeline } from '../../local/import-timeline';
import {
  ExecutionAlreadyExistsError,
  InvalidExecutionNameError,
  STEP_FUNCTIONS_LIMITS,
  executionNameProblem,
  retryPauseSeconds,
} from '../../local/local-poller';
import { CONTRACT_VERSION } from '../../lib/poll-contract';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

const TASK_ID = 't-0123456789';

/** A watch state such as the poll function carries. */
function watchState(overrides: Partial<WatchState> = {}): WatchState {
  return {
    contractVersion: CONTRACT_VERSION,
    watchName: TASK_ID,
    taskId: TASK_ID,
    graphId: null,
    watchStartedAt: 0,
    deadline: Number.MAX_SAFE_INTEGER,
    pollCount: 1,
    consecutiveErrors: 0,
    lastStatus: 'IMPORTING',
    generation: 0,
    historyEvents: 1,
    strategyMemory: {},
    ...overrides,
  };
}

/** What a WAIT decision parks, when the definition parks its waits (the default, with the sweep). */
const PARK = { taskId: TASK_ID, status: 'IMPORTING' };

/** The poller without the sweep: its waits are plain Wait states. */
const WITHOUT_SWEEP = { sweep: { enabled: false } };

/** A poll function that answers every invocation with `decide`, and counts them. */
function scriptedPollFunction(decide: (call: number) => PollDecision | Promise<PollDecision>) {
  const calls = { count: 0 };
  const wrap = (): PollHandler => () => Promise.resolve(decide(++calls.count));
  return { calls, wrap };
}

describe('the local runner enforces Step Functions limits', () => {
  let harness: Harness;
  afterEach(async () => harness.stop());

  test('GIVEN a poll step whose output is over 256 KiB THEN the execution fails with States.DataLimitExceeded, which the States.ALL catcher does not catch', async () => {
    const poll = scriptedPollFunction(() => ({
      action: 'WAIT',
      waitSeconds: 60,
      watch: watchState({ strategyMemory: { note: 'x'.repeat(STEP_FUNCTIONS_LIMITS.payloadBytes) } }),
      park: PARK,
    }));
    harness = await startHarness({ wrapPollHandler: poll.wrap, backstop: false });

    const { executions, events } = await harness.poller.watch({ taskId: TASK_ID });

    expect(executions).toHaveLength(1);
    expect(executions[0].status).toBe('FAILED');
    expect(executions[0].error?.name).toBe('States.DataLimitExceeded');
    expect(events).toEqual([]);
    // DescribePollFailure, the poll step's States.ALL catcher, never ran: one invocation in all.
    expect(poll.calls.count).toBe(1);
    expect(executions[0].history.map((e) => e.type)).not.toContain('WaitStateEntered');
    expect(executions[0].history.map((e) => e.type)).not.toContain('TaskSubmitted');
    expect(executions[0].history.at(-1)?.type).toBe('ExecutionFailed');
  });

  test('GIVEN a caught error that ResultPath merges into an input near the limit THEN the merged output fails the execution before the catcher runs', async () => {
    const big = watchState({ strategyMemory: { note: 'x'.repeat(STEP_FUNCTIONS_LIMITS.payloadBytes - 20_000) } });
    const poll = scriptedPollFunction((call) => {
      if (call === 1) return { action: 'WAIT', waitSeconds: 60, watch: big, park: PARK };
      throw Object.assign(new Error('y'.repeat(30_000)), { name: 'TypeError' });
    });
    harness = await startHarness({ wrapPollHandler: poll.wrap, backstop: false });

    const { executions, events } = await harness.poller.watch({ taskId: TASK_ID });

    expect(executions[0].status).toBe('FAILED');
    expect(executions[0].error).toMatchObject({
      name: 'States.DataLimitExceeded',
      message: expect.stringContaining(`The output of ${POLLER_STATE_NAMES.poll}`),
    });
    expect(events).toEqual([]);
    expect(poll.calls.count).toBe(2);
  });

  test('GIVEN an execution that never hands over THEN it fails when its history reaches 25,000 events, counted with retries and parked waits', async () => {
    const poll = scriptedPollFunction((call) => {
      // Every tenth invocation fails once as the Lambda service would, and is retried by the state machine.
      if (call % 10 === 0)
        return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }));
      return { action: 'WAIT', waitSeconds: 1, watch: watchState(), park: PARK };
    });
    harness = await startHarness({ wrapPollHandler: poll.wrap, backstop: false });

    const { executions, events } = await harness.poller.watch({ taskId: TASK_ID });

    const [execution] = executions;
    expect(execution.status).toBe('FAILED');
    expect(execution.error?.name).toBe('States.Runtime');
    expect(execution.error?.message).toContain('25000 events');
    expect(events).toEqual([]);
    expect(execution.history.filter((e) => e.type === 'LambdaFunctionFailed').length).toBeGreaterThan(200);
    // The parked waits timed out, each recorded with the TaskSubmitted the runner adds beside the interpreter's events.
    expect(execution.history.filter((e) => e.type === 'TaskTimedOut').length).toBeGreaterThan(1000);
    // No step ran after the limit: the history stops within one state's events of it.
    expect(execution.history.length).toBeGreaterThanOrEqual(STEP_FUNCTIONS_LIMITS.historyEvents);
    expect(execution.history.length).toBeLessThanOrEqual(STEP_FUNCTIONS_LIMITS.historyEvents + 4);
    expect(execution.history.at(-1)?.type).toBe('ExecutionFailed');
  }, 180_000);

  test.each([
    ['parked waits', {}, { park: PARK }, 'TaskSubmitted'],
    ['plain Wait states', WITHOUT_SWEEP, {}, 'WaitStateEntered'],
  ])(
    'GIVEN a one-year execution timeout and %s THEN the execution times out on the run clock after exactly one year, during a wait, with no Node timer overflow',
    async (_, props, park, waitEvent) => {
      const poll = scriptedPollFunction(() => ({
        action: 'WAIT',
        waitSeconds: 30 * 86_400,
        watch: watchState(),
        ...park,
      }));
      harness = await startHarness({
        synthesized: synthesizeOnce({ monitoringTimeout: Duration.days(365), ...props }),
        wrapPollHandler: poll.wrap,
        backstop: false,
        // Nothing wakes a scripted watch; a year of sweeps would only cost time.
        sweep: false,
      });

      const { executions, events } = await harness.poller.watch({ taskId: TASK_ID });

      const [execution] = executions;
      expect(execution.status).toBe('TIMED_OUT');
      expect(execution.error?.name).toBe('States.Timeout');
      expect(execution.stoppedAt! - execution.startedAt).toBe(STEP_FUNCTIONS_LIMITS.executionSeconds * 1000);
      expect(poll.calls.count).toBe(Math.ceil(365 / 30));
      expect(events).toEqual([]);
      // The last wait was cut short by the execution's end: nothing after it but ExecutionTimedOut.
      expect(execution.history.slice(-2).map((e) => e.type)).toEqual([waitEvent, 'ExecutionTimedOut']);
    },
  );

  test.each([
    ['longer than the documented maximum', STEP_FUNCTIONS_LIMITS.waitSeconds + 1],
    ['negative', -1],
    ['not whole', 1.5],
  ])('GIVEN a Wait whose SecondsPath is %s THEN the execution fails with States.Runtime', async (_, seconds) => {
    const poll = scriptedPollFunction(() => ({ action: 'WAIT', waitSeconds: seconds, watch: watchState() }));
    harness = await startHarness({
      synthesized: synthesizeOnce(WITHOUT_SWEEP),
      wrapPollHandler: poll.wrap,
      backstop: false,
    });

    const { executions, events } = await harness.poller.watch({ taskId: TASK_ID });

    expect(executions[0].status).toBe('FAILED');
    expect(executions[0].error).toMatchObject({
      name: 'States.Runtime',
      message: expect.stringContaining(`${POLLER_STATE_NAMES.wait}: the wait is ${seconds} s`),
    });
    expect(events).toEqual([]);
    expect(poll.calls.count).toBe(1);
  });

  test.each([
    ['longer than the documented maximum', STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds + 1],
    ['zero', 0],
    ['not whole', 1.5],
  ])(
    'GIVEN a parked wait whose TimeoutSecondsPath is %s THEN the execution fails with States.Runtime, before anything is put',
    async (_, seconds) => {
      const poll = scriptedPollFunction(() => ({
        action: 'WAIT',
        waitSeconds: seconds,
        watch: watchState(),
        park: PARK,
      }));
      harness = await startHarness({ wrapPollHandler: poll.wrap, backstop: false, sweep: false });

      const { executions, events } = await harness.poller.watch({ taskId: TASK_ID });

      expect(executions[0].status).toBe('FAILED');
      expect(executions[0].error).toMatchObject({
        name: 'States.Runtime',
        message: expect.stringContaining(
          `${POLLER_STATE_NAMES.parkedWait}: TimeoutSecondsPath $.waitSeconds gives ${seconds}`,
        ),
      });
      expect(events).toEqual([]);
      expect(poll.calls.count).toBe(1);
      expect(await harness.watchTable!.items()).toEqual([]);
    },
  );

  test('GIVEN an execution that ended THEN its name is never used again in the run, while a running one with the same input is returned', async () => {
    harness = await startHarness();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(600) });
    const input = JSON.stringify({ taskId: task.taskId });

    const first = harness.poller.startExecution(task.taskId, input);
    expect(harness.poller.startExecution(task.taskId, input)).toBe(first);
    expect(() => harness.poller.startExecution(task.taskId, '{"other":1}')).toThrow(ExecutionAlreadyExistsError);
    await first.done;

    expect(first.status).toBe('SUCCEEDED');
    expect(() => harness.poller.startExecution(task.taskId, input)).toThrow(ExecutionAlreadyExistsError);
    expect(harness.standIn.pollsOf(task.taskId).length).toBeGreaterThan(0);
  });

  test.each([
    ['81 characters', 'a'.repeat(81)],
    ['a space', 't-0123456789 again'],
    ['a colon', 't-0123456789:1'],
    ['a control character', 't-0123456789\u0007'],
  ])('GIVEN a name with %s THEN StartExecution refuses it', async (_, name) => {
    harness = await startHarness();

    expect(executionNameProblem(name)).toBeDefined();
    expect(() => harness.poller.startExecution(name, '{}')).toThrow(InvalidExecutionNameError);
    expect(executionNameProblem('a'.repeat(80))).toBeUndefined();
  });

  test('GIVEN a poll function that Lambda refuses three times THEN the retries pause as Step Functions pauses them: backoff, cap and full jitter, on the run clock', async () => {
    let refusals = 0;
    const times: number[] = [];
    harness = await startHarness({
      synthesized: synthesizeOnce(WITHOUT_SWEEP),
      random: () => 0.5,
      backstop: false,
      wrapPollHandler: (real) => (event) => {
        times.push(harness.clock.now());
        if (refusals++ < 3) {
          return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }));
        }
        return real(event);
      },
    });
    const task = harness.standIn.addTask({ timeline: simpleTimeline(0) });

    await harness.poller.watch({ taskId: task.taskId });

    // Bounds 2, 4 and 8 s (interval 2 s, backoff 2); full jitter drawn at 0.5 halves each.
    expect(times.slice(1, 4).map((t, i) => (t - times[i]) / 1000)).toEqual([1, 2, 4]);
    const retrier = { IntervalSeconds: 2, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' as const };
    expect(retryPauseSeconds(retrier, 10, () => 1)).toBe(60);
    expect(retryPauseSeconds({ ...retrier, JitterStrategy: 'NONE' }, 3, () => 0)).toBe(8);
  });
});
