/**
 * Every cell of the fault matrix (fault-cases.ts), replayed through the synthesized state machine
 * with the real poll, start and sweep handlers: the fault is put on the wire (a proxy between
 * each function and each service, the Neptune Analytics stand-in's own faults) or at the
 * integration it hits, for the case's duration. A fault that passes still gets the import its one
 * terminal event within a minute of the fault's end; a fault that stays makes an alarm of the
 * construct fire within five minutes, shown by the metric the alarm watches and by the alarm's
 * own definition in the template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricDatum } from '../../lambda/shared/metric-datum';
import type { SweepHandler } from '../../lambda/sweep/sweep-handler';
import { CLOUDTRAIL_API_CALL_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE } from '../../lib/events';
import { PollerMetrics } from '../../lib/poller-metric-names';
import type { NeptuneImportTaskPollerProps } from '../../lib/poller-props';
import { realSleep } from '../../local/clock';
import { eventFromEntry } from '../../local/event-pattern';
import { onceWindow, untilWindow, type FaultProxy, type FaultWindow } from '../../local/fault-proxy';
import { simpleTimeline, timelineSeconds } from '../../local/import-timeline';
import type { StandInRunOptions } from '../../local/local-environment';
import type { PublishedEvent } from '../../local/local-poller';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';
import { FAULT_CASES, renderFaultMatrix, type AlarmRef, type FaultCase, type FaultEdge } from './fault-cases';

const TEN_MINUTES_MS = 600_000;
const FIVE_MINUTES_MS = 300_000;
const FOR_GOOD_MS = 400 * 86_400_000;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The alarm whose logical id starts with `Alarms…<alarmId>` in the synthesized template. */
function alarmNamed(harness: Harness, alarmId: string): Record<string, unknown> {
  const resources = (harness.synthesized.template as { Resources: Resources }).Resources;
  const found = Object.entries(resources).find(
    ([id, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' && id.includes(`Alarms${alarmId}`),
  );
  if (found === undefined) throw new Error(`No alarm ${alarmId} in the template`);
  return found[1].Properties;
}

async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 6000; attempt++) {
    if (condition()) return;
    await realSleep(5);
  }
  throw new Error(`Never came to pass: ${what}`);
}

const isTerminal = (event: PublishedEvent) => event.Detail.terminal === true;

/** What a case saw, for its outcome to be judged. */
interface CaseRun {
  readonly harness: Harness;
  readonly pollMetrics: readonly MetricDatum[];
  /** The sweep's metrics, each batch with the time of its sweep. */
  readonly sweepMetrics: readonly { readonly at: number; readonly data: readonly MetricDatum[] }[];
  /** When the fault began and ended, on the run's clock. */
  readonly faultStart: number;
  readonly faultEnd: number;
  /** When the import ended. */
  readonly importEnd: number;
  readonly taskId: string;
}

/** A watch request for `taskId`, as a producer puts it. */
const watchRequest = (taskId: string) =>
  eventFromEntry({ Source: 'com.example.data-platform', DetailType: WATCH_REQUEST_DETAIL_TYPE, Detail: { taskId } });

/** CloudTrail's record of the `StartImportTask` call that started `taskId`. */
const startImportTaskRecord = (taskId: string) =>
  eventFromEntry({
    Source: 'aws.neptune-graph',
    DetailType: CLOUDTRAIL_API_CALL_DETAIL_TYPE,
    Detail: {
      eventSource: 'neptune-graph.amazonaws.com',
      eventName: 'StartImportTask',
      requestParameters: { graphIdentifier: 'g-0123456789' },
      responseElements: { taskId, graphId: 'g-0123456789', status: 'INITIALIZING' },
    },
  });

/** How each edge is set up and driven; `window` tells whether the fault holds now. */
interface EdgeDriver {
  readonly props?: NeptuneImportTaskPollerProps;
  readonly importSeconds?: number;
  /** Options of the run that carry the fault into the functions or the state machine. */
  readonly options?: (window: () => FaultWindow) => Partial<StandInRunOptions>;
  /** The proxy that refuses the edge's operation, and the operation. */
  readonly proxy?: (harness: Harness) => readonly [FaultProxy, string];
  /** Starts the import's watch (or lets the sweep find it) and waits until its fate is known. */
  readonly drive?: (harness: Harness, taskId: string, startFault: () => void) => Promise<void>;
}

