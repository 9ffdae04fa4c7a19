/**
 * Wires the pieces of a local run together: the synthesized poller, the real poll handler
 * with its real Neptune Analytics client, the clock, and, when the poller has the sweep, a local
 * DynamoDB with the watch table and the real sweep handler on the same clock.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateTableCommand, DescribeTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import dynalite from 'dynalite';
import { importTaskFetcher } from '../lambda/poll/fetch-import-task';
import { createPollHandler, type PollHandler } from '../lambda/poll/poll-handler';
import type { MetricDatum } from '../lambda/shared/metric-datum';
import { createNeptuneGraphClient } from '../lambda/shared/neptune-graph-client';
import { REQUEST_HANDLER_OPTIONS } from '../lambda/shared/request-handler';
import {
  createStepFunctionsClient,
  executionDescriber,
  executionStarter,
} from '../lambda/shared/step-functions-client';
import { historyReader } from '../lambda/start/aws-clients';
import { createStartHandler, type StartOutcome, type SweepRequester } from '../lambda/start/start-handler';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import {
  createDynamoDbClient,
  createSweepNeptuneGraphClient,
  SWEEP_MAX_ATTEMPTS,
  sweepIoFromClients,
  watchTableDefinition,
} from '../lambda/sweep/aws-clients';
import { createSweepHandler, type SweepHandler } from '../lambda/sweep/sweep-handler';
import { sweepEnvironmentFrom } from '../lambda/sweep/sweep-settings';
import type { NeptuneImportTaskPollerProps } from '../lib/poller-props';
import { realSleep, SteppingClock, type LocalClock } from './clock';
import { FaultProxy } from './fault-proxy';
import { EXECUTION_STATUS_CHANGE_DETAIL_TYPE } from '../lib/events';
import { eventFromEntry, matchesEventPattern } from './event-pattern';
import {
  LocalPoller,
  type LocalExecution,
  type LocalPollerOptions,
  type LocalWatchTable,
  type PublishedEvent,
} from './local-poller';
import { LocalSweep } from './local-sweep';
import { StepFunctionsStandIn } from './step-functions-standin';
import { NeptuneGraphStandIn, type NeptuneGraphStandInOptions } from './neptune-graph-standin';
import { LOCAL_REGION, synthesizePoller, type SynthesizedPoller } from './synthesized-poller';

/** Placeholder credentials of every client pointed at a loopback stand-in. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Name of the watch table in the local DynamoDB. */
export const LOCAL_WATCH_TABLE_NAME = 'LocalWatchTable';

/** Options of a local run. */
export interface LocalRunOptions {
  readonly clock: LocalClock;
  /** Props of the poller to synthesize. */
  readonly props?: NeptuneImportTaskPollerProps;
  /** An already synthesized poller, to share one synthesis between runs. */
  readonly synthesized?: SynthesizedPoller;
  /** The client the poll handler uses; by default one built as the deployed function builds it. */
  readonly neptuneClient?: NeptuneGraphClient;
  readonly random?: () => number;
  /** Log level of the handlers' loggers. */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  readonly onEvent?: (event: PublishedEvent) => void;
  /** Called when an execution ends. */
  readonly onExecutionEnded?: (execution: LocalExecution) => void | Promise<void>;
  readonly putEventsVerdict?: (entry: Record<string, unknown>) => string | undefined;
  /** Receives the poll function's metrics; dropped by default. */
  readonly publishMetrics?: (data: readonly MetricDatum[]) => void;
  /** Wraps the real poll handler, to make the function itself fail as Lambda might. */
  readonly wrapPollHandler?: (handler: PollHandler) => PollHandler;
  /** The local table the park task writes to, when the poller has the sweep. */
  readonly watchTable?: LocalWatchTable;
  /** Refuses the state machine's own StartExecution (continue-as-new) while it answers an error. */
  readonly startExecutionFault?: LocalPollerOptions['startExecutionFault'];
}

/** A logger like the deployed functions', at `level`. */
function localLogger(level: LocalRunOptions['logLevel'] = 'INFO'): Logger {
  return new Logger({ serviceName: 'neptune-import-poller', logLevel: level });
}

