/**
 * What the poller costs an account for a month, by how many imports the account runs a day:
 * every part charged, the fixed ones (the sweep's runs, its listings and look-ups, alarms, logs,
 * traces, custom metrics by the hour) as well as those of each import (polls, state transitions,
 * parks). Pure: from the per-import figures the simulation measured and published prices.
 *
 * Imports arrive as a Poisson process and run for the workload's mean duration, so the number
 * running at a moment is Poisson with mean `rate × duration` (an M/G/∞ queue): a sweep finds a
 * watch parked with the probability that at least one runs, and lists the tasks running and
 * those that ended within the listing retention.
 */
import { IDLE_LISTING_SECONDS, PARKED_CHECK_SECONDS } from '../lambda/sweep/sweep-memory';
import { PRICES } from './costs';
import type { SweepModel } from './listing';
import type { LinearCost } from './state-machine-costs';

/** Account sizes the table shows: imports started a day. */
export const ACCOUNT_SIZES = [0, 1, 20, 500, 5000] as const;

const MONTH_SECONDS = 30 * 86_400;
const MONTH_HOURS = 720;

/** Prices and assumptions beyond {@link PRICES} (US East (N. Virginia), free tiers left out). */
export const MONTHLY_PRICES = {
  /** A custom metric is $0.30 a month, billed by the hour it receives a value (zeros included). */
  customMetricPerMonthUsd: 0.3,
  /** A standard-resolution alarm, per metric it reads. */
  alarmMetricPerMonthUsd: 0.1,
  /** A dashboard beyond the account's first three (`createDashboard`, off by default). */
  dashboardPerMonthUsd: 3,
  logsIngestionPerGbUsd: 0.5,
  /** X-Ray: traces recorded by the state machine, one per execution; the functions are not actively traced. */
  xrayPerTraceUsd: 5 / 1_000_000,
  /** Lambda's START, END and REPORT lines, per invocation. */
  lambdaPlatformLogBytes: 350,
  /** The function's own JSON log lines, per invocation. */
  functionLogBytes: 700,
  /** The state machine logs every history event with its data (`LogLevel.ALL`). */
  stateMachineLogBytesPerHistoryEvent: 1000,
  /** Billed time of a sweep that only looks at the index of parked watches. */
  idleSweepBilledSeconds: 0.05,
  /** An eventually consistent `Scan`: half a read unit per 4 KB, at least half a unit. */
  scanReadUnitsPer4Kb: 0.5,
  /** An item of a parked watch (its task token is most of it). */
  parkedItemKb: 1,
  /** Share of imports that fail (the workload's). */
  failedShare: 0.03,
} as const;

/** What one strategy costs per import, and what it is. */
export interface StrategyUsage {
  readonly name: string;
  /** `GetImportTask` polls per import. */
  readonly polls: number;
  /** Parked waits (one write each) per import. */
  readonly parks: number;
  /** Watch-table writes of the sweep per import. */
  readonly sweepWrites: number;
  /** Wakes per import. */
  readonly wakes: number;
  /** The sweep, or undefined without one. */
  readonly sweep?: SweepModel;
  /** Alarm metrics the construct creates with this configuration. */
  readonly alarmMetrics: number;
}

/** One strategy's month in an account of one size. */
export interface AccountMonth {
  readonly importsPerDay: number;
  readonly imports: number;
  /** Mean imports running at once. */
  readonly meanRunning: number;
  readonly listCalls: number;
  readonly getCalls: number;
  /** The fewest calls that watch the same imports: a listing a minute while any runs, and one `GetImportTask` each. */
  readonly physicalCalls: number;
  /** Calls over the physical limit; undefined without imports. */
  readonly callsOverPhysical?: number;
  readonly costUsd: MonthlyCost;
}

/** Monthly cost in USD, by part. */
export interface MonthlyCost {
  readonly stepFunctions: number;
  readonly functions: number;
  readonly sweep: number;
  readonly dynamoDb: number;
  readonly customMetrics: number;
  readonly logs: number;
  readonly xray: number;
  /** Everything above: what running the poller costs. */
  readonly running: number;
  /** The alarms the construct creates, a fixed cost of the configuration. */
  readonly alarms: number;
  readonly total: number;
}

