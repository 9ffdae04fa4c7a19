/**
 * `npm start`: the poller end to end on this machine, with no AWS account. A Neptune Analytics
 * stand-in serves scripted imports over HTTP; the poller's synthesized state machine runs in a
 * local interpreter with the real handlers; trigger events go through the synthesized rules; the
 * sweep runs every minute beside the watches, waking them when their task's status changes and
 * watching the imports no trigger announced.
 */
import { StartImportTaskCommand } from '@aws-sdk/client-neptune-graph';
import { CLOUDTRAIL_API_CALL_DETAIL_TYPE, TERMINAL_IMPORT_STATUSES, WATCH_REQUEST_DETAIL_TYPE } from '../lib/events';
import { realSleep, ScaledClock } from './clock';
import { matchesEventPattern } from './event-pattern';
import { timelineSeconds, type ImportTimeline } from './import-timeline';
import { startStandInRun } from './local-environment';
import type { LocalExecution, PublishedEvent } from './local-poller';
import { LOCAL_REGION, synthesizePoller } from './synthesized-poller';

/** One real second is this many simulated seconds. */
const SIMULATED_SECONDS_PER_SECOND = 500;

const DEMO_GRAPH = 'g-demo000001';

/** A 90-minute import whose progress slows down and speeds up, then succeeds. */
const SUCCEEDING_IMPORT: ImportTimeline = {
  phases: [
    { status: 'INITIALIZING', seconds: 180 },
    { status: 'ANALYZING_DATA', seconds: 720 },
    {
      status: 'IMPORTING',
      seconds: 4500,
      progress: [
        [0, 0],
        [0.3, 45],
        [0.6, 55],
        [1, 100],
      ],
    },
  ],
  outcome: { status: 'SUCCEEDED' },
};

/** A 20-minute import that succeeds, started with no CloudTrail record and no watch request. */
const UNANNOUNCED_IMPORT: ImportTimeline = {
  phases: [
    { status: 'INITIALIZING', seconds: 90 },
    { status: 'ANALYZING_DATA', seconds: 300 },
    {
      status: 'IMPORTING',
      seconds: 810,
      progress: [
        [0, 0],
        [1, 100],
      ],
    },
  ],
  outcome: { status: 'SUCCEEDED' },
};

/** A 40-minute import that fails midway, at 62 %, with error details. */
const FAILING_IMPORT: ImportTimeline = {
  phases: [
    { status: 'INITIALIZING', seconds: 120 },
    { status: 'ANALYZING_DATA', seconds: 600 },
    {
      status: 'IMPORTING',
      seconds: 1680,
      progress: [
        [0, 0],
        [1, 62],
      ],
    },
  ],
  outcome: {
    status: 'FAILED',
    statusReason: 'Import failed: 2 files could not be parsed',
    errorCount: 2,
    errorDetails: 'edges.csv line 17: unknown vertex id v-42; edges.csv line 93: unknown vertex id v-77',
  },
};

