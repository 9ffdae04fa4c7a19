/**
 * The start handler: with the real Step Functions client and its command inputs on an SDK client
 * mock, and with recorded dependencies for each outcome and its metrics. Flows through the
 * synthesized state machine are tested in test/state-machine.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { MetricDatum } from '../../../lambda/shared/metric-datum';
import {
  createStepFunctionsClient,
  executionDescriber,
  executionStarter,
} from '../../../lambda/shared/step-functions-client';
import type { ExecutionDescriber } from '../../../lambda/shared/watch-lineage';
import {
  createStartHandler,
  MalformedTriggerError,
  type ExecutionStarter,
  type MalformedTriggerKeeper,
} from '../../../lambda/start/start-handler';
import { silentLogger } from '../../support/harness';

const cloudTrail = (detail: Record<string, unknown>) => ({
  id: 'ct-1',
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventSource: 'neptune-graph.amazonaws.com', ...detail },
});
const cloudTrailRecord = (taskId: string, graphId: string) =>
  cloudTrail({ eventName: 'StartImportTask', responseElements: { taskId, graphId } });
const watchRequest = (taskId: string) => ({
  id: 'wr-1',
  source: 'com.example',
  'detail-type': 'Neptune Analytics Import Task Watch Requested',
  detail: { taskId },
});

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Poller';
const executionArn = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:Poller:${name}`;

describe('start handler with the Step Functions client on an SDK client mock', () => {
  const sfn = mockClient(SFNClient);

  /** The start handler as the function wires it, with the Step Functions client that `sfn` answers for. */
  function sdkHandler(
    { stateMachineArn }: { readonly stateMachineArn?: string } = { stateMachineArn: STATE_MACHINE_ARN },
  ) {
    const client = createStepFunctionsClient({ region: 'us-east-1' });
    return createStartHandler({
      startExecution: executionStarter(client, stateMachineArn),
      describeExecution: executionDescriber(client, stateMachineArn),
      readHistory: () => Promise.resolve([]),
      logger: silentLogger(),
    });
  }

  beforeEach(() => sfn.reset());
  afterAll(() => sfn.restore());

  test('GIVEN a CloudTrail record THEN StartExecution names the execution after the task, with task, graph and trigger as input', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn('t-0123456789'), startDate: new Date() });
    // Act
    const outcome = await sdkHandler()(cloudTrailRecord('t-0123456789', 'g-abcdefghij'));
    // Assess
    expect(outcome).toEqual({
      outcome: 'started',
      taskId: 't-0123456789',
      executionName: 't-0123456789',
      executionArn: executionArn('t-0123456789'),
    });
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        name: 't-0123456789',
        input: JSON.stringify({ taskId: 't-0123456789', graphId: 'g-abcdefghij', trigger: 'api-call' }),
      },
    ]);
  });

  test('GIVEN the same event delivered twice THEN both starts send the same name and input, which Step Functions answers idempotently', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn('t-0123456789'), startDate: new Date() });
    const start = sdkHandler();

    const outcomes = [
      await start(cloudTrailRecord('t-0123456789', 'g-abcdefghij')),
      await start(cloudTrailRecord('t-0123456789', 'g-abcdefghij')),
    ];

    expect(outcomes.map((o) => o.outcome)).toEqual(['started', 'started']);
    const [first, second] = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(second).toEqual(first);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  test('GIVEN a watch request for a task whose watch runs THEN nothing starts: the name is taken and DescribeExecution says it runs', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });

    const outcome = await sdkHandler()(watchRequest('t-0123456789'));

    expect(outcome).toEqual({ outcome: 'already-watching', taskId: 't-0123456789', executionName: 't-0123456789' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: executionArn('t-0123456789') },
    ]);
  });

  test('GIVEN a taken name that no execution has THEN the next watch starts, after the one that ended', async () => {
    sfn
      .on(StartExecutionCommand, { name: 't-0123456789' })
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }))
      .on(StartExecutionCommand, { name: 't-0123456789-watch-2' })
      .resolves({ executionArn: executionArn('t-0123456789-watch-2'), startDate: new Date() });
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'none', $metadata: {} }));

    const outcome = await sdkHandler()(watchRequest('t-0123456789'));

    expect(outcome).toMatchObject({ outcome: 'started', executionName: 't-0123456789-watch-2' });
    const inputs = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(JSON.parse(inputs[1].input!)).toEqual({
      taskId: 't-0123456789',
      trigger: 'watch-request',
      followsMonitoringFailure: true,
    });
  });

  test('fails when Step Functions refuses for another reason: the error is thrown, and nothing is described', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
    sfn.on(StartExecutionCommand).rejects(throttled);

    await expect(sdkHandler()(watchRequest('t-0123456789'))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  test('fails when the function has no STATE_MACHINE_ARN, saying the construct must deploy it, without a call', async () => {
    await expect(sdkHandler({})(watchRequest('t-0123456789'))).rejects.toThrow(/STATE_MACHINE_ARN is not set/);
    expect(sfn.calls()).toHaveLength(0);
  });

  test('GIVEN an event without a usable task id and no dead-letter keeper THEN nothing is sent and the trigger is thrown', async () => {
    await expect(sdkHandler()(watchRequest('t-TOO-SHORT'))).rejects.toThrow(MalformedTriggerError);
    expect(sfn.calls()).toHaveLength(0);
  });
});

