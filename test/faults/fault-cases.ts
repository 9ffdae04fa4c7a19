/**
 * The fault matrix: each I/O edge a watch or the sweep depends on, each fault it can meet there,
 * held once, for ten minutes and for good, and the outcome the poller promises for it. The test
 * `fault-matrix.test.ts` replays every case through the synthesized state machine, with the real
 * poll, start and sweep handlers, and docs/faults.md shows the table rendered from these cases
 * (`npm run docs:faults` writes it).
 */

import { SWEPT_POLLING_INTERVAL } from '../../lib/poller-props';

/** How long a fault lasts, from the start of the case. */
export type FaultDuration = 'once' | '10 min' | 'for good';

/** An alarm of the construct, by its id under `Alarms`, and the metric it watches. */
export interface AlarmRef {
  readonly alarm:
    | 'MonitoringFailures'
    | 'ExecutionsFailed'
    | 'DeadLetterQueueDepth'
    | 'SweepTaskFailures'
    | 'SweepFailures'
    | 'SweepsNotRunning';
  readonly metric: string;
}

/**
 * What the import gets: its one terminal event soon after the fault ends (with, for some edges, an
 * alarm besides), or an alarm within five minutes, with the event that follows, if any.
 */
export type FaultOutcome =
  | { readonly kind: 'announced'; readonly withinSecondsOfFaultEnd: number; readonly alsoAlarmed?: AlarmRef }
  | {
      readonly kind: 'alarmed';
      readonly alarmed: AlarmRef;
      /** The one terminal event that still comes, late; none when the import is not watched at all. */
      readonly event:
        | { readonly kind: 'monitoring-failed'; readonly reason: string }
        | {
            readonly kind: 'late';
            readonly status: 'SUCCEEDED';
            readonly by: string;
            /** Seconds after the import's end within which it comes. */
            readonly withinSeconds: number;
          }
        | { readonly kind: 'none' };
    };

/** The I/O edges of the matrix. */
export type FaultEdge =
  | 'GetImportTask'
  | 'Lambda Invoke (poll function)'
  | 'PutItem (park a wait)'
  | 'PutEvents (terminal event)'
  | 'StartExecution (continue-as-new)'
  | 'StartExecution (trigger)'
  | 'DescribeExecution (repeated trigger)'
  | 'StartExecution (discovery)'
  | 'SendTaskSuccess (wake)'
  | 'BatchGetItem (sweep)'
  | 'ListImportTasks'
  | 'Lambda Invoke (sweep function)';

/** A fault as the service answers it. */
export interface EdgeFault {
  /** As the table shows it. */
  readonly label: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** The error type the service names. */
  readonly errorType: string;
}

/** One cell of the matrix. */
export interface FaultCase {
  readonly edge: FaultEdge;
  readonly fault: EdgeFault;
  readonly duration: FaultDuration;
  readonly outcome: FaultOutcome;
}

/** Seconds after a passing fault ends within which the import must get its terminal event. */
export const ANNOUNCED_WITHIN_SECONDS = 60;

const fault = (status: number, errorType: string): EdgeFault => ({
  label: `${status} ${errorType}`,
  status,
  errorType,
});

const THROTTLED_JSON = fault(400, 'ThrottlingException');
const THROTTLED_REST = fault(429, 'ThrottlingException');
const LAMBDA_THROTTLED: EdgeFault = {
  label: 'Lambda.TooManyRequestsException',
  status: 429,
  errorType: 'TooManyRequestsException',
};

/** The faults of `GetImportTask`, with the reason a fault that lasts ends the watch with. */
export const GET_IMPORT_TASK_FAULTS = [
  { fault: THROTTLED_REST, reason: 'POLLING_ERROR' },
  { fault: fault(500, 'InternalServerException'), reason: 'POLLING_ERROR' },
  { fault: fault(403, 'AccessDeniedException'), reason: 'ACCESS_DENIED' },
  { fault: fault(400, 'ValidationException'), reason: 'INVALID_REQUEST' },
] as const;

