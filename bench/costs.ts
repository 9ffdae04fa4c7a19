/** What watching imports costs, per 1,000 imports, from published prices and the simulated calls. */
import type { ListingFigures } from './listing';
import type { LinearCost } from './state-machine-costs';

/** Published prices, and the billed times and sizes assumed (US East (N. Virginia), without free tiers). */
export const PRICES = {
  stepFunctionsPerStateTransitionUsd: 0.025 / 1000,
  lambdaPerRequestUsd: 0.2 / 1_000_000,
  lambdaArm64PerGbSecondUsd: 0.0000133334,
  /** Assumed billed time of one warm poll invocation: one GetImportTask call. */
  lambdaBilledSecondsPerPoll: 0.1,
  /** Memory of the poll function as the construct deploys it. */
  lambdaMemoryGb: 0.25,
  /** Memory of the sweep function (arm64), as the construct deploys it. */
  sweepLambdaMemoryGb: 0.25,
  /** Assumed billed time of one sweep: the run itself, plus each page listed and looked up. */
  sweepBilledSecondsPerRun: 0.3,
  /**
   * Assumed time of one page: the `ListImportTasks` call and the read of its unsettled tasks'
   * items, one after the other. AWS publishes no latency for either; it also bounds how many
   * pages a sweep reads in its time.
   */
  sweepBilledSecondsPerPage: 0.2,
  /** DynamoDB on-demand: one write request unit per item written (items under 1 KB). */
  dynamoDbPerWriteRequestUnitUsd: 0.625 / 1_000_000,
  dynamoDbPerReadRequestUnitUsd: 0.125 / 1_000_000,
  /** The sweep's `BatchGetItem` reads strongly consistent: one read request unit per item under 4 KB. */
  readRequestUnitsPerKey: 1,
  /**
   * Items of an import the sweep reads: at its first listing (discovery), the read that settles
   * it, and at its end the read that wakes, the read that clears the stale token and the read
   * that settles. A status once settled is not read again, however long the task stays listed.
   */
  itemReadsPerImport: 5,
} as const;

/**
 * State transitions that the sweep adds to each poll cycle, over those measured with the sweep
 * off: none, since the park task takes the Wait state's place (a wait whose put fails adds one,
 * the fallback Wait state, which is left out as rare).
 */
export const SWEEP_TRANSITIONS_PER_POLL = 0;

/** Means per import over a workload. */
export interface ImportUsage {
  readonly polls: number;
  /** Waits parked in the watch table: one write each. */
  readonly parks: number;
  /** The sweep's own writes of watch-table items. */
  readonly sweepWrites: number;
}

/** Cost per 1,000 imports, USD, by service. */
export interface CostBreakdown {
  readonly stepFunctions: number;
  readonly pollFunction: number;
  readonly sweepFunction: number;
  readonly dynamoDb: number;
  readonly total: number;
}

/**
 * The cost of 1,000 imports: their watches' state transitions and poll invocations and, with the
 * sweep, the parks' writes, the reads of their items, and a share of the sweeps of one cycle of
 * the workload (`listing`, shared by its `imports`): their invocations.
 */
export function costPer1000Imports(
  usage: ImportUsage,
  transitions: LinearCost,
  sweep?: { readonly listing: ListingFigures; readonly imports: number },
): CostBreakdown {
  const perPoll = transitions.perPoll + (sweep === undefined ? 0 : SWEEP_TRANSITIONS_PER_POLL);
  const stepFunctions = (perPoll * usage.polls + transitions.perWatch) * PRICES.stepFunctionsPerStateTransitionUsd;
  const pollFunction =
    usage.polls *
    (PRICES.lambdaPerRequestUsd +
      PRICES.lambdaArm64PerGbSecondUsd * PRICES.lambdaMemoryGb * PRICES.lambdaBilledSecondsPerPoll);
  let sweepFunction = 0;
  let dynamoDb = 0;
  if (sweep !== undefined) {
    const { sweeps, pages } = sweep.listing;
    const billedSeconds = sweeps * PRICES.sweepBilledSecondsPerRun + pages * PRICES.sweepBilledSecondsPerPage;
    sweepFunction =
      (sweeps * PRICES.lambdaPerRequestUsd +
        billedSeconds * PRICES.sweepLambdaMemoryGb * PRICES.lambdaArm64PerGbSecondUsd) /
      sweep.imports;
    dynamoDb =
      (usage.parks + usage.sweepWrites) * PRICES.dynamoDbPerWriteRequestUnitUsd +
      PRICES.itemReadsPerImport * PRICES.readRequestUnitsPerKey * PRICES.dynamoDbPerReadRequestUnitUsd;
  }
  return {
    stepFunctions: stepFunctions * 1000,
    pollFunction: pollFunction * 1000,
    sweepFunction: sweepFunction * 1000,
    dynamoDb: dynamoDb * 1000,
    total: (stepFunctions + pollFunction + sweepFunction + dynamoDb) * 1000,
  };
}
