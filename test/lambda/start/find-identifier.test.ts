import { findIdentifier, type IdentifierSpec } from '../../../lambda/start/find-identifier';

const SPEC: IdentifierSpec = { keys: ['taskid', 'id'], pattern: /^t-[a-z0-9]{10}$/ };
const LIMITS = { maxDepth: 3, maxValues: 10 };

describe('findIdentifier', () => {
  test('finds the one identifier and says where it is', () => {
    expect(findIdentifier({ a: { b: { taskId: 't-0123456789' } } }, 'root', SPEC, LIMITS)).toEqual({
      kind: 'found',
      value: 't-0123456789',
      path: 'root.a.b.taskId',
    });
  });

  test('reports the shallowest place of an identifier found twice', () => {
    expect(findIdentifier({ a: { id: 't-0123456789' }, taskId: 't-0123456789' }, 'r', SPEC, LIMITS)).toMatchObject({
      kind: 'found',
      path: 'r.taskId',
    });
  });

  test('a value of the right form under another key is not an identifier', () => {
    expect(findIdentifier({ name: 't-0123456789', arn: 'x/t-0123456789' }, 'r', SPEC, LIMITS)).toEqual({
      kind: 'none',
      rejected: [],
    });
  });

  test('keeps a few of the values it rejected, with their paths', () => {
    const search = findIdentifier({ id: 'g-0123456789', a: { taskId: 7 }, b: [{ id: null }, { id: 'x' }] }, 'r', SPEC, {
      maxDepth: 3,
      maxValues: 100,
    });
    expect(search).toEqual({
      kind: 'none',
      rejected: [
        { path: 'r.id', value: 'g-0123456789' },
        { path: 'r.a.taskId', value: 7 },
        { path: 'r.b[0].id', value: null },
      ],
    });
  });

  test('different identifiers are ambiguous, each listed once', () => {
    expect(
      findIdentifier([{ taskId: 't-aaaaaaaaaa' }, { id: 't-bbbbbbbbbb' }, { id: 't-aaaaaaaaaa' }], 'r', SPEC, LIMITS),
    ).toEqual({
      kind: 'ambiguous',
      found: [
        { path: 'r[0].taskId', value: 't-aaaaaaaaaa' },
        { path: 'r[1].id', value: 't-bbbbbbbbbb' },
      ],
    });
  });

  test('gives up below maxDepth levels, even when an identifier was found higher up', () => {
    expect(findIdentifier({ taskId: 't-0123456789', a: { b: { c: { d: {} } } } }, 'r', SPEC, LIMITS)).toEqual({
      kind: 'too-large',
      limits: LIMITS,
    });
  });

  test('searches exactly maxDepth levels', () => {
    expect(findIdentifier({ a: { b: { taskId: 't-0123456789', c: {} } } }, 'r', SPEC, LIMITS).kind).toBe('found');
  });

  test('gives up after maxValues values, reading no more of the record', () => {
    let reads = 0;
    const items = new Proxy(new Array<number>(1_000_000).fill(0), {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    expect(findIdentifier({ items }, 'r', SPEC, LIMITS)).toEqual({ kind: 'too-large', limits: LIMITS });
    expect(reads).toBeLessThanOrEqual(LIMITS.maxValues);
  });

  test('a cycle cannot make the search run forever', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(findIdentifier(cyclic, 'r', SPEC, LIMITS).kind).toBe('too-large');
  });

  test.each([null, undefined, 't-0123456789', 42])('a root that is %p holds nothing', (root) => {
    expect(findIdentifier(root, 'r', SPEC, LIMITS)).toEqual({ kind: 'none', rejected: [] });
  });
});
