/**
 * The sweep's SDK factories against loopback servers: what they send and how they read the answers.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createDynamoDbClient,
  itemCreator,
  UnprocessedWatchItemsError,
  watchItemReader,
} from '../../../lambda/sweep/aws-clients';
import { createWatchTable, LOCAL_CLIENT_CONFIG, startDynalite } from './sweep-standins';

interface BatchGetRequest {
  readonly RequestItems: Record<string, { Keys: Array<{ taskId: { S: string } }>; ConsistentRead?: boolean }>;
}

/** A DynamoDB that answers `BatchGetItem` for table `watches` and leaves keys unprocessed as `unprocessed` says. */
async function batchGetStandIn(unprocessed: (call: number, keys: string[]) => string[]) {
  const requests: BatchGetRequest[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const request = JSON.parse(text) as BatchGetRequest;
      requests.push(request);
      const keys = request.RequestItems.watches.Keys.map((key) => key.taskId.S);
      const left = unprocessed(requests.length, keys);
      const answered = keys.filter((key) => !left.includes(key));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          Responses: { watches: answered.map((taskId) => ({ taskId: { S: taskId }, status: { S: 'IMPORTING' } })) },
          UnprocessedKeys:
            left.length === 0 ? {} : { watches: { Keys: left.map((taskId) => ({ taskId: { S: taskId } })) } },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createDynamoDbClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  return {
    client,
    requests,
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('watchItemReader', () => {
  test('GIVEN keys left unprocessed THEN they alone are asked for again, after a growing wait, and every item is read', async () => {
    const standIn = await batchGetStandIn((call, keys) =>
      call === 1 ? keys.slice(1) : call === 2 ? keys.slice(1) : [],
    );
    const waits: number[] = [];
    try {
      const read = watchItemReader(standIn.client, 'watches', {
        maxAttempts: 4,
        baseDelayMs: 5,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      });

      const items = await read(['t-0000000001', 't-0000000002', 't-0000000003']);

      expect(items.map((item) => item.taskId).sort()).toEqual(['t-0000000001', 't-0000000002', 't-0000000003']);
      expect(standIn.requests.map((request) => request.RequestItems.watches.Keys.length)).toEqual([3, 2, 1]);
      expect(standIn.requests.every((request) => request.RequestItems.watches.ConsistentRead === true)).toBe(true);
      expect(waits).toEqual([5, 10]);
    } finally {
      await standIn.stop();
    }
  });

  test('fails with UnprocessedWatchItemsError when keys are still left after every attempt', async () => {
    const standIn = await batchGetStandIn((_, keys) => keys);
    const waits: number[] = [];
    try {
      const read = watchItemReader(standIn.client, 'watches', {
        maxAttempts: 3,
        baseDelayMs: 5,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      });

      await expect(read(['t-0000000001', 't-0000000002'])).rejects.toThrow(
        new UnprocessedWatchItemsError('BatchGetItem left 2 of 2 keys of watches unprocessed after 3 attempts'),
      );
      expect(standIn.requests).toHaveLength(3);
      expect(waits).toEqual([5, 10]);
    } finally {
      await standIn.stop();
    }
  });
});

describe('itemCreator and watchItemReader against dynalite', () => {
  test('an item is written once: a second write of the same key leaves the first', async () => {
    const dynalite = await startDynalite();
    const client = createDynamoDbClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    try {
      await createWatchTable(client, 'watches');
      const create = itemCreator(client, 'watches');

      expect(await create({ taskId: 't-0000000001', status: 'IMPORTING' })).toBe(true);
      expect(await create({ taskId: 't-0000000001', status: 'SUCCEEDED' })).toBe(false);

      const items = await watchItemReader(client, 'watches')(['t-0000000001', 't-0000000002']);
      expect(items).toEqual([{ taskId: 't-0000000001', status: 'IMPORTING' }]);
    } finally {
      client.destroy();
      await dynalite.stop();
    }
  });
});
