/**
 * A prop of the poller has a value it cannot work with; the message says which, the value, and what to do.
 *
 * TypeScript code can catch it by class. jsii cannot carry a subclass of `Error` to other languages:
 * there the same message arrives as the language's jsii error (`JSIIError` in Python,
 * `JsiiException` in Java and .NET).
 *
 * @jsii ignore
 */
export class PollerPropsValidationError extends Error {
  override readonly name = 'PollerPropsValidationError';
}