/**
 * The poll function's client, pointed at a stand-in at `endpoint`, with placeholder credentials;
 * `maxSockets` lets one process carry many watches at once.
 */
export function standInNeptuneClient(endpoint: string, maxSockets?: number): NeptuneGraphClient {
  return createNeptuneGraphClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...(maxSockets === undefined
      ? {}
      : { requestHandler: { ...REQUEST_HANDLER_OPTIONS, httpAgent: { keepAlive: true, maxSockets } } }),
  });
}

/** The synthesized poller, run locally with the real poll handler. */
export function createLocalPoller(options: LocalRunOptions): LocalPoller {
  const synthesized = options.synthesized ?? synthesizePoller(options.props);
  const { clock } = options;
  const pollHandler = createPollHandler({
    fetchImportTask: importTaskFetcher(options.neptuneClient ?? createNeptuneGraphClient()),
    now: () => clock.now(),
    random: options.random ?? Math.random,
    logger: localLogger(options.logLevel),
    publishMetrics: options.publishMetrics ?? (() => undefined),
    pollerName: synthesized.serviceName,
  });
  return new LocalPoller({
    synthesized,
    clock,
    pollHandler: options.wrapPollHandler?.(pollHandler) ?? pollHandler,
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.putEventsVerdict === undefined ? {} : { putEventsVerdict: options.putEventsVerdict }),
    ...(options.onExecutionEnded === undefined ? {} : { onExecutionEnded: options.onExecutionEnded }),
    ...(options.watchTable === undefined ? {} : { watchTable: options.watchTable }),
    ...(options.startExecutionFault === undefined ? {} : { startExecutionFault: options.startExecutionFault }),
  });
}

/**
 * The real start handler, with an SDK client pointed at a Step Functions endpoint (a stand-in);
 * with `requestSweep`, a CloudTrail record that names its graph but no task asks for a sweep.
 */
export function createLocalStartHandler(
  stepFunctionsEndpoint: string,
  stateMachineArn: string,
  logLevel: LocalRunOptions['logLevel'] = 'INFO',
  requestSweep?: SweepRequester,
): (event: unknown) => Promise<StartOutcome> {
  const client = createStepFunctionsClient({
    endpoint: stepFunctionsEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  return createStartHandler({
    startExecution: executionStarter(client, stateMachineArn),
    describeExecution: executionDescriber(client, stateMachineArn),
    readHistory: historyReader(client),
    logger: localLogger(logLevel),
    ...(requestSweep === undefined ? {} : { requestSweep }),
  });
}

/** A local DynamoDB (dynalite, in memory) on loopback with the watch table, and a client of it. */
export interface LocalWatchTableServer extends LocalWatchTable {
  readonly client: DynamoDBClient;
  /** Every item of the table, attributes as strings. */
  items(): Promise<Record<string, string>[]>;
  /** Closes the client and the server. */
  stop(): Promise<void>;
}

/** Starts dynalite on a free loopback port and creates the watch table in it as the construct does: partition key `taskId` (S), and the sparse index of parked watches. */
export async function startLocalWatchTable(tableName = LOCAL_WATCH_TABLE_NAME): Promise<LocalWatchTableServer> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDynamoDbClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const stop = async (): Promise<void> => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await client.send(new CreateTableCommand(watchTableDefinition(tableName)));
    // Writes to a table that is still being created are refused, as in DynamoDB.
    for (let attempt = 0; ; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (attempt >= 100) throw new Error(`The local table ${tableName} is still ${Table?.TableStatus}`);
      await realSleep(5);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    tableName,
    client,
    items: async () => {
      const items: Record<string, string>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey as never }),
          }),
        );
        for (const item of page.Items ?? []) {
          items.push(Object.fromEntries(Object.entries(item).map(([key, value]) => [key, String(value.S ?? value.N)])));
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return items;
    },
    stop,
  };
}

/** How the local sweep runs. */
export interface LocalSweepSettings {
  /**
   * Start watches for tasks nobody watches.
   * @default - as synthesized
   */
  readonly discovery?: boolean;
  /**
   * Seconds discovery leaves an active task to its trigger before starting a watch of its own.
   * @default - the sweep function's default
   */
  readonly discoveryGraceSeconds?: number;
  /** Wraps the real sweep handler, to make the function itself fail as Lambda might. */
  readonly wrapHandler?: (handler: SweepHandler) => SweepHandler;
}

