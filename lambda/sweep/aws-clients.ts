/**
 * The sweep's I/O over the AWS SDK: `ListImportTasks` and `GetImportTask`, the watch table
 * through the low-level DynamoDB client, and `SendTaskSuccess`. Each factory takes a client, so
 * that tests and local runs point them at stand-ins, and gives each call a whole-call deadline.
 */
import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  GetImportTaskCommand,
  ListImportTasksCommand,
  type NeptuneGraphClient,
  type NeptuneGraphClientConfig,
} from '@aws-sdk/client-neptune-graph';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Logger } from '@aws-lambda-powertools/logger';
import { PARKED_WATCHES_INDEX, WATCH_TABLE_ATTRIBUTES as A } from '../../lib/sweep-contract';
import { summarizeError } from '../shared/error-summary';
import { createNeptuneGraphClient } from '../shared/neptune-graph-client';
import { REQUEST_HANDLER_OPTIONS } from '../shared/request-handler';
import { executionDescriber, executionStarter } from '../shared/step-functions-client';
import { CALL_DEADLINE_MS, callWithinDeadline } from './call-deadline';
import { discoveredWatchStarter } from './discovered-watch';
import { importTaskPageOf } from './listing-page';
import { importTaskEndedAt } from '../shared/import-task-end';
import type { WatchItem } from './plan-sweep-page';
import type {
  DeploymentTimeReader,
  ImportTaskEndReader,
  ImportTaskLister,
  ItemCreator,
  ParkedWatchScanner,
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

/** Reads pages of `ListImportTasks` with `client`; throws `UnusableListingError` for an answer it cannot use. */
export function importTaskLister(client: NeptuneGraphClient, deadlineMs: number = CALL_DEADLINE_MS): ImportTaskLister {
  return async (nextToken, callDeadlineMs) => {
    const answer = await callWithinDeadline('ListImportTasks', callDeadlineMs ?? deadlineMs, (options) =>
      client.send(
        new ListImportTasksCommand({ maxResults: LIST_PAGE_SIZE, ...(nextToken === undefined ? {} : { nextToken }) }),
        options,
      ),
    );
    return importTaskPageOf(answer);
  };
}

const isNotFound = (error: unknown): boolean => summarizeError(error).name === 'ResourceNotFoundException';

/**
 * Reads when an ended task ended with `client`'s `GetImportTask`; undefined when the answer does
 * not tell, or the task is not found (deleted since it was listed): its watch, started all the
 * same, says what became of it.
 */
export function importTaskEndReader(
  client: NeptuneGraphClient,
  deadlineMs: number = CALL_DEADLINE_MS,
): ImportTaskEndReader {
  return async (taskId) => {
    try {
      const answer = await callWithinDeadline(`GetImportTask of ${taskId}`, deadlineMs, (options) =>
        client.send(new GetImportTaskCommand({ taskIdentifier: taskId }), options),
      );
      return importTaskEndedAt(answer.importTaskDetails);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

/** `DescribeTable` told nothing of when the watch table was created. */
export class DeploymentTimeUnknownError extends Error {
  override readonly name = 'DeploymentTimeUnknownError';
}

/** Reads when `tableName`, the watch table, was created: the time the poller was deployed. */
export function deploymentTimeReader(
  client: DynamoDBClient,
  tableName: string,
  deadlineMs: number = CALL_DEADLINE_MS,
): DeploymentTimeReader {
  return async () => {
    const { Table } = await callWithinDeadline('DescribeTable', deadlineMs, (options) =>
      client.send(new DescribeTableCommand({ TableName: tableName }), options),
    );
    const created = Table?.CreationDateTime?.getTime();
    if (created === undefined || Number.isNaN(created)) {
      throw new DeploymentTimeUnknownError(`DescribeTable of ${tableName} gave no CreationDateTime`);
    }
    return created;
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

/** The items of a read that are watch items (those with a task id). */
const watchItemsOf = (items: readonly Record<string, AttributeValue>[] = []): WatchItem[] =>
  items.flatMap((item) => watchItemOf(item) ?? []);

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
  deadlineMs: number = CALL_DEADLINE_MS,
): WatchItemReader {
  const sleep = retry.sleep ?? timer;
  return async (taskIds, callDeadlineMs) => {
    const items: WatchItem[] = [];
    let keys: Record<string, AttributeValue>[] = taskIds.map((taskId) => ({ [A.taskId]: { S: taskId } }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt >= retry.maxAttempts) {
        throw new UnprocessedWatchItemsError(
          `BatchGetItem left ${keys.length} of ${taskIds.length} keys of ${tableName} unprocessed after ${retry.maxAttempts} attempts`,
        );
      }
      if (attempt > 0) await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
      const request = { RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } };
      const answer = await callWithinDeadline('BatchGetItem', callDeadlineMs ?? deadlineMs, (options) =>
        client.send(new BatchGetItemCommand(request), options),
      );
      items.push(...watchItemsOf(answer.Responses?.[tableName]));
      keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return items;
  };
}

/**
 * Reads every item of the index of parked watches of `tableName`, page by page. The index holds
 * only items with an execution name: those of parked watches, and of watches whose last token no
 * sweep has found stale yet.
 */
export function parkedWatchScanner(
  client: DynamoDBClient,
  tableName: string,
  deadlineMs: number = CALL_DEADLINE_MS,
): ParkedWatchScanner {
  return async () => {
    const items: WatchItem[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const request = {
        TableName: tableName,
        IndexName: PARKED_WATCHES_INDEX.indexName,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      };
      const page = await callWithinDeadline('Scan of the parked watches', deadlineMs, (options) =>
        client.send(new ScanCommand(request), options),
      );
      items.push(...watchItemsOf(page.Items));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  };
}

/** Sends task tokens back with `client`. */
export function taskSuccessSender(client: SFNClient, deadlineMs: number = CALL_DEADLINE_MS): TaskSuccessSender {
  return async (taskToken, output) => {
    await callWithinDeadline('SendTaskSuccess', deadlineMs, (options) =>
      client.send(new SendTaskSuccessCommand({ taskToken, output }), options),
    );
  };
}

const isConditionalCheckFailed = (error: unknown): boolean =>
  summarizeError(error).name === 'ConditionalCheckFailedException';

/**
 * Removes stale tokens, with the execution name that keeps an item in the index of parked
 * watches, from items of `tableName` with `client`, only where the item still holds that token.
 */
export function staleTokenClearer(
  client: DynamoDBClient,
  tableName: string,
  deadlineMs: number = CALL_DEADLINE_MS,
): StaleTokenClearer {
  return async (taskId, token, status) => {
    const request = {
      TableName: tableName,
      Key: { [A.taskId]: { S: taskId } },
      UpdateExpression: `REMOVE #token, #executionName${status === undefined ? '' : ' SET #status = :status'}`,
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: {
        '#token': A.token,
        '#executionName': A.executionName,
        ...(status === undefined ? {} : { '#status': A.status }),
      },
      ExpressionAttributeValues: {
        ':token': { S: token },
        ...(status === undefined ? {} : { ':status': { S: status } }),
      },
    };
    try {
      await callWithinDeadline('UpdateItem', deadlineMs, (options) =>
        client.send(new UpdateItemCommand(request), options),
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
export function itemCreator(
  client: DynamoDBClient,
  tableName: string,
  deadlineMs: number = CALL_DEADLINE_MS,
): ItemCreator {
  return async (item) => {
    const request = {
      TableName: tableName,
      Item: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])),
      ConditionExpression: 'attribute_not_exists(#taskId)',
      ExpressionAttributeNames: { '#taskId': A.taskId },
    };
    try {
      await callWithinDeadline('PutItem', deadlineMs, (options) => client.send(new PutItemCommand(request), options));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };
}

/**
 * The watch table as the construct defines it, for local DynamoDB: keyed by task id, with the
 * sparse index of parked watches.
 */
export function watchTableDefinition(tableName: string): CreateTableCommandInput {
  const { indexName, partitionKey, projectedAttributes } = PARKED_WATCHES_INDEX;
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: A.taskId, AttributeType: 'S' },
      { AttributeName: partitionKey, AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: A.taskId, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: indexName,
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projectedAttributes] },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
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
  /**
   * Milliseconds each AWS call may take in all, retries included.
   * @default CALL_DEADLINE_MS
   */
  readonly callDeadlineMs?: number;
}

/** The I/O dependencies of the sweep handler, built from SDK clients. */
export type SweepIo = Pick<
  SweepHandlerDependencies,
  | 'listImportTasks'
  | 'readWatchItems'
  | 'scanParkedWatches'
  | 'sendTaskSuccess'
  | 'clearStaleToken'
  | 'putItemIfAbsent'
  | 'startWatch'
  | 'readDeploymentTime'
  | 'readImportTaskEnd'
>;

/** Every I/O dependency of the sweep handler, from `clients`. */
export function sweepIoFromClients(clients: SweepClients): SweepIo {
  const { dynamoDb, stepFunctions, tableName, stateMachineArn } = clients;
  const deadlineMs = clients.callDeadlineMs ?? CALL_DEADLINE_MS;
  const startExecution = executionStarter(stepFunctions, stateMachineArn);
  const describeExecution = executionDescriber(stepFunctions, stateMachineArn);
  return {
    listImportTasks: importTaskLister(clients.neptuneGraph, deadlineMs),
    readWatchItems: watchItemReader(dynamoDb, tableName, clients.unprocessedKeysRetry, deadlineMs),
    scanParkedWatches: parkedWatchScanner(dynamoDb, tableName, deadlineMs),
    sendTaskSuccess: taskSuccessSender(stepFunctions, deadlineMs),
    clearStaleToken: staleTokenClearer(dynamoDb, tableName, deadlineMs),
    putItemIfAbsent: itemCreator(dynamoDb, tableName, deadlineMs),
    startWatch: discoveredWatchStarter({
      startExecution: (name, input) =>
        callWithinDeadline('StartExecution', deadlineMs, () => startExecution(name, input)),
      describeExecution: (name) => callWithinDeadline('DescribeExecution', deadlineMs, () => describeExecution(name)),
      logger: clients.logger,
    }),
    readDeploymentTime: deploymentTimeReader(dynamoDb, tableName, deadlineMs),
    readImportTaskEnd: importTaskEndReader(clients.neptuneGraph, deadlineMs),
  };
}
