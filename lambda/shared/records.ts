/** Whether `value` is a JSON object (not `null`, not an array), whose members can be read by name. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
