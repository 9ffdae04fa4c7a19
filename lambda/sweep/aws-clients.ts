/**
 * The sweep's I/O over the AWS SDK: `ListImportTasks`, the watch table through the low-level
 * DynamoDB client, and `SendTaskSuccess`. Each factory takes a client, so that tests and local
 * runs point them at stand-ins.
 */
import {
  BatchGetItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  ListImportTasksCommand,
  type NeptuneGraphClient,
  type NeptuneGraphClientConfig,
} from '@aws-sdk/client-neptune-graph';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Logger } from '@aws-lambda-powertools/logger';
import { WATCH_TABLE_ATTRIBUTES as A } from '../../lib/sweep-contract';
import { summarizeError } from '../poll/classify-error';
import { createNeptuneGraphClient } from '../poll/fetch-import-task';
import { REQUEST_HANDLER_OPTIONS } from '../shared/request-handler';
import { executionDescriber, executionStarter } from '../start/aws-clients';
import { discoveredWatchStarter } from './discovered-watch';
import type { ListedImportTask, WatchItem } from './plan-sweep-page';
import type {
  ImportTaskLister,
  ItemCreator,
  StaleTokenClearer,
  SweepHandlerDependencies,
  TaskSuccessSender,
  WatchItemReader,
} from './sweep-handler';

/** Tasks asked for per `ListImportTasks` page: the most the service gives. */
export const LIST_PAGE_SIZE = 100;

/** Attempts of each sweep call: the SDK's standard retries, unlike the poll function's single attempt. */
export const SWEEP_MAX_ATTEMPTS = 3;

/** A read of the table that left keys unprocessed after all its attempts. */
export class UnprocessedWatchItemsError extends Error {
  override readonly name = 'UnprocessedWatchItemsError';
}

/** How often, and after how long, keys `BatchGetItem` left unprocessed are asked for again. */
export interface UnprocessedKeysRetry {
  /** Requests in all, the first included. */
  readonly maxAttempts: number;
  /** Milliseconds before the second request; each further one waits twice as long. */
  readonly baseDelayMs: number;
  /** Waits `ms` milliseconds. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * DynamoDB asks for unprocessed keys to be sent again after a backoff. The waits are short (at
 * most a few hundred milliseconds) and happen within one sweep, which has no state machine to
 * hold them.
 */
export const UNPROCESSED_KEYS_RETRY: UnprocessedKeysRetry = { maxAttempts: 4, baseDelayMs: 50 };

/** A Neptune Analytics client for the sweep: standard retries, the functions' shared timeouts. */
export function createSweepNeptuneGraphClient(overrides: NeptuneGraphClientConfig = {}): NeptuneGraphClient {
  return createNeptuneGraphClient({ maxAttempts: SWEEP_MAX_ATTEMPTS, ...overrides });
}

/** A low-level DynamoDB client with the functions' shared timeouts. */
export function createDynamoDbClient(overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ maxAttempts: SWEEP_MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}

/** Reads pages of `ListImportTasks` with `client`; entries without a task id or status are left out. */
export function importTaskLister(client: NeptuneGraphClient): ImportTaskLister {
  return async (nextToken) => {
    const answer = await client.send(
      new ListImportTasksCommand({ maxResults: LIST_PAGE_SIZE, ...(nextToken === undefined ? {} : { nextToken }) }),
    );
    const tasks: ListedImportTask[] = [];
    for (const task of answer.tasks ?? []) {
      if (typeof task.taskId !== 'string' || typeof task.status !== 'string') continue;
      tasks.push({
        taskId: task.taskId,
        status: task.status,
        ...(typeof task.graphId === 'string' ? { graphId: task.graphId } : {}),
      });
    }
    return { tasks, ...(answer.nextToken ? { nextToken: answer.nextToken } : {}) };
  };
}

const text = (value: AttributeValue | undefined): string | undefined => value?.S;

function watchItemOf(item: Record<string, AttributeValue>): WatchItem | undefined {
  const taskId = text(item[A.taskId]);
  if (taskId === undefined) return undefined;
  const status = text(item[A.status]);
  const token = text(item[A.token]);
  const executionName = text(item[A.executionName]);
  return {
    taskId,
    ...(status === undefined ? {} : { status }),
    ...(token === undefined ? {} : { token }),
    ...(executionName === undefined ? {} : { executionName }),
  };
}

const timer = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads items of `tableName` with one strongly consistent `BatchGetItem` (at most 100 keys),
 * asking again, after a backoff, for the keys DynamoDB left unprocessed; throws
 * {@link UnprocessedWatchItemsError} when some are still left after `retry.maxAttempts`.
 */
export function watchItemReader(
  client: DynamoDBClient,
  tableName: string,
  retry: UnprocessedKeysRetry = UNPROCESSED_KEYS_RETRY,
): WatchItemReader {
  const sleep = retry.sleep ?? timer;
  return async (taskIds) => {
    const items: WatchItem[] = [];
    let keys: Record<string, AttributeValue>[] = taskIds.map((taskId) => ({ [A.taskId]: { S: taskId } }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt >= retry.maxAttempts) {
        throw new UnprocessedWatchItemsError(
          `BatchGetItem left ${keys.length} of ${taskIds.length} keys of ${tableName} unprocessed after ${retry.maxAttempts} attempts`,
        );
      }
      if (attempt > 0) await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
      const answer = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of answer.Responses?.[tableName] ?? []) {
        const read = watchItemOf(item);
        if (read !== undefined) items.push(read);
      }
      keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return items;
  };
}

/** Sends task tokens back with `client`. */
export function taskSuccessSender(client: SFNClient): TaskSuccessSender {
  return async (taskToken, output) => {
    await client.send(new SendTaskSuccessCommand({ taskToken, output }));
  };
}

const isConditionalCheckFailed = (error: unknown): boolean =>
  summarizeError(error).name === 'ConditionalCheckFailedException';

/** Removes stale tokens from items of `tableName` with `client`, only where the item still holds that token. */
export function staleTokenClearer(client: DynamoDBClient, tableName: string): StaleTokenClearer {
  return async (taskId, token, status) => {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { [A.taskId]: { S: taskId } },
          UpdateExpression: 'REMOVE #token SET #status = :status',
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': A.token, '#status': A.status },
          ExpressionAttributeValues: { ':token': { S: token }, ':status': { S: status } },
        }),
      );
      return true;
    } catch (error) {
      // The watch parked again meanwhile, with a new token: its item is current.
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };
}

