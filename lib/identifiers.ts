import { createHash } from 'node:crypto';

/** Neptune Analytics import task ids: `t-` and ten lower-case letters or digits. */
export const TASK_ID_PATTERN = /^t-[a-z0-9]{10}$/;

/** Neptune Analytics graph ids: `g-` and ten lower-case letters or digits. */
export const GRAPH_ID_PATTERN = /^g-[a-z0-9]{10}$/;

/** Whether `value` is a well-formed import task id. */
export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && TASK_ID_PATTERN.test(value);
}

/** Whether `value` is a well-formed graph id. */
export function isGraphId(value: unknown): value is string {
  return typeof value === 'string' && GRAPH_ID_PATTERN.test(value);
}

/** Explains why `value` is not a task id, showing the value. */
export function describeInvalidTaskId(value: unknown): string {
  const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 100);
  return `taskId must match ${TASK_ID_PATTERN.source} (t- and ten lower-case letters or digits); got ${shown}`;
}

/** Step Functions' longest execution name. */
export const MAX_EXECUTION_NAME_LENGTH = 80;

/**
 * `base` followed by `suffix`, within {@link MAX_EXECUTION_NAME_LENGTH} characters: a base too
 * long is cut and marked with a hash of the whole, so that distinct bases keep distinct names.
 */
function withSuffix(base: string, suffix: string): string {
  const name = `${base}${suffix}`;
  if (name.length <= MAX_EXECUTION_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 10);
  return `${base.slice(0, MAX_EXECUTION_NAME_LENGTH - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

/**
 * Name of the first execution of watch number `watch` (1, 2, …) of `taskId`: the task id alone
 * for the first watch, so that a task announced twice is watched once.
 */
export function watchExecutionName(taskId: string, watch: number): string {
  return watch <= 1 ? taskId : `${taskId}-watch-${watch}`;
}

/**
 * Whether `name` is the name of a watch of `taskId` that the start path gives (the task id, or
 * the task id and `-watch-<n>`): one watch per name, one name per watch of a task.
 */
export function isWatchExecutionName(name: string, taskId: string): boolean {
  return name === taskId || (name.startsWith(`${taskId}-watch-`) && /^\d+$/.test(name.slice(taskId.length + 7)));
}

/**
 * Name of the execution that continues, as its `generation`th, the watch whose first execution
 * is `watchName`. Each watch has its own names, so chains of continued executions never collide.
 */
export function continuedExecutionName(watchName: string, generation: number): string {
  return withSuffix(watchName, `-continued-${generation}`);
}

/** Ends the name of every backstop execution. */
const BACKSTOP_SUFFIX = '-backstop';

/** Name of the one execution that reports, with a Monitoring Failed event, that `executionName` failed. */
export function backstopExecutionName(executionName: string): string {
  return withSuffix(executionName, BACKSTOP_SUFFIX);
}

/** Whether `name` is that of an execution that reports another's failure. */
export function isBackstopExecutionName(name: string): boolean {
  return name.endsWith(BACKSTOP_SUFFIX);
}
