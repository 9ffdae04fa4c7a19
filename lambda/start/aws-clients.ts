import { InvokeCommand, LambdaClient, type InvokeCommandInput, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient, type SendMessageCommandInput, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { withinDeadline } from '../shared/call-deadline';
import { REQUEST_HANDLER_OPTIONS } from '../shared/request-handler';
import { TriggerNotStartedReason } from '../../lib/poller-metric-names';
import type { SweepRequest } from '../../lib/sweep-contract';
import type { HistoryReader } from './execution-failure';
import type { MalformedTriggerKeeper, SweepRequester } from './start-handler';

// Local runs read these from here.

/** Characters of the `ErrorMessage` attribute kept, as in the messages Lambda itself sends to a dead-letter queue. */
export const ERROR_MESSAGE_MAX_LENGTH = 1_024;

/** An SQS client with the functions' connection and request timeouts. */
export function createSqsClient(overrides: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ requestHandler: REQUEST_HANDLER_OPTIONS, ...overrides });
}

/** A Lambda client with the functions' connection and request timeouts. */
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
      Reason: { DataType: 'String', StringValue: TriggerNotStartedReason.MALFORMED },
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
