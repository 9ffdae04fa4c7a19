/**
 * The whole-call deadline of the sweep's AWS calls: a call that has not ended when its deadline
 * passes fails with {@link SweepCallDeadlineError}, and its request is aborted. The SDK's own
 * timeouts stop at the answer's headers; a body that stalls after them would otherwise hold the
 * sweep until Lambda ends the invocation, without a word about why.
 */
import { CALL_DEADLINE_MS, withinDeadline } from '../shared/call-deadline';

export { CALL_DEADLINE_MS };

/** An AWS call of the sweep that had not ended, its SDK retries included, when its deadline passed. */
export class SweepCallDeadlineError extends Error {
  override readonly name = 'SweepCallDeadlineError';
}

/**
 * Runs `call` (an SDK `send`, given the options that abort it at the deadline) and fails with
 * {@link SweepCallDeadlineError} once `deadlineMs` have passed, whether or not the SDK has
 * noticed the abort by then. `what` names the call in the error.
 */
export async function callWithinDeadline<T>(
  what: string,
  deadlineMs: number,
  call: (options: { readonly abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const options = withinDeadline(deadlineMs);
  const { abortSignal } = options;
  let onAbort = (): void => undefined;
  const deadline = new Promise<never>((_, reject) => {
    onAbort = () => reject(new SweepCallDeadlineError(`${what} took longer than ${deadlineMs} ms, retries included`));
    abortSignal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(options), deadline]);
  } finally {
    abortSignal.removeEventListener('abort', onAbort);
  }
}
