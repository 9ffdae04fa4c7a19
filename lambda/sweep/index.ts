import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { PollerMetrics } from '../../lib/poller-metric-names';
import { powertoolsMetricsPublisher } from '../shared/publish-metrics';
import { createStepFunctionsClient } from '../shared/step-functions-client';
import { createDynamoDbClient, createSweepNeptuneGraphClient, sweepIoFromClients } from './aws-clients';
import { createSweepHandler } from './sweep-handler';
import type { SweepSummary } from './sweep-metrics';
import { sweepEnvironmentFrom } from './sweep-settings';

// The service name comes from POWERTOOLS_SERVICE_NAME, unique per poller, so that pollers do not share metrics.
const logger = new Logger();
const metrics = new Metrics({ namespace: PollerMetrics.NAMESPACE });
// Settings the construct would not write fail every invocation, so that the function's error alarm shows them.
const environment = sweepEnvironmentFrom(process.env);
const publish = powertoolsMetricsPublisher(metrics);
const sweep = createSweepHandler({
  settings: environment.settings,
  ...sweepIoFromClients({
    neptuneGraph: createSweepNeptuneGraphClient(),
    dynamoDb: createDynamoDbClient(),
    stepFunctions: createStepFunctionsClient(),
    tableName: environment.tableName,
    stateMachineArn: environment.stateMachineArn,
    logger,
  }),
  logger,
  // A sweep with nothing worth a value publishes nothing, not even an empty record.
  publishMetrics: (data) => {
    if (data.length > 0) publish(data);
  },
  now: () => Date.now(),
});

/** Entry point of the sweep function: a scheduled EventBridge event, or a `SweepRequest`. */
export const handler = (event: unknown, context: Context): Promise<SweepSummary> => {
  logger.addContext(context);
  return sweep(event, () => context.getRemainingTimeInMillis());
};
