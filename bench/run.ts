/**
 * `npm run bench [-- --json] [-- --write-docs]`: the polling strategies side by side on a seeded
 * workload of simulated imports, without and with the sweep, the state machine's cost per poll
 * measured in the local interpreter, what each costs an account for a month from idle to 5,000
 * imports a day, how long ends wait in every listing order, and the poll handler's bundle beside
 * the floor. Stops at once when the handlers are not built; exits 1 when a target is missed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Duration } from 'aws-cdk-lib';
import { HISTORY_EVENTS_PER_STATE } from '../lambda/poll/history-accounting';
import { IDLE_LISTING_SECONDS } from '../lambda/sweep/sweep-memory';
import { prebuiltHandlerDir, type PrebuiltHandler } from '../lib/handler-code';
import { pollerConfigOf } from '../lib/poller-props';
import { PollingStrategy } from '../lib/polling-strategy';
import { ACCOUNT_SIZES, accountMonth, type AccountMonth, type StrategyUsage } from './account-month';
import { alarmMetricsOf } from './alarm-count';
import { listingOrderCases, simulateListingOrder, type ListingOrderFigures } from './listing-orders';
import { quantile } from '../local/seeded-random';
import { compareBundles, type BundleComparison } from './bundle-size';
import { compareStrategies, type StrategyFigures } from './compare';
import { costPer1000Imports, PRICES, SWEEP_TRANSITIONS_PER_POLL, type CostBreakdown } from './costs';
import { resolveSweepOptions } from '../lib/import-task-sweep';
import { DEFAULT_SWEEP, pagesInTime, type ListingFigures, type SweepModel } from './listing';
import { latencyVersusCallsSvg } from './plot';
import { cliWaiter, pollerSchedule, sdkWaiter, type ScheduleFactory } from './schedules';
import { measureStateMachineCosts, type StateMachineCosts } from './state-machine-costs';
import { measureWakePath } from './wake-path';
import { DEFAULT_WORKLOAD, generateWorkload, type SimulatedImport, type Workload } from './workload';
import { timelineSeconds } from '../local/import-timeline';

/**
 * How the report names the watches' own polling in the construct's default configuration with
 * the sweep on (a backstop, since the sweep wakes them at their end), read from the construct.
 */
export function sweptDefaultPollingDescription(): string {
  const polling = pollerConfigOf({}).polling;
  if (polling.kind !== 'fixed') return `PollingStrategy.${polling.kind}()`;
  return `PollingStrategy.fixed({ interval: Duration.seconds(${polling.intervalSeconds}), jitter: ${polling.jitter} })`;
}

/** Hours between the backstop polls of the construct's default with the sweep on. */
function sweptDefaultPollingHours(): number {
  const polling = pollerConfigOf({}).polling;
  return polling.kind === 'fixed' ? polling.intervalSeconds / 3600 : Number.NaN;
}

/** Seconds from a sweep to the woken poll the latency is shown for, beside the model's. */
const WAKE_DELAYS_SECONDS = [1, 2, 3, 5, 10] as const;

/** Watches whose wake paths are measured through the local runner. */
const WAKE_PATH_WATCHES = 40;

/** Seconds as the report shows them: two decimals. */
const seconds = (value: number): string => value.toFixed(2);

/** A slower page than the model assumes, for the listing-order table: `ListImportTasks` has no published latency. */
const SLOW_PAGE_SECONDS = 0.5;

/** Pages a default sweep reads in its time when every page takes {@link SLOW_PAGE_SECONDS}. */
const SLOW_PAGES_PER_SWEEP = pagesInTime(
  DEFAULT_SWEEP.periodSeconds,
  resolveSweepOptions()!.maxPages,
  SLOW_PAGE_SECONDS,
);

/** The row of the construct's default configuration, with the sweep on. */
const DEFAULT_SWEPT = 'default+sweep';

