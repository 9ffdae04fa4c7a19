/**
 * The bundles that deploy (assets/lambda/<name>/index.mjs, built by `npm run build:handlers`),
 * loaded by Node.js as Lambda loads them, in a process of their own, their SDK clients pointed at
 * loopback stand-ins by the `AWS_ENDPOINT_URL_*` variables: the sweep bundle sweeping, and the
 * start bundle asking for a sweep.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeBundle, type BundleInvocation } from '../../support/bundle-invocation';
import { simpleTimeline } from '../../../local/import-timeline';
import { NeptuneGraphStandIn } from '../../../local/neptune-graph-standin';
import { STATE_MACHINE_ARN, TaskTokenStandIn, type LoopbackServer } from './sweep-standins';
import { startLocalWatchTable, type LocalWatchTableServer } from '../../../local/local-environment';

const TABLE = 'watch-table';
const GRAPH = 'g-aaaaaaaaaa';

/** A bundle, told the state machine's ARN as the construct tells it. */
const invoke = (name: 'sweep' | 'start', event: unknown, env: Record<string, string>): Promise<BundleInvocation> =>
  invokeBundle(name, event, { STATE_MACHINE_ARN, ...env });

describe('the deployed sweep bundle', () => {
  let watchTable: LocalWatchTableServer;
  let neptune: NeptuneGraphStandIn;
  let stepFunctions: TaskTokenStandIn;
  let stepFunctionsServer: LoopbackServer;
  let dynamoDb: DynamoDBClient;
  let env: Record<string, string>;

  beforeEach(async () => {
    watchTable = await startLocalWatchTable(TABLE);
    neptune = new NeptuneGraphStandIn();
    stepFunctions = new TaskTokenStandIn();
    stepFunctionsServer = await stepFunctions.start();
    dynamoDb = watchTable.client;
    env = {
      WATCH_TABLE_NAME: TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: watchTable.endpoint,
      AWS_ENDPOINT_URL_NEPTUNE_GRAPH: await neptune.start(),
      AWS_ENDPOINT_URL_SFN: stepFunctionsServer.endpoint,
      // No grace for triggers: the unwatched task is discovered by the one sweep each test runs.
      DISCOVERY_GRACE_SECONDS: '0',
    };
  });

  afterEach(async () => {
    await Promise.all([watchTable.stop(), neptune.stop(), stepFunctionsServer.stop()]);
  });

  /** Writes the item of a watch parked on `taskId` with `token`, as the park task does, and lets Step Functions wait on the token. */
  const parkedWatch = async (taskId: string, token: string): Promise<void> => {
    await dynamoDb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          taskId: { S: taskId },
          status: { S: 'IMPORTING' },
          token: { S: token },
          executionName: { S: taskId },
        },
      }),
    );
    stepFunctions.waitingTokens.add(token);
  };

  test('GIVEN a scheduled event THEN it wakes a parked watch and one of a task not listed, starts one for an unwatched task, and publishes what an alarm watches', async () => {
    const parked = neptune.addTask({ graphId: GRAPH, timeline: simpleTimeline(60), startedAt: Date.now() - 3_600_000 });
    const unwatched = neptune.addTask({ graphId: GRAPH, timeline: simpleTimeline(3600) });
    await parkedWatch(parked.taskId, 'token-1');
    await parkedWatch('t-0000vanish', 'token-2');

    const { result, error, metrics } = await invoke(
      'sweep',
      { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} },
      env,
    );

    expect(error).toBeUndefined();
    expect(result).toEqual({
      pagesRead: 1,
      truncated: false,
      tasksListed: 2,
      woken: 1,
      staleTokens: 0,
      discovered: 1,
      unlisted: 1,
      endChecks: 0,
      endedBeforeDeployment: 0,
      endChecksDeferred: 0,
      wakesDeferred: 0,
      failures: 0,
      itemsRead: 2,
      parkedChecked: true,
      unreadSeconds: 0,
    });
    expect(stepFunctions.callsOf('SendTaskSuccess').map((call) => call.body.taskToken)).toEqual(['token-1', 'token-2']);
    expect(stepFunctions.callsOf('StartExecution').map((call) => call.body.name)).toEqual([unwatched.taskId]);
    expect(neptune.listRequests()).toHaveLength(1);
    const published = Object.assign({}, ...metrics) as Record<string, unknown>;
    expect(published).toMatchObject({ service: 'poller-under-test', WatchedTasksUnlisted: 1 });
    for (const quiet of ['SweepRuns', 'SweepPagesRead', 'WatchesWoken', 'TasksDiscovered', 'SweepTaskFailures']) {
      expect(published).not.toHaveProperty(quiet);
    }
    expect(JSON.stringify(metrics)).toContain('"Namespace":"NeptuneImportPoller"');
  });

  test('GIVEN a listing without a list of tasks THEN the invocation fails with UnusableListingError, and publishes no metric', async () => {
    await parkedWatch('t-0000000001', 'token-1');
    neptune.injectListFaults({ kind: 'raw', body: '{"tasks":"none"}' });

    const { error, metrics } = await invoke('sweep', { 'detail-type': 'Scheduled Event', detail: {} }, env);

    expect(error).toEqual({ name: 'UnusableListingError', message: expect.stringContaining('tasks is "none"') });
    expect(stepFunctions.calls).toEqual([]);
    expect(metrics).toEqual([]);
  });

  test('GIVEN a setting the construct does not write THEN every invocation fails with InvalidSweepSettingsError', async () => {
    const { error } = await invoke('sweep', {}, { ...env, DISCOVERY: 'sometimes' });

    expect(error).toEqual({ name: 'InvalidSweepSettingsError', message: expect.stringContaining('"sometimes"') });
    expect(neptune.listRequests()).toEqual([]);
  });
});

describe('the deployed start bundle with a sweep function', () => {
  test('GIVEN a record that names its graph and no task THEN it invokes the sweep function as an event and counts NO_TASK_ID', async () => {
    const invocations: Array<{ path: string; invocationType: unknown; body: unknown }> = [];
    const lambda = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        invocations.push({
          path: req.url ?? '',
          invocationType: req.headers['x-amz-invocation-type'],
          body: JSON.parse(text),
        });
        res.writeHead(202);
        res.end();
      });
    });
    await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
    let invocation: BundleInvocation;
    try {
      invocation = await invoke(
        'start',
        {
          id: 'ct-1',
          'detail-type': 'AWS API Call via CloudTrail',
          detail: { eventName: 'StartImportTask', requestParameters: { graphIdentifier: GRAPH } },
        },
        {
          SWEEP_FUNCTION_NAME: 'poller-sweep',
          AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
        },
      );
    } finally {
      lambda.closeAllConnections();
      await new Promise<void>((resolve) => lambda.close(() => resolve()));
    }

    expect(invocation.error).toBeUndefined();
    expect(invocation.result).toMatchObject({ outcome: 'sweep-requested', graphId: GRAPH });
    expect(invocations).toEqual([
      {
        path: '/2015-03-31/functions/poller-sweep/invocations',
        invocationType: 'Event',
        body: { graphId: GRAPH, reason: 'api-call-without-task-id' },
      },
    ]);
    expect(invocation.metrics.filter((doc) => 'TriggersNotStartedByReason' in doc).map((doc) => doc.Reason)).toEqual([
      'NO_TASK_ID',
    ]);
  });
});
