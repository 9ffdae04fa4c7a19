import { InvokeCommand, LambdaClient, type InvokeCommandInput, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type SFNClientConfig,
} from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient, type SendMessageCommandInput, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { withinDeadline } from '../shared/call-deadline';
import { REQUEST_HANDLER_OPTIONS } from '../shared/request-handler';
import { TRIGGER_NOT_STARTED_REASONS } from '../../lib/poller-metrics';
import type { SweepRequest } from '../../lib/sweep-contract';
import type { HistoryReader } from './execution-failure';
import type { ExecutionStarter, MalformedTriggerKeeper, SweepRequester } from './start-handler';
import type { ExecutionDescriber } from './watch-lineage';

/** Characters of the `ErrorMessage` attribute kept, as in the messages Lambda itself sends to a dead-letter queue. */
export const ERROR_MESSAGE_MAX_LENGTH = 1_024;

/**
 * A Step Functions client with the functions' connection and request timeouts, so that a hung
 * endpoint fails the call in seconds rather than holding the function until its own timeout; each
 * call made through this module has a whole-call deadline as well (`withinDeadline`).
 * `overrides` (endpoint, credentials, …) serve tests and local runs.
 */
export function createStepFunctionsClient(overrides: SFNClientConfig = {}): SFNClient {
  return new SFNClient({ requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}

/** An SQS client with the same timeouts as {@link createStepFunctionsClient}. */
export function createSqsClient(overrides: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}

/** A Lambda client with the same timeouts as {@link createStepFunctionsClient}. */
export function createLambdaClient(overrides: LambdaClientConfig = {}): LambdaClient {
  return new LambdaClient({ requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}

/** The asynchronous invocation of the sweep function `functionName` for the tasks of `graphId`. */
export function sweepInvocation(functionName: string, graphId: string): InvokeCommandInput {
  const request: SweepRequest = { graphId, reason: 'api-call-without-task-id' };
  return { FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(request) };
}

/** Asks the sweep function `functionName`, with `client`, to sweep one graph; resolves once Lambda queued the invocation. */
export function sweepRequester(client: LambdaClient, functionName: string): SweepRequester {
  return async (graphId) => {
    await client.send(new InvokeCommand(sweepInvocation(functionName, graphId)), withinDeadline());
  };
}

/** Starts executions of `stateMachineArn` with `client`. */
export function executionStarter(client: SFNClient, stateMachineArn: string | undefined): ExecutionStarter {
  return async (name, input) => {
    if (!stateMachineArn) {
      throw new Error('STATE_MACHINE_ARN is not set: the function must be deployed by NeptuneImportTaskPoller');
    }
    return client.send(new StartExecutionCommand({ stateMachineArn, name, input }), withinDeadline());
  };
}

/** The ARN of the execution named `name` of `stateMachineArn`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Describes executions of `stateMachineArn` by name with `client`; undefined for a name no execution has. */
export function executionDescriber(client: SFNClient, stateMachineArn: string | undefined): ExecutionDescriber {
  return async (name) => {
    if (!stateMachineArn) {
      throw new Error('STATE_MACHINE_ARN is not set: the function must be deployed by NeptuneImportTaskPoller');
    }
    try {
      const described = await client.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }),
        withinDeadline(),
      );
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

/** Events of a failed execution's history read: enough for its last states, which are all the backstop needs. */
export const HISTORY_EVENTS_READ = 100;

/** Reads the latest events of an execution's history with `client`, newest first. */
export function historyReader(client: SFNClient): HistoryReader {
  return async (executionArn) => {
    const { events = [] } = await client.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: HISTORY_EVENTS_READ,
        includeExecutionData: false,
      }),
      withinDeadline(),
    );
    return events.map((event) => {
      const stateName = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
      return { type: event.type ?? 'Unknown', ...(stateName === undefined ? {} : { stateName }) };
    });
  };
}

/** Replaces what SQS refuses in a string attribute (XML 1.0 characters only) with U+FFFD. */
function sqsSafeText(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

/**
 * The event as JSON that SQS accepts. `JSON.stringify` escapes control characters and lone
 * surrogates but not U+FFFE and U+FFFF, which SQS refuses; those only occur inside JSON strings,
 * where an escape keeps the text the same JSON.
 */
function sqsSafeJson(event: unknown): string {
  const json = JSON.stringify(event) ?? 'null';
  return json.replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/**
 * The dead-letter message of a malformed trigger: the event itself as the body, as Lambda's own
 * dead-letter messages carry it, and why no watch was started as attributes.
 */
export function malformedTriggerMessage(queueUrl: string, event: unknown, reason: string): SendMessageCommandInput {
  return {
    QueueUrl: queueUrl,
    MessageBody: sqsSafeJson(event),
    MessageAttributes: {
      Reason: { DataType: 'String', StringValue: TRIGGER_NOT_STARTED_REASONS.malformed },
      ErrorMessage: { DataType: 'String', StringValue: sqsSafeText(reason.slice(0, ERROR_MESSAGE_MAX_LENGTH)) },
    },
  };
}

/** Keeps malformed triggers in the queue at `queueUrl`. */
export function deadLetterQueueKeeper(client: SQSClient, queueUrl: string): MalformedTriggerKeeper {
  return async (event, reason) => {
    await client.send(new SendMessageCommand(malformedTriggerMessage(queueUrl, event, reason)), withinDeadline());
  };
}
