/**
 * Where a task's watches stand, read from Step Functions' own records of their executions: a
 * watch's first execution is named after the task (and the watch's number), each continued
 * execution's name is in its predecessor's output, and the last one's output is the decision that
 * ended the watch. No second store has to agree with Step Functions.
 */
import { STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { POLL_ACTIONS } from '../../lib/poll-contract';
import { isRecord } from './records';

/** What `DescribeExecution` tells of one execution. */
export interface ExecutionRecord {
  /** `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED` or `PENDING_REDRIVE`. */
  readonly status: string;
  /** The execution's output, JSON, when it succeeded. */
  readonly output?: string;
}

/** Describes the execution named `name`, or resolves undefined when there is none. */
export type ExecutionDescriber = (name: string) => Promise<ExecutionRecord | undefined>;

/** Where one watch stands. */
export type WatchStanding =
  /** An execution of the watch runs (or may run again): the watch goes on. */
  | { readonly kind: 'running'; readonly executionName: string }
  /** The watch ended with the task's terminal Status Change event. */
  | { readonly kind: 'announced'; readonly executionName: string }
  /** The watch ended without announcing a terminal status: Monitoring Failed, or an execution that failed. */
  | { readonly kind: 'ended'; readonly executionName: string };

/** Continued executions one watch may have before its lineage is taken as broken. */
const MAX_GENERATIONS = 10_000;

function parseOutput(output: string | undefined): Record<string, unknown> {
  if (output === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(output);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** Where the watch whose first execution is `watchName` stands, following its continued executions. */
export async function standingOfWatch(watchName: string, describe: ExecutionDescriber): Promise<WatchStanding> {
  let name = watchName;
  for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
    const record = await describe(name);
    // A name that is taken but unknown, or a successor that never started: nothing runs, nothing was announced.
    if (record === undefined) return { kind: 'ended', executionName: name };
    // A failed execution may be redriven; until it ends for good, the watch is not over.
    if (record.status === 'RUNNING' || record.status === 'PENDING_REDRIVE')
      return { kind: 'running', executionName: name };
    if (record.status !== 'SUCCEEDED') return { kind: 'ended', executionName: name };
    const decision = parseOutput(record.output);
    if (decision.action === POLL_ACTIONS.continue && typeof decision.executionName === 'string') {
      name = decision.executionName;
      continue;
    }
    const event = isRecord(decision.event) ? decision.event : {};
    const detail = isRecord(event.detail) ? event.detail : {};
    const announced = event.detailType === STATUS_CHANGE_DETAIL_TYPE && detail.terminal === true;
    return { kind: announced ? 'announced' : 'ended', executionName: name };
  }
  return { kind: 'ended', executionName: name };
}