function clockLabel(startedAt: number, at: string | number): string {
  const seconds = Math.round(((typeof at === 'number' ? at : Date.parse(at)) - startedAt) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `+${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function describe(event: PublishedEvent): string {
  const d = event.Detail;
  const what = typeof d.status === 'string' ? d.status : `${String(d.reason)}: ${String(d.message)}`;
  const progress = typeof d.progressPercentage === 'number' ? ` ${d.progressPercentage}%` : '';
  return `${event.DetailType.replace('Neptune Analytics Import Task ', '')} ${String(d.taskId)} ${what}${progress} (poll ${String(d.pollCount)}${d.terminal === true ? ', terminal' : ''})`;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const wallStart = Date.now();
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };

  out('Neptune Analytics import poller: local demo (no AWS account needed)');
  const synthesized = synthesizePoller({ emitStatusChanges: true });
  out('  Poller: synthesized from NeptuneImportTaskPoller (emitStatusChanges: true), run in aws-local-stepfunctions');
  out(
    `  Sweep: the real sweep function every ${synthesized.sweep?.periodSeconds ?? '?'} s of import time, against the stand-in; waiting watches parked in a local DynamoDB (dynalite)`,
  );
  // Events that come while the triggers are still being listed wait for their own heading.
  const early: PublishedEvent[] = [];
  let eventsHeadingShown = false;
  const showEvent = (event: PublishedEvent): void => out(`  ${clockLabel(startedAt, event.Time)}  ${describe(event)}`);
  const run = await startStandInRun({
    clock: new ScaledClock(1 / SIMULATED_SECONDS_PER_SECOND),
    standIn: {
      timelineForStartedImport: (request) =>
        String(request.source).includes('broken')
          ? FAILING_IMPORT
          : String(request.source).includes('unannounced')
            ? UNANNOUNCED_IMPORT
            : SUCCEEDING_IMPORT,
    },
    synthesized,
    logLevel: 'ERROR',
    onEvent: (event) => (eventsHeadingShown ? showEvent(event) : early.push(event)),
  });
  const { clock, poller, neptuneClient, standIn: neptune, stepFunctions, startFunction: startHandler } = run;
  out(
    `  Neptune Analytics stand-in: ${neptune.endpoint}; 1 s here is ${SIMULATED_SECONDS_PER_SECOND} s of import time`,
  );
  out();

  const route = async (label: string, event: Record<string, unknown>): Promise<void> => {
    const rules = Object.entries(synthesized.rulePatterns).filter(([, pattern]) => matchesEventPattern(pattern, event));
    if (rules.length === 0) {
      out(`  ${label}: matches no rule, nothing started`);
      return;
    }
    const outcome = await startHandler(event);
    const said =
      outcome.outcome === 'ignored' || outcome.outcome === 'malformed' || outcome.outcome === 'sweep-requested'
        ? `${outcome.outcome} (${outcome.reason})`
        : outcome.outcome === 'started'
          ? `execution ${outcome.executionName} started`
          : `already watched by execution ${outcome.executionName}; nothing started`;
    out(`  ${label}: rule ${rules.map(([id]) => id).join(', ')} -> start function -> ${said}`);
  };
  const cloudTrail = (eventName: string, response: unknown, errorCode?: string): Record<string, unknown> => ({
    version: '0',
    id: `ct-${Math.random().toString(16).slice(2)}`,
    'detail-type': CLOUDTRAIL_API_CALL_DETAIL_TYPE,
    source: 'aws.neptune-graph',
    account: '123456789012',
    region: LOCAL_REGION,
    time: new Date().toISOString(),
    resources: [],
    detail: {
      eventSource: 'neptune-graph.amazonaws.com',
      eventName,
      requestParameters: { graphIdentifier: DEMO_GRAPH },
      responseElements: response,
      ...(errorCode === undefined ? {} : { errorCode }),
    },
  });
  const watchRequest = (detail: Record<string, unknown>): Record<string, unknown> => ({
    version: '0',
    id: `wr-${Math.random().toString(16).slice(2)}`,
    'detail-type': WATCH_REQUEST_DETAIL_TYPE,
    source: 'com.example.data-platform',
    account: '123456789012',
    region: LOCAL_REGION,
    time: new Date().toISOString(),
    resources: [],
    detail,
  });

  out('Triggers:');
  const startedAt = clock.now();
  const importOk = await neptuneClient.send(
    new StartImportTaskCommand({
      graphIdentifier: DEMO_GRAPH,
      source: 's3://demo-bucket/people/',
      roleArn: 'arn:aws:iam::123456789012:role/NeptuneImport',
    }),
  );
  const importBroken = await neptuneClient.send(
    new StartImportTaskCommand({
      graphIdentifier: DEMO_GRAPH,
      source: 's3://demo-bucket/broken-edges/',
      roleArn: 'arn:aws:iam::123456789012:role/NeptuneImport',
    }),
  );
  const { $metadata: _ok, ...okResponse } = importOk;
  const { $metadata: _broken, ...brokenResponse } = importBroken;
  await route(
    `StartImportTask -> ${String(importOk.taskId)} (CloudTrail record)`,
    cloudTrail('StartImportTask', okResponse),
  );
  await route(
    `StartImportTask -> ${String(importBroken.taskId)} (CloudTrail record)`,
    cloudTrail('StartImportTask', brokenResponse),
  );
  await route(
    `Watch request for ${String(importOk.taskId)} again`,
    watchRequest({ taskId: importOk.taskId, graphId: DEMO_GRAPH }),
  );
  await route('Watch request for t-0000000000 (no such task)', watchRequest({ taskId: 't-0000000000' }));
  await route(
    'StartImportTask that failed (AccessDenied)',
    cloudTrail('StartImportTask', null, 'AccessDeniedException'),
  );
  const unannounced = await neptuneClient.send(
    new StartImportTaskCommand({
      graphIdentifier: DEMO_GRAPH,
      source: 's3://demo-bucket/unannounced/',
      roleArn: 'arn:aws:iam::123456789012:role/NeptuneImport',
    }),
  );
  const unannouncedId = String(unannounced.taskId);
  const unannouncedAt = clock.now();
  out(`  StartImportTask -> ${unannouncedId}: no CloudTrail record, no watch request; left to the sweep`);
  out();

  out('Events put on the bus (times are import time since the first call):');
  eventsHeadingShown = true;
  early.forEach(showEvent);
  // The sweep's first run, a minute in, finds the unannounced import and starts its watch.
  while (!poller.executions.has(unannouncedId)) await realSleep(10);
  const chains = await Promise.all(
    [...poller.executions.values()]
      .filter((execution) => execution.startedBy === undefined)
      .map((root) => poller.followChain(root)),
  );
  out();

  out('Terminal events in full:');
  for (const chain of chains) {
    const terminal = chain.events.filter((event) => event.Detail.terminal === true);
    for (const event of terminal) {
      out(
        JSON.stringify(
          {
            Source: event.Source,
            DetailType: event.DetailType,
            EventBusName: event.EventBusName,
            Detail: event.Detail,
          },
          null,
          2,
        ),
      );
    }
  }
  out();

  const problems: string[] = [];
  out('Summary:');
  for (const chain of chains) {
    const firstTaskId = chain.events[0]?.Detail.taskId;
    const taskId = typeof firstTaskId === 'string' ? firstTaskId : chain.executions[0].name;
    const terminal = chain.events.filter((event) => event.Detail.terminal === true);
    const last = terminal.at(-1);
    if (terminal.length !== 1) problems.push(`${taskId} ended with ${terminal.length} terminal events`);
    const status = last === undefined ? 'none' : String(last.Detail.status ?? last.Detail.reason);
    out(
      `  ${taskId}: ${status}; ${neptune.pollsOf(taskId).length} GetImportTask requests, ${chain.events.length} events, ` +
        `${chain.executions.length} execution(s), ${chain.executions.reduce((sum, e) => sum + e.stateTransitions, 0)} state transitions`,
    );
  }
  const succeeded = chains.some((chain) =>
    chain.events.some((e) => TERMINAL_IMPORT_STATUSES.includes(String(e.Detail.status))),
  );
  if (!succeeded) problems.push('no import reached a terminal status');
  out(`  StartExecution calls: ${stepFunctions.calls.map((call) => `${call.name} ${call.result}`).join(', ')}`);
  const sweeps = run.sweep?.runs ?? [];
  out(
    `  Sweeps: ${sweeps.length}, woke watches ${sweeps.reduce((sum, r) => sum + (r.summary?.woken ?? 0), 0)} times, ` +
      `started ${sweeps.reduce((sum, r) => sum + (r.summary?.discovered ?? 0), 0)} watch(es), ${sweeps.filter((r) => r.error !== undefined).length} failed`,
  );
  out();

  out('Found by the sweep:');
  const discovered: LocalExecution | undefined = poller.executions.get(unannouncedId);
  const discoveredEnd = chains.find((chain) => chain.executions[0] === discovered)?.events.at(-1);
  if (discovered === undefined || !discovered.input.includes('"trigger":"sweep"') || discoveredEnd === undefined) {
    problems.push(`the sweep did not watch ${unannouncedId}`);
  } else {
    out(
      `  ${unannouncedId}: started at ${clockLabel(startedAt, unannouncedAt)} with no trigger; the sweep started its watch at ${clockLabel(startedAt, discovered.startedAt)}; ` +
        `it ended ${String(discoveredEnd.Detail.status ?? discoveredEnd.Detail.reason)} at ${clockLabel(startedAt, discoveredEnd.Time)}`,
    );
  }
  const failure = poller.events.find((e) => e.Detail.taskId === importBroken.taskId && e.Detail.terminal === true);
  const details = (failure?.Detail.importTask as { importTaskDetails?: { startTime?: string } } | undefined)
    ?.importTaskDetails;
  if (failure === undefined || details?.startTime === undefined) {
    problems.push(`no terminal event for ${String(importBroken.taskId)}`);
  } else {
    const failedAt = Date.parse(details.startTime) + timelineSeconds(FAILING_IMPORT) * 1000;
    const seenAfter = Math.round((Date.parse(failure.Time) - failedAt) / 1000);
    out(
      `  ${String(importBroken.taskId)}: failed midway (${String(failure.Detail.progressPercentage)} %) at ${clockLabel(startedAt, failedAt)}; ` +
        `its ${String(failure.Detail.status)} event put at ${clockLabel(startedAt, failure.Time)}, ${seenAfter} s later ` +
        `(the sweep's next run, not the watch's next own poll)`,
    );
    if (seenAfter > 90) problems.push(`the failure of ${String(importBroken.taskId)} was seen ${seenAfter} s late`);
  }
  out(`  Wall time: ${((Date.now() - wallStart) / 1000).toFixed(1)} s`);

  await run.stop();
  if (problems.length > 0) {
    process.stderr.write(`Demo failed: ${problems.join('; ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