const lambdaThrottled = () =>
  Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }));

/**
 * Watches the task as the CloudTrail record of the call that started it does, the deployed
 * default: an execution under the task's name, begun for the API call, whose first look is the
 * sweep's when the sweep is on.
 */
const watched = async (harness: Harness, taskId: string, startFault: () => void) => {
  startFault();
  await harness.poller.watch({ taskId, trigger: 'api-call' });
};

/** Lets time pass on the run's clock (sweeps and watches going on) until `until`, then lets the watches settle. */
async function runUntil(harness: Harness, until: number): Promise<void> {
  await eventually(() => harness.clock.now() >= until, `the clock reached ${new Date(until).toISOString()}`);
  await harness.poller.settled();
}

const DRIVERS: Record<FaultEdge, EdgeDriver> = {
  GetImportTask: {},
  'Lambda Invoke (poll function)': {
    options: (window) => ({
      wrapPollHandler: (real) => (event) => (window()() ? lambdaThrottled() : real(event)),
    }),
  },
  'PutItem (park a wait)': { proxy: (h) => [h.faults!.parkTable!, 'PutItem'] },
  'PutEvents (terminal event)': {
    options: (window) => ({
      putEventsVerdict: (entry) =>
        (entry.Detail as { terminal?: unknown }).terminal === true && window()() ? 'ThrottlingException' : undefined,
    }),
  },
  'StartExecution (continue-as-new)': {
    // A small history budget and plain waits: the watch hands over every few polls.
    props: { sweep: { enabled: false }, historyEventBudget: 100 },
    importSeconds: 3600,
    options: (window) => ({
      startExecutionFault: () =>
        window()() ? { name: 'StepFunctions.SfnException', message: 'Rate exceeded (ThrottlingException)' } : undefined,
    }),
  },
  'StartExecution (trigger)': {
    props: { sweep: { discovery: false } },
    proxy: (h) => [h.faults!.startStepFunctions, 'StartExecution'],
    drive: async (harness, taskId, startFault) => {
      startFault();
      await harness.deliverTrigger(watchRequest(taskId));
      await runUntil(harness, harness.clock.now() + 15 * 60_000);
    },
  },
  'DescribeExecution (repeated trigger)': {
    proxy: (h) => [h.faults!.startStepFunctions, 'DescribeExecution'],
    drive: async (harness, taskId, startFault) => {
      await harness.deliverTrigger(watchRequest(taskId));
      startFault();
      // A trigger of another kind: a different input under the same name, so the start function reads the standing.
      await harness.deliverTrigger(startImportTaskRecord(taskId));
      await harness.poller.settled();
    },
  },
  'StartExecution (discovery)': {
    proxy: (h) => [h.faults!.sweepStepFunctions, 'StartExecution'],
    drive: async (harness, _taskId, startFault) => {
      startFault();
      await runUntil(harness, harness.clock.now() + 25 * 60_000);
    },
  },
  'SendTaskSuccess (wake)': { proxy: (h) => [h.faults!.sweepStepFunctions, 'SendTaskSuccess'] },
  'BatchGetItem (sweep)': { proxy: (h) => [h.faults!.sweepTable!, 'BatchGetItem'] },
  ListImportTasks: { proxy: (h) => [h.faults!.sweepNeptuneGraph, 'GET /importtasks'] },
  'Lambda Invoke (sweep function)': {
    options: (window) => ({
      sweep: {
        wrapHandler:
          (real: SweepHandler): SweepHandler =>
          (event, remainingTimeMs) =>
            window()() ? lambdaThrottled() : real(event, remainingTimeMs),
      },
    }),
  },
};

