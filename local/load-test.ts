/**
 * `npm run load`: hundreds of imports watched at the same time through the local runner, against
 * the stand-in with a request-rate limit that answers 429 beyond it, and that also answers 429 to
 * the first poll of some imports whatever the rate; then one very long watch. Checks that every
 * import ends with exactly one terminal event, its own, and reports the figures.
 *
 *   npm run load -- --help
 */
import { Duration } from 'aws-cdk-lib';
import { parseArgs } from 'node:util';
import { TERMINAL_IMPORT_STATUSES } from '../lib/events';
import { PollingStrategy } from '../lib/polling-strategy';
import { ScaledClock } from './clock';
import { simpleTimeline, timelineSeconds, type ImportOutcome } from './import-timeline';
import { startStandInRun } from './local-environment';
import type { ListingOrder, StandInFault, StandInTask } from './neptune-graph-standin';
import { logUniform, quantile, seededRandom } from './seeded-random';

/** Settings of a load run. */
export interface LoadTestOptions {
  readonly imports: number;
  /** Requests per simulated second the stand-in answers before 429. */
  readonly rateLimit: number;
  /** Real seconds per simulated second. */
  readonly timeScale: number;
  readonly seed: number;
  /** Shortest and longest import, in simulated seconds (drawn log-uniformly between). */
  readonly importSeconds?: readonly [number, number];
  /** Polls the long watch must need, at least. */
  readonly longWatchPolls: number;
  /**
   * Imports whose first poll the stand-in answers 429 `ThrottlingException` whatever the request
   * rate, so that throttling happens however fast the machine runs; from 0 to `imports`.
   * @default 0
   */
  readonly injectedThrottles?: number;
  /**
   * The order the stand-in lists the tasks in.
   * @default 'oldest-first'
   */
  readonly listingOrder?: ListingOrder;
}

/** What a load run measured. */
export interface LoadTestReport {
  readonly imports: number;
  readonly rateLimitPerSecond: number;
  readonly timeScale: number;
  readonly wallSeconds: number;
  readonly simulatedSeconds: number;
  /** `GetImportTask` requests. */
  readonly polls: number;
  /** `ListImportTasks` requests of the sweep. */
  readonly listings: number;
  /** `GetImportTask` requests answered 429, beyond the rate limit or injected. */
  readonly throttled: number;
  /** 429 answers injected: asked for, and given (each to its import's first poll within the rate limit). */
  readonly injectedThrottles: { readonly requested: number; readonly answered: number };
  /** Watches that were answered 429 at least once, and how many of them ended with exactly one terminal event, their own. */
  readonly throttledWatches: { readonly watches: number; readonly endedWithTheirOwnEvent: number };
  /** Most requests of any kind the stand-in received within one second of its clock. */
  readonly peakRequestsPerSecond: number;
  readonly executions: number;
  readonly terminalEventsPerImport: { readonly exactlyOne: number; readonly none: number; readonly more: number };
  readonly wrongOutcome: number;
  readonly failedExecutions: number;
  readonly detectionLatencySeconds: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly longWatch: {
    readonly polls: number;
    readonly executions: number;
    readonly terminalEvents: number;
    readonly wallSeconds: number;
  };
}

const OUTCOMES: readonly [number, ImportOutcome][] = [
  [0.9, { status: 'SUCCEEDED' }],
  [
    0.96,
    { status: 'FAILED', statusReason: 'Rows could not be parsed', errorCount: 3, errorDetails: 'edges.csv: 3 rows' },
  ],
  [0.98, { status: 'CANCELLED', statusReason: 'Cancelled by user' }],
  [1, { status: 'DELETED' }],
];

/** The answer the stand-in gives beyond its rate limit, injected whatever the rate. */
const THROTTLE: StandInFault = {
  kind: 'error',
  status: 429,
  errorType: 'ThrottlingException',
  message: 'Rate exceeded',
};

function pickOutcome(random: () => number): ImportOutcome {
  const r = random();
  return OUTCOMES.find(([threshold]) => r < threshold)![1];
}

/** Peak number of requests within any one second of `times` (epoch ms, sorted). */
function peakPerSecond(times: readonly number[]): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