/** How long ended tasks stay listed, in the table that shows what it changes; `Infinity`: every task ever started. */
const LISTING_RETENTIONS_SECONDS = [0, 3600, 86_400, Number.POSITIVE_INFINITY] as const;

function defaultSwept(sweep: SweepModel): ScheduleFactory {
  return pollerSchedule(
    DEFAULT_SWEPT,
    `${sweptDefaultPollingDescription()} with the sweep: the construct default`,
    undefined,
    sweep,
  );
}

/**
 * The strategies compared: each without the sweep (`default` is the construct's default with
 * the sweep turned off), then the construct's default with the sweep, and progress-aware polling
 * with the sweep.
 */
export function benchmarkStrategies(sweep: SweepModel = DEFAULT_SWEEP): ScheduleFactory[] {
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
    defaultSwept(sweep),
    pollerSchedule(
      'progress-aware+sweep',
      'PollingStrategy.progressAware() with the sweep',
      PollingStrategy.progressAware(),
      sweep,
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
  accounts: readonly AccountRow[],
  orders: readonly ListingOrderFigures[],
): { target: string; met: boolean; measured: string }[] {
  const unreadEnds = orders.reduce((sum, o) => sum + o.unread, 0);
  const defaultOrders = orders.filter((o) => o.maxPagesPerSweep === DEFAULT_SWEEP.maxPagesPerSweep);
  const undiscovered = orders.reduce((sum, o) => sum + o.neverListedToASweep, 0);
  const monthOf = (name: string, importsPerDay: number): AccountMonth =>
    accounts.find((row) => row.name === name)!.months.find((month) => month.importsPerDay === importsPerDay)!;
  const idle = monthOf(DEFAULT_SWEPT, 0);
  const sweptAt20 = monthOf(DEFAULT_SWEPT, 20);
  const unsweptAt20 = monthOf('default', 20);
  const busyMonths = accounts
    .find((row) => row.name === DEFAULT_SWEPT)!
    .months.filter((month) => month.importsPerDay >= 20);
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
      target: `${DEFAULT_SWEPT}, an idle account: running cost at most $0.30 a month (alarms apart)`,
      met: idle.costUsd.running <= 0.3,
      measured: `$${idle.costUsd.running.toFixed(3)} (alarms $${idle.costUsd.alarms.toFixed(2)})`,
    },
    {
      target: `${DEFAULT_SWEPT}, an idle account: at most 3,000 ListImportTasks calls a month`,
      met: idle.listCalls <= 3000,
      measured: `${Math.round(idle.listCalls)}`,
    },
    {
      target: `${DEFAULT_SWEPT} at 20 imports a day: no more than \`default\` (progress-aware polling, no sweep)`,
      met: sweptAt20.costUsd.total <= unsweptAt20.costUsd.total,
      measured: `$${sweptAt20.costUsd.total.toFixed(2)} vs $${unsweptAt20.costUsd.total.toFixed(2)} a month, alarms included`,
    },
    {
      target: `${DEFAULT_SWEPT}, from 20 imports a day up: calls within 1.5× of the physical limit`,
      met: busyMonths.every((month) => (month.callsOverPhysical ?? Infinity) <= 1.5),
      measured: busyMonths
        .map((month) => `${month.callsOverPhysical?.toFixed(2)}× at ${month.importsPerDay.toLocaleString('en-US')}`)
        .join(', '),
    },
    {
      target: 'every order, 2,000 and 20,000 tasks listed: every end read by a sweep, every import listed to one',
      met: unreadEnds === 0 && undiscovered === 0,
      measured: `${unreadEnds} ends unread, ${undiscovered} imports never read`,
    },
    {
      target: `every order, 2,000 and 20,000 tasks listed, 100 and 1,000 imports at once, ${PRICES.sweepBilledSecondsPerPage} s a page: p95 from an end to its wake at most 60 s`,
      met: defaultOrders.every((o) => o.p95Seconds <= 60),
      measured: `at most ${Math.max(...defaultOrders.map((o) => o.p95Seconds))} s`,
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
      `as many pages as its time allows, ${m.maxPagesPerSweep} at ${PRICES.sweepBilledSecondsPerPage} s a page,`,
      'the next sweep going on where it stopped) and, for every listed task',
      'whose status is terminal and differs from the status its watch last saw, wakes the watch (`SendTaskSuccess` on',
      'the token of its parked wait; with `emitStatusChanges`, any other status that differs too). The watch polls',
      '`GetImportTask` at once and puts its event. While no watch is parked the sweep reads the listing only in the',
      `first minute of every ${IDLE_LISTING_SECONDS / 60} minutes.`,
      'When no wake comes, its wait ends when due and it polls on its own schedule: with the sweep on,',
      `the construct's default is a backstop, \`${sweptDefaultPollingDescription()}\`,`,
      'since the sweep sees the ends no schedule can foresee.',
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
      `at least 1 and at most ${m.maxPagesPerSweep}: here the whole listing. Should it not fit, newest first is`,
      'assumed, and a sweep that would wake a watch whose task is beyond its pages does not ("missed by the sweep");',
      'the section "Any listing order, any length" shows longer listings, in every order, read on from where the last',
      'sweep stopped.',
    ),
    prose(
      "- A sweep wakes a watch when the status its task lists at the sweep's time (from the import's timeline) is",
      'terminal and differs from the one the watch last saw (the very decision of the sweep function);',
      'a new phase, a restart or a rollback wakes nobody.',
      `The woken watch polls one of the measured wake paths after the sweep (p50 ${seconds(report.wakePath.p50Seconds)} s,`,
      `p95 ${seconds(report.wakePath.p95Seconds)} s; see "The wake path, measured"),`,
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
      '- Left out: failed or throttled sweeps and wakes. Discovery leaves an active task to its trigger for',
      `${(DEFAULT_SWEEP.discoveryGraceSeconds ?? 0) / 60} minutes after a sweep first lists it, so it starts none of`,
      'these watches; the record the sweep writes for a task it lists before its watch first parked is counted.',
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
      'restarts, p95',
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
        r.p95RestartLatencySeconds,
        r.sweep === undefined ? '–' : r.missedBySweep,
      ),
    ),
    '',
    ...report.strategies.map((r) => `- \`${r.name}\`: ${r.description}.`),
    '',
    prose(
      "p50, p95 and max are from the import's true end (its terminal status) to the poll that sees it;",
      '`undetected` counts imports whose end the schedule never saw (the CLI waiter stops after 8 hours).',
      `"All ends" are the ${w.imports} terminal statuses, successes and failures midway alike; the`,
      `${w.restartingWithNewAttempt} restarts (the end of a first attempt) are no end anyone hears of without`,
      'status-change events, and are shown apart ("restarts, p95": with the sweep, seen at the backstop poll).',
      'Failures midway cannot be foreseen by any schedule: without the sweep, the default sees',
      'them at its next poll, at most an hour later; with it, the next sweep wakes the watch.',
      '"Missed by the sweep" counts the sweeps that would have woken a watch',
      'but did not read the page its task was on.',
    ),
    '',
    '### The wake path, measured',
    '',
    prose(
      'From the start of the sweep that lists an end to the woken poll of that end, measured through the deployed',
      `state machine run locally with the real sweep, start and poll handlers, for ${report.wakePath.watches} watches`,
      'whose imports end at random over half an hour: the pages read one after another, the table read, the wakes',
      'spread at up to ten a second, `SendTaskSuccess`, the execution resuming and `GetImportTask`, every real',
      `millisecond counted, and each woken poll charged the poll bundle's cold start (${report.wakePath.coldStartMs.toFixed(1)} ms`,
      "of module load, measured below). Loopback calls are faster than AWS's, so the simulation above takes these",
      'measurements, and the table below shows the latency for slower wake paths:',
    ),
    '',
    ...head('wake path', 'p50 (s)', 'p95 (s)', 'max (s)'),
    row(
      'measured',
      seconds(report.wakePath.p50Seconds),
      seconds(report.wakePath.p95Seconds),
      seconds(report.wakePath.maxSeconds),
    ),
    '',
    ...head('seconds from the sweep to the woken poll, every wake', 'all ends, p95 (s)', 'all ends, max (s)'),
    ...report.wakeDelays.map((d) => row(d.wakeDelaySeconds, d.p95EndLatencySeconds, d.maxEndLatencySeconds)),
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
      `token of a task it lists after its watch ended), and ${PRICES.itemReadsPerImport} reads of each import's item`,
      `at ${PRICES.readRequestUnitsPerKey} read request unit each (strongly consistent): around its first listing`,
      'and around its end; a status once settled is not read again, however long the task stays listed.',
      '`ListImportTasks`, `GetImportTask` and `SendTaskSuccess` calls have no price of their own. Free tiers left out.',
    ),
    '',
    '![p95 latency over all ends against calls per import](benchmark-latency-vs-polls.svg)',
    '',
  ];
}