/** Whether the case's alarm fires within five minutes of the fault's start, judged from what its metric would show. */
function alarmFires(run: CaseRun, alarm: AlarmRef['alarm']): boolean {
  const { harness } = run;
  const failedBatches = run.sweepMetrics.filter((batch) =>
    batch.data.some((d) => d.name === PollerMetrics.SWEEP_TASK_FAILURES && d.value > 0),
  );
  const failedRuns = harness.sweep?.runs.filter((r) => r.error !== undefined) ?? [];
  // Five minutes from the first failure the alarm's metric shows (a sweep edge fails once the sweep needs it).
  const firstFailure =
    alarm === 'SweepTaskFailures'
      ? (failedBatches[0]?.at ?? Infinity)
      : alarm === 'SweepFailures'
        ? (failedRuns[0]?.startedAt ?? Infinity)
        : run.faultStart;
  const within = (at: number) => at >= firstFailure && at < firstFailure + FIVE_MINUTES_MS;
  const sweepRuns = harness.sweep?.runs.filter((r) => within(r.startedAt)) ?? [];
  switch (alarm) {
    case 'MonitoringFailures':
      return run.pollMetrics.some((d) => d.name === PollerMetrics.MONITORING_FAILURES && d.value > 0);
    case 'ExecutionsFailed':
      return [...harness.poller.executions.values()].some((e) => e.status === 'FAILED');
    case 'DeadLetterQueueDepth':
      return harness.deadLetters.length > 0;
    case 'SweepTaskFailures':
      // Three sweep intervals of five with at least one failure.
      return failedBatches.filter((batch) => within(batch.at)).length >= 3;
    case 'SweepFailures':
      return sweepRuns.filter((r) => r.error !== undefined).length >= 2;
    case 'SweepsNotRunning':
      // Lambda counts no invocation it throttled: no invocation at all in five minutes.
      return sweepRuns.length > 0 && sweepRuns.every((r) => r.error?.name === 'Lambda.TooManyRequestsException');
  }
}

/** The alarm's definition: what it watches and when it fires. */
const ALARM_DEFINITIONS: Record<AlarmRef['alarm'], Record<string, unknown>> = {
  MonitoringFailures: { MetricName: PollerMetrics.MONITORING_FAILURES, Threshold: 1, Period: 300 },
  ExecutionsFailed: { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Threshold: 1, Period: 300 },
  DeadLetterQueueDepth: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 },
  SweepTaskFailures: {
    MetricName: PollerMetrics.SWEEP_TASK_FAILURES,
    Threshold: 1,
    Period: 60,
    EvaluationPeriods: 5,
    DatapointsToAlarm: 3,
  },
  SweepFailures: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 2, Period: 300 },
  SweepsNotRunning: {
    Namespace: 'AWS/Lambda',
    MetricName: 'Invocations',
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
  },
};

/** Runs one cell, from the start of its import to the end of its watches. */
async function runCase(faultCase: FaultCase, onHarness: (harness: Harness) => void): Promise<CaseRun> {
  const driver = DRIVERS[faultCase.edge];
  const pollMetrics: MetricDatum[] = [];
  const sweepMetrics: { at: number; data: readonly MetricDatum[] }[] = [];
  let faultWindow: FaultWindow = () => false;
  const harness = await startHarness({
    synthesized: synthesizeOnce(driver.props),
    faultProxies: true,
    publishMetrics: (data) => pollMetrics.push(...data),
    publishSweepMetrics: (data) => sweepMetrics.push({ at: harness.clock.now(), data }),
    ...driver.options?.(() => faultWindow),
  });
  onHarness(harness);
  const timeline = simpleTimeline(driver.importSeconds ?? 300);
  const task = harness.standIn.addTask({ timeline });
  let faultStart = harness.clock.now();
  let faultEnd = faultStart;
  const startFault = () => {
    faultStart = harness.clock.now();
    faultEnd = faultStart + (faultCase.duration === '10 min' ? TEN_MINUTES_MS : FOR_GOOD_MS);
    faultWindow = faultCase.duration === 'once' ? onceWindow() : untilWindow(() => harness.clock.now(), faultEnd);
    if (faultCase.duration === 'once') faultEnd = faultStart;
    if (faultCase.edge === 'GetImportTask') {
      const { status, errorType } = faultCase.fault;
      const fault = { kind: 'error', status, errorType } as const;
      if (faultCase.duration === 'once') harness.standIn.injectFaults(task.taskId, fault);
      else harness.standIn.injectFaultUntil(task.taskId, faultEnd, fault);
    }
    const proxied = driver.proxy?.(harness);
    if (proxied !== undefined) {
      const [proxy, operation] = proxied;
      proxy.inject(operation, { status: faultCase.fault.status, errorType: faultCase.fault.errorType }, () =>
        faultWindow(),
      );
    }
  };
  await (driver.drive ?? watched)(harness, task.taskId, startFault);
  return {
    harness,
    pollMetrics,
    sweepMetrics,
    faultStart,
    faultEnd,
    importEnd: task.startedAt + timelineSeconds(timeline) * 1000,
    taskId: task.taskId,
  };
}

