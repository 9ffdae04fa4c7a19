import { NeptuneGraphClient, type NeptuneGraphClientConfig } from '@aws-sdk/client-neptune-graph';
import { REQUEST_HANDLER_OPTIONS } from './request-handler';

/**
 * A Neptune Analytics client that fails fast: one attempt per call unless `overrides` say
 * otherwise (the state machine owns the poll's retries and their backoff) and the functions'
 * shared connection and request timeouts. `overrides` (attempts, endpoint, credentials, …) serve
 * the sweep, tests and local runs.
 */
export function createNeptuneGraphClient(overrides: NeptuneGraphClientConfig = {}): NeptuneGraphClient {
  return new NeptuneGraphClient({ maxAttempts: 1, requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}
