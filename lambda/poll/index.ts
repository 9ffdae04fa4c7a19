import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { PollDecision, PollFailureReport, PollRequest } from './contract';
import { createNeptuneGraphClient, importTaskFetcher } from './fetch-import-task';
import { createPollHandler } from './poll-handler';

const logger = new Logger({ serviceName: 'neptune-import-poller' });
const client = createNeptuneGraphClient();
const poll = createPollHandler({
  fetchImportTask: importTaskFetcher(client),
  now: () => Date.now(),
  random: () => Math.random(),
  logger,
});

/** Entry point of the poll function. */
export const handler = (event: PollRequest | PollFailureReport, context: Context): Promise<PollDecision> => {
  logger.addContext(context);
  return poll(event);
};
