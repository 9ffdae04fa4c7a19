/**
 * The rules that start watches: CloudTrail records of the calls that start imports, watch requests,
 * and the backstop's failed executions, each sent to the start function.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { apiCallPattern, executionFailedPattern, watchRequestPattern } from './trigger-patterns';

/** What the trigger rules start and where. */
export interface PollerTriggersProps {
  /** The function every rule sends its events to. */
  readonly startFunction: lambda.IFunction;
  /** Where an event the start function could not take after a day of retries is kept. */
  readonly deadLetterQueue: sqs.IQueue;
  /** ARN of the state machine whose failed executions the backstop reports. */
  readonly stateMachineArn: string;
  /** The bus watch requests are put on. */
  readonly eventBus: events.IEventBus;
  /** The poller's name, which a watch request may give in `detail.poller` to reach this poller only. */
  readonly pollerName: string;
  /** Graphs whose imports start watches. @default - every graph */
  readonly graphIds?: string[];
  /** Whether CloudTrail records of import-starting calls start watches. */
  readonly startOnApiCalls: boolean;
  /** Whether watch requests start watches. */
  readonly startOnWatchRequests: boolean;
}

/** The trigger rules made. */
export interface PollerTriggerRules {
  /** The rule on the default bus for CloudTrail records of import-starting calls; undefined when off. */
  readonly apiCallRule?: events.Rule;
  /** The rule on the default bus for executions that failed, timed out or were aborted. */
  readonly executionFailedRule: events.Rule;
  /** The rule for watch requests on the poller's bus; undefined when off. */
  readonly watchRequestRule?: events.Rule;
}

/** Adds the trigger rules to `scope`, the poller: their ids are part of its tree. */
export function addTriggerRules(scope: Construct, props: PollerTriggersProps): PollerTriggerRules {
  const target = new targets.LambdaFunction(props.startFunction, {
    retryAttempts: 8,
    maxEventAge: Duration.hours(24),
    deadLetterQueue: props.deadLetterQueue,
  });
  const apiCallRule = props.startOnApiCalls
    ? new events.Rule(scope, 'ApiCallRule', {
        description: 'CloudTrail records of calls that start Neptune Analytics import tasks',
        eventPattern: apiCallPattern(props.graphIds),
        targets: [target],
      })
    : undefined;
  const executionFailedRule = new events.Rule(scope, 'ExecutionFailedRule', {
    description: 'Executions of the poller that ended without their terminal event, for the backstop to report',
    eventPattern: executionFailedPattern(props.stateMachineArn),
    targets: [target],
  });
  const watchRequestRule = props.startOnWatchRequests
    ? new events.Rule(scope, 'WatchRequestRule', {
        description: 'Requests to watch a Neptune Analytics import task',
        eventBus: props.eventBus,
        eventPattern: watchRequestPattern(props.graphIds, props.pollerName),
        targets: [target],
      })
    : undefined;
  return { apiCallRule, executionFailedRule, watchRequestRule };
}
