/**
 * Milliseconds one AWS call of the start and sweep functions may take in all, its SDK retries and
 * a body that stalls after its headers included: well below the functions' own timeouts, so that
 * a hung endpoint fails the call, and the function says why, before Lambda ends the invocation.
 */
export const CALL_DEADLINE_MS = 10_000;

/** The options of one `client.send` that abort it once `deadlineMs` have passed. */
export function withinDeadline(deadlineMs: number = CALL_DEADLINE_MS): { readonly abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(deadlineMs) };
}
