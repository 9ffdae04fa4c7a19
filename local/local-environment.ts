/**
 * Wires the pieces of a local run together: the synthesized poller, the real poll handler
 * with its real Neptune Analytics client, and the clock.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import { createNeptuneGraphClient, importTaskFetcher, REQUEST_HANDLER_OPTIONS } from '../lambda/poll/fetch-import-task';
import { createPollHandler, type PollHandler } from '../lambda/poll/poll-handler';
import type { MetricDatum } from '../lambda/poll/poll-metrics';
import {
  createStepFunctionsClient,
  executionDescriber,
  executionStarter,
  historyReader,
} from '../lambda/start/aws-clients';
import { createStartHandler, type StartOutcome } from '../lambda/start/start-handler';
import type { NeptuneImportTaskPollerProps } from '../lib';
import { SteppingClock, type LocalClock } from './clock';
import { EXECUTION_STATUS_CHANGE_DETAIL_TYPE } from '../lib/events';
import { matchesEventPattern } from './event-pattern';
import { LocalPoller, type LocalExecution, type PublishedEvent } from './local-poller';
import { StepFunctionsStandIn } from './step-functions-standin';
import { NeptuneGraphStandIn, type NeptuneGraphStandInOptions } from './neptune-graph-standin';
import { LOCAL_REGION, synthesizePoller, type SynthesizedPoller } from './synthesized-poller';

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
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
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
  });
  return new LocalPoller({
    synthesized,
    clock,
    pollHandler: options.wrapPollHandler?.(pollHandler) ?? pollHandler,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.putEventsVerdict === undefined ? {} : { putEventsVerdict: options.putEventsVerdict }),
    ...(options.onExecutionEnded === undefined ? {} : { onExecutionEnded: options.onExecutionEnded }),
  });
}

/** The real start handler, with an SDK client pointed at a Step Functions endpoint (a stand-in). */
export function createLocalStartHandler(
  stepFunctionsEndpoint: string,
  stateMachineArn: string,
  logLevel: LocalRunOptions['logLevel'] = 'INFO',
): (event: unknown) => Promise<StartOutcome> {
  const client = createStepFunctionsClient({
    endpoint: stepFunctionsEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return createStartHandler({
    startExecution: executionStarter(client, stateMachineArn),
    describeExecution: executionDescriber(client, stateMachineArn),
    readHistory: historyReader(client),
    logger: localLogger(logLevel),
  });
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
}

/** A Neptune Analytics stand-in on loopback and the synthesized poller running against it, on one clock. */
export interface StandInRun {
  readonly clock: LocalClock;
  readonly standIn: NeptuneGraphStandIn;
  readonly poller: LocalPoller;
  /** The poll function's client, pointed at the stand-in. */
  readonly neptuneClient: NeptuneGraphClient;
  /** Step Functions on loopback, in front of the local poller, for the start function. */
  readonly stepFunctions: StepFunctionsStandIn;
  /** The real start function, its SDK client pointed at {@link stepFunctions}. */
  readonly startFunction: (event: unknown) => Promise<StartOutcome>;
  /** Stops the stand-ins and closes the client. */
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

/** Starts a stand-in and a local poller against it. */
export async function startStandInRun(options: StandInRunOptions = {}): Promise<StandInRun> {
  const clock = options.clock ?? new SteppingClock();
  const standIn = new NeptuneGraphStandIn({ ...options.standIn, now: () => clock.now() });
  const neptuneClient = standInNeptuneClient(await standIn.start(), options.maxSockets);
  const synthesized = options.synthesized ?? synthesizePoller(options.props);
  // The start function needs the Step Functions stand-in, which needs the poller: bound once both exist.
  const bound: { startFunction?: (event: unknown) => Promise<StartOutcome> } = {};
  const poller = createLocalPoller({
    ...options,
    synthesized,
    clock,
    neptuneClient,
    ...(options.backstop === false
      ? {}
      : { onExecutionEnded: executionEndedRouter(synthesized, () => bound.startFunction!) }),
  });
  const stepFunctions = new StepFunctionsStandIn(poller, synthesized.stateMachineArn);
  const startFunction = createLocalStartHandler(
    await stepFunctions.start(),
    synthesized.stateMachineArn,
    options.logLevel,
  );
  bound.startFunction = startFunction;
  return {
    clock,
    standIn,
    poller,
    neptuneClient,
    stepFunctions,
    startFunction,
    stop: async () => {
      await poller.settled();
      await standIn.stop();
      await stepFunctions.stop();
      neptuneClient.destroy();
    },
  };
}
