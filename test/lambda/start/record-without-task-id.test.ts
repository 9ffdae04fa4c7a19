/**
 * CloudTrail records of successful import-starting calls from which no task id can be read: with
 * a sweep function, a record that names its graph asks for a sweep of that graph; without one,
 * it is malformed as before. Every such record is counted.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { MetricDatum } from '../../../lambda/shared/metric-datum';
import { createLambdaClient, sweepInvocation, sweepRequester } from '../../../lambda/start/aws-clients';
import {
  createStartHandler,
  MalformedTriggerError,
  type ExecutionStarter,
  type SweepRequester,
} from '../../../lambda/start/start-handler';
import { watchRequestFromEvent } from '../../../lambda/start/watch-request-from-event';

const TASK = 't-0123456789';
const GRAPH = 'g-abcdefghij';

const cloudTrail = (eventName: string, detail: Record<string, unknown>) => ({
  id: 'ct-1',
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventSource: 'neptune-graph.amazonaws.com', eventName, ...detail },
});

/** Shaped like the published CreateGraphUsingImportTask sample: the answer under wrappers. */
const createGraphRecord = (responseElements: unknown) =>
  cloudTrail('CreateGraphUsingImportTask', {
    requestParameters: { graphName: 'my-graph', source: 's3://bucket/data/', format: 'CSV' },
    responseElements,
  });

const notStarted = (reason: string): MetricDatum[] => [
  { name: 'TriggersNotStarted', unit: 'Count', value: 1 },
  { name: 'TriggersNotStartedByReason', unit: 'Count', value: 1, dimension: { name: 'Reason', value: reason } },
];

/** A start handler whose executions, sweep requests and metrics are recorded. */
function recordingHandler(options: { sweep?: boolean; requestSweep?: SweepRequester } = {}) {
  const started: string[] = [];
  const sweeps: string[] = [];
  const metrics: MetricDatum[][] = [];
  const startExecution: ExecutionStarter = (name) => {
    started.push(name);
    return Promise.resolve({ executionArn: `arn:aws:states:us-east-1:123456789012:execution:sm:${name}` });
  };
  const requestSweep =
    options.requestSweep ??
    ((graphId: string) => {
      sweeps.push(graphId);
      return Promise.resolve();
    });
  const start = createStartHandler({
    startExecution,
    describeExecution: () => Promise.resolve({ status: 'RUNNING' }),
    readHistory: () => Promise.resolve([]),
    logger: new Logger({ logLevel: 'SILENT' }),
    publishMetrics: (data) => metrics.push([...data]),
    ...(options.sweep === false ? {} : { requestSweep }),
  });
  return { start, started, sweeps, metrics };
}