const money = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(0));
const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');

function accountLines(report: Report): string[] {
  const sizes = ACCOUNT_SIZES;
  const swept = report.accounts.find((row) => row.name === DEFAULT_SWEPT)!;
  const unswept = report.accounts.find((row) => row.name === 'default')!;
  const sizeTitle = (size: number) => (size === 0 ? 'idle' : `${thousands(size)} a day`);
  return [
    '## Cost per account-month',
    '',
    prose(
      'What an account pays in 30 days, by how many imports it starts a day, with every part charged: the state',
      "machine's transitions, the functions' invocations, the sweep's runs and its reads and writes of the watch",
      'table, custom metrics by the hour they receive a value ($0.30 a metric-month), logs (the state machine logs',
      'every history event with its data), X-Ray traces, and the alarms the construct creates',
      '($0.10 per metric an alarm reads, counted in the synthesized template). A dashboard (`createDashboard`) adds',
      "$3.00 beyond an account's first three. Imports run as in the workload (the same durations); the number",
      'running at a moment is Poisson, so an account of one import a day is idle most of the time.',
      'USD a month, alarms included:',
    ),
    '',
    ...head('strategy', ...sizes.map(sizeTitle), 'all ends, p95 (s)', 'all ends, max (s)'),
    ...report.accounts.map((r) =>
      row(
        `\`${r.name}\``,
        ...r.months.map((m) => money(m.costUsd.total)),
        r.p95EndLatencySeconds,
        r.maxEndLatencySeconds,
      ),
    ),
    '',
    `\`${DEFAULT_SWEPT}\` and \`default\` part by part (USD a month):`,
    '',
    ...head(
      'imports a day',
      'strategy',
      'Step Functions',
      'poll and start functions',
      'sweep function',
      'DynamoDB',
      'custom metrics',
      'logs',
      'X-Ray',
      'running',
      'alarms',
      'total',
    ),
    ...sizes.flatMap((size, i) =>
      [swept, unswept].map((r) => {
        const c = r.months[i].costUsd;
        return row(
          sizeTitle(size),
          `\`${r.name}\``,
          ...[c.stepFunctions, c.functions, c.sweep, c.dynamoDb, c.customMetrics, c.logs, c.xray, c.running].map((v) =>
            v.toFixed(3),
          ),
          c.alarms.toFixed(2),
          c.total.toFixed(2),
        );
      }),
    ),
    '',
    'Calls a month, and against the physical limit:',
    '',
    ...head(
      'imports a day',
      'imports running, mean',
      `\`${DEFAULT_SWEPT}\` ListImportTasks`,
      'GetImportTask',
      'physical limit',
      'calls per import',
      'physical limit per import',
      'ratio',
      '`default` ratio',
    ),
    ...sizes.map((size, i) => {
      const m = swept.months[i];
      const u = unswept.months[i];
      return row(
        sizeTitle(size),
        m.meanRunning.toFixed(2),
        thousands(m.listCalls),
        thousands(m.getCalls),
        thousands(m.physicalCalls),
        m.imports === 0 ? '–' : ((m.listCalls + m.getCalls) / m.imports).toFixed(1),
        m.imports === 0 ? '–' : (m.physicalCalls / m.imports).toFixed(1),
        m.callsOverPhysical === undefined ? '–' : `${m.callsOverPhysical.toFixed(2)}×`,
        u.callsOverPhysical === undefined ? '–' : `${u.callsOverPhysical.toFixed(2)}×`,
      );
    }),
    '',
    prose(
      'The physical limit is the fewest calls that see every end within a minute: one listing a minute while any',
      'import runs (a page per 100 running), none while nothing runs, and one `GetImportTask` per import for the',
      `event's details. Above it, the default pays for its backstop polls (every`,
      `${sweptDefaultPollingHours()} hours) and for listing the tasks that ended within the hour before. A watch begun by`,
      'the API call that started its import, as every watch here, leaves its first look to the sweep: it parks',
      'at once, and polls when the sweep wakes it at the end.',
    ),
    '',
    '### Which to choose',
    '',
    prose(
      `- **Most accounts: the default (\`${DEFAULT_SWEPT}\`).** Every end is seen within about a minute, at every`,
      `size, and from ${report.sweepBreakEvenImportsPerDay ?? 'more than 100'} imports a day up it costs no more than`,
      'polling without the sweep, alarms included: its fixed part (about',
      `$${swept.months[0].costUsd.running.toFixed(2)} a month idle, and`,
      `$${(swept.months[0].costUsd.alarms - unswept.months[0].costUsd.alarms).toFixed(2)} of alarms of its own)`,
      'is paid back by the polls it saves. Below that it costs at most',
      `$${Math.max(...sizes.map((_, i) => swept.months[i].costUsd.total - unswept.months[i].costUsd.total)).toFixed(2)}`,
      'a month more, for failures midway seen within a minute rather than up to an hour late.',
      'A task started without any trigger is watched within 5 or 6 minutes while other imports are watched, and within',
      `${IDLE_LISTING_SECONDS / 60 + 6} minutes in an idle account.`,
    ),
    prose(
      '- **An account of a few imports a month, that can wait for failures midway: `sweep: { enabled: false }`**',
      '(`default`): no fixed part but its alarms; every end is still announced, a failure midway up to an hour late,',
      'and only triggers start watches.',
    ),
    prose(
      '- **Polling strategies with the sweep on (`progress-aware+sweep`)** poll more and see ends no sooner:',
      'keep the default backstop unless the sweep cannot list the account (another region, a missing permission).',
    ),
    '',
  ];
}

