/**
 * A scripted Neptune Analytics import: the phases it reports, how its progress moves, and how
 * it ends. Used by the stand-in server and by the benchmark's simulated imports.
 */

/** One stretch of an import during which the service reports the same status. */
export interface ImportPhase {
  /** Status reported during the phase, e.g. `ANALYZING_DATA`. */
  readonly status: string;
  /** How long the phase lasts. */
  readonly seconds: number;
  /** Progress through the phase, as `[share of the phase's time, percent]` points; 0 throughout when absent. */
  readonly progress?: readonly (readonly [number, number])[];
  /** Attempt number reported during the phase. */
  readonly attemptNumber?: number;
}

/** How a scripted import ends. */
export interface ImportOutcome {
  readonly status: string;
  readonly statusReason?: string;
  readonly errorDetails?: string;
  readonly errorCount?: number;
}

/** A whole scripted import. */
export interface ImportTimeline {
  readonly phases: readonly ImportPhase[];
  readonly outcome: ImportOutcome;
}

/** What the import reports at one moment. */
export interface ImportState {
  readonly status: string;
  readonly progressPercentage: number;
  readonly attemptNumber: number;
  readonly ended: boolean;
  readonly outcome?: ImportOutcome;
}

/** Seconds from start to the terminal status. */
export function timelineSeconds(timeline: ImportTimeline): number {
  return timeline.phases.reduce((sum, phase) => sum + phase.seconds, 0);
}

function interpolate(points: readonly (readonly [number, number])[], share: number): number {
  if (points.length === 0) return 0;
  if (share <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    if (share <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (share - x0)) / (x1 - x0);
  }
  return points[points.length - 1][1];
}

/** The import's state `elapsedSeconds` after it started. */
export function importStateAt(timeline: ImportTimeline, elapsedSeconds: number): ImportState {
  let start = 0;
  let attemptNumber = 1;
  let lastProgress = 0;
  for (const phase of timeline.phases) {
    attemptNumber = phase.attemptNumber ?? attemptNumber;
    if (elapsedSeconds < start + phase.seconds) {
      const share = phase.seconds === 0 ? 1 : (elapsedSeconds - start) / phase.seconds;
      return {
        status: phase.status,
        progressPercentage: Math.floor(interpolate(phase.progress ?? [], Math.max(0, share))),
        attemptNumber,
        ended: false,
      };
    }
    start += phase.seconds;
    lastProgress = Math.floor(interpolate(phase.progress ?? [], 1));
  }
  return {
    status: timeline.outcome.status,
    progressPercentage: timeline.outcome.status === 'SUCCEEDED' ? 100 : lastProgress,
    attemptNumber,
    ended: true,
    outcome: timeline.outcome,
  };
}

/** A plain import: initializing, analyzing, importing at an even pace, then `outcome`. */
export function simpleTimeline(
  importSeconds: number,
  outcome: ImportOutcome = { status: 'SUCCEEDED' },
): ImportTimeline {
  return {
    phases: [
      { status: 'INITIALIZING', seconds: Math.max(1, Math.round(importSeconds * 0.05)) },
      { status: 'ANALYZING_DATA', seconds: Math.max(1, Math.round(importSeconds * 0.15)) },
      {
        status: 'IMPORTING',
        seconds: Math.max(1, Math.round(importSeconds * 0.8)),
        progress: [
          [0, 0],
          [1, 100],
        ],
      },
    ],
    outcome,
  };
}
