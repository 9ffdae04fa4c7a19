import { GetImportTaskCommand, type NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import { PollRequestTimeoutError } from './classify-error';

// Local runs read these from here.

/** Milliseconds a whole `GetImportTask` call may take, body included, before it is abandoned. */
export const CALL_TIMEOUT_MS = 10_000;

/** Fetches one import task's `GetImportTask` answer, or throws what went wrong. */
export type ImportTaskFetcher = (taskId: string) => Promise<unknown>;

/** Calls `GetImportTask` with `client`, abandoning the call after `callTimeoutMs` whatever the server does. */
export function importTaskFetcher(client: NeptuneGraphClient, callTimeoutMs = CALL_TIMEOUT_MS): ImportTaskFetcher {
  return async (taskId) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new PollRequestTimeoutError(`GetImportTask for ${taskId} took longer than ${callTimeoutMs} ms`));
      }, callTimeoutMs);
    });
    try {
      return await Promise.race([
        client.send(new GetImportTaskCommand({ taskIdentifier: taskId }), { abortSignal: controller.signal }),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}
