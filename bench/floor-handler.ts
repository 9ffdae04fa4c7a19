/**
 * The smallest useful poll function: the Neptune Analytics client and one GetImportTask call.
 * The benchmark bundles it as the poll handler is bundled, as the floor to compare against.
 */
import { GetImportTaskCommand, NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';

const client = new NeptuneGraphClient({});

/** Returns the GetImportTask answer for `event.taskId`. */
export const handler = (event: { taskId: string }) =>
  client.send(new GetImportTaskCommand({ taskIdentifier: event.taskId }));
