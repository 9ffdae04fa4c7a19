import type { ImportTaskSnapshot } from '../../lib/events';
import { MalformedImportTaskError } from './classify-error';

/** Turns Dates into ISO strings and drops the SDK's `$metadata`, keeping every other field. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (key === '$metadata' || field === undefined) continue;
      out[key] = toJson(field);
    }
    return out;
  }
  return value;
}

/**
 * The `GetImportTask` answer as plain JSON, checked: it must be an object naming the task that
 * was asked for and carrying a status. Anything else is a malformed answer, retried like a
 * dropped connection.
 */
export function toImportTaskSnapshot(answer: unknown, requestedTaskId: string): ImportTaskSnapshot {
  const json = toJson(answer);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new MalformedImportTaskError(`GetImportTask answered with ${typeof json} instead of an object`);
  }
  const record = json as Record<string, unknown>;
  if (typeof record.status !== 'string' || record.status.trim() === '') {
    throw new MalformedImportTaskError(
      `GetImportTask answer for ${requestedTaskId} has no status (got ${JSON.stringify(record.status) ?? 'nothing'})`,
    );
  }
  if (record.taskId !== undefined && record.taskId !== requestedTaskId) {
    throw new MalformedImportTaskError(
      `GetImportTask was asked for ${requestedTaskId} but answered for ${JSON.stringify(record.taskId)}`,
    );
  }
  return { ...record, taskId: requestedTaskId, status: record.status };
}

/** A finite number, or `undefined`. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
