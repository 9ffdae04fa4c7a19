import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { PollerMetrics } from '../../lib/poller-metric-names';
import { powertoolsMetricsPublisher } from '../shared/publish-metrics';
import { createStepFunctionsClient, executionDescriber, executionStarter } from '../shared/step-functions-client';
import {
  createLambdaClient,
  createSqsClient,
  deadLetterQueueKeeper,
  historyReader,
  sweepRequester,
} from './aws-clients';
import { createStartHandler, type StartOutcome } from './start-handler';

// The service name comes from POWERTOOLS_SERVICE_NAME, unique per poller, so that pollers do not share metrics.
const logger = new Logger();
const metrics = new Metrics({ namespace: PollerMetrics.NAMESPACE });
const deadLetterQueueUrl = process.env.DEAD_LETTER_QUEUE_URL;
const stateMachineArn = process.env.STATE_MACHINE_ARN;
const sweepFunctionName = process.env.SWEEP_FUNCTION_NAME;
const stepFunctions = createStepFunctionsClient();

const start = createStartHandler({
  startExecution: executionStarter(stepFunctions, stateMachineArn),
  describeExecution: executionDescriber(stepFunctions, stateMachineArn),
  readHistory: historyReader(stepFunctions),
  logger,
  publishMetrics: powertoolsMetricsPublisher(metrics),
  // Without a queue URL a malformed trigger is thrown instead, and Lambda's retries and dead-letter queue keep it.
  ...(deadLetterQueueUrl ? { keepMalformedTrigger: deadLetterQueueKeeper(createSqsClient(), deadLetterQueueUrl) } : {}),
  // Without a sweep function, a record that names no task is malformed like any other.
  ...(sweepFunctionName ? { requestSweep: sweepRequester(createLambdaClient(), sweepFunctionName) } : {}),
});

/** Entry point of the start function. */
export const handler = (event: unknown, context: Context): Promise<StartOutcome> => {
  logger.addContext(context);
  return start(event);
};
