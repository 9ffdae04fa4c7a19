/** Milliseconds allowed to open a connection to an AWS endpoint. */
export const CONNECTION_TIMEOUT_MS = 3_000;
/** Milliseconds allowed for the answer's headers once connected. */
export const REQUEST_TIMEOUT_MS = 5_000;

/**
 * HTTP settings of the functions' AWS SDK clients: timeouts that cut a hanging connection long
 * before the function's own timeout. `throwOnRequestTimeout` makes the request timeout fail the
 * call with a `TimeoutError`; without it the SDK only logs a warning and keeps waiting.
 */
export const REQUEST_HANDLER_OPTIONS = {
  connectionTimeout: CONNECTION_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  throwOnRequestTimeout: true,
} as const;
