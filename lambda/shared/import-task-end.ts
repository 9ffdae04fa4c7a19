/**
 * When an ended import task ended, from its `GetImportTask` answer: read by the sweep, for a task
 * found ended that nobody watches, and by the poll function, to tell an end it sees late.
 */

/** The part of a `GetImportTask` answer that says when the task ended. */
export interface ImportTaskTiming {
  /** When the import started. */
  readonly startTime?: unknown;
  /** Seconds it ran, up to its end for an ended task. */
  readonly timeElapsedSeconds?: unknown;
}

/**
 * When an ended import task ended, in epoch milliseconds: its `startTime` (a Date or ISO-8601)
 * plus its `timeElapsedSeconds`; undefined when either is missing or is not a time.
 */
export function importTaskEndedAt(timing: ImportTaskTiming | undefined): number | undefined {
  const { startTime, timeElapsedSeconds } = timing ?? {};
  // The SDK answers a Date; the poll function's snapshot of the answer carries it as ISO-8601.
  const started =
    startTime instanceof Date
      ? startTime.getTime()
      : typeof startTime === 'string'
        ? Date.parse(startTime)
        : Number.NaN;
  if (Number.isNaN(started)) return undefined;
  if (typeof timeElapsedSeconds !== 'number' || !Number.isFinite(timeElapsedSeconds) || timeElapsedSeconds < 0) {
    return undefined;
  }
  return started + timeElapsedSeconds * 1000;
}
