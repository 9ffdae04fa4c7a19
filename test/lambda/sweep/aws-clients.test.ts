/**
 * The sweep's SDK factories: what they send and how they read the answers, on SDK client mocks,
 * against dynalite for the watch table's conditions and index, and against the Neptune Analytics
 * stand-in.
 */
import {
  BatchGetItemCommand,
  PutItemCommand,
  ScanCommand,
  type BatchGetItemCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createDynamoDbClient,
  createSweepNeptuneGraphClient,
  deploymentTimeReader,
  importTaskEndReader,
  itemCreator,
  parkedWatchScanner,
  staleTokenClearer,
  UnprocessedWatchItemsError,
  watchItemReader,
} from '../../../lambda/sweep/aws-clients';
import { simpleTimeline, timelineSeconds } from '../../../local/import-timeline';
import { NeptuneGraphStandIn } from '../../../local/neptune-graph-standin';
import { answerAsEnded, LOCAL_CLIENT_CONFIG } from './sweep-standins';
import { startLocalWatchTable, type LocalWatchTableServer } from '../../../local/local-environment';

/**
 * A reader of table `watches` that makes up to `maxAttempts` requests, 5 ms apart at first, its
 * waits recorded, through a client whose `BatchGetItem` leaves keys unprocessed as `unprocessed` says.
 */