const DURATIONS: readonly FaultDuration[] = ['once', '10 min', 'for good'];

const announced: FaultOutcome = { kind: 'announced', withinSecondsOfFaultEnd: ANNOUNCED_WITHIN_SECONDS };

/**
 * Seconds within which discovery announces an import no trigger announced, in an idle account:
 * the next listing (every 15 minutes while nothing is parked), the grace left to a trigger (5
 * minutes) and a sweep interval.
 */
export const DISCOVERED_WITHIN_SECONDS = 21 * 60;

const DISCOVERED: FaultOutcome = { kind: 'announced', withinSecondsOfFaultEnd: DISCOVERED_WITHIN_SECONDS };

const ALARMS = {
  monitoringFailures: { alarm: 'MonitoringFailures', metric: 'MonitoringFailures' },
  executionsFailed: { alarm: 'ExecutionsFailed', metric: 'AWS/States ExecutionsFailed' },
  deadLetterQueue: {
    alarm: 'DeadLetterQueueDepth',
    metric: 'AWS/SQS ApproximateNumberOfMessagesVisible',
  },
  sweepTaskFailures: { alarm: 'SweepTaskFailures', metric: 'SweepTaskFailures' },
  sweepFailures: { alarm: 'SweepFailures', metric: 'AWS/Lambda Errors' },
  sweepsNotRunning: { alarm: 'SweepsNotRunning', metric: 'AWS/Lambda Invocations' },
} as const satisfies Record<string, AlarmRef>;

/** What each duration of a fault gets. */
type Outcomes = Readonly<Record<FaultDuration, FaultOutcome>>;

/** Announced when the fault passes, `forGood` when it stays. */
const passingThen = (forGood: FaultOutcome): Outcomes => ({
  once: announced,
  '10 min': announced,
  'for good': forGood,
});

/** Cells of `edge` × `faults` × every duration. */
function cells(edge: FaultEdge, faults: readonly EdgeFault[], outcomes: Outcomes): FaultCase[] {
  return faults.flatMap((f) =>
    DURATIONS.map((duration) => ({ edge, fault: f, duration, outcome: outcomes[duration] })),
  );
}

/** A late event: the parked wait ends at its timeout, and the watch's own poll sees the end. */
const PARKED_WAIT_BOUND_SECONDS = SWEPT_POLLING_INTERVAL.toSeconds() * 1.1;
const AT_THE_PARKED_WAIT_END = {
  kind: 'late',
  status: 'SUCCEEDED',
  by: `the parked wait's end (at most ${Math.floor(PARKED_WAIT_BOUND_SECONDS / 3600)} h ${Math.round((PARKED_WAIT_BOUND_SECONDS % 3600) / 60)} min)`,
  withinSeconds: PARKED_WAIT_BOUND_SECONDS,
} as const;