/** What {@link createLocalSweep} runs the sweep with. */
export interface LocalSweepEnvironment {
  readonly synthesized: SynthesizedPoller;
  readonly clock: LocalClock;
  /**
   * The Neptune Analytics endpoint the sweep lists tasks at, with placeholder credentials (a stand-in).
   * @default - the endpoint and credentials the AWS SDK resolves, as the deployed function's
   */
  readonly neptuneEndpoint?: string;
  /** Endpoint of the Step Functions stand-in in front of the local poller. */
  readonly stepFunctionsEndpoint: string;
  readonly watchTable: LocalWatchTable;
  readonly logLevel?: LocalRunOptions['logLevel'];
  readonly settings?: LocalSweepSettings;
  /** Receives the sweep function's metrics; dropped by default. */
  readonly publishMetrics?: (data: readonly MetricDatum[]) => void;
}

/** The sweep of a local run, with the clients it made. */
export interface LocalSweepWithClients {
  readonly sweep: LocalSweep;
  /** Stops the sweep, then closes its clients. */
  readonly stop: () => Promise<void>;
}

/**
 * The real sweep handler, built as the deployed function builds it (settings from the synthesized
 * function's environment), its clients pointed at the local table and Step Functions stand-in,
 * scheduled on the run's clock every period of the synthesized poller. Not started yet.
 */
export function createLocalSweep(environment: LocalSweepEnvironment): LocalSweepWithClients {
  const { synthesized, watchTable } = environment;
  if (synthesized.sweep === undefined) throw new Error('The synthesized poller has no sweep');
  const { settings, stateMachineArn } = sweepEnvironmentFrom({
    ...synthesized.sweep.environment,
    WATCH_TABLE_NAME: watchTable.tableName,
  });
  // As many attempts as the deployed clients make, without their real pauses: an invocation's own retries stand
  // for moments on the run's clock, and would only slow a run that sweeps every simulated minute.
  const local = {
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(SWEEP_MAX_ATTEMPTS, () => 0),
  };
  const neptuneGraph = createSweepNeptuneGraphClient(
    environment.neptuneEndpoint === undefined ? {} : { ...local, endpoint: environment.neptuneEndpoint },
  );
  const dynamoDb = createDynamoDbClient({ ...local, endpoint: watchTable.endpoint });
  const stepFunctions = createStepFunctionsClient({ ...local, endpoint: environment.stepFunctionsEndpoint });
  const logger = localLogger(environment.logLevel);
  // dynalite dates the table in real time; the run's clock may stand elsewhere, and the poller is deployed when the run starts.
  const deployedAt = environment.clock.now();
  const handler = createSweepHandler({
    settings: {
      ...settings,
      ...(environment.settings?.discovery === undefined ? {} : { discovery: environment.settings.discovery }),
      ...(environment.settings?.discoveryGraceSeconds === undefined
        ? {}
        : { discoveryGraceSeconds: environment.settings.discoveryGraceSeconds }),
    },
    ...sweepIoFromClients({
      neptuneGraph,
      dynamoDb,
      stepFunctions,
      tableName: watchTable.tableName,
      stateMachineArn,
      logger,
    }),
    readDeploymentTime: () => Promise.resolve(deployedAt),
    // The pauses that spread a sweep's wakes, on the run's clock.
    sleep: (ms) => realSleep(environment.clock.realMillisFor(ms / 1000)),
    logger,
    publishMetrics: environment.publishMetrics ?? (() => undefined),
    now: () => environment.clock.now(),
  });
  const sweep = new LocalSweep({
    handler: environment.settings?.wrapHandler?.(handler) ?? handler,
    clock: environment.clock,
    periodSeconds: synthesized.sweep.periodSeconds,
    timeoutSeconds: synthesized.sweep.timeoutSeconds,
  });
  return {
    sweep,
    stop: async () => {
      await sweep.stop();
      neptuneGraph.destroy();
      dynamoDb.destroy();
      stepFunctions.destroy();
    },
  };
}