/** A start handler with recorded dependencies. */
function recordingHandler(
  options: {
    startExecution?: ExecutionStarter;
    describeExecution?: ExecutionDescriber;
    keepMalformedTrigger?: MalformedTriggerKeeper | null;
  } = {},
) {
  const metrics: MetricDatum[][] = [];
  const kept: Array<{ event: unknown; reason: string }> = [];
  const keeper: MalformedTriggerKeeper = (event, reason) => {
    kept.push({ event, reason });
    return Promise.resolve();
  };
  const keepMalformedTrigger = options.keepMalformedTrigger === undefined ? keeper : options.keepMalformedTrigger;
  const start = createStartHandler({
    startExecution:
      options.startExecution ?? ((name) => Promise.resolve({ executionArn: `arn:aws:states:::execution:sm:${name}` })),
    describeExecution: options.describeExecution ?? (() => Promise.resolve({ status: 'RUNNING' })),
    readHistory: () => Promise.resolve([]),
    logger: silentLogger(),
    publishMetrics: (data) => metrics.push([...data]),
    ...(keepMalformedTrigger === null ? {} : { keepMalformedTrigger }),
  });
  return { start, metrics, kept };
}

const notStarted = (reason: string): MetricDatum[] => [
  { name: 'TriggersNotStarted', unit: 'Count', value: 1 },
  { name: 'TriggersNotStartedByReason', unit: 'Count', value: 1, dimension: { name: 'Reason', value: reason } },
];
const alreadyExists = () => Promise.reject(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));

