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

/** Field types of the answer this code reads, as the API defines them; other fields pass as they are. */
const FIELD_TYPES: Readonly<Record<string, 'string' | 'number' | 'object'>> = {
  graphId: 'string',
  source: 'string',
  format: 'string',
  parquetType: 'string',
  roleArn: 'string',
  statusReason: 'string',
  attemptNumber: 'number',
  importOptions: 'object',
  importTaskDetails: 'object',
};
const DETAIL_FIELD_TYPES: Readonly<Record<string, 'string' | 'number'>> = {
  status: 'string',
  startTime: 'string',
  errorDetails: 'string',
  timeElapsedSeconds: 'number',
  progressPercentage: 'number',
  errorCount: 'number',
  statementCount: 'number',
  dictionaryEntryCount: 'number',
};

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * `value` as `type`: as it is when it already is one, a number from a numeric string, else
 * undefined (the field is dropped, and named in `adjusted`).
 */
function conform(value: unknown, type: 'string' | 'number' | 'object', path: string, adjusted: string[]): unknown {
  if (value === null || value === undefined) return undefined;
  if (type === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && NUMERIC.test(value.trim())) {
      adjusted.push(path);
      return Number(value.trim());
    }
  } else if (type === 'object') {
    if (typeof value === 'object' && !Array.isArray(value)) return value;
  } else if (typeof value === 'string') {
    return value;
  }
  adjusted.push(path);
  return undefined;
}

function conformFields(
  record: Record<string, unknown>,
  types: Readonly<Record<string, 'string' | 'number' | 'object'>>,
  prefix: string,
  adjusted: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const [field, type] of Object.entries(types)) {
    if (!(field in record)) continue;
    const value = conform(record[field], type, `${prefix}${field}`, adjusted);
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  return out;
}

/** The answer as the event carries it, and the dotted paths of fields that had to be converted or dropped. */
export interface ReadImportTask {
  readonly task: ImportTaskSnapshot;
  readonly adjusted: string[];
}

/**
 * The `GetImportTask` answer as plain JSON, checked: it must be an object naming the task that
 * was asked for and carrying a status, which is read in upper case. Anything else is a malformed
 * answer, retried like a dropped connection. Fields of the wrong type are converted when that
 * loses nothing (a number sent as a string) and dropped otherwise, so that the event always
 * matches its schema.
 */
export function toImportTaskSnapshot(answer: unknown, requestedTaskId: string): ReadImportTask {
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
  const adjusted: string[] = [];
  const conformed = conformFields(record, FIELD_TYPES, '', adjusted);
  if (typeof conformed.importTaskDetails === 'object' && conformed.importTaskDetails !== null) {
    conformed.importTaskDetails = conformFields(
      conformed.importTaskDetails as Record<string, unknown>,
      DETAIL_FIELD_TYPES,
      'importTaskDetails.',
      adjusted,
    );
  }
  const task = {
    ...conformed,
    taskId: requestedTaskId,
    status: record.status.trim().toUpperCase(),
  } as ImportTaskSnapshot;
  return { task, adjusted };
}

/** A finite number, or `undefined`. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