describe('CloudTrail records with a sweep function', () => {
  test('GIVEN the published CreateGraph shape with the task under importTask THEN the watch starts, no sweep', async () => {
    const { start, started, sweeps } = recordingHandler();

    const outcome = await start(createGraphRecord({ importTask: { taskId: TASK, graphId: GRAPH } }));

    expect(outcome).toMatchObject({ outcome: 'started', taskId: TASK });
    expect(started).toEqual([TASK]);
    expect(sweeps).toEqual([]);
  });

  test('GIVEN the API shape (a flat taskId) THEN the watch starts, no sweep', async () => {
    const { start, started, sweeps } = recordingHandler();

    const outcome = await start(cloudTrail('StartImportTask', { responseElements: { taskId: TASK, graphId: GRAPH } }));

    expect(outcome).toMatchObject({ outcome: 'started', taskId: TASK });
    expect(started).toEqual([TASK]);
    expect(sweeps).toEqual([]);
  });

  test('GIVEN a CreateGraph record whose answer names only the graph THEN a sweep of that graph is asked for and counted as NO_TASK_ID', async () => {
    const { start, started, sweeps, metrics } = recordingHandler();

    const outcome = await start(createGraphRecord({ graph: { id: GRAPH, name: 'my-graph', status: 'CREATING' } }));

    expect(outcome).toEqual({
      outcome: 'sweep-requested',
      graphId: GRAPH,
      reason: expect.stringContaining('holds no task id in responseElements'),
    });
    expect(sweeps).toEqual([GRAPH]);
    expect(started).toEqual([]);
    expect(metrics).toEqual([notStarted('NO_TASK_ID')]);
  });

  test.each([
    ['no responseElements', undefined],
    ['null responseElements', null],
    ['responseElements without ids', { status: 'INITIALIZING' }],
  ])(
    'GIVEN a StartImportTask record with %s and only requestParameters.graphIdentifier THEN that graph is swept',
    async (_, responseElements) => {
      const { start, sweeps, metrics } = recordingHandler();

      const outcome = await start(
        cloudTrail('StartImportTask', { requestParameters: { graphIdentifier: GRAPH }, responseElements }),
      );

      expect(outcome).toMatchObject({ outcome: 'sweep-requested', graphId: GRAPH });
      expect(sweeps).toEqual([GRAPH]);
      expect(metrics).toEqual([notStarted('NO_TASK_ID')]);
    },
  );

  test('GIVEN a record that names neither task nor graph THEN it is malformed, counted as MALFORMED, and no sweep is asked for', async () => {
    const { start, sweeps, metrics } = recordingHandler();

    await expect(start(cloudTrail('StartImportTask', { responseElements: {} }))).rejects.toThrow(MalformedTriggerError);

    expect(sweeps).toEqual([]);
    expect(metrics).toEqual([notStarted('MALFORMED')]);
  });

  test('GIVEN a record with two different task ids THEN it is malformed: a sweep would hide a record a person must read', async () => {
    const { start, sweeps } = recordingHandler();

    await expect(
      start(
        cloudTrail('StartImportTask', {
          requestParameters: { graphIdentifier: GRAPH },
          responseElements: { taskId: 't-aaaaaaaaaa', importTask: { taskId: 't-bbbbbbbbbb' } },
        }),
      ),
    ).rejects.toThrow(MalformedTriggerError);
    expect(sweeps).toEqual([]);
  });

  test('GIVEN a failed call without a task id THEN it is ignored, not swept', async () => {
    const { start, sweeps } = recordingHandler();

    const outcome = await start(
      cloudTrail('StartImportTask', {
        errorCode: 'ValidationException',
        requestParameters: { graphIdentifier: GRAPH },
      }),
    );

    expect(outcome).toMatchObject({ outcome: 'ignored' });
    expect(sweeps).toEqual([]);
  });

  test('fails when the sweep cannot be asked for: the error is thrown for Lambda to retry, and nothing is counted', async () => {
    const refusal = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const { start, metrics } = recordingHandler({ requestSweep: () => Promise.reject(refusal) });

    await expect(start(createGraphRecord({ graph: { id: GRAPH } }))).rejects.toBe(refusal);
    expect(metrics).toEqual([]);
  });
});

describe('CloudTrail records without a sweep function', () => {
  test('GIVEN a record that names only its graph THEN it is malformed exactly as before, with the same reason', async () => {
    const { start, sweeps, metrics } = recordingHandler({ sweep: false });
    const record = createGraphRecord({ graph: { id: GRAPH } });
    const before = watchRequestFromEvent(record);

    const thrown = await start(record).catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(MalformedTriggerError);
    expect(before.kind).toBe('malformed');
    expect((thrown as Error).message).toBe(before.kind === 'malformed' ? before.reason : '');
    expect(sweeps).toEqual([]);
    expect(metrics).toEqual([notStarted('MALFORMED')]);
  });
});

describe('watchRequestFromEvent with sweepGraphWithoutTaskId', () => {
  test('a record naming only its graph asks for a sweep, with the reason it would be malformed for', () => {
    const record = createGraphRecord({ graph: { id: GRAPH } });
    const malformed = watchRequestFromEvent(record);

    expect(watchRequestFromEvent(record, { sweepGraphWithoutTaskId: true })).toEqual({
      kind: 'sweep-graph',
      graphId: GRAPH,
      reason: malformed.kind === 'malformed' ? malformed.reason : 'not malformed',
    });
  });

  test('a record with a task id is a watch whatever the option', () => {
    const record = createGraphRecord({ importTask: { taskId: TASK }, graph: { id: GRAPH } });
    expect(watchRequestFromEvent(record, { sweepGraphWithoutTaskId: true })).toEqual(watchRequestFromEvent(record));
  });
});

describe('sweepRequester', () => {
  test('the invocation is asynchronous and carries the graph and why', () => {
    expect(sweepInvocation('sweep-fn', GRAPH)).toEqual({
      FunctionName: 'sweep-fn',
      InvocationType: 'Event',
      Payload: JSON.stringify({ graphId: GRAPH, reason: 'api-call-without-task-id' }),
    });
  });

  test('GIVEN a record that names only its graph THEN the start handler invokes the sweep function once, as an event', async () => {
    const client = createLambdaClient({ region: 'us-east-1' });
    const lambda = mockClient(client);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const { start } = recordingHandler({ requestSweep: sweepRequester(client, 'poller-sweep') });

    const outcome = await start(cloudTrail('StartImportTask', { requestParameters: { graphIdentifier: GRAPH } }));

    expect(outcome).toMatchObject({ outcome: 'sweep-requested', graphId: GRAPH });
    expect(lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input)).toEqual([
      sweepInvocation('poller-sweep', GRAPH),
    ]);
  });
});
