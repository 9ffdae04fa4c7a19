import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { MonitoringFailureReason } from '../../lib/events';
import { asErrorLike, httpStatusOf, summarizeError } from '../shared/error-summary';

/** The answer of `GetImportTask` arrived but cannot be what the service sends. */
export class MalformedImportTaskError extends Error {
  override readonly name = 'MalformedImportTaskError';
}

/** The request took longer than the poll function allows and was abandoned. */
export class PollRequestTimeoutError extends Error {
  override readonly name = 'PollRequestTimeoutError';
}

/**
 * What a failed `GetImportTask` request means: the reason a watch ends with when failures like it
 * outlast the retry budget. "Not found" follows rules of its own (a grace for a task just started).
 */
export interface PollErrorClass {
  readonly reason: Extract<
    MonitoringFailureReason,
    'TASK_NOT_FOUND' | 'ACCESS_DENIED' | 'INVALID_REQUEST' | 'POLLING_ERROR'
  >;
}

const NOT_FOUND_NAMES = new Set(['ResourceNotFoundException', 'NotFoundException']);
const ACCESS_DENIED_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
]);
const INVALID_REQUEST_NAMES = new Set(['ValidationException', 'InvalidParameterException', 'SerializationException']);

/** Status codes that say "try again later" without naming a known throttling or server error. */
const RETRYABLE_STATUS_CODES = new Set([408, 425, 429]);

/**
 * Names the reason a failed request ends a watch with, should failures outlast the retry budget.
 *
 * Known names decide first; then the SDK's own throttling, transient and server-error
 * classification; then the HTTP status. Whatever is left (malformed answers, dropped
 * connections, errors nobody foresaw) is a `POLLING_ERROR`. Every class is retried: the budget
 * bounds them all, and a watch is never given up on at once for a fault that might pass.
 */
export function classifyPollError(error: unknown): PollErrorClass {
  const { name, message } = summarizeError(error);
  const pollingError: PollErrorClass = { reason: 'POLLING_ERROR' };
  if (NOT_FOUND_NAMES.has(name)) return { reason: 'TASK_NOT_FOUND' };
  if (name === 'InvalidSignatureException' && /signature expired/i.test(message)) return pollingError;
  if (ACCESS_DENIED_NAMES.has(name)) return { reason: 'ACCESS_DENIED' };
  if (INVALID_REQUEST_NAMES.has(name)) return { reason: 'INVALID_REQUEST' };

  const sdkError = asErrorLike(error) as Parameters<typeof isTransientError>[0];
  if (typeof error === 'object' && error !== null) {
    if (isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError)) return pollingError;
  }

  const status = httpStatusOf(error);
  if (status === undefined || status >= 500 || RETRYABLE_STATUS_CODES.has(status)) return pollingError;
  if (status === 404) return { reason: 'TASK_NOT_FOUND' };
  if (status === 401 || status === 403) return { reason: 'ACCESS_DENIED' };
  if (status >= 400) return { reason: 'INVALID_REQUEST' };
  return pollingError;
}

/** Whether the service throttled the request. */
export function isThrottled(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && isThrottlingError(error as Parameters<typeof isThrottlingError>[0])
  );
}
