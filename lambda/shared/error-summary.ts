/**
 * What the functions tell of an error, in logs and events: its name, message and HTTP status,
 * read from whatever was thrown (an SDK error, an `Error`, a string) and cut to a bounded size.
 */

/** The parts of an error worth telling people about. */
export interface ErrorSummary {
  readonly name: string;
  readonly message: string;
  readonly httpStatusCode?: number;
}

/** The members of a thrown value the functions read, each of any type: a thrown value is whatever was thrown. */
export interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

/** `error` as an object whose members can be read; `{}` for a thrown primitive. */
export function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The HTTP status of the answer that caused `error`, when there was one. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = asErrorLike(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The SDK's note appended to deserialization errors, which points at a field events do not carry. */
const SDK_DESERIALIZATION_NOTE =
  /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/;

/** A message fit for an event: the SDK's note removed, control and binary characters replaced, spaces folded. */
export function cleanMessage(message: string): string {
  return (
    message
      .replace(SDK_DESERIALIZATION_NOTE, '')
      // Control characters and U+FFFD, which stands for bytes that were not text.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Longest error name kept: names are short identifiers, but an answer's error type is whatever the server sent. */
export const MAX_ERROR_NAME_CHARS = 200;

/** Longest error message kept. */
export const MAX_ERROR_MESSAGE_CHARS = 1000;

/** Name, message and HTTP status of any thrown value, for logs and events; name and message cut short. */
export function summarizeError(error: unknown): ErrorSummary {
  const like = asErrorLike(error);
  const name =
    typeof like.name === 'string' && like.name !== ''
      ? like.name
      : typeof like.code === 'string'
        ? like.code
        : typeof error === 'object' && error !== null
          ? 'Error'
          : typeof error;
  const rawMessage = cleanMessage(
    typeof like.message === 'string' ? like.message : typeof error === 'string' ? error : '',
  );
  const httpStatusCode = httpStatusOf(error);
  return {
    name: name.slice(0, MAX_ERROR_NAME_CHARS),
    message: rawMessage.slice(0, MAX_ERROR_MESSAGE_CHARS),
    ...(httpStatusCode === undefined ? {} : { httpStatusCode }),
  };
}