describe('start handler outcomes and their metrics', () => {
  test('GIVEN a new task THEN one execution is started and counted', async () => {
    // Prepare
    const { start, metrics, kept } = recordingHandler();
    // Act
    const outcome = await start(cloudTrailRecord('t-0123456789', 'g-0123456789'));
    // Assess
    expect(outcome).toMatchObject({ outcome: 'started', executionName: 't-0123456789' });
    expect(metrics).toEqual([[{ name: 'WatchExecutionsStarted', unit: 'Count', value: 1 }]]);
    expect(kept).toEqual([]);
  });

  test('GIVEN a task already watched THEN nothing starts and ALREADY_WATCHING is counted', async () => {
    const { start, metrics } = recordingHandler({ startExecution: alreadyExists });

    const outcome = await start(watchRequest('t-0123456789'));

    expect(outcome).toEqual({ outcome: 'already-watching', taskId: 't-0123456789', executionName: 't-0123456789' });
    expect(metrics).toEqual([notStarted('ALREADY_WATCHING')]);
  });

  test.each([
    ['a call that does not start an import', cloudTrail({ eventName: 'GetImportTask' })],
    [
      'a call that failed',
      cloudTrail({ eventName: 'StartImportTask', errorCode: 'AccessDenied', responseElements: null }),
    ],
    ['another detail-type', { 'detail-type': 'Something Else', detail: {} }],
  ])('GIVEN %s THEN nothing starts, IGNORED is counted, and nothing is kept', async (_, event) => {
    const startExecution = jest.fn<ReturnType<ExecutionStarter>, Parameters<ExecutionStarter>>();
    const { start, metrics, kept } = recordingHandler({ startExecution });

    const outcome = await start(event);

    expect(outcome.outcome).toBe('ignored');
    expect(metrics).toEqual([notStarted('IGNORED')]);
    expect(kept).toEqual([]);
    expect(startExecution).not.toHaveBeenCalled();
  });

  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['a watch request with a malformed id', watchRequest('t-TOO-SHORT')],
    ['a successful call without a task id', cloudTrail({ eventName: 'StartImportTask', responseElements: {} })],
    [
      'a successful call naming two tasks',
      cloudTrail({
        eventName: 'StartImportTask',
        responseElements: { taskId: 't-aaaaaaaaaa', importTask: { taskId: 't-bbbbbbbbbb' } },
      }),
    ],
  ])(
    'GIVEN %s THEN nothing starts, MALFORMED is counted once, and the event is kept once with the reason',
    async (_, event) => {
      const startExecution = jest.fn<ReturnType<ExecutionStarter>, Parameters<ExecutionStarter>>();
      const { start, metrics, kept } = recordingHandler({ startExecution });

      const outcome = await start(event);

      expect(outcome).toEqual({ outcome: 'malformed', reason: expect.stringContaining('no watch started') });
      expect(metrics).toEqual([notStarted('MALFORMED')]);
      expect(kept).toEqual([{ event, reason: outcome.outcome === 'malformed' ? outcome.reason : '' }]);
      expect(startExecution).not.toHaveBeenCalled();
    },
  );

  test('GIVEN a wrapped CloudTrail answer THEN the execution input names the task and graph read from the wrapper', async () => {
    const startExecution = jest.fn<ReturnType<ExecutionStarter>, Parameters<ExecutionStarter>>(() =>
      Promise.resolve({}),
    );
    const { start } = recordingHandler({ startExecution });

    await start(
      cloudTrail({
        eventName: 'CreateGraphUsingImportTask',
        responseElements: { graph: { id: 'g-abcdefghij' }, importTask: { taskId: 't-0123456789' } },
      }),
    );

    expect(startExecution).toHaveBeenCalledWith(
      't-0123456789',
      JSON.stringify({ taskId: 't-0123456789', graphId: 'g-abcdefghij', trigger: 'api-call' }),
    );
  });
});

describe('start handler failures', () => {
  test('fails when Step Functions refuses for another reason: the error is thrown for Lambda to retry and keep', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { start, metrics } = recordingHandler({ startExecution: () => Promise.reject(throttled) });

    await expect(start(watchRequest('t-0123456789'))).rejects.toBe(throttled);
    expect(metrics).toEqual([]);
  });

  test('fails with MalformedTriggerError when no keeper is given: Lambda retries, then its dead-letter queue keeps the event', async () => {
    const { start, metrics } = recordingHandler({ keepMalformedTrigger: null });

    const thrown = start(null);

    await expect(thrown).rejects.toThrow(MalformedTriggerError);
    await expect(thrown).rejects.toMatchObject({ name: 'MalformedTriggerError', message: /not an object/ });
    expect(metrics).toEqual([notStarted('MALFORMED')]);
  });

  test('fails with MalformedTriggerError, the cause attached, when the keeper fails', async () => {
    const refused = Object.assign(new Error('Access denied'), { name: 'AccessDenied' });
    const { start } = recordingHandler({ keepMalformedTrigger: () => Promise.reject(refused) });

    const thrown = start(watchRequest('t-TOO-SHORT'));

    await expect(thrown).rejects.toThrow(MalformedTriggerError);
    await expect(thrown).rejects.toMatchObject({ cause: refused, message: /keeping the trigger failed: AccessDenied/ });
  });
});