function batchGetReader(maxAttempts: number, unprocessed: (call: number, keys: string[]) => string[]) {
  const requests: BatchGetItemCommandInput[] = [];
  const client = createDynamoDbClient({ region: 'us-east-1' });
  mockClient(client)
    .on(BatchGetItemCommand)
    .callsFake((request: BatchGetItemCommandInput) => {
      requests.push(request);
      const keys = request.RequestItems!.watches.Keys!.map((key) => key.taskId.S!);
      const left = unprocessed(requests.length, keys);
      const answered = keys.filter((key) => !left.includes(key));
      return {
        Responses: { watches: answered.map((taskId) => ({ taskId: { S: taskId }, status: { S: 'IMPORTING' } })) },
        UnprocessedKeys:
          left.length === 0 ? {} : { watches: { Keys: left.map((taskId) => ({ taskId: { S: taskId } })) } },
      };
    });
  const waits: number[] = [];
  const read = watchItemReader(client, 'watches', {
    maxAttempts,
    baseDelayMs: 5,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  return { read, requests, waits };
}

describe('watchItemReader', () => {
  test('GIVEN keys left unprocessed THEN they alone are asked for again, after a growing wait, and every item is read', async () => {
    const { read, requests, waits } = batchGetReader(4, (call, keys) => (call <= 2 ? keys.slice(1) : []));

    const items = await read(['t-0000000001', 't-0000000002', 't-0000000003']);

    expect(items.map((item) => item.taskId).sort()).toEqual(['t-0000000001', 't-0000000002', 't-0000000003']);
    expect(requests.map((request) => request.RequestItems!.watches.Keys!.length)).toEqual([3, 2, 1]);
    expect(requests.every((request) => request.RequestItems!.watches.ConsistentRead === true)).toBe(true);
    expect(waits).toEqual([5, 10]);
  });

  test('fails with UnprocessedWatchItemsError when keys are still left after every attempt', async () => {
    const { read, requests, waits } = batchGetReader(3, (_, keys) => keys);

    await expect(read(['t-0000000001', 't-0000000002'])).rejects.toThrow(
      new UnprocessedWatchItemsError('BatchGetItem left 2 of 2 keys of watches unprocessed after 3 attempts'),
    );
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([5, 10]);
  });
});

describe('the watch table against dynalite', () => {
  let watchTable: LocalWatchTableServer;
  let client: DynamoDBClient;
  let createdBetween: [number, number];

  beforeEach(async () => {
    const before = Date.now();
    watchTable = await startLocalWatchTable('watches');
    createdBetween = [before, Date.now()];
    client = watchTable.client;
  });

  afterEach(async () => {
    await watchTable.stop();
  });

  /** An item as the park task writes it. */
  const park = (taskId: string, token: string, status = 'IMPORTING') =>
    client.send(
      new PutItemCommand({
        TableName: 'watches',
        Item: { taskId: { S: taskId }, status: { S: status }, token: { S: token }, executionName: { S: taskId } },
      }),
    );
  const read = (...taskIds: string[]) => watchItemReader(client, 'watches')(taskIds);

  test('an item is written once: a second write of the same key leaves the first', async () => {
    const create = itemCreator(client, 'watches');

    expect(await create({ taskId: 't-0000000001', status: 'IMPORTING' })).toBe(true);
    expect(await create({ taskId: 't-0000000001', status: 'SUCCEEDED' })).toBe(false);

    expect(await read('t-0000000001', 't-0000000002')).toEqual([{ taskId: 't-0000000001', status: 'IMPORTING' }]);
  });

  test('the index of parked watches holds the parked items alone, with their token and status', async () => {
    await park('t-0000000001', 'token-1');
    await park('t-0000000002', 'token-2', 'UNKNOWN');
    await itemCreator(client, 'watches')({ taskId: 't-0000000003', status: 'SUCCEEDED' });

    const parked = await parkedWatchScanner(client, 'watches')();

    expect([...parked].sort((a, b) => a.taskId.localeCompare(b.taskId))).toEqual([
      { taskId: 't-0000000001', status: 'IMPORTING', token: 'token-1', executionName: 't-0000000001' },
      { taskId: 't-0000000002', status: 'UNKNOWN', token: 'token-2', executionName: 't-0000000002' },
    ]);
  });

  test('a stale token removed takes the execution name with it: the item leaves the index, with the listed status', async () => {
    await park('t-0000000001', 'token-1');
    await park('t-0000000002', 'token-2');
    const clear = staleTokenClearer(client, 'watches');

    expect(await clear('t-0000000001', 'token-1', 'SUCCEEDED')).toBe(true);
    expect(await clear('t-0000000002', 'token-2')).toBe(true);

    expect(await read('t-0000000001', 't-0000000002')).toEqual(
      expect.arrayContaining([
        { taskId: 't-0000000001', status: 'SUCCEEDED' },
        { taskId: 't-0000000002', status: 'IMPORTING' },
      ]),
    );
    expect(await parkedWatchScanner(client, 'watches')()).toEqual([]);
  });

  test('a token replaced meanwhile is not removed: the watch parked again', async () => {
    await park('t-0000000001', 'token-new');

    expect(await staleTokenClearer(client, 'watches')('t-0000000001', 'token-old', 'SUCCEEDED')).toBe(false);

    expect(await read('t-0000000001')).toEqual([
      { taskId: 't-0000000001', status: 'IMPORTING', token: 'token-new', executionName: 't-0000000001' },
    ]);
  });

  test("the deployment time is the table's creation time", async () => {
    const deployedAt = await deploymentTimeReader(client, 'watches')();

    // DynamoDB gives the time to the millisecond, as a fraction of seconds.
    expect(deployedAt).toBeGreaterThanOrEqual(createdBetween[0] - 1);
    expect(deployedAt).toBeLessThanOrEqual(createdBetween[1] + 1);
  });
});

describe('parkedWatchScanner', () => {
  test('GIVEN an index read in pages THEN every page is read, each from where the last stopped', async () => {
    const pages = [
      { Items: [{ taskId: { S: 't-0000000001' }, token: { S: 'a' } }], LastEvaluatedKey: { taskId: { S: 't-1' } } },
      { Items: [{ taskId: { S: 't-0000000002' }, token: { S: 'b' } }], LastEvaluatedKey: { taskId: { S: 't-2' } } },
      { Items: [{ taskId: { S: 't-0000000003' }, token: { S: 'c' } }] },
    ];
    const client = createDynamoDbClient({ region: 'us-east-1' });
    const dynamoDb = mockClient(client);
    dynamoDb.on(ScanCommand).resolvesOnce(pages[0]).resolvesOnce(pages[1]).resolvesOnce(pages[2]);

    const parked = await parkedWatchScanner(client, 'watches')();

    expect(parked.map((item) => item.token)).toEqual(['a', 'b', 'c']);
    expect(dynamoDb.commandCalls(ScanCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'watches', IndexName: 'ParkedWatches' },
      { TableName: 'watches', IndexName: 'ParkedWatches', ExclusiveStartKey: { taskId: { S: 't-1' } } },
      { TableName: 'watches', IndexName: 'ParkedWatches', ExclusiveStartKey: { taskId: { S: 't-2' } } },
    ]);
  });
});

describe('importTaskEndReader against the Neptune Analytics stand-in', () => {
  let standIn: NeptuneGraphStandIn;
  let read: (taskId: string) => Promise<number | undefined>;
  let destroy: () => void;

  beforeEach(async () => {
    standIn = new NeptuneGraphStandIn();
    const client = createSweepNeptuneGraphClient({ ...LOCAL_CLIENT_CONFIG, endpoint: await standIn.start() });
    read = importTaskEndReader(client);
    destroy = () => client.destroy();
  });

  afterEach(async () => {
    destroy();
    await standIn.stop();
  });

  test('GIVEN a task that ended a day ago THEN its start plus the seconds it ran, to the second', async () => {
    const startedAt = Date.now() - 86_400_000;
    const task = standIn.addTask({ timeline: simpleTimeline(5400), startedAt });
    answerAsEnded(standIn, task);

    expect(await read(task.taskId)).toBe(Math.floor(startedAt / 1000) * 1000 + timelineSeconds(task.timeline) * 1000);
  });

  test('GIVEN a task not found THEN the end is unknown, and its watch will say what became of it', async () => {
    expect(await read('t-0000000404')).toBeUndefined();
  });

  test('GIVEN details without a start time THEN the end is unknown', async () => {
    const task = standIn.addTask({ timeline: simpleTimeline(60), startedAt: Date.now() - 3_600_000 });
    standIn.injectFaults(task.taskId, {
      kind: 'edit',
      edit: (answer) => ({ ...answer, importTaskDetails: { status: 'SUCCEEDED', timeElapsedSeconds: 60 } }),
    });

    expect(await read(task.taskId)).toBeUndefined();
  });

  test('fails when the service refuses: the task is left for the next sweep', async () => {
    const task = standIn.addTask({ timeline: simpleTimeline(60), startedAt: Date.now() - 3_600_000 });
    standIn.injectFaults(task.taskId, { kind: 'error', status: 403, errorType: 'AccessDeniedException' });

    await expect(read(task.taskId)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