function orderLines(report: Report): string[] {
  return [
    '## Any listing order, any length',
    '',
    prose(
      'AWS documents neither the order of `ListImportTasks` nor how long ended tasks stay listed. Each sweep reads',
      'its pages from where the last one stopped and, at the end of the listing, goes on from the first page; the',
      'listing shifts between sweeps as tasks start and leave it. Six hours of sweeps a minute apart, after two hours',
      'of warm-up, over imports that start as a Poisson process (durations as in the workload), ended tasks kept',
      'listed long enough to list the number shown. Latency is from an end to its watch\'s wake; "longest unread"',
      'is the most seconds a listed task went unread, what `SweepListingUnreadSeconds` reports.',
    ),
    '',
    ...head(
      'pages a sweep',
      'order',
      'tasks listed',
      'imports at once',
      'ends',
      'p95 (s)',
      'max (s)',
      'ends unread',
      'imports never read',
      'longest unread (s)',
    ),
    ...report.orders.map((o) =>
      row(
        o.maxPagesPerSweep === DEFAULT_SWEEP.maxPagesPerSweep
          ? `${o.maxPagesPerSweep} (${PRICES.sweepBilledSecondsPerPage} s a page)`
          : `${o.maxPagesPerSweep} (${SLOW_PAGE_SECONDS} s a page)`,
        o.order,
        thousands(o.listed),
        thousands(o.running),
        o.ends,
        o.p95Seconds,
        o.maxSeconds,
        o.unread,
        o.neverListedToASweep,
        o.maxUnreadSeconds,
      ),
    ),
    '',
    prose(
      'Every end is read and every import is listed to a sweep, in every order. The latency is that of a pass.',
      'A sweep reads pages until 10 s are left of its timeout (the interval, at most 5 minutes), at most',
      `\`sweep.maxPages\` (${resolveSweepOptions()!.maxPages.toLocaleString('en-US')} by default).`,
      'AWS publishes no latency for `ListImportTasks`: at the',
      `${PRICES.sweepBilledSecondsPerPage} s a page the model assumes (the call and the read of its tasks' items), a`,
      `sweep a minute reads ${DEFAULT_SWEEP.maxPagesPerSweep} pages,`,
      `${(DEFAULT_SWEEP.maxPagesPerSweep * 100).toLocaleString('en-US')} tasks; at ${SLOW_PAGE_SECONDS} s a page, ${SLOW_PAGES_PER_SWEEP}`,
      'pages, and a listing longer than that takes two sweeps or more: a longer `sweep.interval` gives each sweep',
      'more time.',
    ),
    '',
  ];
}

