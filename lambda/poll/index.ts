import { Logger } from '@aws-lambda-powertools/logger';
import { createNeptuneGraphClient, importTaskFetcher } from './fetch-import-task';
import { createPollHandler } from './poll-handler';

const logger = new Logger({ serviceName: 'neptune-import-poller' });
const client = createNeptuneGraphClient();

/** Entry point of the poll function. */
export const handler = createPollHandler({
  fetchImportTask: importTaskFetcher(client),
  now: () => Date.now(),
  random: () => Math.random(),
  logger,
});
