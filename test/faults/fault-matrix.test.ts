/**
 * Every cell of the fault matrix (fault-cases.ts), replayed through the synthesized state machine:
 * a fault that passes still gets the import its one terminal event within a minute of the fault's
 * end; a fault for good ends the watch with a Monitoring Failed event (or a failed execution that
 * the backstop reports) that an alarm of the construct watches.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { executionStatusChangeEvent } from '../../local/local-environment';
import { simpleTimeline, timelineSeconds } from '../../local/import-timeline';
import type { PublishedEvent } from '../../local/local-poller';
import type { MetricDatum } from '../../lambda/poll/poll-metrics';
import { POLLER_METRICS } from '../../lib/poller-metrics';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

const startHarnessDefinition = () => synthesizeOnce().definition;
import { FAULT_CASES, GET_IMPORT_TASK_FAULTS, renderFaultMatrix, type FaultCase } from './fault-cases';

const IMPORT_SECONDS = 300;
const TEN_MINUTES_MS = 600_000;
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

const terminal = (events: readonly PublishedEvent[]) => events.filter((e) => e.Detail.terminal === true);

describe('the fault matrix, through the deployed state machine run locally', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  test.each(FAULT_CASES.map((c) => [`${c.edge}: ${c.fault}, ${c.duration}`, c] as const))(
    '%s',
    async (_name, faultCase: FaultCase) => {
      const published: MetricDatum[] = [];
      let faultUntil = 0;
      let lambdaFaults = 0;
      harness = await startHarness({
        publishMetrics: (data) => published.push(...data),
        wrapPollHandler: (real) => (event) => {
          const run = harness!;
          if (faultCase.edge !== 'GetImportTask') {
            const faulted = faultCase.duration === 'once' ? lambdaFaults === 0 : run.clock.now() < faultUntil;
            if (faulted) {
              lambdaFaults += 1;
              return Promise.reject(
                Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }),
              );
            }
          }
          return real(event);
        },
      });
      const timeline = simpleTimeline(IMPORT_SECONDS);
      const task = harness.standIn.addTask({ timeline });
      const start = harness.clock.now();
      faultUntil = start + (faultCase.duration === '10 min' ? TEN_MINUTES_MS : FOR_GOOD_MS);
      if (faultCase.edge === 'GetImportTask') {
        const { status, errorType } = GET_IMPORT_TASK_FAULTS.find((f) => f.fault === faultCase.fault)!;
        const fault = { kind: 'error', status, errorType } as const;
        if (faultCase.duration === 'once') harness.standIn.injectFaults(task.taskId, fault);
        else harness.standIn.injectFaultUntil(task.taskId, faultUntil, fault);
      }

      const { events, executions } = await harness.poller.watch({ taskId: task.taskId });

      const { outcome } = faultCase;
      if (outcome.kind === 'announced') {
        expect(terminal(events)).toHaveLength(1);
        expect(events.at(-1)!.Detail).toMatchObject({ status: 'SUCCEEDED', terminal: true });
        const endedAt = task.startedAt + timelineSeconds(timeline) * 1000;
        const faultEnded = faultCase.duration === 'once' ? start : faultUntil;
        const observedAt = Date.parse(String(events.at(-1)!.Detail.observedAt));
        expect((observedAt - Math.max(endedAt, faultEnded)) / 1000).toBeLessThanOrEqual(
          outcome.withinSecondsOfFaultEnd,
        );
        expect(executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
        return;
      }
      const alarm = alarmNamed(harness, outcome.alarm);
      if (faultCase.edge === 'GetImportTask') {
        expect(terminal(events)).toHaveLength(1);
        expect(events[0].Detail).toMatchObject({ terminal: true, reason: outcome.reason });
        // The alarm fires on the first Monitoring Failed in five minutes, and the poll function published one.
        expect(alarm).toMatchObject({ MetricName: POLLER_METRICS.monitoringFailures, Threshold: 1, Period: 300 });
        const failures = published.filter((d) => d.name === POLLER_METRICS.monitoringFailures);
        expect(failures.reduce((sum, d) => sum + d.value, 0)).toBe(1);
        return;
      }
      // Lambda refuses every invocation: the execution fails, which its alarm counts, and the backstop reports it.
      expect(executions.map((e) => e.status)).toEqual(['FAILED']);
      expect(alarm).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Threshold: 1 });
      lambdaFaults = Number.NEGATIVE_INFINITY;
      faultUntil = 0;
      await harness.startFunction(executionStatusChangeEvent(executions[0], harness.synthesized.stateMachineArn));
      await harness.poller.settled();
      const reported = terminal([...harness.poller.events]);
      expect(reported.map((e) => e.Detail.reason)).toEqual([outcome.reason]);
    },
  );

  test('Lambda throttling for ten minutes: the poll step retries well past it, even at the shortest jitter draws', () => {
    const definition = startHarnessDefinition();
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
