import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { PollDecision, PollFailureReport, PollRequest } from './contract';
import { createNeptuneGraphClient } from '../shared/neptune-graph-client';
import { powertoolsMetricsPublisher } from '../shared/publish-metrics';
import { importTaskFetcher } from './fetch-import-task';
import { createPollHandler } from './poll-handler';
import { PollerMetrics } from '../../lib/poller-metric-names';

// The service name comes from POWERTOOLS_SERVICE_NAME, unique per poller, so that pollers do not share metrics.
const logger = new Logger();
const metrics = new Metrics({ namespace: PollerMetrics.NAMESPACE });
const client = createNeptuneGraphClient();
const poll = createPollHandler({
  fetchImportTask: importTaskFetcher(client),
  now: () => Date.now(),
  random: () => Math.random(),
  logger,
  publishMetrics: powertoolsMetricsPublisher(metrics),
  ...(process.env.POWERTOOLS_SERVICE_NAME === undefined ? {} : { pollerName: process.env.POWERTOOLS_SERVICE_NAME }),
});

/** Entry point of the poll function. */
export const handler = (event: PollRequest | PollFailureReport, context: Context): Promise<PollDecision> => {
  logger.addContext(context);
  return poll(event);
};