function retentionLines(report: Report): string[] {
  return [
    '## How long ended tasks stay listed',
    '',
    prose(
      `\`${DEFAULT_SWEPT}\` with ended tasks listed for other durations.`,
      'With 0, no sweep lists an end: the first sweep after it reads the whole listing without the task and wakes',
      'its watch as a task not listed. With every task ever started, this model reads the newest',
      `${DEFAULT_SWEEP.maxPagesPerSweep} pages of every sweep, and the oldest tasks are beyond them; the sweep goes on`,
      'from where it stopped, which the section "Any listing order, any length" shows.',
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
    ...accountLines(report),
    ...orderLines(report),
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
  const bundle = await compareBundles();
  // Every wake of the simulation takes one of the wake paths measured through the local runner.
  const wakePath = await measureWakePath(WAKE_PATH_WATCHES, bundle.handler.loadMilliseconds);
  const sweep: SweepModel = { ...DEFAULT_SWEEP, wakeDelaySamplesSeconds: wakePath.samplesSeconds };
  const figures = compareStrategies(workload, benchmarkStrategies(sweep), seed);
  const retentionFigures = compareStrategies(
    workload,
    LISTING_RETENTIONS_SECONDS.map((listingRetentionSeconds) => defaultSwept({ ...sweep, listingRetentionSeconds })),
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
  const accounts = accountMonths(figures, stateMachine, workload);
  const sweepBreakEvenImportsPerDay = breakEven(
    accounts.find((row) => row.name === DEFAULT_SWEPT)!,
    accounts.find((row) => row.name === 'default')!,
  );
  const wakeDelays = compareStrategies(
    workload,
    WAKE_DELAYS_SECONDS.map((wakeDelaySeconds) => defaultSwept({ ...DEFAULT_SWEEP, wakeDelaySeconds })),
    seed,
  ).map((f, i) => ({
    wakeDelaySeconds: WAKE_DELAYS_SECONDS[i],
    p95EndLatencySeconds: f.p95EndLatencySeconds,
    maxEndLatencySeconds: f.maxEndLatencySeconds,
  }));
  const orders = [DEFAULT_SWEEP.maxPagesPerSweep, SLOW_PAGES_PER_SWEEP].flatMap((pages) =>
    listingOrderCases(pages, seed).map(simulateListingOrder),
  );
  return {
    workload: describeWorkload(workload, strategies.find((r) => r.name === DEFAULT_SWEPT)?.listing),
    sweep,
    wakePath: {
      watches: wakePath.watches,
      coldStartMs: wakePath.coldStartMs,
      p50Seconds: quantile(wakePath.samplesSeconds, 0.5),
      p95Seconds: quantile(wakePath.samplesSeconds, 0.95),
      maxSeconds: quantile(wakePath.samplesSeconds, 1),
    },
    strategies,
    retentions,
    accounts,
    sweepBreakEvenImportsPerDay,
    wakeDelays,
    orders,
    prices: PRICES,
    stateMachine,
    bundle,
    targets: checkTargets(strategies, bundle, accounts, orders),
  };
}

/** One strategy's months in accounts of every size, with its latency (which does not depend on the size). */
export interface AccountRow {
  readonly name: string;
  readonly months: readonly AccountMonth[];
  readonly p95EndLatencySeconds: number;
  readonly maxEndLatencySeconds: number;
  /** Its month in an account of any size. */
  readonly monthAt: (importsPerDay: number) => AccountMonth;
}

/** Every strategy's month in accounts of {@link ACCOUNT_SIZES}, from its per-import figures. */
function accountMonths(
  figures: readonly StrategyFigures[],
  stateMachine: StateMachineCosts,
  workload: Workload,
): AccountRow[] {
  const meanDuration = mean(workload.imports.map((i) => timelineSeconds(i.timeline)));
  const alarms = { swept: alarmMetricsOf({}), unswept: alarmMetricsOf({ sweep: { enabled: false } }) };
  return figures.map((f) => {
    const usage: StrategyUsage = {
      name: f.name,
      polls: f.meanPolls,
      parks: mean(f.results.map((r) => r.parks)),
      sweepWrites: mean(f.results.map((r) => r.sweepWrites)),
      wakes: f.meanWakes,
      ...(f.sweep === undefined ? {} : { sweep: f.sweep }),
      alarmMetrics: f.sweep === undefined ? alarms.unswept : alarms.swept,
    };
    return {
      name: f.name,
      months: ACCOUNT_SIZES.map((size) => accountMonth(usage, size, meanDuration, stateMachine)),
      p95EndLatencySeconds: f.p95EndLatencySeconds,
      maxEndLatencySeconds: f.maxEndLatencySeconds,
      monthAt: (importsPerDay: number) => accountMonth(usage, importsPerDay, meanDuration, stateMachine),
    };
  });
}

/**
 * The fewest imports a day, up to 100, from which `swept` costs no more than `unswept` a month,
 * alarms included; undefined when none.
 */
function breakEven(swept: AccountRow, unswept: AccountRow): number | undefined {
  for (let importsPerDay = 1; importsPerDay <= 100; importsPerDay++) {
    if (swept.monthAt(importsPerDay).costUsd.total <= unswept.monthAt(importsPerDay).costUsd.total)
      return importsPerDay;
  }
  return undefined;
}

/** The prebuilt handlers synthesis needs: missing, the benchmark would fail midway, so it stops at once. */
const HANDLERS: readonly PrebuiltHandler[] = ['poll', 'start', 'sweep'];

/** The handlers not built yet. */
export function missingHandlers(): PrebuiltHandler[] {
  return HANDLERS.filter((name) => !existsSync(path.join(prebuiltHandlerDir(name), 'index.mjs')));
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const missing = missingHandlers();
  if (missing.length > 0) {
    process.stderr.write(
      `The prebuilt ${missing.join(', ')} handler(s) are missing. Run "npm run -s build:handlers" ` +
        '(npm run bench runs it first), then the benchmark again.\n',
    );
    process.exitCode = 1;
    return;
  }
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
