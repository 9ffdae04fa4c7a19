/**
 * The fault matrix of a watch: each I/O edge that a watch depends on, each fault it can meet there,
 * held once, for ten minutes and for good, and the outcome the poller promises for it. The test
 * `fault-matrix.test.ts` replays every case through the synthesized state machine, and
 * docs/faults.md shows the table rendered from these cases (`npm run docs:faults` writes it).
 */

/** How long a fault lasts, from the first poll of the watch. */
export type FaultDuration = 'once' | '10 min' | 'for good';

/** What the watch gets: its one terminal event soon after the fault ends, or a Monitoring Failed event and an alarm. */
export type FaultOutcome =
  | { readonly kind: 'announced'; readonly withinSecondsOfFaultEnd: number }
  | { readonly kind: 'alarmed'; readonly reason: string; readonly alarm: string; readonly metric: string };

/** One cell of the matrix. */
export interface FaultCase {
  /** The call that fails. */
  readonly edge: 'GetImportTask' | 'Lambda Invoke (poll function)';
  /** The fault, as the service answers it. */
  readonly fault: string;
  readonly duration: FaultDuration;
  readonly outcome: FaultOutcome;
}

/** The faults of `GetImportTask`, as the stand-in answers them, with the reason a fault that lasts ends the watch with. */
export const GET_IMPORT_TASK_FAULTS = [
  { fault: '429 ThrottlingException', status: 429, errorType: 'ThrottlingException', reason: 'POLLING_ERROR' },
  { fault: '500 InternalServerException', status: 500, errorType: 'InternalServerException', reason: 'POLLING_ERROR' },
  { fault: '403 AccessDeniedException', status: 403, errorType: 'AccessDeniedException', reason: 'ACCESS_DENIED' },
  { fault: '400 ValidationException', status: 400, errorType: 'ValidationException', reason: 'INVALID_REQUEST' },
] as const;

/** Seconds after a passing fault ends within which the watch must put its terminal event. */
export const ANNOUNCED_WITHIN_SECONDS = 60;

const DURATIONS: readonly FaultDuration[] = ['once', '10 min', 'for good'];

function lastingOutcome(duration: FaultDuration, alarmed: Extract<FaultOutcome, { kind: 'alarmed' }>): FaultOutcome {
  return duration === 'for good' ? alarmed : { kind: 'announced', withinSecondsOfFaultEnd: ANNOUNCED_WITHIN_SECONDS };
}

/** Every cell of the matrix. */
export const FAULT_CASES: readonly FaultCase[] = [
  ...GET_IMPORT_TASK_FAULTS.flatMap(({ fault, reason }) =>
    DURATIONS.map((duration): FaultCase => ({
      edge: 'GetImportTask',
      fault,
      duration,
      outcome: lastingOutcome(duration, {
        kind: 'alarmed',
        reason,
        alarm: 'MonitoringFailures',
        metric: 'MonitoringFailures',
      }),
    })),
  ),
  // The local runner paces retries by their first interval (it does not simulate backoff), so a ten-minute Lambda
  // fault is judged from the Retry the definition holds, in fault-matrix.test.ts, rather than replayed.
  ...(['once', 'for good'] as const).map((duration): FaultCase => ({
    edge: 'Lambda Invoke (poll function)',
    fault: 'Lambda.TooManyRequestsException',
    duration,
    outcome: lastingOutcome(duration, {
      kind: 'alarmed',
      reason: 'POLLER_FAILED',
      alarm: 'ExecutionsFailed',
      metric: 'AWS/States ExecutionsFailed',
    }),
  })),
];

function describeOutcome(outcome: FaultOutcome): string {
  return outcome.kind === 'announced'
    ? `its one terminal event, within ${outcome.withinSecondsOfFaultEnd} s of the fault's end`
    : `Monitoring Failed \`${outcome.reason}\`; alarm \`${outcome.alarm}\` (${outcome.metric})`;
}

/** The matrix as a Markdown table, as docs/faults.md shows it. */
export function renderFaultMatrix(cases: readonly FaultCase[] = FAULT_CASES): string {
  const rows = cases.map((c) => `| ${c.edge} | ${c.fault} | ${c.duration} | ${describeOutcome(c.outcome)} |`);
  return ['| edge | fault | lasting | what the watch gets |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