async function concurrentImports(options: LoadTestOptions) {
  const injectedThrottles = options.injectedThrottles ?? 0;
  if (!Number.isInteger(injectedThrottles) || injectedThrottles < 0 || injectedThrottles > options.imports) {
    throw new RangeError(
      `injectedThrottles must be a whole number from 0 to the number of imports (${options.imports}); got ${injectedThrottles}`,
    );
  }
  const random = seededRandom(options.seed);
  const run = await startStandInRun({
    clock: new ScaledClock(options.timeScale),
    standIn: {
      maxRequestsPerSecond: options.rateLimit,
      ...(options.listingOrder === undefined ? {} : { listingOrder: options.listingOrder }),
    },
    maxSockets: options.imports,
    logLevel: 'SILENT',
  });
  const { clock, standIn, poller } = run;

  const tasks: StandInTask[] = [];
  for (let i = 0; i < options.imports; i++) {
    const [shortest, longest] = options.importSeconds ?? [600, 4 * 3600];
    const seconds = Math.round(logUniform(random, shortest, longest));
    tasks.push(standIn.addTask({ timeline: simpleTimeline(seconds, pickOutcome(random)) }));
  }
  for (const task of tasks.slice(0, injectedThrottles)) standIn.injectFaults(task.taskId, THROTTLE);
  const wallStart = Date.now();
  const simulatedStart = clock.now();
  // All at once: the burst a data platform makes when it starts a batch of imports.
  const outcomes = await Promise.all(tasks.map((task) => poller.watch({ taskId: task.taskId, graphId: task.graphId })));
  const wallSeconds = (Date.now() - wallStart) / 1000;
  const simulatedSeconds = (clock.now() - simulatedStart) / 1000;
  await run.stop();

  let exactlyOne = 0;
  let none = 0;
  let more = 0;
  let wrongOutcome = 0;
  let throttledWatches = 0;
  let throttledEndedWithTheirOwnEvent = 0;
  const latencies: number[] = [];
  tasks.forEach((task, i) => {
    const terminal = outcomes[i].events.filter((event) => event.Detail.terminal === true);
    if (terminal.length === 1) exactlyOne++;
    else if (terminal.length === 0) none++;
    else more++;
    const status = terminal[0]?.Detail.status;
    const ownOutcome =
      terminal[0]?.Detail.taskId === task.taskId &&
      status === task.timeline.outcome.status &&
      TERMINAL_IMPORT_STATUSES.includes(String(status));
    if (!ownOutcome) wrongOutcome++;
    if (standIn.pollsOf(task.taskId).some((request) => request.status === 429)) {
      throttledWatches++;
      if (terminal.length === 1 && ownOutcome) throttledEndedWithTheirOwnEvent++;
    }
    if (terminal[0] !== undefined) {
      const endedAt = task.startedAt + timelineSeconds(task.timeline) * 1000;
      latencies.push((Date.parse(terminal[0].Time) - endedAt) / 1000);
    }
  });
  // GetImportTask requests name their task; the sweep's ListImportTasks requests do not.
  const gets = standIn.requests.filter((request) => request.method === 'GET' && request.taskId !== undefined);
  return {
    wallSeconds,
    simulatedSeconds,
    polls: gets.length,
    listings: standIn.listRequests().length,
    throttled: gets.filter((request) => request.status === 429).length,
    injectedThrottles: {
      requested: injectedThrottles,
      answered: gets.filter((request) => request.status === 429 && request.fault === 'error').length,
    },
    throttledWatches: { watches: throttledWatches, endedWithTheirOwnEvent: throttledEndedWithTheirOwnEvent },
    peakRequestsPerSecond: peakPerSecond(standIn.requests.map((request) => request.at)),
    executions: outcomes.reduce((sum, outcome) => sum + outcome.executions.length, 0),
    failedExecutions: outcomes.reduce(
      (sum, outcome) => sum + outcome.executions.filter((e) => e.status === 'FAILED').length,
      0,
    ),
    terminalEventsPerImport: { exactlyOne, none, more },
    wrongOutcome,
    detectionLatencySeconds: {
      p50: Math.round(quantile(latencies, 0.5)),
      p95: Math.round(quantile(latencies, 0.95)),
      max: Math.round(Math.max(...latencies)),
    },
  };
}

/**
 * One import polled every 30 s for as long as it takes to need `polls` polls, on a stepping clock.
 * Its waits are parked as deployed; the sweep is left out, since the import's status changes
 * three times in thousands of polls, and a sweep every minute would double the run for nothing.
 */