/** Writes items of `tableName` with `client`, never over an existing item. */
export function itemCreator(client: DynamoDBClient, tableName: string): ItemCreator {
  return async (item) => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])),
          ConditionExpression: 'attribute_not_exists(#taskId)',
          ExpressionAttributeNames: { '#taskId': A.taskId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };
}

/** The clients and names the sweep's I/O is built from. */
export interface SweepClients {
  readonly neptuneGraph: NeptuneGraphClient;
  readonly dynamoDb: DynamoDBClient;
  readonly stepFunctions: SFNClient;
  readonly tableName: string;
  readonly stateMachineArn: string;
  /** Logger of the watches the sweep starts. */
  readonly logger: Logger;
  /** @default UNPROCESSED_KEYS_RETRY */
  readonly unprocessedKeysRetry?: UnprocessedKeysRetry;
}

/** The I/O dependencies of the sweep handler, built from SDK clients. */
export type SweepIo = Pick<
  SweepHandlerDependencies,
  'listImportTasks' | 'readWatchItems' | 'sendTaskSuccess' | 'clearStaleToken' | 'putItemIfAbsent' | 'startWatch'
>;

/** Every I/O dependency of the sweep handler, from `clients`. */
export function sweepIoFromClients(clients: SweepClients): SweepIo {
  const { dynamoDb, stepFunctions, tableName, stateMachineArn } = clients;
  return {
    listImportTasks: importTaskLister(clients.neptuneGraph),
    readWatchItems: watchItemReader(dynamoDb, tableName, clients.unprocessedKeysRetry),
    sendTaskSuccess: taskSuccessSender(stepFunctions),
    clearStaleToken: staleTokenClearer(dynamoDb, tableName),
    putItemIfAbsent: itemCreator(dynamoDb, tableName),
    startWatch: discoveredWatchStarter({
      startExecution: executionStarter(stepFunctions, stateMachineArn),
      describeExecution: executionDescriber(stepFunctions, stateMachineArn),
      logger: clients.logger,
    }),
  };
}
