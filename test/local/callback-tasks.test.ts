/**
 * The parked wait, a `.waitForTaskToken` task, as the local runner runs it: its PutItem goes to a
 * local DynamoDB over HTTP, its token comes back through the Step Functions stand-in over HTTP,
 * and whatever Step Functions would refuse, the runner refuses the same way.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  type SFNServiceException,
} from '@aws-sdk/client-sfn';
import { CLOSING_EVENTS, HISTORY_EVENTS_PER_STATE } from '../../lambda/poll/history-accounting';
import { PARK_PUT_RETRIES } from '../../lib/poll-contract';
import type { PollDecision } from '../../lambda/poll/contract';
import { POLLER_STATE_NAMES } from '../../lib/state-names';
import { realSleep, SteppingClock } from '../../local/clock';
import { simpleTimeline } from '../../local/import-timeline';
import { LocalPoller, STEP_FUNCTIONS_LIMITS } from '../../local/local-poller';
import type { HistoryEvent } from '../../local/step-functions-history';
import { recordDecisions, startHarness, synthesizeOnce, type Harness } from '../support/harness';

/** The events of each parked wait of `history`, from its TaskStateEntered to its TaskStateExited, and what came next. */
function parkedWaits(history: readonly HistoryEvent[]): string[][] {
  const waits: string[][] = [];
  history.forEach((event, index) => {
    if (event.type !== 'TaskStateEntered' || event.stateName !== POLLER_STATE_NAMES.parkedWait) return;
    const end = history.findIndex((e, i) => i > index && e.type === 'TaskStateExited');
    waits.push(
      history.slice(index + 1, end + 2).map((e) => (e.error === undefined ? e.type : `${e.type}(${e.error})`)),
    );
  });
  return waits;
}

/** Waits, in real time, until the task's item in the watch table holds a token other than `previous`; returns it. */
async function parkedToken(harness: Harness, taskId: string, previous?: string): Promise<string> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const item = (await harness.watchTable!.items()).find((i) => i.taskId === taskId);
    if (item?.token !== undefined && item.token !== previous) return item.token;
    await realSleep(5);
  }
  throw new Error(`${taskId} never parked`);
}

