import {
  classifyPollError,
  MalformedImportTaskError,
  PollRequestTimeoutError,
} from '../../../lambda/poll/classify-error';

function sdkError(name: string, httpStatusCode?: number, message = 'boom'): Error {
  return Object.assign(new Error(message), {
    name,
    ...(httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } }),
  });
}

describe('classifyPollError', () => {
  test.each([
    ['ResourceNotFoundException', 404, 'TASK_NOT_FOUND'],
    ['AccessDeniedException', 403, 'ACCESS_DENIED'],
    ['UnrecognizedClientException', 403, 'ACCESS_DENIED'],
    ['ExpiredTokenException', 403, 'ACCESS_DENIED'],
    ['CredentialsProviderError', undefined, 'ACCESS_DENIED'],
    ['ValidationException', 400, 'INVALID_REQUEST'],
    ['SomethingNew', 404, 'TASK_NOT_FOUND'],
    ['SomethingNew', 401, 'ACCESS_DENIED'],
    ['SomethingNew', 422, 'INVALID_REQUEST'],
  ])('%s (HTTP %s), when it outlasts the retry budget, ends the watch with %s', (name, status, reason) => {
    expect(classifyPollError(sdkError(name, status))).toEqual({ reason });
  });

  test.each([
    ['ThrottlingException', 429],
    ['TooManyRequestsException', 400],
    ['InternalServerException', 500],
    ['ServiceUnavailable', 503],
    ['Unknown', 502],
    ['SomethingNew', 504],
    ['SomethingNew', 408],
    ['TimeoutError', undefined],
    ['SyntaxError', undefined],
    ['SomethingNew', undefined],
  ])('%s (HTTP %s) is a polling error', (name, status) => {
    expect(classifyPollError(sdkError(name, status))).toEqual({ reason: 'POLLING_ERROR' });
  });

  test('network errors by code are polling errors', () => {
    expect(classifyPollError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toEqual({
      reason: 'POLLING_ERROR',
    });
  });

  test('an expired signature is a clock problem that may pass, not a denial', () => {
    expect(
      classifyPollError(sdkError('InvalidSignatureException', 403, 'Signature expired: 20260101T000000Z')),
    ).toEqual({ reason: 'POLLING_ERROR' });
  });

  test('our own malformed-answer and deadline errors are polling errors', () => {
    expect(classifyPollError(new MalformedImportTaskError('no status'))).toEqual({ reason: 'POLLING_ERROR' });
    expect(classifyPollError(new PollRequestTimeoutError('slow'))).toEqual({ reason: 'POLLING_ERROR' });
  });

  test('things that are not errors are polling errors', () => {
    expect(classifyPollError('a string')).toEqual({ reason: 'POLLING_ERROR' });
    expect(classifyPollError(undefined)).toEqual({ reason: 'POLLING_ERROR' });
  });
});
