/** A prop of the poller has a value it cannot work with; the message says which, the value, and what to do. */
export class PollerPropsValidationError extends Error {
  override readonly name = 'PollerPropsValidationError';
}
