/**
 * EventBridge refuses entries over 256 KB, and Step Functions refuses states over 256 KiB; the
 * detail also travels inside the state. Details are therefore kept under this many bytes of
 * JSON, which leaves room for the source, detail-type, the ARNs Step Functions adds to
 * `Resources`, and the rest of the state.
 */
export const MAX_DETAIL_BYTES = 200_000;

/** Appended to a string that was cut short. */
export const TRUNCATION_MARKER = '…[truncated]';

/** Fields cut first, in this order, before any other long string. */
const PREFERRED_CUTS: readonly (readonly string[])[] = [['importTask', 'importTaskDetails', 'errorDetails']];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function getAt(root: Json, path: readonly string[]): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = node[key];
  }
  return node;
}

function setAt(root: Json, path: readonly string[], value: Json): void {
  let node = root as { [key: string]: Json };
  for (const key of path.slice(0, -1)) node = node[key] as { [key: string]: Json };
  node[path[path.length - 1]] = value;
}

/** Paths of every string leaf in objects below `root`, the most bytes first. */
function stringLeavesByLength(root: Json): string[][] {
  const leaves: { path: string[]; length: number }[] = [];
  const visit = (node: Json, path: string[]): void => {
    if (typeof node === 'string') leaves.push({ path, length: jsonBytes(node) });
    else if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    }
  };
  visit(root, []);
  return leaves.sort((a, b) => b.length - a.length).map((leaf) => leaf.path);
}

/** A string cut short keeps at least this many characters. */
const MIN_KEEP = 64;

/** Bytes `text` takes as a JSON string, quotes and escapes included. */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8');
}

/**
 * The longest prefix of `text`, marked as cut, that takes at most `budget` bytes as JSON (but
 * never fewer than {@link MIN_KEEP} characters), without splitting a surrogate pair.
 */
function cutToBytes(text: string, budget: number): string {
  let low = Math.min(MIN_KEEP, text.length);
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, middle) + TRUNCATION_MARKER) <= budget) low = middle;
    else high = middle - 1;
  }
  return cutToChars(text, low);
}

/** `text` cut to its first `maxChars` characters and marked as cut, without splitting a surrogate pair. */
export function cutToChars(text: string, maxChars: number): string {
  let end = maxChars;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
  return text.slice(0, end) + TRUNCATION_MARKER;
}

/**
 * Returns `detail`, or a copy cut down to `maxBytes` of JSON, with the dotted paths of the
 * fields that were cut. `errorDetails` goes first, then the longest strings, each cut just
 * enough; untouched fields are kept whole. If no string is left to cut, the answer is reduced to
 * its task id and status. `detail` must be plain JSON of bounded depth, as
 * `toImportTaskSnapshot` reads answers.
 */
export function fitEventDetail<T extends object>(
  detail: T,
  maxBytes: number = MAX_DETAIL_BYTES,
): { detail: T; truncatedFields: string[] } {
  const bytes = byteLength(detail);
  if (bytes <= maxBytes) return { detail, truncatedFields: [] };

  const copy = JSON.parse(JSON.stringify(detail)) as Json;
  const truncated = new Set<string>();
  // Cutting a string leaves the others as they were: one pass, longest first, and the excess kept by arithmetic.
  let excess = bytes - maxBytes;
  const seen = new Set<string>();
  for (const path of [...PREFERRED_CUTS, ...stringLeavesByLength(copy)]) {
    if (excess <= 0) break;
    const key = path.join('.');
    const value = getAt(copy, path);
    if (seen.has(key) || typeof value !== 'string' || value.length <= MIN_KEEP + TRUNCATION_MARKER.length) continue;
    seen.add(key);
    const before = jsonBytes(value);
    const cut = cutToBytes(value, before - excess);
    if (cut.length >= value.length) continue;
    setAt(copy, path, cut);
    truncated.add(key);
    excess -= before - jsonBytes(cut);
  }
  if (excess > 0 && typeof copy === 'object' && copy !== null && !Array.isArray(copy)) {
    const task = copy.importTask;
    if (typeof task === 'object' && task !== null && !Array.isArray(task)) {
      copy.importTask = { taskId: task.taskId ?? null, status: task.status ?? null };
      truncated.add('importTask');
    }
  }
  return { detail: copy as T, truncatedFields: boundFieldPaths(truncated) };
}

/** Bytes the list of cut fields of an event may take as JSON. */
export const MAX_TRUNCATED_FIELDS_BYTES = 2_000;

/**
 * `paths` sorted, without duplicates or paths below another listed one, and short enough to
 * carry: when the list would take more than `maxBytes` of JSON, paths are named by their first
 * two segments, then by their first (a field of the detail), and, as a last resort, cut short.
 */
export function boundFieldPaths(paths: Iterable<string>, maxBytes: number = MAX_TRUNCATED_FIELDS_BYTES): string[] {
  const all = [...new Set(paths)];
  let named = outermostPaths(all, Infinity);
  if (byteLength(named) > maxBytes) named = outermostPaths(all, 2);
  if (byteLength(named) > maxBytes) named = outermostPaths(all, 1);
  return keepWithin(named, maxBytes);
}

/** `paths` named by their first `segments` segments, sorted, leaving out those below another. */
function outermostPaths(paths: readonly string[], segments: number): string[] {
  const named = new Set(paths.map((path) => path.split('.').slice(0, segments).join('.')));
  const belowAnother = (path: string): boolean => {
    for (let dot = path.indexOf('.'); dot !== -1; dot = path.indexOf('.', dot + 1)) {
      if (named.has(path.slice(0, dot))) return true;
    }
    return false;
  };
  return [...named].filter((path) => !belowAnother(path)).sort();
}

/** The first paths of `paths` whose list takes at most `maxBytes` of JSON. */
function keepWithin(paths: readonly string[], maxBytes: number): string[] {
  const kept: string[] = [];
  let bytes = 2;
  for (const path of paths) {
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    bytes += jsonBytes(shown) + 1;
    if (bytes > maxBytes) break;
    kept.push(shown);
  }
  return kept;
}