/** The mean of `f(n)` over n ~ Poisson(`mean`). */
export function poissonMean(mean: number, f: (n: number) => number): number {
  if (mean <= 0) return f(0);
  const upper = Math.ceil(mean + 12 * Math.sqrt(mean) + 20);
  let logP = -mean;
  let sum = 0;
  for (let n = 0; n <= upper; n++) {
    if (n > 0) logP += Math.log(mean) - Math.log(n);
    sum += Math.exp(logP) * f(n);
  }
  return sum;
}

/**
 * Share of imports whose watch discovery starts before their trigger does: the trigger comes 30
 * to 180 s after the start (the workload's), the first sweep within a period of it, and discovery
 * leaves an active task to its trigger for `graceSeconds` after that sweep.
 */
export function sweptBeforeTrigger(periodSeconds: number, graceSeconds = 0): number {
  const steps = 150;
  let sum = 0;
  for (let step = 0; step < steps; step++) {
    sum += Math.min(1, Math.max(0, (30 + step + 0.5 - graceSeconds) / periodSeconds));
  }
  return sum / steps;
}

/** Hours of a month in which an event that happens `perHour` times an hour on average (Poisson) happens at least once. */
export function hoursWithEvents(perHour: number): number {
  return MONTH_HOURS * (1 - Math.exp(-perHour));
}

/**
 * The month of an account that starts `importsPerDay` imports a day, each running
 * `meanDurationSeconds` on average, watched by `usage`'s strategy.
 */
