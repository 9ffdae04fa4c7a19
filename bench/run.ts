/**
 * `npm run bench [-- --json] [-- --write-docs]`: the polling strategies side by side on a seeded
 * workload of simulated imports, without and with the sweep, the state machine's cost per poll
 * measured in the local interpreter, and the poll handler's bundle beside the floor. Exits 1
 * when a target is missed.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Duration } from 'aws-cdk-lib';
import { HISTORY_EVENTS_PER_STATE } from '../lambda/poll/history-accounting';
import { PollingStrategy } from '../lib/polling-strategy';
import { quantile } from '../local/seeded-random';
import { compareBundles, type BundleComparison } from './bundle-size';
import { compareStrategies, type StrategyFigures } from './compare';
import { costPer1000Imports, PRICES, SWEEP_TRANSITIONS_PER_POLL, type CostBreakdown } from './costs';
import { DEFAULT_SWEEP, type ListingFigures, type SweepModel } from './listing';
import { latencyVersusCallsSvg } from './plot';
import { cliWaiter, pollerSchedule, sdkWaiter, type ScheduleFactory } from './schedules';
import { measureStateMachineCosts, type StateMachineCosts } from './state-machine-costs';
import { DEFAULT_WORKLOAD, generateWorkload, type SimulatedImport, type Workload } from './workload';
import { timelineSeconds } from '../local/import-timeline';

/**
 * The watches' own polling in the construct's default configuration with the sweep on (a backstop,
 * since the sweep wakes them on every change), and how the report names it.
 */
export const SWEPT_DEFAULT_POLLING = {
  strategy: PollingStrategy.fixed({ interval: Duration.hours(2), jitter: 0.1 }),
  description: 'PollingStrategy.fixed({ interval: Duration.hours(2), jitter: 0.1 })',
} as const;

/** The row of the construct's default configuration, with the sweep on. */
const DEFAULT_SWEPT = 'default+sweep';

/** How long ended tasks stay listed, in the table that shows what it changes; `Infinity`: every task ever started. */
const LISTING_RETENTIONS_SECONDS = [0, 3600, 86_400, Number.POSITIVE_INFINITY] as const;

function defaultSwept(sweep: SweepModel): ScheduleFactory {
  return pollerSchedule(
    DEFAULT_SWEPT,
    `${SWEPT_DEFAULT_POLLING.description} with the sweep: the construct default`,
    SWEPT_DEFAULT_POLLING.strategy,
    sweep,
  );
}

/**
 * The strategies compared: each without the sweep (`default` is the construct's default with
 * the sweep turned off), then the construct's default with the sweep, and progress-aware polling
 * with the sweep.
 */
export function benchmarkStrategies(): ScheduleFactory[] {
  return [
    pollerSchedule(
      'fixed-30s',
      'Every 30 s (the Airflow Neptune Analytics operator default)',
      PollingStrategy.fixed({ interval: Duration.seconds(30), jitter: 0 }),
    ),
    cliWaiter,
    sdkWaiter,
    pollerSchedule(
      'capped-exponential',
      'PollingStrategy.exponential(): 30 s, ×1.5 per poll, at most 15 min',
      PollingStrategy.exponential(),
    ),
    pollerSchedule(
      'default',
      'PollingStrategy.progressAware(): the construct default with the sweep turned off',
      PollingStrategy.progressAware(),
    ),
    defaultSwept(DEFAULT_SWEEP),
    pollerSchedule(
      'progress-aware+sweep',
      'PollingStrategy.progressAware() with the sweep',
      PollingStrategy.progressAware(),
      DEFAULT_SWEEP,
    ),
  ];
}