/** Options of {@link startStandInRun}. */
export interface StandInRunOptions extends Omit<LocalRunOptions, 'clock' | 'neptuneClient'> {
  /** @default - a stepping clock: waits take no real time (one watch at a time) */
  readonly clock?: LocalClock;
  /** Settings of the stand-in, such as a request-rate limit. */
  readonly standIn?: Omit<NeptuneGraphStandInOptions, 'now'>;
  /** Connections the client may open at once, for many watches in one process. */
  readonly maxSockets?: number;
  /**
   * Report executions that end without their terminal event, as the deployed poller does: their
   * status change goes through the execution-failure rule to the real start function.
   * @default true
   */
  readonly backstop?: boolean;
  /**
   * The sweep beside the watches, when the synthesized poller has one: settings of the local
   * sweep, or `false` for none (the definition still parks its waits in the local table, and each
   * ends at its timeout).
   * @default - the real sweep handler every period of the synthesized poller, against the stand-ins
   */
  readonly sweep?: false | LocalSweepSettings;
  /** Receives the sweep function's metrics; dropped by default. */
  readonly publishSweepMetrics?: (data: readonly MetricDatum[]) => void;
  /**
   * Put a {@link FaultProxy} between each function (and the park task) and each service it calls,
   * for tests to refuse calls on the wire as AWS would.
   * @default false
   */
  readonly faultProxies?: boolean;
}

/** The proxies between each caller and each service, when a run has them. */
export interface RunFaultProxies {
  /** The park task's PutItem to the watch table. */
  readonly parkTable?: FaultProxy;
  /** The sweep function's calls to the watch table. */
  readonly sweepTable?: FaultProxy;
  /** The sweep function's calls to Neptune Analytics (`GET /importtasks`, `GET /importtasks/{id}`). */
  readonly sweepNeptuneGraph: FaultProxy;
  /** The sweep function's calls to Step Functions (`SendTaskSuccess`, `StartExecution`, `DescribeExecution`). */
  readonly sweepStepFunctions: FaultProxy;
  /** The start function's calls to Step Functions (`StartExecution`, `DescribeExecution`, `GetExecutionHistory`). */
  readonly startStepFunctions: FaultProxy;
}

/** What became of a trigger delivered to the start function as EventBridge delivers it. */
export type TriggerDelivery =
  | { readonly kind: 'handled'; readonly attempts: number; readonly outcome: StartOutcome }
  | { readonly kind: 'dead-lettered'; readonly attempts: number; readonly error: string };

/**
 * Seconds Lambda waits before each retry of an asynchronous invocation whose function failed
 * (`retryAttempts: 2`): a minute, then two.
 */
export const ASYNC_INVOCATION_RETRY_SECONDS: readonly number[] = [60, 120];

/** A Neptune Analytics stand-in on loopback and the synthesized poller running against it, on one clock. */
export interface StandInRun {
  readonly clock: LocalClock;
  readonly standIn: NeptuneGraphStandIn;
  readonly poller: LocalPoller;
  /** The poll function's client, pointed at the stand-in. */
  readonly neptuneClient: NeptuneGraphClient;
  /** Step Functions on loopback, in front of the local poller, for the start function. */
  readonly stepFunctions: StepFunctionsStandIn;
  /** The real start function, its SDK client pointed at {@link stepFunctions}; each call an actor of the clock. */
  readonly startFunction: (event: unknown) => Promise<StartOutcome>;
  /**
   * Delivers `event` to the start function as an EventBridge rule's asynchronous invocation is
   * delivered: a failed invocation is retried after a minute and again two minutes later, on the
   * run's clock; then the event goes to the dead-letter queue ({@link deadLetters}).
   */
  readonly deliverTrigger: (event: unknown) => Promise<TriggerDelivery>;
  /** Events the start function could not take after every retry, as its dead-letter queue keeps them. */
  readonly deadLetters: unknown[];
  /** The fault proxies, with `faultProxies: true`. */
  readonly faults?: RunFaultProxies;
  /** Resolves once no execution runs and no watch request an execution put is on its way to the start function. */
  readonly settled: () => Promise<void>;
  /** The local DynamoDB with the watch table; undefined when the poller has no sweep. */
  readonly watchTable?: LocalWatchTableServer;
  /** The sweep beside the watches; undefined when the poller has none, or with `sweep: false`. */
  readonly sweep?: LocalSweep;
  /**
   * Waits for every execution to end (the sweep still waking them), stops the sweep, waits for
   * the executions it started last, then stops the stand-ins and closes every client.
   */
  readonly stop: () => Promise<void>;
}

