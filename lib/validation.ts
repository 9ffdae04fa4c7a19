import type { Duration } from 'aws-cdk-lib';

/**
 * A prop of the poller has a value it cannot work with; the message says which, the value, and what to do.
 *
 * TypeScript code can catch it by class. jsii cannot carry a subclass of `Error` to other languages:
 * there the same message arrives as the runtime's own error: the built-in `RuntimeError` in Python
 * (not `jsii.errors.JSIIError`), `JsiiException` in Java and .NET.
 *
 * @jsii ignore
 */
export class PollerPropsValidationError extends Error {
  override readonly name = 'PollerPropsValidationError';
}

/**
 * `duration` in whole seconds, for the prop `name`. A sub-second or fractional duration
 * (`Duration.millis(1500)`) is refused here, naming the prop, rather than by aws-cdk-lib's
 * conversion, which names none. Call it on resolved durations only.
 */
export function wholeSeconds(name: string, duration: Duration): number {
  const millis = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(millis / 1000)) {
    throw new PollerPropsValidationError(
      `${name} must be whole seconds; got ${duration.toHumanString()} (${millis} ms). ` +
        'Use Duration.seconds(), Duration.minutes() or another whole number of seconds.',
    );
  }
  return millis / 1000;
}
