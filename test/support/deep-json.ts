/** JSON values shaped to break naive code: deep nesting, built and measured without recursion. */

/** `{ a: { a: … 'bottom' } }`, or `[[… 'bottom']]` when `array`, `depth` levels deep. */
export function nested(depth: number, array = false): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = array ? [value] : { a: value };
  return value;
}

/** Levels of objects and arrays in `value`. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (typeof node === 'object' && node !== null) {
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
