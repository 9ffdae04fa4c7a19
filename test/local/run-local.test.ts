/**
 * `npm run local` as a user runs it: a separate process, against a Neptune Analytics endpoint
 * given by AWS_ENDPOINT_URL_NEPTUNE_GRAPH, with events on stdout and logs on stderr.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SWEPT_POLLING_INTERVAL } from '../../lib/poller-props';
import { ScaledClock } from '../../local/clock';
import { simpleTimeline } from '../../local/import-timeline';
import { NeptuneGraphStandIn } from '../../local/neptune-graph-standin';

const ROOT = path.join(__dirname, '..', '..');
const TIME_SCALE = 0.001;

interface Run {
  readonly code: number | null;
  readonly lines: Record<string, unknown>[];
  readonly stdout: string;
  readonly stderr: string;
}

/** The JSON log lines (Powertools Logger) on a run's stderr. */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function runLocal(args: string[], endpoint: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'local/run-local.ts', ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL_NEPTUNE_GRAPH: endpoint,
          AWS_CONFIG_FILE: '/nonexistent',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, lines, stdout, stderr });
    });
  });
}

describe('npm run local', () => {
  let standIn: NeptuneGraphStandIn;
  let endpoint: string;

  beforeAll(async () => {
    const clock = new ScaledClock(TIME_SCALE);
    standIn = new NeptuneGraphStandIn({ now: () => clock.now() });
    endpoint = await standIn.start();
  });
  afterAll(async () => standIn.stop());

  test('GIVEN a running import WHEN watched at --time-scale 0.001 for up to 365 days THEN stdout holds one JSON line per event, the last terminal, and it exits 0', async () => {
    const task = standIn.addTask({ timeline: simpleTimeline(3600), startOnFirstPoll: true });

    // A year-long watch makes a year-long state machine timeout, which must not overflow a Node timer.
    const run = await runLocal(
      ['--task-id', task.taskId, '--time-scale', String(TIME_SCALE), '--emit-status-changes', '--timeout', '365d'],
      endpoint,
    );

    expect(run.stderr).not.toContain('TimeoutOverflowWarning');
    expect(run.code).toBe(0);
    expect(run.lines.length).toBeGreaterThanOrEqual(2);
    for (const line of run.lines) expect(Object.keys(line)).toEqual(['Source', 'DetailType', 'EventBusName', 'Detail']);
    const last = run.lines.at(-1)!;
    expect(last).toMatchObject({
      Source: 'neptune-import-poller',
      DetailType: 'Neptune Analytics Import Task Status Change',
      Detail: { taskId: task.taskId, status: 'SUCCEEDED', terminal: true },
    });
    expect(run.lines.slice(0, -1).every((line) => (line.Detail as { terminal: boolean }).terminal === false)).toBe(
      true,
    );
    expect(run.stderr).toContain('GetImportTask answered');
    // The sweep ran beside the watch, on its clock, and woke it on status changes: a poll for each, few in all.
    const sweep = /sweep: (\d+) run\(s\), 0 failed, woke the watch (\d+) time\(s\)/.exec(run.stderr);
    expect(sweep).not.toBeNull();
    expect(Number(sweep![2])).toBeGreaterThanOrEqual(1);
    expect(standIn.pollsOf(task.taskId).length).toBeLessThanOrEqual(run.lines.length + 1);
  }, 120_000);

  test('GIVEN --no-sweep THEN the poller without the sweep watches by its own polls, and exits 0 on the terminal event', async () => {
    const task = standIn.addTask({ timeline: simpleTimeline(1200), startOnFirstPoll: true });

    const run = await runLocal(['--task-id', task.taskId, '--time-scale', String(TIME_SCALE), '--no-sweep'], endpoint);

    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ Detail: { taskId: task.taskId, status: 'SUCCEEDED', terminal: true } });
    expect(run.stderr).toContain('sweep off');
    expect(run.stderr).not.toContain('ListImportTasks');
    // Without the sweep, progress-aware polling: every planned wait is far shorter than the sweep's 2-hour backstop,
    // and each is followed by one poll. (How many polls a 20-minute import gets here depends on how fast this machine
    // runs the child, since the stand-in's clock runs in real time: not asserted.)
    const waits = logLines(run.stderr)
      .filter((line) => line.message === 'Waiting before the next poll')
      .map((line) => line.waitSeconds as number);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...waits)).toBeLessThan(SWEPT_POLLING_INTERVAL.toSeconds() / 4);
    expect(standIn.pollsOf(task.taskId)).toHaveLength(waits.length + 1);
  }, 120_000);

  test('GIVEN a task that does not exist THEN one Monitoring Failed line and exit status 2', async () => {
    const run = await runLocal(['--task-id', 't-nosuchtask', '--time-scale', String(TIME_SCALE)], endpoint);

    expect(run.code).toBe(2);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({
      DetailType: 'Neptune Analytics Import Task Monitoring Failed',
      Detail: { reason: 'TASK_NOT_FOUND' },
    });
  }, 120_000);

  test('GIVEN a malformed task id THEN it is refused before any request, exit status 2', async () => {
    const before = standIn.requests.length;

    const run = await runLocal(['--task-id', 'T-123'], endpoint);

    expect(run.code).toBe(2);
    expect(run.lines[0]).toMatchObject({ Detail: { reason: 'INVALID_REQUEST', taskId: 'T-123', pollCount: 0 } });
    expect(standIn.requests.length).toBe(before);
  }, 120_000);

  test('GIVEN a usage mistake THEN nothing on stdout, the usage on stderr, exit status 1', async () => {
    const run = await runLocal(['--task-id', 't-0123456789', '--timeout', 'soon'], endpoint);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: npm run local');
  }, 120_000);
});