describe('the fault matrix, through the deployed state machine run locally', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  test.each(FAULT_CASES.map((c) => [`${c.edge}: ${c.fault.label}, ${c.duration}`, c] as const))(
    '%s',
    async (_name, faultCase: FaultCase) => {
      const run = await runCase(faultCase, (started) => (harness = started));
      const terminal = run.harness.poller.events.filter((e) => isTerminal(e) && e.Detail.taskId === run.taskId);
      const { outcome } = faultCase;

      if (outcome.kind === 'announced') {
        expect(terminal).toHaveLength(1);
        expect(terminal[0].Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true });
        const observedAt = Date.parse(String(terminal[0].Detail.observedAt));
        expect((observedAt - Math.max(run.importEnd, run.faultEnd)) / 1000).toBeLessThanOrEqual(
          outcome.withinSecondsOfFaultEnd,
        );
        if (outcome.alsoAlarmed !== undefined) {
          expect(alarmNamed(run.harness, outcome.alsoAlarmed.alarm)).toMatchObject(
            ALARM_DEFINITIONS[outcome.alsoAlarmed.alarm],
          );
          expect(alarmFires(run, outcome.alsoAlarmed.alarm)).toBe(true);
        }
        return;
      }

      expect(alarmNamed(run.harness, outcome.alarmed.alarm)).toMatchObject(ALARM_DEFINITIONS[outcome.alarmed.alarm]);
      expect(alarmFires(run, outcome.alarmed.alarm)).toBe(true);
      const { event } = outcome;
      if (event.kind === 'none') {
        expect(terminal).toEqual([]);
      } else if (event.kind === 'monitoring-failed') {
        expect(terminal.map((e) => e.Detail.reason)).toEqual([event.reason]);
      } else {
        expect(terminal.map((e) => e.Detail.status)).toEqual([event.status]);
        const observedAt = Date.parse(String(terminal[0].Detail.observedAt));
        expect((observedAt - run.importEnd) / 1000).toBeLessThanOrEqual(event.withinSeconds);
      }
    },
  );

  test('the fault proxies refuse only the operation given a fault, and only while its window holds', async () => {
    const run = await runCase(
      FAULT_CASES.find((c) => c.edge === 'SendTaskSuccess (wake)' && c.duration === 'once')!,
      (started) => (harness = started),
    );
    const { faults } = run.harness;
    expect(faults!.sweepStepFunctions.refused).toEqual([
      { operation: 'SendTaskSuccess', errorType: 'ThrottlingException' },
    ]);
    expect(faults!.parkTable!.refused).toEqual([]);
    expect(run.harness.stepFunctions.taskTokenCalls.filter((c) => c.result === 'ok').length).toBeGreaterThan(0);
  });

  test('Lambda throttling for ten minutes: the poll step retries well past it, even at the shortest jitter draws', () => {
    const definition = synthesizeOnce().definition;
    const states = definition.States as Record<string, { Retry?: Record<string, unknown>[] }>;
    const [retry] = states.PollImportTask.Retry!;
    expect(retry.ErrorEquals).toContain('Lambda.TooManyRequestsException');
    const { IntervalSeconds, BackoffRate, MaxDelaySeconds, MaxAttempts } = retry as Record<string, number>;
    const bounds = Array.from({ length: MaxAttempts }, (_, n) =>
      Math.min(MaxDelaySeconds, IntervalSeconds * Math.pow(BackoffRate, n)),
    );
    // Full jitter draws each pause uniformly below its bound: the total is a sum of uniforms.
    const mean = bounds.reduce((sum, bound) => sum + bound / 2, 0);
    const deviation = Math.sqrt(bounds.reduce((sum, bound) => sum + (bound * bound) / 12, 0));
    expect(mean).toBeGreaterThan(1000);
    // Ten minutes is more than four standard deviations below the mean: about one watch in a million.
    expect((mean - TEN_MINUTES_MS / 1000) / deviation).toBeGreaterThan(4.5);
  });

  test('docs/faults.md shows every case of the matrix, as the cases say', () => {
    const cells = (table: string) =>
      table
        .split('\n')
        .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
        .map((line) =>
          line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim()),
        );
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'faults.md'), 'utf8');
    const section = doc.slice(doc.indexOf('| edge'), doc.indexOf('\n\n', doc.indexOf('| edge')));
    expect(cells(section)).toEqual(cells(renderFaultMatrix()));
  });
});
