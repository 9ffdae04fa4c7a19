import type { ImportTaskSnapshot } from '../../lib/events';
import { MalformedImportTaskError } from './classify-error';
import { cutToChars, MAX_DETAIL_BYTES } from './fit-event-detail';

/**
 * Statuses are short upper-case words (`IMPORTING`, `ROLLING_BACK`); anything else, read in upper
 * case, is not a status, and the answer carrying it is malformed.
 */
export const STATUS_PATTERN = /^[A-Z][A-Z0-9_]{0,39}$/;

/** Levels of nesting kept below the answer itself (the API uses three); deeper members are dropped. */
export const MAX_ANSWER_DEPTH = 10;

/** Longest member name kept (the API's are under 30 characters); members with longer names are dropped. */
export const MAX_MEMBER_NAME_CHARS = 128;

/** Values read from one answer; once they are spent, the members left are dropped. */
export const MAX_ANSWER_VALUES = 10_000;

/** Longest string kept from an answer: no longer one could fit in an event anyway. */
export const MAX_ANSWER_STRING_CHARS = MAX_DETAIL_BYTES;

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

/** A short, safe description of any value for an error message: never deep, never long. */
function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return value.length <= 40
      ? JSON.stringify(value)
      : `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`;
  }
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}

/** `path` with `key` appended, the key cut short if it is too long to name. */
function childPath(path: string, key: string): string {
  const shown = key.length > MAX_MEMBER_NAME_CHARS ? `${key.slice(0, MAX_MEMBER_NAME_CHARS)}…` : key;
  return path === '' ? shown : `${path}.${shown}`;
}

/**
 * Reads an answer into plain JSON of bounded shape: Dates become ISO strings, the SDK's
 * `$metadata` goes, and what is too deep, too long, too many or not JSON at all is dropped or cut,
 * its dotted path added to `truncated`.
 */
class BoundedJsonReader {
  readonly truncated: string[] = [];
  private valuesLeft = MAX_ANSWER_VALUES;

  read(value: unknown, path: string, depth: number): unknown {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (typeof value === 'string') {
      if (value.length <= MAX_ANSWER_STRING_CHARS) return value;
      this.truncated.push(path);
      return cutToChars(value, MAX_ANSWER_STRING_CHARS);
    }
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'object' || depth >= MAX_ANSWER_DEPTH) {
      this.truncated.push(path);
      return undefined;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [index, item] of value.entries()) {
        if (this.valuesLeft-- <= 0) {
          this.truncated.push(path);
          break;
        }
        out.push(this.read(item, childPath(path, String(index)), depth + 1) ?? null);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (key === '$metadata' || field === undefined) continue;
      if (this.valuesLeft-- <= 0) {
        this.truncated.push(path);
        break;
      }
      if (key.length > MAX_MEMBER_NAME_CHARS) {
        this.truncated.push(childPath(path, key));
        continue;
      }
      const read = this.read(field, childPath(path, key), depth + 1);
      if (read !== undefined) out[key] = read;
    }
    return out;
  }
}

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

/** The fields of `record` conformed to `types`; the paths of those dropped are added to `dropped`. */
function conformFields(
  record: Record<string, unknown>,
  types: Readonly<Record<string, 'string' | 'number' | 'object'>>,
  prefix: string,
  adjusted: string[],
  dropped: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const [field, type] of Object.entries(types)) {
    if (!(field in record)) continue;
    const value = conform(record[field], type, `${prefix}${field}`, adjusted);
    if (value === undefined) {
      delete out[field];
      dropped.push(`${prefix}${field}`);
    } else out[field] = value;
  }
  return out;
}

/** What was read of a `GetImportTask` answer. */
export interface ReadImportTask {
  /** The answer as the event carries it. */
  readonly task: ImportTaskSnapshot;
  /** Dotted paths of fields of the wrong type, converted or dropped. */
  readonly adjusted: string[];
  /** Dotted paths, within the answer, of members dropped or cut short because they were too deep, long or many. */
  readonly truncated: string[];
}

/** Whether `path` is `field` or lies below it. */
const isAtOrBelow = (path: string, field: string): boolean => path === field || path.startsWith(`${field}.`);

/**
 * The `GetImportTask` answer as plain JSON, checked: it must be an object naming the task that
 * was asked for and carrying a plausible status ({@link STATUS_PATTERN}, read in upper case).
 * Anything else is a malformed answer, retried like a dropped connection. Fields of the wrong
 * type are converted when that loses nothing (a number sent as a string) and dropped otherwise,
 * so that the event always matches its schema; whatever is too deep, long or many to carry is
 * dropped or cut, so that any answer makes a bounded snapshot.
 */
export function toImportTaskSnapshot(answer: unknown, requestedTaskId: string): ReadImportTask {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer) || answer instanceof Date) {
    throw new MalformedImportTaskError(`GetImportTask answered with ${preview(answer)} instead of an object`);
  }
  const raw = answer as Record<string, unknown>;
  const status = typeof raw.status === 'string' && raw.status.length <= 100 ? raw.status.trim().toUpperCase() : '';
  if (!STATUS_PATTERN.test(status)) {
    throw new MalformedImportTaskError(
      `GetImportTask answer for ${requestedTaskId} has no plausible status (got ${preview(raw.status)}); ` +
        'a status is an upper-case word such as IMPORTING',
    );
  }
  if (raw.taskId !== undefined && raw.taskId !== requestedTaskId) {
    throw new MalformedImportTaskError(
      `GetImportTask was asked for ${requestedTaskId} but answered for ${preview(raw.taskId)}`,
    );
  }
  const reader = new BoundedJsonReader();
  const record = reader.read(raw, '', 0) as Record<string, unknown>;
  const adjusted: string[] = [];
  const dropped: string[] = [];
  const conformed = conformFields(record, FIELD_TYPES, '', adjusted, dropped);
  if (typeof conformed.importTaskDetails === 'object' && conformed.importTaskDetails !== null) {
    conformed.importTaskDetails = conformFields(
      conformed.importTaskDetails as Record<string, unknown>,
      DETAIL_FIELD_TYPES,
      'importTaskDetails.',
      adjusted,
      dropped,
    );
  }
  return {
    task: { ...conformed, taskId: requestedTaskId, status },
    adjusted,
    // A member dropped for its type is named in `adjusted`, not again for what it held.
    truncated: reader.truncated.filter((path) => !dropped.some((field) => isAtOrBelow(path, field))),
  };
}

/** A finite number, or `undefined`. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
