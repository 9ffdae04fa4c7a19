/**
 * The hand-over of an execution started directly under a name of its own: the task's watch is
 * started, or found, by the rule every trigger follows (`startWatchOfTask`), so a task has one
 * watch whatever its executions are called, and a watch that ended with Monitoring Failed is
 * followed by the next one.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { startWatchOfTask } from '../shared/start-watch';
import { executionDescriber, executionStarter } from '../shared/step-functions-client';
import type { HandOverRequest } from './poll-handler';

/** Hands tasks over with `client`: resolves with the name of the execution that watches the task. */
export function handOverWith(client: SFNClient, logger: Logger): (request: HandOverRequest) => Promise<string> {
  return async ({ stateMachineArn, taskId, graphId }) => {
    const outcome = await startWatchOfTask(
      { kind: 'watch', taskId, graphId, trigger: 'direct-execution', taskIdPath: '$.taskId', rewatch: false },
      {
        startExecution: executionStarter(client, stateMachineArn),
        describeExecution: executionDescriber(client, stateMachineArn),
        logger,
      },
    );
    return outcome.executionName;
  };
}
