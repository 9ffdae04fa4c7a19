/** What to look for: keys named like the identifier, and the form of its value. */
export interface IdentifierSpec {
  /** Key names that may hold the identifier, lower-case; keys match whatever their case. */
  readonly keys: readonly string[];
  readonly pattern: RegExp;
}

/** How far a search goes: it gives up rather than walk a hostile record. */
export interface SearchLimits {
  /** Levels of objects and arrays below the root that are searched. */
  readonly maxDepth: number;
  /** Object entries and array elements examined, in all. */
  readonly maxValues: number;
}

/** Limits that leave room for the records Neptune Analytics writes (a wrapper or two, a few dozen fields). */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxDepth: 6, maxValues: 1_000 };

/** A value under a key named like the identifier, and where it was. */
export interface Candidate {
  /** Path from the root, such as `responseElements.importTask.taskId`. */
  readonly path: string;
  readonly value: unknown;
}

/** What a search found. */
export type IdentifierSearch =
  /** One identifier, wherever it occurs (the first place, breadth first). */
  | { readonly kind: 'found'; readonly value: string; readonly path: string }
  /** No identifier; `rejected` holds values under identifier-like keys that do not have its form. */
  | { readonly kind: 'none'; readonly rejected: readonly Candidate[] }
  /** Different identifiers: which one is meant cannot be told. */
  | { readonly kind: 'ambiguous'; readonly found: readonly Candidate[] }
  /** The limits were reached: what lies beyond them is unknown, so no answer is safe. */
  | { readonly kind: 'too-large'; readonly limits: SearchLimits };

const REJECTED_KEPT = 3;

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/**
 * Searches `root` breadth first for values of the identifier's form under keys named like it.
 * The search stops at `limits`, so a deep or huge record costs no more than a small one.
 */
export function findIdentifier(
  root: unknown,
  rootPath: string,
  spec: IdentifierSpec,
  limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
): IdentifierSearch {
  const found = new Map<string, string>();
  const rejected: Candidate[] = [];
  const queue: Array<{ readonly container: Container; readonly path: string; readonly depth: number }> = [];
  if (isContainer(root)) queue.push({ container: root, path: rootPath, depth: 0 });
  let examined = 0;
  for (let head = 0; head < queue.length; head += 1) {
    const { container, path, depth } = queue[head];
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    const size = keys?.length ?? (container as unknown[]).length;
    for (let index = 0; index < size; index += 1) {
      examined += 1;
      if (examined > limits.maxValues) return { kind: 'too-large', limits };
      const key = keys?.[index];
      const value = key === undefined ? (container as unknown[])[index] : (container as Record<string, unknown>)[key];
      const valuePath = key === undefined ? `${path}[${index}]` : `${path}.${key}`;
      if (key !== undefined && spec.keys.includes(key.toLowerCase())) {
        if (typeof value === 'string' && spec.pattern.test(value)) {
          if (!found.has(value)) found.set(value, valuePath);
        } else if (rejected.length < REJECTED_KEPT) {
          rejected.push({ path: valuePath, value });
        }
      }
      if (isContainer(value)) {
        if (depth + 1 > limits.maxDepth) return { kind: 'too-large', limits };
        queue.push({ container: value, path: valuePath, depth: depth + 1 });
      }
    }
  }
  if (found.size > 1) return { kind: 'ambiguous', found: [...found].map(([value, path]) => ({ path, value })) };
  const [first] = found;
  return first === undefined ? { kind: 'none', rejected } : { kind: 'found', value: first[0], path: first[1] };
}