/** Every cell of the matrix. */
export const FAULT_CASES: readonly FaultCase[] = [
  ...GET_IMPORT_TASK_FAULTS.flatMap(({ fault: f, reason }) =>
    cells(
      'GetImportTask',
      [f],
      passingThen({
        kind: 'alarmed',
        alarmed: ALARMS.monitoringFailures,
        event: { kind: 'monitoring-failed', reason },
      }),
    ),
  ),
  // A poll function that Lambda never runs again cannot describe anything: the failed executions are what is left.
  ...cells(
    'Lambda Invoke (poll function)',
    [LAMBDA_THROTTLED],
    passingThen({ kind: 'alarmed', alarmed: ALARMS.executionsFailed, event: { kind: 'none' } }),
  ),
  // A park that cannot be written is a plain wait of at most a minute: the watch keeps polling on its own.
  ...cells('PutItem (park a wait)', [THROTTLED_JSON, fault(500, 'InternalServerError')], {
    once: announced,
    '10 min': announced,
    'for good': announced,
  }),
  ...cells(
    'PutEvents (terminal event)',
    [THROTTLED_JSON],
    passingThen({ kind: 'alarmed', alarmed: ALARMS.executionsFailed, event: { kind: 'none' } }),
  ),
  ...cells(
    'StartExecution (continue-as-new)',
    [THROTTLED_JSON],
    passingThen({
      kind: 'alarmed',
      alarmed: ALARMS.executionsFailed,
      event: { kind: 'monitoring-failed', reason: 'POLLER_FAILED' },
    }),
  ),
  // With discovery off the trigger is the only way in; Lambda retries it twice within 3 minutes, then keeps it.
  ...cells('StartExecution (trigger)', [THROTTLED_JSON], {
    once: announced,
    '10 min': { kind: 'alarmed', alarmed: ALARMS.deadLetterQueue, event: { kind: 'none' } },
    'for good': { kind: 'alarmed', alarmed: ALARMS.deadLetterQueue, event: { kind: 'none' } },
  }),
  // The watch already runs: a repeated trigger that cannot read its standing is kept, and the watch announces.
  ...cells('DescribeExecution (repeated trigger)', [THROTTLED_JSON], {
    once: announced,
    '10 min': { ...announced, alsoAlarmed: ALARMS.deadLetterQueue },
    'for good': { ...announced, alsoAlarmed: ALARMS.deadLetterQueue },
  }),
  // An import no trigger announced, in an account where nothing else runs: the sweep lists every 15 minutes.
  ...cells('StartExecution (discovery)', [THROTTLED_JSON], {
    once: DISCOVERED,
    '10 min': DISCOVERED,
    'for good': { kind: 'alarmed', alarmed: ALARMS.sweepTaskFailures, event: { kind: 'none' } },
  }),
  ...cells(
    'SendTaskSuccess (wake)',
    [THROTTLED_JSON, fault(400, 'AccessDeniedException')],
    passingThen({ kind: 'alarmed', alarmed: ALARMS.sweepTaskFailures, event: AT_THE_PARKED_WAIT_END }),
  ),
  ...cells(
    'BatchGetItem (sweep)',
    [THROTTLED_JSON],
    passingThen({ kind: 'alarmed', alarmed: ALARMS.sweepFailures, event: AT_THE_PARKED_WAIT_END }),
  ),
  ...cells(
    'ListImportTasks',
    [THROTTLED_REST, fault(500, 'InternalServerException')],
    passingThen({ kind: 'alarmed', alarmed: ALARMS.sweepFailures, event: AT_THE_PARKED_WAIT_END }),
  ),
  ...cells(
    'Lambda Invoke (sweep function)',
    [LAMBDA_THROTTLED],
    passingThen({ kind: 'alarmed', alarmed: ALARMS.sweepsNotRunning, event: AT_THE_PARKED_WAIT_END }),
  ),
];

/** Seconds as the table shows them: seconds up to two minutes, whole minutes beyond. */
function duration(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

function describeOutcome(outcome: FaultOutcome): string {
  if (outcome.kind === 'announced') {
    const also = outcome.alsoAlarmed === undefined ? '' : `; alarm \`${outcome.alsoAlarmed.alarm}\``;
    return `its one terminal event, within ${duration(outcome.withinSecondsOfFaultEnd)} of the fault's end${also}`;
  }
  const alarm = `alarm \`${outcome.alarmed.alarm}\` (${outcome.alarmed.metric}) within 5 min`;
  const { event } = outcome;
  if (event.kind === 'monitoring-failed') return `Monitoring Failed \`${event.reason}\`; ${alarm}`;
  if (event.kind === 'late') return `${alarm}; its one terminal event at ${event.by}`;
  return `${alarm}; no event`;
}

/** The matrix as a Markdown table, as docs/faults.md shows it. */
export function renderFaultMatrix(cases: readonly FaultCase[] = FAULT_CASES): string {
  const rows = cases.map((c) => `| ${c.edge} | ${c.fault.label} | ${c.duration} | ${describeOutcome(c.outcome)} |`);
  return ['| edge | fault | lasting | what the import gets |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