export function accountMonth(
  usage: StrategyUsage,
  importsPerDay: number,
  meanDurationSeconds: number,
  stateMachine: { readonly transitions: LinearCost; readonly historyEvents: LinearCost },
): AccountMonth {
  const P = PRICES;
  const M = MONTHLY_PRICES;
  const imports = importsPerDay * 30;
  const perHour = importsPerDay / 24;
  const meanRunning = (importsPerDay * meanDurationSeconds) / 86_400;
  const busyShare = 1 - Math.exp(-meanRunning);
  const minutes = MONTH_SECONDS / 60;
  const pagesFor = (tasks: number, pageSize: number) => Math.max(1, Math.ceil(tasks / pageSize));
  const physicalCalls = poissonMean(meanRunning, (n) => (n === 0 ? 0 : pagesFor(n, 100))) * minutes + imports;

  const getCalls = imports * usage.polls;
  const executions = imports;
  const transitions = imports * (stateMachine.transitions.perPoll * usage.polls + stateMachine.transitions.perWatch);
  const historyEvents =
    imports * (stateMachine.historyEvents.perPoll * usage.polls + stateMachine.historyEvents.perWatch);
  const stepFunctions = transitions * P.stepFunctionsPerStateTransitionUsd;
  const invocationCost = (seconds: number, memoryGb: number) =>
    P.lambdaPerRequestUsd + seconds * memoryGb * P.lambdaArm64PerGbSecondUsd;
  // The poll function per poll, the start function per trigger.
  const functions =
    getCalls * invocationCost(P.lambdaBilledSecondsPerPoll, P.lambdaMemoryGb) +
    imports * invocationCost(P.lambdaBilledSecondsPerPoll, P.lambdaMemoryGb);

  let listCalls = 0;
  let sweepCost = 0;
  let sweeps = 0;
  let readUnits = 0;
  let discoveredShare = 0;
  const sweep = usage.sweep;
  if (sweep !== undefined) {
    sweeps = MONTH_SECONDS / sweep.periodSeconds;
    const listed = meanRunning + (importsPerDay * sweep.listingRetentionSeconds) / 86_400;
    // Pages a sweep reads while a watch is parked; a listing longer than its limit is read over several sweeps.
    const pages = Math.min(
      sweep.maxPagesPerSweep,
      poissonMean(listed, (n) => pagesFor(n, sweep.pageSize)),
    );
    const busySweeps = sweeps * busyShare;
    const idleSweeps = sweeps - busySweeps;
    const idleListings = idleSweeps * Math.min(1, sweep.periodSeconds / IDLE_LISTING_SECONDS);
    listCalls = busySweeps * pages + idleListings;
    const billedSeconds =
      busySweeps * (P.sweepBilledSecondsPerRun + pages * P.sweepBilledSecondsPerPage) +
      idleSweeps * M.idleSweepBilledSeconds +
      idleListings * (P.sweepBilledSecondsPerRun + P.sweepBilledSecondsPerPage);
    sweepCost = sweeps * P.lambdaPerRequestUsd + billedSeconds * P.sweepLambdaMemoryGb * P.lambdaArm64PerGbSecondUsd;
    // A sweep scans the parked watches while none is parked (the least a scan costs), and while busy
    // every PARKED_CHECK_SECONDS: with discovery on, every listed end has an item, and no end unwatched asks for more.
    const busyScanUnits = Math.max(
      M.scanReadUnitsPer4Kb,
      ((meanRunning / Math.max(busyShare, 1e-9)) * M.parkedItemKb * M.scanReadUnitsPer4Kb) / 4,
    );
    const busyScans = busySweeps * Math.min(1, sweep.periodSeconds / PARKED_CHECK_SECONDS);
    readUnits =
      idleSweeps * M.scanReadUnitsPer4Kb +
      busyScans * busyScanUnits +
      imports * P.itemReadsPerImport * P.readRequestUnitsPerKey;
    discoveredShare = busyShare * sweptBeforeTrigger(sweep.periodSeconds, sweep.discoveryGraceSeconds ?? 0);
  }
  const dynamoDb =
    imports * (usage.parks + usage.sweepWrites) * P.dynamoDbPerWriteRequestUnitUsd +
    readUnits * P.dynamoDbPerReadRequestUnitUsd;

  // Each custom metric is billed for the hours it receives a value; every function publishes only what happened.
  const perImportMetrics = [
    usage.polls, // Polls
    Math.min(usage.polls, 4), // StatusTransitions: the statuses a watch sees, at most four
    1, // WatchesStarted
    1, // WatchesEnded
    1, // WatchDuration
    1, // ImportDuration
    1 - M.failedShare, // TerminalStatuses, SUCCEEDED
    M.failedShare, // TerminalStatuses, FAILED
    1 - discoveredShare, // WatchExecutionsStarted
    discoveredShare, // TriggersNotStarted
    discoveredShare, // TriggersNotStartedByReason, ALREADY_WATCHING
  ];
  const metricHours = perImportMetrics.reduce((sum, perImport) => sum + hoursWithEvents(perHour * perImport), 0);
  const customMetrics = (metricHours / MONTH_HOURS) * M.customMetricPerMonthUsd;

  const invocations = getCalls + imports + sweeps;
  const logBytes =
    invocations * M.lambdaPlatformLogBytes +
    (getCalls + imports + sweeps) * M.functionLogBytes +
    historyEvents * M.stateMachineLogBytesPerHistoryEvent;
  const logs = (logBytes / 1e9) * M.logsIngestionPerGbUsd;
  // Only the state machine traces: one trace per execution, its polls within it.
  const xray = executions * M.xrayPerTraceUsd;

  const running = stepFunctions + functions + sweepCost + dynamoDb + customMetrics + logs + xray;
  const alarms = usage.alarmMetrics * M.alarmMetricPerMonthUsd;
  return {
    importsPerDay,
    imports,
    meanRunning,
    listCalls,
    getCalls,
    physicalCalls,
    ...(imports === 0 ? {} : { callsOverPhysical: (listCalls + getCalls) / physicalCalls }),
    costUsd: {
      stepFunctions,
      functions,
      sweep: sweepCost,
      dynamoDb,
      customMetrics,
      logs,
      xray,
      running,
      alarms,
      total: running + alarms,
    },
  };
}
