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

/**
 * Name of the execution that watches `taskId`. The first execution of a watch is named after
 * the task alone, so that the same task announced twice is watched once; executions that
 * continue a long watch carry their generation.
 */
export function executionNameFor(taskId: string, generation: number): string {
  return generation === 0 ? taskId : `${taskId}-continued-${generation}`;
}
