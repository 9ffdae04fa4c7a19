/**
 * `npm run bench [-- --json] [-- --write-docs]`: the polling strategies side by side on a seeded
 * workload of simulated imports, the state machine's cost per poll measured in the local
 * interpreter, and the poll handler's bundle beside the floor. Exits 1 when a target is missed.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Duration } from 'aws-cdk-lib';
import { PollingStrategy } from '../lib/polling-strategy';
import { quantile } from '../local/seeded-random';
import { compareBundles, type BundleComparison } from './bundle-size';
import { compareStrategies, type StrategyFigures } from './compare';
import { latencyVersusPollsSvg } from './plot';
import { cliWaiter, pollerSchedule, sdkWaiter, type ScheduleFactory } from './schedules';
import { measureStateMachineCosts, type StateMachineCosts } from './state-machine-costs';
import { DEFAULT_WORKLOAD, generateWorkload, type SimulatedImport } from './workload';
import { timelineSeconds } from '../local/import-timeline';

/** Published prices used for the cost column (US East (N. Virginia), without free tiers). */
export const PRICES = {
  stepFunctionsPerStateTransitionUsd: 0.025 / 1000,
  lambdaPerRequestUsd: 0.2 / 1_000_000,
  lambdaArm64PerGbSecondUsd: 0.0000133334,
  /** Assumed billed time of one warm poll invocation: one GetImportTask call. */
  lambdaBilledSecondsPerPoll: 0.1,
  /** Memory of the poll function as the construct deploys it. */
  lambdaMemoryGb: 0.25,
} as const;

/** The strategies compared; `default` is the construct's default, with its default settings. */
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
      'PollingStrategy.progressAware(): the construct default',
      PollingStrategy.progressAware(),
    ),
  ];
}

/** One row of the comparison, as `--json` prints it. */
export interface StrategyRow extends Omit<StrategyFigures, 'results'> {
  readonly maxHistoryEvents: number;
  readonly costPer1000ImportsUsd: number;
}

function costPerImport(polls: number, costs: StateMachineCosts): number {
  const transitions = costs.transitions.perPoll * polls + costs.transitions.perWatch;
  const lambda =
    polls *
    (PRICES.lambdaPerRequestUsd +
      PRICES.lambdaArm64PerGbSecondUsd * PRICES.lambdaMemoryGb * PRICES.lambdaBilledSecondsPerPoll);
  return transitions * PRICES.stepFunctionsPerStateTransitionUsd + lambda;
}

function toRow(figures: StrategyFigures, costs: StateMachineCosts): StrategyRow {
  const { results, ...rest } = figures;
  const polls = results.map((r) => r.polls);
  const mean = polls.reduce((sum, p) => sum + costPerImport(p, costs), 0) / polls.length;
  return {
    ...rest,
    maxHistoryEvents: Math.round(costs.historyEvents.perPoll * Math.max(...polls) + costs.historyEvents.perWatch),
    costPer1000ImportsUsd: Math.round(mean * 1000 * 100) / 100,
  };
}

function describeWorkload(workload: readonly SimulatedImport[]) {
  const durations = workload.map((w) => timelineSeconds(w.timeline));
  const count = (kind: SimulatedImport['kind']) => workload.filter((w) => w.kind === kind).length;
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
  };
}

