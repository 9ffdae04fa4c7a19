/**
 * The wake path, measured: from the start of the sweep that lists a task's end to the woken
 * watch's poll of that end, through the deployed state machine run locally with the real sweep,
 * start and poll handlers (pages read in sequence, the table read, wakes spread at up to ten a
 * second, `SendTaskSuccess`, the execution resuming, `GetImportTask`), on a clock that skips the
 * waits but counts every real millisecond of work. Each woken poll is charged the poll bundle's
 * cold start (its measured module load time) as well: a wake may find no warm function.
 */
import { FastForwardClock } from '../local/clock';
import { simpleTimeline } from '../local/import-timeline';
import { startStandInRun } from '../local/local-environment';
import { seededRandom } from '../local/seeded-random';

/** The measured wake path. */
export interface WakePathMeasurement {
  /** Watches measured. */
  readonly watches: number;
  /** Seconds from the sweep's start to the woken poll, one per watch, ascending. */
  readonly samplesSeconds: readonly number[];
  /** The cold start charged to each woken poll, milliseconds. */
  readonly coldStartMs: number;
}

/** Seconds over which the measured imports end, at random: some ends meet in one sweep, most do not. */
const ENDS_SPREAD_SECONDS = 1800;

/**
 * Watches `watches` imports that end at random over half an hour, each watch parked until the sweep
 * wakes it, and measures each wake path.
 */
export async function measureWakePath(watches: number, coldStartMs: number, seed = 7): Promise<WakePathMeasurement> {
  const random = seededRandom(seed);
  const clock = new FastForwardClock(0.00001);
  const run = await startStandInRun({ clock, logLevel: 'SILENT', random: () => 0.5 });
  try {
    const tasks = Array.from({ length: watches }, () =>
      run.standIn.addTask({ timeline: simpleTimeline(300 + Math.round(random() * ENDS_SPREAD_SECONDS)) }),
    );
    await Promise.all(tasks.map((task) => run.poller.watch({ taskId: task.taskId })));
    const sweepStarts = (run.sweep?.runs ?? []).map((sweep) => sweep.startedAt);
    const samples = tasks.map((task) => {
      const lastPoll = run.standIn.pollsOf(task.taskId).at(-1)!.at;
      const wokenBy = Math.max(...sweepStarts.filter((startedAt) => startedAt <= lastPoll));
      return (lastPoll - wokenBy + coldStartMs) / 1000;
    });
    return { watches, samplesSeconds: samples.sort((a, b) => a - b), coldStartMs };
  } finally {
    await run.stop();
  }
}