/** Step Functions' status-change event for an execution that ended, as EventBridge puts it on the default bus. */
export function executionStatusChangeEvent(
  execution: LocalExecution,
  stateMachineArn: string,
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    source: 'aws.states',
    'detail-type': EXECUTION_STATUS_CHANGE_DETAIL_TYPE,
    region: LOCAL_REGION,
    resources: [execution.arn],
    detail: {
      executionArn: execution.arn,
      stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startedAt,
      stopDate: execution.stoppedAt ?? null,
      input: execution.input,
      error: execution.error?.name ?? null,
      cause: execution.error?.message ?? null,
    },
  };
}

/**
 * Sends each ended execution's status change to the start function when a rule of the poller
 * matches it, as EventBridge would: the backstop of executions that fail before their terminal event.
 */
function executionEndedRouter(
  synthesized: SynthesizedPoller,
  startFunction: () => (event: unknown) => Promise<StartOutcome>,
): (execution: LocalExecution) => Promise<void> {
  return async (execution) => {
    const event = executionStatusChangeEvent(execution, synthesized.stateMachineArn);
    if (!Object.values(synthesized.rulePatterns).some((pattern) => matchesEventPattern(pattern, event))) return;
    await startFunction()(event);
  };
}

/** Runs `work` as an actor of `clock`: on a clock that skips waits, time holds until it is done. */
async function onTheClock<T>(clock: LocalClock, work: () => Promise<T>): Promise<T> {
  const actor = clock.actor();
  try {
    return await work();
  } finally {
    actor.retire();
  }
}