describe('parked waits (.waitForTaskToken), run locally', () => {
  let harness: Harness;
  let stepFunctions: SFNClient | undefined;
  afterEach(async () => {
    stepFunctions?.destroy();
    stepFunctions = undefined;
    await harness.stop();
  });

  /** Sends `command` to the Step Functions stand-in; resolves with the error's name, or `ok`. */
  const answerTo = async (
    command: SendTaskSuccessCommand | SendTaskFailureCommand | SendTaskHeartbeatCommand,
  ): Promise<string> => {
    stepFunctions ??= new SFNClient({
      endpoint: harness.stepFunctions.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      await stepFunctions.send(command as SendTaskSuccessCommand);
      return 'ok';
    } catch (error) {
      return (error as SFNServiceException).name;
    }
  };

  test('GIVEN a parked watch THEN SendTaskSuccess wakes it at once, once; its token is refused afterwards, and so are made-up tokens and bad output', async () => {
    harness = await startHarness({ sweep: false });
    // The test holds the clock while it works, so that no wait ends by its timeout meanwhile.
    const hold = harness.clock.actor();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3 * 3600) });
    const watching = harness.poller.watch({ taskId: task.taskId });
    const first = await parkedToken(harness, task.taskId);

    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: first, output: 'not json' }))).toBe('InvalidOutput');
    const tooLong = JSON.stringify('x'.repeat(STEP_FUNCTIONS_LIMITS.payloadBytes));
    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: first, output: tooLong }))).toBe(
      'ValidationException',
    );
    expect(await answerTo(new SendTaskHeartbeatCommand({ taskToken: first }))).toBe('ok');
    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: first, output: '{"wokenBy":"test"}' }))).toBe('ok');
    const second = await parkedToken(harness, task.taskId, first);

    const polls = harness.standIn.pollsOf(task.taskId);
    expect(polls.map((poll) => poll.at)).toEqual([task.startedAt, task.startedAt]);
    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: first, output: '{}' }))).toBe('TaskTimedOut');
    expect(await answerTo(new SendTaskFailureCommand({ taskToken: first, error: 'Late' }))).toBe('TaskTimedOut');
    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: `AQ-local-${'A'.repeat(96)}`, output: '{}' }))).toBe(
      'TaskDoesNotExist',
    );
    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).toBe('InvalidToken');
    hold.retire();
    const { executions, events } = await watching;

    expect(first).not.toBe(second);
    expect(events.filter((e) => e.Detail.terminal === true)).toHaveLength(1);
    // The token of the last wait closed with its execution.
    const last = (await harness.watchTable!.items()).find((i) => i.taskId === task.taskId)!.token;
    expect(await answerTo(new SendTaskSuccessCommand({ taskToken: last, output: '{}' }))).toBe('TaskTimedOut');
    const waits = parkedWaits(executions[0].history);
    expect(waits[0]).toEqual([
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
    ]);
    // Nothing woke the others: each timed out, and the Catch of States.Timeout went on to the poll.
    expect(waits.length).toBeGreaterThan(1);
    for (const wait of waits.slice(1)) {
      expect(wait).toEqual([
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskTimedOut',
        'TaskStateExited',
        'TaskStateEntered',
      ]);
    }
  });

  test('GIVEN SendTaskFailure THEN the parked wait fails with its error, and the watch waits in the plain Wait state before it polls', async () => {
    const decisions: PollDecision[] = [];
    harness = await startHarness({
      sweep: false,
      wrapPollHandler: recordDecisions(decisions),
    });
    const hold = harness.clock.actor();
    const task = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
    const watching = harness.poller.watch({ taskId: task.taskId });
    const token = await parkedToken(harness, task.taskId);

    expect(await answerTo(new SendTaskFailureCommand({ taskToken: token, error: 'Test.Failure', cause: 'why' }))).toBe(
      'ok',
    );
    hold.retire();
    const { executions, events } = await watching;

    expect(events.filter((e) => e.Detail.terminal === true)).toHaveLength(1);
    const [failed] = parkedWaits(executions[0].history);
    expect(failed).toEqual([
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskFailed(Test.Failure)',
      'TaskStateExited',
      'WaitStateEntered',
    ]);
    // The wait SendTaskFailure ended recorded 8 events; the later parked waits, which timed out, recorded 6. The poll
    // function accounts each wait with room for the park task's retried puts as well.
    const waits = parkedWaits(executions[0].history);
    const lastWait = decisions.filter((d) => d.action === 'WAIT').at(-1)!;
    const accounted = HISTORY_EVENTS_PER_STATE.parkedWait;
    expect(executions[0].history.length).toBe(
      lastWait.watch.historyEvents + CLOSING_EVENTS - (accounted - 8) - (waits.length - 1) * (accounted - 6),
    );
  });

  test('GIVEN the watch table is gone THEN each PutItem fails with DynamoDb.ResourceNotFoundException, the watch waits in the plain Wait state, and the accounting is exact', async () => {
    const decisions: PollDecision[] = [];
    harness = await startHarness({
      sweep: false,
      wrapPollHandler: recordDecisions(decisions),
    });
    await harness.watchTable!.client.send(new DeleteTableCommand({ TableName: harness.watchTable!.tableName }));
    const task = harness.standIn.addTask({ timeline: simpleTimeline(4 * 3600) });

    const { executions, events } = await harness.poller.watch({ taskId: task.taskId });

    expect(events).toHaveLength(1);
    expect(events[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true });
    const waits = parkedWaits(executions[0].history);
    expect(waits.length).toBeGreaterThan(1);
    for (const wait of waits) {
      expect(wait).toEqual([
        'TaskScheduled',
        'TaskStarted',
        'TaskFailed(DynamoDb.ResourceNotFoundException)',
        'TaskStateExited',
        'WaitStateEntered',
      ]);
    }
    // A parked wait whose PutItem fails for good (a missing table is not retried) records 7 events; the poll function
    // accounts each wait as the most it can record: 8, and three for each retried put.
    const lastWait = decisions.filter((d) => d.action === 'WAIT').at(-1)!;
    expect(HISTORY_EVENTS_PER_STATE.parkedWait).toBe(8 + 3 * PARK_PUT_RETRIES);
    expect(executions[0].history.length).toBe(
      lastWait.watch.historyEvents + CLOSING_EVENTS - waits.length * (HISTORY_EVENTS_PER_STATE.parkedWait - 7),
    );
  });
});

describe('Task state timeouts, run locally', () => {
  test.each([
    ['0', 0],
    ['not whole', 2.5],
    ['over the maximum', STEP_FUNCTIONS_LIMITS.taskTimeoutSeconds + 1],
  ])('fails when a Task state has TimeoutSeconds %s', (_, timeout) => {
    expect(() => runnerWith(POLLER_STATE_NAMES.poll, { TimeoutSeconds: timeout })).toThrow(
      `${POLLER_STATE_NAMES.poll}: TimeoutSeconds must be a whole number from 1 to 99999999`,
    );
  });

  test.each([['Retry'], ['Catch']])(
    'fails when a task that can time out names States.TaskFailed in its %s: the runner could not tell the timeout apart',
    (field) => {
      const handler = {
        ErrorEquals: ['States.TaskFailed'],
        ...(field === 'Catch' ? { Next: POLLER_STATE_NAMES.poll } : {}),
      };
      expect(() => runnerWith(POLLER_STATE_NAMES.parkedWait, { [field]: [handler] })).toThrow(
        /cannot keep States.TaskFailed from matching the task's timeout/,
      );
    },
  );
});

/** The local runner of the synthesized definition with `changes` made to the state `name`. */
function runnerWith(name: string, changes: Record<string, unknown>): LocalPoller {
  const synthesized = synthesizeOnce();
  const states = synthesized.definition.States as Record<string, Record<string, unknown>>;
  const definition = { ...synthesized.definition, States: { ...states, [name]: { ...states[name], ...changes } } };
  return new LocalPoller({
    synthesized: { ...synthesized, definition },
    pollHandler: () => Promise.reject(new Error('not called')),
    clock: new SteppingClock(),
  });
}
