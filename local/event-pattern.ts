/**
 * EventBridge event-pattern matching, as the EventBridge User Guide documents it: exact values,
 * `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but`, `numeric`, `exists`,
 * `cidr` (IPv4) and `$or`; arrays in events match when any element matches. Used to route local
 * events through the rules the construct synthesizes, and to test the patterns it builds.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Condition = Json;

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An event pattern cannot be used: the message says where and why. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

function wildcardRegExp(wildcard: string, ignoreCase = false): RegExp {
  const escaped = wildcard
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's');
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function matchesCidr(value: Json, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const base = ipv4ToNumber(network);
  const ip = typeof value === 'string' ? ipv4ToNumber(value) : undefined;
  if (base === undefined || ip === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(base / size);
}

function matchesNumeric(value: Json, spec: Json): boolean {
  if (typeof value !== 'number' || !Array.isArray(spec)) return false;
  for (let i = 0; i < spec.length; i += 2) {
    const operator = spec[i];
    const operand = spec[i + 1];
    if (typeof operand !== 'number')
      throw new InvalidEventPatternError(`numeric operand must be a number; got ${JSON.stringify(operand)}`);
    const ok =
      operator === '<'
        ? value < operand
        : operator === '<='
          ? value <= operand
          : operator === '='
            ? value === operand
            : operator === '>='
              ? value >= operand
              : operator === '>'
                ? value > operand
                : (() => {
                    throw new InvalidEventPatternError(`Unknown numeric operator ${JSON.stringify(operator)}`);
                  })();
    if (!ok) return false;
  }
  return true;
}

/** Whether a string condition object (`prefix`, `suffix`, …) matches `value`. */
function matchesStringCondition(kind: 'prefix' | 'suffix', spec: Json, value: Json): boolean {
  if (typeof value !== 'string') return false;
  if (typeof spec === 'string') return kind === 'prefix' ? value.startsWith(spec) : value.endsWith(spec);
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string') {
    const wanted = spec['equals-ignore-case'].toLowerCase();
    const actual = value.toLowerCase();
    return kind === 'prefix' ? actual.startsWith(wanted) : actual.endsWith(wanted);
  }
  throw new InvalidEventPatternError(
    `${kind} takes a string or {"equals-ignore-case": string}; got ${JSON.stringify(spec)}`,
  );
}

function matchesAnythingBut(spec: Json, value: Json): boolean {
  if (Array.isArray(spec)) return !spec.some((excluded) => matchesCondition(excluded, value));
  if (isObject(spec)) return !matchesCondition(spec, value);
  return !matchesCondition(spec, value);
}

/** Whether one condition of a pattern's value list matches one (non-array) event value. */
function matchesCondition(condition: Condition, value: Json): boolean {
  if (!isObject(condition)) {
    if (typeof condition === 'number' && typeof value === 'number') return condition === value;
    return condition === value;
  }
  const [kind, ...rest] = Object.keys(condition);
  if (kind === undefined || rest.length > 0) {
    throw new InvalidEventPatternError(`A condition has exactly one key; got ${JSON.stringify(condition)}`);
  }
  const spec = condition[kind];
  switch (kind) {
    case 'prefix':
    case 'suffix':
      return matchesStringCondition(kind, spec, value);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof spec === 'string' && value.toLowerCase() === spec.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && typeof spec === 'string' && wildcardRegExp(spec).test(value);
    case 'anything-but':
      return matchesAnythingBut(spec, value);
    case 'numeric':
      return matchesNumeric(value, spec);
    case 'cidr':
      return typeof spec === 'string' && matchesCidr(value, spec);
    case 'exists':
      return spec === true;
    default:
      throw new InvalidEventPatternError(`Unknown condition ${JSON.stringify(kind)}`);
  }
}

/** Whether a field's value list matches the event's value (absent when `present` is false). */
function matchesField(conditions: Json, value: Json | undefined, present: boolean): boolean {
  if (!Array.isArray(conditions)) {
    throw new InvalidEventPatternError(
      `Pattern leaves must be arrays of conditions; got ${JSON.stringify(conditions)}`,
    );
  }
  return conditions.some((condition) => {
    if (isObject(condition) && 'exists' in condition) {
      const wantsPresent = condition.exists === true;
      const isPresent = present && !isObject(value);
      return wantsPresent ? isPresent : !present;
    }
    if (!present) return false;
    if (Array.isArray(value)) return value.some((element) => matchesCondition(condition, element));
    return matchesCondition(condition, value as Json);
  });
}

/** Whether `event` (or a part of it) matches `pattern` (or the part at the same place). */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern))
    throw new InvalidEventPatternError(`A pattern is a JSON object; got ${JSON.stringify(pattern)}`);
  const node = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      if (!Array.isArray(expected) || expected.length < 2) {
        throw new InvalidEventPatternError(
          `$or takes an array of at least two patterns; got ${JSON.stringify(expected)}`,
        );
      }
      return expected.some((alternative) => matchesEventPattern(alternative, node));
    }
    const present = Object.prototype.hasOwnProperty.call(node, key);
    if (isObject(expected)) {
      const child = node[key];
      if (present && Array.isArray(child)) return child.some((element) => matchesEventPattern(expected, element));
      return matchesEventPattern(expected, present ? child : {});
    }
    return matchesField(expected, node[key], present);
  });
}

/** A CDK `EventPattern` as a rule holds it: CDK's `detailType` becomes `detail-type`. */
export function rulePatternOf(pattern: object): Record<string, unknown> {
  const { detailType, ...rest } = pattern as { detailType?: unknown };
  return { ...rest, ...(detailType === undefined ? {} : { 'detail-type': detailType }) };
}

/** An EventBridge event as rules see it, from a PutEvents entry. */
export function eventFromEntry(entry: {
  Source: string;
  DetailType: string;
  Detail: unknown;
  Resources?: readonly string[];
  Time?: string;
}): Record<string, unknown> {
  return {
    version: '0',
    id: '00000000-0000-0000-0000-000000000000',
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '123456789012',
    time: entry.Time ?? new Date().toISOString(),
    region: 'us-east-1',
    resources: [...(entry.Resources ?? [])],
    detail: entry.Detail,
  };
}
