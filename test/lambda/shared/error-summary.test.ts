import { cleanMessage, MAX_ERROR_NAME_CHARS, summarizeError } from '../../../lambda/shared/error-summary';

function sdkError(name: string, httpStatusCode?: number, message = 'boom'): Error {
  return Object.assign(new Error(message), {
    name,
    ...(httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } }),
  });
}

describe('summarizeError', () => {
  test('keeps name, message and status, and cuts long messages', () => {
    expect(summarizeError(sdkError('ThrottlingException', 429, 'x'.repeat(5000)))).toEqual({
      name: 'ThrottlingException',
      message: 'x'.repeat(1000),
      httpStatusCode: 429,
    });
  });

  test('cuts a name longer than any real one, such as an error type a server made up', () => {
    expect(summarizeError(sdkError('N'.repeat(300_000), 400)).name).toBe('N'.repeat(MAX_ERROR_NAME_CHARS));
  });

  test('names non-errors by their type', () => {
    expect(summarizeError('oops')).toEqual({ name: 'string', message: 'oops' });
  });
});

describe('cleanMessage', () => {
  test("drops the SDK's note and the bytes that were not text, and folds spaces", () => {
    expect(
      cleanMessage(
        'Unexpected token \u001f\ufffd in JSON at position 0\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
    ).toBe('Unexpected token in JSON at position 0');
  });
});
