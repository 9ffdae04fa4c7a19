/**
 * `npm run standin`: serves the Neptune Analytics stand-in on loopback with a few scripted
 * imports, for trying `npm run local` without an AWS account.
 */
import { parseArgs } from 'node:util';
import { ScaledClock } from './clock';
import { simpleTimeline } from './import-timeline';
import { NeptuneGraphStandIn } from './neptune-graph-standin';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'time-scale': { type: 'string', default: '1' }, port: { type: 'string' } },
  });
  const clock = new ScaledClock(Number(values['time-scale']));
  const standIn = new NeptuneGraphStandIn({ now: () => clock.now() });
  const endpoint = await standIn.start();
  const tasks = [
    standIn.addTask({ taskId: 't-succeeds01', timeline: simpleTimeline(1800), startOnFirstPoll: true }),
    standIn.addTask({
      taskId: 't-fails00001',
      startOnFirstPoll: true,
      timeline: simpleTimeline(1200, {
        status: 'FAILED',
        statusReason: 'Import failed: 3 files could not be parsed',
        errorCount: 3,
        errorDetails: 'line 17 of s3://example-bucket/graph-data/edges.csv: unknown vertex id v-42',
      }),
    }),
  ];
  process.stdout.write(
    `Neptune Analytics stand-in listening at ${endpoint} (time scale ${values['time-scale']}; each import starts when first polled)\n`,
  );
  for (const task of tasks) process.stdout.write(`  ${task.taskId}: ends ${task.timeline.outcome.status}\n`);
  process.stdout.write(
    `\nTry: AWS_ENDPOINT_URL_NEPTUNE_GRAPH=${endpoint} npm run local -- --task-id ${tasks[0].taskId} --time-scale ${values['time-scale']}\n`,
  );
}

void main();
