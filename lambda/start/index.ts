import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { createStartHandler, type StartOutcome } from './start-handler';
import type { TriggerEvent } from './watch-request-from-event';

const logger = new Logger();
const client = new SFNClient({});
const stateMachineArn = process.env.STATE_MACHINE_ARN;

const start = createStartHandler({
  startExecution: async (name, input) => {
    if (!stateMachineArn) {
      throw new Error('STATE_MACHINE_ARN is not set: the function must be deployed by NeptuneImportTaskPoller');
    }
    return client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  },
  logger,
});

/** Entry point of the start function. */
export const handler = (event: TriggerEvent, context: Context): Promise<StartOutcome> => {
  logger.addContext(context);
  return start(event);
};