async function longWatch(polls: number) {
  const { standIn, poller, stop } = await startStandInRun({
    props: { pollingStrategy: PollingStrategy.fixed({ interval: Duration.seconds(30), jitter: 0 }) },
    logLevel: 'SILENT',
    sweep: false,
  });
  const task = standIn.addTask({ timeline: simpleTimeline(polls * 30) });
  const started = Date.now();
  const outcome = await poller.watch({ taskId: task.taskId });
  await stop();
  return {
    polls: standIn.pollsOf(task.taskId).length,
    executions: outcome.executions.length,
    terminalEvents: outcome.events.filter((event) => event.Detail.terminal === true).length,
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** Runs the load test and returns what it measured. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const concurrent = await concurrentImports(options);
  const long = await longWatch(options.longWatchPolls);
  return {
    imports: options.imports,
    rateLimitPerSecond: options.rateLimit,
    timeScale: options.timeScale,
    ...concurrent,
    wallSeconds: Math.round(concurrent.wallSeconds * 10) / 10,
    simulatedSeconds: Math.round(concurrent.simulatedSeconds),
    longWatch: long,
  };
}

/** Problems that make the run fail. */
export function loadTestProblems(report: LoadTestReport): string[] {
  const problems: string[] = [];
  const { none, more } = report.terminalEventsPerImport;
  if (none > 0) problems.push(`${none} imports ended with no terminal event`);
  if (more > 0) problems.push(`${more} imports ended with more than one terminal event`);
  if (report.wrongOutcome > 0) problems.push(`${report.wrongOutcome} imports ended with another outcome than theirs`);
  if (report.failedExecutions > 0) problems.push(`${report.failedExecutions} executions failed`);
  const { requested, answered } = report.injectedThrottles;
  if (answered !== requested) problems.push(`${answered} of ${requested} injected 429 answers were given`);
  const { watches, endedWithTheirOwnEvent } = report.throttledWatches;
  if (endedWithTheirOwnEvent < watches)
    problems.push(
      `${watches - endedWithTheirOwnEvent} of ${watches} throttled watches did not end with their own terminal event`,
    );
  if (report.longWatch.terminalEvents !== 1)
    problems.push(`the long watch ended with ${report.longWatch.terminalEvents} terminal events`);
  return problems;
}

const LISTING_ORDERS: readonly ListingOrder[] = ['oldest-first', 'newest-first', 'random'];

const USAGE = `Usage: npm run load -- [options]

Options:
  --imports <n>             imports watched at once (default 500)
  --rate-limit <n>          requests per simulated second the stand-in answers before 429 (default 25)
  --injected-throttles <n>  imports whose first poll is answered 429 whatever the rate, 0 to --imports (default 50)
  --time-scale <factor>     real seconds per simulated second (default 0.003)
  --seed <n>                seed of the imports' durations and outcomes (default 7)
  --long-watch-polls <n>    polls the long watch must need, at least (default 12000)
  --listing-order <order>   oldest-first, newest-first or random: how the stand-in lists the tasks (default oldest-first)
  --json                    print the report as one JSON line
  --help                    this text

Exit status: 0 when every import ended with exactly one terminal event, its own; 1 otherwise.`;

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      imports: { type: 'string', default: '500' },
      'rate-limit': { type: 'string', default: '25' },
      'injected-throttles': { type: 'string', default: '50' },
      'time-scale': { type: 'string', default: '0.003' },
      seed: { type: 'string', default: '7' },
      'long-watch-polls': { type: 'string', default: '12000' },
      'listing-order': { type: 'string', default: 'oldest-first' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const listingOrder = values['listing-order'];
  if (!LISTING_ORDERS.includes(listingOrder as ListingOrder)) {
    process.stderr.write(
      `--listing-order takes ${LISTING_ORDERS.join(', ')}; got ${JSON.stringify(listingOrder)}\n\n${USAGE}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const report = await runLoadTest({
    listingOrder: listingOrder as ListingOrder,
    imports: Number(values.imports),
    rateLimit: Number(values['rate-limit']),
    injectedThrottles: Number(values['injected-throttles']),
    timeScale: Number(values['time-scale']),
    seed: Number(values.seed),
    longWatchPolls: Number(values['long-watch-polls']),
  });
  const problems = loadTestProblems(report);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...report, problems })}\n`);
  } else {
    const lines = [
      `Imports watched at once:       ${report.imports} (started together; stand-in limit ${report.rateLimitPerSecond} requests/s, 429 beyond)`,
      `Ended with one terminal event: ${report.terminalEventsPerImport.exactlyOne} of ${report.imports}; none: ${report.terminalEventsPerImport.none}; more than one: ${report.terminalEventsPerImport.more}; wrong outcome: ${report.wrongOutcome}`,
      `GetImportTask requests:        ${report.polls}, of which 429: ${report.throttled} (${report.injectedThrottles.answered} injected); throttled watches: ${report.throttledWatches.watches}, ended with their own terminal event: ${report.throttledWatches.endedWithTheirOwnEvent}`,
      `ListImportTasks requests:      ${report.listings} (the sweep's)`,
      `Peak request rate:             ${report.peakRequestsPerSecond} requests in one second`,
      `Executions:                    ${report.executions} (failed: ${report.failedExecutions})`,
      `Detection latency:             p50 ${report.detectionLatencySeconds.p50} s, p95 ${report.detectionLatencySeconds.p95} s, max ${report.detectionLatencySeconds.max} s`,
      `Time:                          ${report.wallSeconds} s wall for ${report.simulatedSeconds} s simulated (time scale ${report.timeScale})`,
      `Longest watch:                 ${report.longWatch.polls} polls, ${report.longWatch.executions} executions, ${report.longWatch.terminalEvents} terminal event, ${report.longWatch.wallSeconds} s wall`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (problems.length > 0) {
    process.stderr.write(`Load test failed: ${problems.join('; ')}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