/** One row of the comparison, as `--json` prints it. */
export interface StrategyRow extends Omit<StrategyFigures, 'results'> {
  /** `callsPerImport` as a share of `fixed-30s`'s. */
  readonly shareOfFixed30sCalls: number;
  readonly maxHistoryEvents: number;
  readonly costPer1000ImportsUsd: number;
  readonly costBreakdownPer1000ImportsUsd: CostBreakdown;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function toRow(figures: StrategyFigures, costs: StateMachineCosts, fixed30sCalls: number): StrategyRow {
  const { results, ...rest } = figures;
  const polls = results.map((r) => r.polls);
  // A parked wait's history events take the place of a Wait state's.
  const historyPerPoll =
    costs.historyEvents.perPoll +
    (figures.sweep === undefined ? 0 : HISTORY_EVENTS_PER_STATE.parkedWait - HISTORY_EVENTS_PER_STATE.wait);
  const cost = costPer1000Imports(
    {
      polls: mean(polls),
      parks: mean(results.map((r) => r.parks)),
      sweepWrites: mean(results.map((r) => r.sweepWrites)),
    },
    costs.transitions,
    figures.listing === undefined ? undefined : { listing: figures.listing, imports: results.length },
  );
  return {
    ...rest,
    shareOfFixed30sCalls: figures.callsPerImport / fixed30sCalls,
    maxHistoryEvents: Math.round(historyPerPoll * Math.max(...polls) + costs.historyEvents.perWatch),
    costPer1000ImportsUsd: round(cost.total, 2),
    costBreakdownPer1000ImportsUsd: {
      stepFunctions: round(cost.stepFunctions, 3),
      pollFunction: round(cost.pollFunction, 3),
      sweepFunction: round(cost.sweepFunction, 3),
      dynamoDb: round(cost.dynamoDb, 3),
      total: round(cost.total, 3),
    },
  };
}

function toRows(figures: readonly StrategyFigures[], costs: StateMachineCosts, fixed30sCalls: number): StrategyRow[] {
  return figures.map((f) => toRow(f, costs, fixed30sCalls));
}

function describeWorkload(workload: Workload, listing: ListingFigures | undefined) {
  const { imports } = workload;
  const durations = imports.map((w) => timelineSeconds(w.timeline));
  const count = (kind: SimulatedImport['kind']) => imports.filter((w) => w.kind === kind).length;
  return {
    ...DEFAULT_WORKLOAD,
    succeeding: count('succeeds'),
    failingMidway: count('fails'),
    restartingWithNewAttempt: count('restarts'),
    durationSeconds: {
      min: Math.round(Math.min(...durations)),
      p50: Math.round(quantile(durations, 0.5)),
      mean: Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
      max: Math.round(Math.max(...durations)),
    },
    meanSecondsBetweenStarts: Math.round(workload.cycleSeconds / (imports.length + 1)),
    cycleSeconds: Math.round(workload.cycleSeconds),
    meanRunningAtSweeps: listing === undefined ? undefined : Math.round(listing.meanRunning * 10) / 10,
  };
}

/** The default configuration with the sweep, for each listing retention. */
export interface RetentionRow {
  /** `Infinity` (`null` in JSON): every task ever started. */
  readonly listingRetentionSeconds: number;
  readonly label: string;
  readonly listing: ListingFigures;
  readonly strategy: StrategyRow;
}

/** Whether the targets of the benchmark are met, one line each. */
export function checkTargets(
  rows: readonly StrategyRow[],
  bundle: BundleComparison,
): { target: string; met: boolean; measured: string }[] {
  const byName = (name: string) => rows.find((row) => row.name === name)!;
  const best = byName('default');
  const fixed30 = byName('fixed-30s');
  const swept = byName(DEFAULT_SWEPT);
  const dominating = rows.filter(
    (row) =>
      row.sweep === undefined &&
      row.name !== 'default' &&
      row.undetected <= best.undetected &&
      row.p95LatencySeconds <= best.p95LatencySeconds &&
      row.meanPolls <= best.meanPolls &&
      (row.p95LatencySeconds < best.p95LatencySeconds || row.meanPolls < best.meanPolls),
  );
  const share = best.meanPolls / fixed30.meanPolls;
  return [
    {
      target: 'default: p95 detection latency at most 60 s',
      met: best.p95LatencySeconds <= 60,
      measured: `${best.p95LatencySeconds} s`,
    },
    {
      target: "default: mean polls at most 5 % of fixed-30s's",
      met: share <= 0.05,
      measured: `${best.meanPolls} vs ${fixed30.meanPolls} (${(share * 100).toFixed(1)} %)`,
    },
    { target: 'default: no import undetected', met: best.undetected === 0, measured: `${best.undetected}` },
    {
      target: 'no strategy without the sweep better than default on both p95 latency and mean polls',
      met: dominating.length === 0,
      measured: dominating.length === 0 ? 'none' : dominating.map((row) => row.name).join(', '),
    },
    {
      target: `${DEFAULT_SWEPT}: p95 latency over all ends at most 60 s`,
      met: swept.p95EndLatencySeconds <= 60,
      measured: `${swept.p95EndLatencySeconds} s`,
    },
    {
      target: `${DEFAULT_SWEPT}: max latency over all ends at most 120 s, no import undetected`,
      met: swept.maxEndLatencySeconds <= 120 && swept.undetected === 0,
      measured: `${swept.maxEndLatencySeconds} s, ${swept.undetected} undetected`,
    },
    {
      target: `${DEFAULT_SWEPT}: GetImportTask and ListImportTasks calls at most 2 % of fixed-30s's`,
      met: swept.shareOfFixed30sCalls <= 0.02,
      measured:
        `${swept.meanPolls} + ${swept.listCallsPerImport} = ${swept.callsPerImport} vs ${fixed30.callsPerImport} ` +
        `(${(swept.shareOfFixed30sCalls * 100).toFixed(2)} %)`,
    },
    {
      target: 'poll handler bundle at most 1.2× the floor in size',
      met: bundle.sizeRatio <= 1.2,
      measured: `${bundle.sizeRatio}×`,
    },
    {
      target: 'poll handler at most 1.2× the floor in module load time',
      met: bundle.loadRatio <= 1.2,
      measured: `${bundle.loadRatio}×`,
    },
  ];
}

type Report = Awaited<ReturnType<typeof runBenchmark>>;

const percent = (share: number): string => `${(share * 100).toFixed(2)} %`;
const usd = (value: number): string => value.toFixed(2);
/** A paragraph written as several strings, so that each stays short in this file. */
const prose = (...parts: string[]): string => parts.join(' ');
const row = (...cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
/** A table's header: the first column left-aligned, the others right-aligned. */
const head = (...titles: string[]): string[] => [row(...titles), row('---', ...titles.slice(1).map(() => '---:'))];

function hoursLabel(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'every task ever started';
  return seconds === 0 ? '0 (gone at its end)' : `${seconds / 3600} h`;
}

function sweepModelLines(report: Report): string[] {
  const m = DEFAULT_SWEEP;
  const w = report.workload;
  const listing = report.strategies.find((r) => r.name === DEFAULT_SWEPT)!.listing!;
  return [
    '## The sweep',
    '',
    prose(
      "With the sweep on, a function lists the account's import tasks with `ListImportTasks`",
      `every ${m.periodSeconds} s (pages of ${m.pageSize} tasks, one call per page,`,
      `at most ${m.maxPagesPerSweep} pages) and, for every listed task`,
      'whose status differs from the status its watch last saw, wakes the watch (`SendTaskSuccess` on the token of its',
      'parked wait). The watch polls `GetImportTask` at once, publishes what it sees and parks again.',
      'When no wake comes, its wait ends when due and it polls on its own schedule: with the sweep on,',
      `the construct's default is a backstop, \`${SWEPT_DEFAULT_POLLING.description}\`,`,
      'since the sweep sees the changes no schedule can foresee.',
    ),
    '',
    'The benchmark models it so:',
    '',
    `- Sweeps run at fixed times, every ${m.periodSeconds} s from one seeded random phase, whatever the watches do.`,
    prose(
      `- Imports start as a seeded Poisson process, one every ${w.meanSecondsBetweenStarts} s on average:`,
      `the rate at which ${w.concurrency} run at once on average (the rate times the mean duration).`,
      `The workload is read as repeating every ${(w.cycleSeconds / 3600).toFixed(1)} h,`,
      `the time its ${w.imports} starts take,`,
      'so that every sweep sees the account in its steady state, the imports of the cycles before and after standing',
      `for the account's other tasks; on average ${w.meanRunningAtSweeps} were running at a sweep.`,
    ),
    prose(
      '- A listing holds every task running and every task that ended within the',
      `${hoursLabel(m.listingRetentionSeconds)} before. AWS does not document how long ended tasks stay listed:`,
      'the section "How long ended tasks stay listed" shows what other durations change.',
      `A sweep reads as many pages as the listed tasks fill (${m.pageSize} a page),`,
      `at least 1 and at most ${m.maxPagesPerSweep}.`,
      'The order of the listing is not documented either; newest first is assumed, so the tasks beyond the last page',
      'read are the oldest. A sweep that would wake a watch whose task is beyond it does not ("missed by the sweep");',
      'the watch still sees the change at its own next poll.',
    ),
    prose(
      "- A sweep wakes a watch when the status its task lists at the sweep's time (from the import's timeline) differs",
      'from the one the watch last saw: a new phase, a restart (REPROVISIONING), a rollback (ROLLING_BACK), the end.',
      `The woken watch polls ${m.wakeDelaySeconds} s after the sweep (the sweep's own run, the wake, the poll),`,
      'unless its own poll comes first, and then waits as the poll function decides.',
      'Each poll is one `GetImportTask` call; an end is seen at the first poll that answers the terminal status.',
    ),
    prose(
      '- The sweeps are shared by the imports running at once: `ListImportTasks` calls per import are the pages',
      `of all the sweeps of one cycle divided by its imports. ${listing.sweeps} sweeps read ${listing.pages} pages`,
      `(${(listing.pages / listing.sweeps).toFixed(2)} per sweep; ${listing.meanListed.toFixed(1)} tasks listed`,
      `on average, at most ${listing.maxListed}).`,
    ),
    prose(
      '- Left out: failed or throttled sweeps and wakes, and discovery, by which a sweep starts the watch of a task',
      'it lists before the CloudTrail-triggered start does (it would start some watches earlier;',
      'the record the sweep writes for such a task is counted).',
    ),
    '',
  ];
}

function latencyLines(report: Report): string[] {
  const w = report.workload;
  return [
    '## Latency',
    '',
    'Seconds from an end to the poll that sees it, over the imports detected.',
    '',
    ...head(
      'strategy',
      'p50',
      'p95',
      'max',
      'undetected',
      'failures midway, p95',
      'failures midway, max',
      'all ends, p95',
      'all ends, max',
      'missed by the sweep',
    ),
    ...report.strategies.map((r) =>
      row(
        `\`${r.name}\``,
        r.p50LatencySeconds,
        r.p95LatencySeconds,
        r.maxLatencySeconds,
        r.undetected,
        r.p95FailureLatencySeconds,
        r.maxFailureLatencySeconds,
        r.p95EndLatencySeconds,
        r.maxEndLatencySeconds,
        r.sweep === undefined ? '–' : r.missedBySweep,
      ),
    ),
    '',
    ...report.strategies.map((r) => `- \`${r.name}\`: ${r.description}.`),
    '',
    prose(
      "p50, p95 and max are from the import's true end (its terminal status) to the poll that sees it;",
      '`undetected` counts imports whose end the schedule never saw (the CLI waiter stops after 8 hours).',
      `"All ends" adds to the ${w.imports} terminal statuses (successes and failures midway)`,
      `the ${w.restartingWithNewAttempt} restarts, each the end of a first attempt, seen at the first poll after`,
      'REPROVISIONING began. Failures midway cannot be foreseen by any schedule: without the sweep, the default sees',
      'them at its next poll, at most an hour later; with it, the next sweep wakes the watch.',
      '"Missed by the sweep" counts the sweeps that would have woken a watch',
      'but did not read the page its task was on.',
    ),
    '',
  ];
}

function costLines(report: Report): string[] {
  const sm = report.stateMachine;
  const swept = report.strategies.find((r) => r.name === DEFAULT_SWEPT)!;
  return [
    '## Calls and cost',
    '',
    ...head(
      'strategy',
      'GetImportTask per import, mean',
      'GetImportTask per import, p95',
      'ListImportTasks per import',
      'both',
      'share of `fixed-30s`',
      'max history events',
      'cost per 1,000 imports (USD)',
    ),
    ...report.strategies.map((r) =>
      row(
        `\`${r.name}\``,
        r.meanPolls,
        r.p95Polls,
        r.listCallsPerImport,
        r.callsPerImport,
        percent(r.shareOfFixed30sCalls),
        r.maxHistoryEvents,
        usd(r.costPer1000ImportsUsd),
      ),
    ),
    '',
    ...head(
      'strategy',
      'Step Functions',
      'poll function',
      'sweep function',
      'DynamoDB',
      'total (USD per 1,000 imports)',
    ),
    ...report.strategies.map(({ name, costBreakdownPer1000ImportsUsd: c, costPer1000ImportsUsd }) =>
      row(
        `\`${name}\``,
        c.stepFunctions.toFixed(3),
        c.pollFunction.toFixed(3),
        c.sweepFunction.toFixed(3),
        c.dynamoDb.toFixed(3),
        usd(costPer1000ImportsUsd),
      ),
    ),
    '',
    `\`${DEFAULT_SWEPT}\` is woken ${swept.meanWakes} times per import on average.`,
    '',
    prose(
      'History events and state transitions per poll were measured by running the synthesized state machine,',
      `with the sweep off, in the local interpreter: ${sm.transitions.perPoll} transitions and`,
      `${sm.historyEvents.perPoll} history events per poll, plus ${sm.transitions.perWatch} and`,
      `${sm.historyEvents.perWatch} per watch.`,
      `With the sweep, ${SWEEP_TRANSITIONS_PER_POLL} transitions per poll cycle`,
      "are added for the states it adds (a Choice and the park task); where the park task takes the Wait state's",
      'place rather than following it, this errs on the high side.',
      `The park task's ${HISTORY_EVENTS_PER_STATE.parkedWait}`,
      `history events take the place of the Wait state's ${HISTORY_EVENTS_PER_STATE.wait}.`,
      '"Max history events" is what one execution would need for the longest watch; past 25,000 Step Functions would',
      'stop it, so the poller continues such watches in new executions.',
    ),
    '',
    prose(
      'Prices: Step Functions Standard $0.025 per 1,000 state transitions; Lambda $0.20 per million requests and',
      '$0.0000133334 per GB-second (arm64), assuming',
      `${PRICES.lambdaBilledSecondsPerPoll * 1000} ms billed per poll at ${PRICES.lambdaMemoryGb * 1024} MB,`,
      'and per sweep',
      `${PRICES.sweepBilledSecondsPerRun * 1000} ms plus ${PRICES.sweepBilledSecondsPerPage * 1000} ms per page`,
      `at ${PRICES.sweepLambdaMemoryGb * 1024} MB; DynamoDB on-demand $0.625 per million write request units and`,
      '$0.125 per million read request units. With the sweep: one write per park (every wait; items under 1 KB),',
      "the sweep's own writes (the record of a task it lists before its watch first parked, the removal of the stale",
      'token of a task it lists after its watch ended), and per page one `BatchGetItem` of the tasks listed on it',
      `at ${PRICES.readRequestUnitsPerKey} read request unit each (strongly consistent).`,
      '`ListImportTasks`, `GetImportTask` and `SendTaskSuccess` calls have no price of their own. Free tiers left out.',
    ),
    '',
    '![p95 latency over all ends against calls per import](benchmark-latency-vs-polls.svg)',
    '',
  ];
}

function retentionLines(report: Report): string[] {
  return [
    '## How long ended tasks stay listed',
    '',
    prose(
      `\`${DEFAULT_SWEPT}\` with ended tasks listed for other durations.`,
      "With 0, no sweep lists an end, so the watches' own polls see every end; with every task ever started,",
      `every sweep reads its ${DEFAULT_SWEEP.maxPagesPerSweep} pages and the oldest tasks are beyond them.`,
    ),
    '',
    ...head(
      'ended tasks listed for',
      'tasks listed per sweep, mean',
      'max',
      'pages per sweep',
      'sweeps at the page cap',
      'ListImportTasks per import',
      'GetImportTask per import',
      'both',
      'share of `fixed-30s`',
      'all ends, p95 (s)',
      'all ends, max (s)',
      'missed by the sweep',
    ),
    ...report.retentions.map(({ listingRetentionSeconds, label, listing, strategy: r }) =>
      row(
        label + (listingRetentionSeconds === DEFAULT_SWEEP.listingRetentionSeconds ? ' (the model default)' : ''),
        Number.isFinite(listing.meanListed) ? listing.meanListed.toFixed(1) : 'all',
        Number.isFinite(listing.maxListed) ? listing.maxListed : 'all',
        (listing.pages / listing.sweeps).toFixed(2),
        `${listing.cappedSweeps} of ${listing.sweeps}`,
        r.listCallsPerImport,
        r.meanPolls,
        r.callsPerImport,
        percent(r.shareOfFixed30sCalls),
        r.p95EndLatencySeconds,
        r.maxEndLatencySeconds,
        r.missedBySweep,
      ),
    ),
    '',
  ];
}

function markdown(report: Report): string {
  const w = report.workload;
  const lines = [
    '# Benchmarks',
    '',
    prose(
      'Reproduce with `npm run bench` (add `-- --json` for one JSON object,',
      '`-- --write-docs` to rewrite this page and the plot).',
    ),
    '',
    '## Workload',
    '',
    prose(
      `${w.imports} simulated imports, seed ${w.seed}: durations log-uniform from ${w.minSeconds / 60} minutes`,
      `to ${w.maxSeconds / 3600} hours (median ${Math.round(w.durationSeconds.p50 / 60)} min,`,
      `mean ${Math.round(w.durationSeconds.mean / 60)} min); INITIALIZING and ANALYZING_DATA first, then IMPORTING`,
      'whose progress runs in 3 to 6 stretches of speeds differing up to fourfold, with plateaus and reported values',
      `that wobble by up to 1.5 points; ${w.failingMidway} fail midway (ROLLING_BACK, then FAILED),`,
      `${w.restartingWithNewAttempt} restart with a new attempt (REPROVISIONING, then IMPORTING from 0);`,
      'none is cancelled. Each watch starts 30 to 180 s after its import, as a CloudTrail-triggered one would.',
      `The imports start at a rate that keeps ${w.concurrency} running at once on average, which only the sweep's`,
      'shared calls depend on.',
    ),
    '',
    ...sweepModelLines(report),
    ...latencyLines(report),
    ...costLines(report),
    ...retentionLines(report),
    '## Poll handler bundle',
    '',
    ...head('bundle', 'size (bytes)', 'module load time (ms, median)'),
    row('poll handler (what deploys)', report.bundle.handler.bytes, report.bundle.handler.loadMilliseconds),
    row(
      'floor: Neptune Analytics client and one GetImportTask call',
      report.bundle.floor.bytes,
      report.bundle.floor.loadMilliseconds,
    ),
    row('ratio', `${report.bundle.sizeRatio}×`, `${report.bundle.loadRatio}×`),
    '',
    '## Targets',
    '',
    `Without the sweep, the targets of \`default\` hold as before; with it, \`${DEFAULT_SWEPT}\` has its own.`,
    '',
    '| target | met | measured |',
    '| --- | --- | --- |',
    ...report.targets.map((t) => row(t.target, t.met ? 'yes' : '**no**', t.measured)),
    '',
  ];
  return lines.join('\n');
}

/** Runs the whole benchmark. */
export async function runBenchmark() {
  const workload = generateWorkload(DEFAULT_WORKLOAD);
  const seed = DEFAULT_WORKLOAD.seed;
  const figures = compareStrategies(workload, benchmarkStrategies(), seed);
  const retentionFigures = compareStrategies(
    workload,
    LISTING_RETENTIONS_SECONDS.map((listingRetentionSeconds) =>
      defaultSwept({ ...DEFAULT_SWEEP, listingRetentionSeconds }),
    ),
    seed,
  );
  const stateMachine = await measureStateMachineCosts();
  const fixed30sCalls = figures.find((f) => f.name === 'fixed-30s')!.callsPerImport;
  const strategies = toRows(figures, stateMachine, fixed30sCalls);
  const retentions: RetentionRow[] = toRows(retentionFigures, stateMachine, fixed30sCalls).map((strategy, i) => ({
    listingRetentionSeconds: LISTING_RETENTIONS_SECONDS[i],
    label: hoursLabel(LISTING_RETENTIONS_SECONDS[i]),
    listing: strategy.listing!,
    strategy,
  }));
  const bundle = await compareBundles();
  return {
    workload: describeWorkload(workload, strategies.find((r) => r.name === DEFAULT_SWEPT)?.listing),
    sweep: DEFAULT_SWEEP,
    strategies,
    retentions,
    prices: PRICES,
    stateMachine,
    bundle,
    targets: checkTargets(strategies, bundle),
  };
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, 'write-docs': { type: 'boolean', default: false } },
  });
  const started = Date.now();
  const report = await runBenchmark();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(`${markdown(report)}\nBenchmark time: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (values['write-docs']) {
    const docs = path.join(__dirname, '..', 'docs');
    const page = path.join(docs, 'benchmarks.md');
    writeFileSync(
      page,
      await format(markdown(report), {
        ...(await resolveConfig(page)),
        parser: 'markdown',
        proseWrap: 'always',
        printWidth: 120,
      }),
    );
    writeFileSync(
      path.join(docs, 'benchmark-latency-vs-polls.svg'),
      latencyVersusCallsSvg(
        report.strategies.map((r) => ({
          name: r.undetected > 0 ? `${r.name} (${r.undetected} undetected)` : r.name,
          callsPerImport: r.callsPerImport,
          p95LatencySeconds: r.p95EndLatencySeconds,
          highlight: r.name === DEFAULT_SWEPT,
        })),
        `p95 latency over all ends against calls, ${report.workload.imports} simulated imports`,
      ),
    );
  }
  const missed = report.targets.filter((t) => !t.met);
  if (missed.length > 0) {
    process.stderr.write(`Targets missed: ${missed.map((t) => `${t.target} (${t.measured})`).join('; ')}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
