/**
 * The poller's state machine through the AWS SDK, for the functions that start watches (the start
 * and sweep functions): the client, and the starter and describer of its executions by name.
 */
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { withinDeadline } from './call-deadline';
import { REQUEST_HANDLER_OPTIONS } from './request-handler';
import type { ExecutionStarter } from './start-watch';
import type { ExecutionDescriber } from './watch-lineage';

/**
 * A Step Functions client with the functions' connection and request timeouts, so that a hung
 * endpoint fails the call in seconds rather than holding the function until its own timeout; each
 * call made through the functions' I/O modules has a whole-call deadline as well (`withinDeadline`).
 * `overrides` (endpoint, credentials, …) serve tests and local runs.
 */
export function createStepFunctionsClient(overrides: SFNClientConfig = {}): SFNClient {
  return new SFNClient({ requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}

/** `stateMachineArn`, which the construct sets in the function's environment; throws when it is missing. */
function requireStateMachineArn(stateMachineArn: string | undefined): string {
  if (!stateMachineArn) {
    throw new Error('STATE_MACHINE_ARN is not set: the function must be deployed by NeptuneImportTaskPoller');
  }
  return stateMachineArn;
}

/** Starts executions of `stateMachineArn` with `client`. */
export function executionStarter(client: SFNClient, stateMachineArn: string | undefined): ExecutionStarter {
  return async (name, input) =>
    client.send(
      new StartExecutionCommand({ stateMachineArn: requireStateMachineArn(stateMachineArn), name, input }),
      withinDeadline(),
    );
}

/** The ARN of the execution named `name` of `stateMachineArn`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Describes executions of `stateMachineArn` by name with `client`; undefined for a name no execution has. */
export function executionDescriber(client: SFNClient, stateMachineArn: string | undefined): ExecutionDescriber {
  return async (name) => {
    const executionArn = executionArnOf(requireStateMachineArn(stateMachineArn), name);
    try {
      const described = await client.send(new DescribeExecutionCommand({ executionArn }), withinDeadline());
      return {
        status: described.status ?? 'UNKNOWN',
        ...(described.output === undefined ? {} : { output: described.output }),
      };
    } catch (error) {
      if ((error as { name?: unknown }).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  };
}