/** Starts a stand-in and a local poller against it, with the sweep beside it when the poller has one. */
export async function startStandInRun(options: StandInRunOptions = {}): Promise<StandInRun> {
  const clock = options.clock ?? new SteppingClock();
  // Synthesized before anything listens: a synthesis that throws leaves no server holding the process open.
  const synthesized = options.synthesized ?? synthesizePoller(options.props);
  const standIn = new NeptuneGraphStandIn({ ...options.standIn, now: () => clock.now() });
  const endpoint = await standIn.start();
  const neptuneClient = standInNeptuneClient(endpoint, options.maxSockets);
  let watchTable: LocalWatchTableServer | undefined;
  try {
    watchTable = synthesized.watchTableName === undefined ? undefined : await startLocalWatchTable();
  } catch (error) {
    neptuneClient.destroy();
    await standIn.stop();
    throw error;
  }
  const proxies: FaultProxy[] = [];
  /** `endpoint`, or with fault proxies a new proxy in front of it, kept as `faults[key]`. */
  const faultable = async (endpoint: string): Promise<{ endpoint: string; proxy?: FaultProxy }> => {
    if (options.faultProxies !== true) return { endpoint };
    const proxy = new FaultProxy(endpoint);
    proxies.push(proxy);
    return { endpoint: await proxy.start(), proxy };
  };
  const parkTable = watchTable === undefined ? undefined : await faultable(watchTable.endpoint);
  // The start function needs the Step Functions stand-in, which needs the poller: bound once both exist.
  // Watch requests on their way to the start function.
  const deliveries = new Set<Promise<TriggerDelivery>>();
  const bound: {
    startFunction?: (event: unknown) => Promise<StartOutcome>;
    deliverTrigger?: (event: unknown) => Promise<TriggerDelivery>;
  } = {};
  const poller = createLocalPoller({
    ...options,
    synthesized,
    clock,
    neptuneClient,
    ...(watchTable === undefined || parkTable === undefined
      ? {}
      : { watchTable: { tableName: watchTable.tableName, endpoint: parkTable.endpoint } }),
    ...(options.backstop === false
      ? {}
      : { onExecutionEnded: executionEndedRouter(synthesized, () => bound.startFunction!) }),
    // Watch requests the executions put (a hand-over) reach the start function as EventBridge would bring them.
    onEvent: (event) => {
      options.onEvent?.(event);
      const delivered = eventFromEntry(event);
      const watchRequests = synthesized.rulePatterns.WatchRequestRule;
      if (watchRequests !== undefined && matchesEventPattern(watchRequests, delivered)) {
        const delivery = bound.deliverTrigger!(delivered);
        deliveries.add(delivery);
        void delivery.finally(() => deliveries.delete(delivery));
      }
    },
  });
  const stepFunctions = new StepFunctionsStandIn(poller, synthesized.stateMachineArn);
  const stepFunctionsEndpoint = await stepFunctions.start();

  const sweepTable = watchTable === undefined ? undefined : await faultable(watchTable.endpoint);
  const sweepNeptuneGraph = await faultable(endpoint);
  const sweepStepFunctions = await faultable(stepFunctionsEndpoint);
  const startStepFunctions = await faultable(stepFunctionsEndpoint);
  const localSweep =
    synthesized.sweep === undefined || watchTable === undefined || options.sweep === false
      ? undefined
      : createLocalSweep({
          synthesized,
          clock,
          neptuneEndpoint: sweepNeptuneGraph.endpoint,
          stepFunctionsEndpoint: sweepStepFunctions.endpoint,
          watchTable: { tableName: watchTable.tableName, endpoint: sweepTable!.endpoint },
          ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
          ...(options.sweep === undefined ? {} : { settings: options.sweep }),
          ...(options.publishSweepMetrics === undefined ? {} : { publishMetrics: options.publishSweepMetrics }),
        });
  const startFunction = createLocalStartHandler(
    startStepFunctions.endpoint,
    synthesized.stateMachineArn,
    options.logLevel,
    localSweep === undefined
      ? undefined
      : (graphId) => Promise.resolve(localSweep.sweep.request({ graphId, reason: 'api-call-without-task-id' })),
  );
  bound.startFunction = startFunction;
  localSweep?.sweep.start();
  const deadLetters: unknown[] = [];
  const deliverTrigger = (bound.deliverTrigger = async (event: unknown): Promise<TriggerDelivery> => {
    // One actor for the delivery: it works through each attempt and sleeps between them.
    const actor = clock.actor();
    try {
      const pauses = [0, ...ASYNC_INVOCATION_RETRY_SECONDS];
      let error = '';
      for (const [attempt, pause] of pauses.entries()) {
        if (pause > 0) await actor.sleep(pause);
        try {
          return { kind: 'handled', attempts: attempt + 1, outcome: await startFunction(event) };
        } catch (failed) {
          error = String(failed);
        }
      }
      deadLetters.push(event);
      return { kind: 'dead-lettered', attempts: pauses.length, error };
    } finally {
      actor.retire();
    }
  });
  const settled = async (): Promise<void> => {
    for (;;) {
      await Promise.all([...deliveries]);
      await poller.settled();
      if (deliveries.size === 0) return;
    }
  };
  const faults =
    options.faultProxies === true
      ? {
          ...(parkTable?.proxy === undefined ? {} : { parkTable: parkTable.proxy }),
          ...(sweepTable?.proxy === undefined ? {} : { sweepTable: sweepTable.proxy }),
          sweepNeptuneGraph: sweepNeptuneGraph.proxy!,
          sweepStepFunctions: sweepStepFunctions.proxy!,
          startStepFunctions: startStepFunctions.proxy!,
        }
      : undefined;
  return {
    clock,
    standIn,
    poller,
    neptuneClient,
    stepFunctions,
    startFunction: (event) => onTheClock(clock, () => startFunction(event)),
    deliverTrigger,
    deadLetters,
    ...(faults === undefined ? {} : { faults }),
    ...(watchTable === undefined ? {} : { watchTable }),
    ...(localSweep === undefined ? {} : { sweep: localSweep.sweep }),
    settled,
    stop: async () => {
      await settled();
      if (localSweep !== undefined) {
        await localSweep.stop();
        await poller.settled();
      }
      await Promise.all(proxies.map((proxy) => proxy.stop()));
      await standIn.stop();
      await stepFunctions.stop();
      neptuneClient.destroy();
      poller.close();
      await watchTable?.stop();
    },
  };
}