/** Whether the targets of the benchmark are met, one line each. */
export function checkTargets(
  rows: readonly StrategyRow[],
  bundle: BundleComparison,
): { target: string; met: boolean; measured: string }[] {
  const byName = (name: string) => rows.find((row) => row.name === name)!;
  const best = byName('default');
  const fixed30 = byName('fixed-30s');
  const dominating = rows.filter(
    (row) =>
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
      target: 'no strategy better than default on both p95 latency and mean polls',
      met: dominating.length === 0,
      measured: dominating.length === 0 ? 'none' : dominating.map((row) => row.name).join(', '),
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

function markdown(report: Awaited<ReturnType<typeof runBenchmark>>): string {
  const w = report.workload;
  const lines = [
    '# Benchmarks',
    '',
    'Reproduce with `npm run bench` (add `-- --json` for one JSON object, `-- --write-docs` to rewrite this page and the plot).',
    '',
    '## Workload',
    '',
    `${w.imports} simulated imports, seed ${w.seed}: durations log-uniform from ${w.minSeconds / 60} minutes to ${w.maxSeconds / 3600} hours ` +
      `(median ${Math.round(w.durationSeconds.p50 / 60)} min, mean ${Math.round(w.durationSeconds.mean / 60)} min); ` +
      'INITIALIZING and ANALYZING_DATA first, then IMPORTING whose progress runs in 3 to 6 stretches of speeds differing up to fourfold, ' +
      'with plateaus and reported values that wobble by up to 1.5 points; ' +
      `${w.failingMidway} fail midway (ROLLING_BACK, then FAILED), ${w.restartingWithNewAttempt} restart with a new attempt (REPROVISIONING, then IMPORTING from 0). ` +
      'Each watch starts 30 to 180 s after its import, as a CloudTrail-triggered one would.',
    '',
    '## Results',
    '',
    '| strategy | mean polls | p95 polls | p50 latency (s) | p95 latency (s) | max latency (s) | undetected | p95 latency of mid-import failures (s) | max history events | cost per 1,000 imports (USD) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.strategies.map(
      (r) =>
        `| \`${r.name}\` | ${r.meanPolls} | ${r.p95Polls} | ${r.p50LatencySeconds} | ${r.p95LatencySeconds} | ${r.maxLatencySeconds} | ${r.undetected} | ${r.p95FailureLatencySeconds} | ${r.maxHistoryEvents} | ${r.costPer1000ImportsUsd.toFixed(2)} |`,
    ),
    '',
    ...report.strategies.map((r) => `- \`${r.name}\`: ${r.description}.`),
    '',
    "Latency is from the import's true end (its terminal status) to the poll that sees it, over the imports detected; `undetected` counts imports whose end the schedule never saw (the CLI waiter stops after 8 hours). " +
      'Failures midway cannot be foreseen by any schedule: the default sees them at its next poll, at most an hour later.',
    '',
    `History events and state transitions per poll were measured by running the synthesized state machine in the local interpreter: ` +
      `${report.stateMachine.transitions.perPoll} transitions and ${report.stateMachine.historyEvents.perPoll} history events per poll, plus ` +
      `${report.stateMachine.transitions.perWatch} and ${report.stateMachine.historyEvents.perWatch} per watch. ` +
      '"Max history events" is what one execution would need for the longest watch; past 25,000 Step Functions would stop it, so the poller continues such watches in new executions.',
    '',
    `Prices: Step Functions Standard $0.025 per 1,000 state transitions; Lambda $0.20 per million requests and $0.0000133334 per GB-second (arm64), ` +
      `assuming ${PRICES.lambdaBilledSecondsPerPoll * 1000} ms billed per poll at ${PRICES.lambdaMemoryGb * 1024} MB; free tiers left out.`,
    '',
    '![p95 latency against polls per import](benchmark-latency-vs-polls.svg)',
    '',
    '## Poll handler bundle',
    '',
    '| bundle | size (bytes) | module load time (ms, median) |',
    '| --- | ---: | ---: |',
    `| poll handler (what deploys) | ${report.bundle.handler.bytes} | ${report.bundle.handler.loadMilliseconds} |`,
    `| floor: Neptune Analytics client and one GetImportTask call | ${report.bundle.floor.bytes} | ${report.bundle.floor.loadMilliseconds} |`,
    `| ratio | ${report.bundle.sizeRatio}× | ${report.bundle.loadRatio}× |`,
    '',
    '## Targets',
    '',
    '| target | met | measured |',
    '| --- | --- | --- |',
    ...report.targets.map((t) => `| ${t.target} | ${t.met ? 'yes' : '**no**'} | ${t.measured} |`),
    '',
  ];
  return lines.join('\n');
}

/** Runs the whole benchmark. */
export async function runBenchmark() {
  const workload = generateWorkload(DEFAULT_WORKLOAD);
  const figures = compareStrategies(workload, benchmarkStrategies(), DEFAULT_WORKLOAD.seed);
  const stateMachine = await measureStateMachineCosts();
  const strategies = figures.map((f) => toRow(f, stateMachine));
  const bundle = await compareBundles();
  return {
    workload: describeWorkload(workload),
    strategies,
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
    writeFileSync(page, await format(markdown(report), { ...(await resolveConfig(page)), parser: 'markdown' }));
    writeFileSync(
      path.join(docs, 'benchmark-latency-vs-polls.svg'),
      latencyVersusPollsSvg(
        report.strategies.map((r) => ({
          name: r.undetected > 0 ? `${r.name} (${r.undetected} undetected)` : r.name,
          meanPolls: r.meanPolls,
          p95LatencySeconds: r.p95LatencySeconds,
          highlight: r.name === 'default',
        })),
        `p95 detection latency against polls, ${report.workload.imports} simulated imports`,
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
