/**
 * `npm run local -- --task-id <id>`: watches one import task with the poller's synthesized
 * state machine, run locally, against whatever Neptune Analytics endpoint the SDK resolves; with
 * the sweep beside it on the same clock, as deployed by default, its waits parked in a local
 * DynamoDB table and woken by the sweep through a local Step Functions stand-in.
 */
import { Duration } from 'aws-cdk-lib';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE } from '../lib/events';
import { createNeptuneGraphClient } from '../lambda/shared/neptune-graph-client';
import { PollerPropsValidationError } from '../lib/validation';
import { LOCAL_USAGE, parseLocalRunArgs, UsageError, type LocalRunArgs } from './cli-args';
import { FastForwardClock } from './clock';
import { createLocalPoller, createLocalSweep, startLocalWatchTable } from './local-environment';
import { StepFunctionsStandIn } from './step-functions-standin';
import { eventLine, reserveStdoutForEvents } from './stdio';
import { synthesizePoller } from './synthesized-poller';

/** Exit statuses of `npm run local`. */
const EXIT = { statusChange: 0, usage: 1, monitoringFailed: 2, executionFailed: 3 } as const;

/**
 * A loopback stand-in needs neither a region nor real credentials; placeholders let the SDK
 * sign its requests when the user has none configured.
 */
async function prepareSdkEnvironment(): Promise<void> {
  const customEndpoint = process.env.AWS_ENDPOINT_URL_NEPTUNE_GRAPH ?? process.env.AWS_ENDPOINT_URL;
  if (customEndpoint === undefined) return;
  if (process.env.AWS_REGION === undefined && process.env.AWS_DEFAULT_REGION === undefined)
    process.env.AWS_REGION = 'us-east-1';
  try {
    await createNeptuneGraphClient().config.credentials();
  } catch {
    process.stderr.write(
      `No AWS credentials found; signing requests to ${customEndpoint} with placeholder credentials.\n`,
    );
    process.env.AWS_ACCESS_KEY_ID = 'local-placeholder';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-placeholder';
  }
}

async function checkRegion(): Promise<void> {
  try {
    await createNeptuneGraphClient().config.region();
  } catch {
    throw new UsageError(
      'No AWS region is configured: set AWS_REGION (or a region in your AWS profile), like AWS_REGION=us-east-1',
    );
  }
}

/** Runs one watch and returns the exit status. */
export async function runLocal(args: LocalRunArgs, printLine: (line: string) => void): Promise<number> {
  await prepareSdkEnvironment();
  await checkRegion();
  const clock = new FastForwardClock(args.timeScale);
  const synthesized = synthesizePoller({
    emitStatusChanges: args.emitStatusChanges,
    ...(args.timeoutSeconds === undefined ? {} : { monitoringTimeout: Duration.seconds(args.timeoutSeconds) }),
    ...(args.sweep ? {} : { sweep: { enabled: false } }),
  });
  const watchTable = synthesized.watchTableName === undefined ? undefined : await startLocalWatchTable();
  const poller = createLocalPoller({
    clock,
    logLevel: args.logLevel,
    synthesized,
    onEvent: (event) => printLine(eventLine(event)),
    ...(watchTable === undefined ? {} : { watchTable }),
  });
  // The sweep wakes the watch through Step Functions: a stand-in in front of the local poller.
  const stepFunctions =
    watchTable === undefined ? undefined : new StepFunctionsStandIn(poller, synthesized.stateMachineArn);
  // The sweep lists every task of the account: without discovery it starts no other watch, and only
  // the item this watch parks is there for it to wake.
  const localSweep =
    watchTable === undefined || stepFunctions === undefined
      ? undefined
      : createLocalSweep({
          synthesized,
          clock,
          stepFunctionsEndpoint: await stepFunctions.start(),
          watchTable,
          logLevel: args.logLevel,
          settings: { discovery: false },
        });
  localSweep?.sweep.start();
  try {
    const startedAt = clock.now();
    const outcome = await poller.watch({
      taskId: args.taskId,
      ...(args.graphId === undefined ? {} : { graphId: args.graphId }),
    });
    const last = outcome.events.at(-1);
    const failed = outcome.executions.find((execution) => execution.status === 'FAILED');
    const runs = localSweep?.sweep.runs ?? [];
    const summary = [
      `${args.taskId}: ${outcome.executions.length} execution(s), ${Math.round((clock.now() - startedAt) / 1000)} s on the run's clock`,
      last === undefined
        ? 'no terminal event'
        : `${last.DetailType} (${String(last.Detail.status ?? last.Detail.reason)})`,
      localSweep === undefined
        ? 'sweep off'
        : `sweep: ${runs.length} run(s), ${runs.filter((run) => run.error !== undefined).length} failed, woke the watch ${runs.reduce((sum, run) => sum + (run.summary?.woken ?? 0), 0)} time(s)`,
      failed?.error === undefined
        ? ''
        : `execution ${failed.name} failed: ${failed.error.name}: ${failed.error.message}`,
    ].filter((part) => part !== '');
    process.stderr.write(`${summary.join('; ')}\n`);
    if (failed !== undefined || last?.Detail.terminal !== true) return EXIT.executionFailed;
    if (last.DetailType === STATUS_CHANGE_DETAIL_TYPE) return EXIT.statusChange;
    return last.DetailType === MONITORING_FAILED_DETAIL_TYPE ? EXIT.monitoringFailed : EXIT.executionFailed;
  } finally {
    await localSweep?.stop();
    await stepFunctions?.stop();
    poller.close();
    await watchTable?.stop();
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const printLine = reserveStdoutForEvents();
  try {
    const args = parseLocalRunArgs(process.argv.slice(2));
    if (args === undefined) {
      process.stderr.write(`${LOCAL_USAGE}\n`);
      return;
    }
    process.exitCode = await runLocal(args, printLine);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof PollerPropsValidationError)) throw error;
    process.stderr.write(`${error.message}\n\n${LOCAL_USAGE}\n`);
    process.exitCode = EXIT.usage;
  }
}

if (require.main === module) {
  void main();
}
