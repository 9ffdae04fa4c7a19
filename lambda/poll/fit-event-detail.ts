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

/** Paths of every string leaf in objects below `root`, longest first. */
function stringLeavesByLength(root: Json): string[][] {
  const leaves: { path: string[]; length: number }[] = [];
  const visit = (node: Json, path: string[]): void => {
    if (typeof node === 'string') leaves.push({ path, length: node.length });
    else if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    }
  };
  visit(root, []);
  return leaves.sort((a, b) => b.length - a.length).map((leaf) => leaf.path);
}

/** Cuts `text` to at most `keep` UTF-16 units without splitting a surrogate pair. */
function cutText(text: string, keep: number): string {
  let end = Math.max(0, Math.min(text.length, keep));
  if (end > 0 && end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
  return text.slice(0, end) + TRUNCATION_MARKER;
}

/**
 * Returns `detail`, or a copy cut down to `maxBytes` of JSON, with the dotted paths of the
 * fields that were cut. `errorDetails` goes first, then the longest strings; untouched fields
 * are kept whole. Identity fields (`taskId`, `status`, …) are short and never reached first.
 */
export function fitEventDetail<T extends object>(
  detail: T,
  maxBytes: number = MAX_DETAIL_BYTES,
): { detail: T; truncatedFields: string[] } {
  if (byteLength(detail) <= maxBytes) return { detail, truncatedFields: [] };

  const copy = JSON.parse(JSON.stringify(detail)) as Json;
  const truncated = new Set<string>();
  const cutOnce = (path: readonly string[]): boolean => {
    const value = getAt(copy, path);
    if (typeof value !== 'string' || value.length <= 64) return false;
    const excess = byteLength(copy) - maxBytes;
    if (excess <= 0) return false;
    const keep = Math.max(64, value.length - excess - TRUNCATION_MARKER.length - 16);
    setAt(copy, path, cutText(value, keep));
    truncated.add(path.join('.'));
    return true;
  };

  for (const path of PREFERRED_CUTS) {
    while (byteLength(copy) > maxBytes && cutOnce(path));
  }
  while (byteLength(copy) > maxBytes) {
    const longest = stringLeavesByLength(copy).find((path) => {
      const value = getAt(copy, path);
      return typeof value === 'string' && value.length > 64 + TRUNCATION_MARKER.length;
    });
    if (longest === undefined || !cutOnce(longest)) break;
  }
  if (byteLength(copy) > maxBytes && typeof copy === 'object' && copy !== null && !Array.isArray(copy)) {
    const task = copy.importTask;
    if (typeof task === 'object' && task !== null && !Array.isArray(task)) {
      copy.importTask = { taskId: task.taskId ?? null, status: task.status ?? null };
      truncated.add('importTask');
    }
  }
  return { detail: copy as T, truncatedFields: [...truncated].sort() };
}
