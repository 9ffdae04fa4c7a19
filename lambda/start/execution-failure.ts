/**
 * The backstop: an execution of the poller that fails, times out or is aborted before it put its
 * terminal event must still end its watch with one. The start function hears of it from
 * EventBridge's "Step Functions Execution Status Change" event, checks the execution's history,
 * and starts one more execution, named after the failed one, that only puts the Monitoring
 * Failed event; Step Functions' unique names make that happen once however often it is told.
 */
import { FAILED_EXECUTION_STATUSES } from '../../lib/events';
import { backstopExecutionName, isBackstopExecutionName } from '../../lib/identifiers';
import { POLLER_STATE_NAMES } from '../../lib/state-names';
import { isRecord } from '../shared/records';

/** Input of a failed execution larger than this is not carried into the backstop execution. */
const MAX_CARRIED_INPUT_BYTES = 64 * 1024;
/** Characters kept of the failed execution's error and cause. */
const MAX_ERROR_TEXT = 1_000;

/** An execution that ended without finishing, as its status-change event tells. */
export interface FailedExecution {
  readonly executionArn: string;
  readonly executionName: string;
  readonly status: string;
  readonly error: string | null;
  readonly cause: string | null;
  /** The execution's input, parsed, when the event carried it and it is small. */
  readonly input: unknown;
}

/** One event of an execution's history, as far as the backstop reads it. */
export interface HistoryEntry {
  readonly type: string;
  /** Name of the state, for `…StateEntered` and `…StateExited` events. */
  readonly stateName?: string;
}

/** The latest events of an execution's history, newest first. */
export type HistoryReader = (executionArn: string) => Promise<readonly HistoryEntry[]>;

/** What a failed execution's status change calls for. */
export type FailureResponse =
  | { readonly kind: 'report'; readonly executionName: string; readonly input: string }
  | { readonly kind: 'nothing'; readonly reason: string };

const text = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, MAX_ERROR_TEXT) : null);

function parsedInput(input: unknown): unknown {
  if (typeof input !== 'string' || Buffer.byteLength(input, 'utf8') > MAX_CARRIED_INPUT_BYTES) return null;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return null;
  }
}

/** Reads a status-change event's detail; undefined when it does not describe an execution that failed. */
export function failedExecutionFromDetail(detail: unknown): FailedExecution | undefined {
  if (!isRecord(detail)) return undefined;
  const { executionArn, name, status } = detail;
  if (typeof executionArn !== 'string' || typeof name !== 'string' || typeof status !== 'string') return undefined;
  if (!FAILED_EXECUTION_STATUSES.includes(status)) return undefined;
  return {
    executionArn,
    executionName: name,
    status,
    error: text(detail.error),
    cause: text(detail.cause),
    input: parsedInput(detail.input),
  };
}

/**
 * Task states whose work succeeded, from history events newest first: those that exited, and
 * those whose call succeeded before the execution stopped short of their exit (a `TaskSucceeded`
 * belongs to the nearest older `TaskStateEntered`).
 */
function tasksThatSucceeded(history: readonly HistoryEntry[]): Set<string> {
  const succeeded = new Set<string>();
  let callSucceeded = false;
  for (const entry of history) {
    if (entry.type === 'TaskStateExited' && entry.stateName !== undefined) succeeded.add(entry.stateName);
    if (entry.type === 'TaskSucceeded' || entry.type === 'LambdaFunctionSucceeded') callSucceeded = true;
    if (entry.type === 'TaskStateEntered') {
      if (callSucceeded && entry.stateName !== undefined) succeeded.add(entry.stateName);
      callSucceeded = false;
    }
  }
  return succeeded;
}

/**
 * Decides from the latest history events whether the failed execution still needs its Monitoring
 * Failed event: not when it put its terminal event before failing, nor when it handed the watch
 * to a continued execution, nor when it was itself a backstop (whose own failure an alarm shows).
 */
export function respondToFailure(failed: FailedExecution, history: readonly HistoryEntry[]): FailureResponse {
  if (isBackstopExecutionName(failed.executionName)) {
    return { kind: 'nothing', reason: `${failed.executionName} reported a failure and failed itself` };
  }
  const done = tasksThatSucceeded(history);
  const exited = (state: string): boolean => done.has(state);
  if (exited(POLLER_STATE_NAMES.publishOutcome)) {
    return { kind: 'nothing', reason: `${failed.executionName} put its terminal event before it ended` };
  }
  if (exited(POLLER_STATE_NAMES.continueAsNew)) {
    return { kind: 'nothing', reason: `${failed.executionName} handed its watch to a continued execution` };
  }
  return {
    kind: 'report',
    executionName: backstopExecutionName(failed.executionName),
    input: JSON.stringify({
      backstop: {
        executionName: failed.executionName,
        executionArn: failed.executionArn,
        status: failed.status,
        error: failed.error,
        cause: failed.cause,
        input: failed.input,
      },
    }),
  };
}
