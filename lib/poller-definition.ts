import { Aws, Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DECISION_PATHS as P, POLL_ACTIONS } from './poll-contract';
import type { PollerConfig } from './poller-config';
import { POLLER_STATE_NAMES } from './state-names';

export { POLLER_STATE_NAMES };

/** Errors of the Lambda service itself (not of the function's code) that are worth another invocation. */
export const LAMBDA_TRANSIENT_ERRORS: readonly string[] = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  sfn.Errors.TIMEOUT,
];

/** Names Step Functions gives a StartExecution refused because the name is taken. */
export const EXECUTION_ALREADY_EXISTS_ERRORS: readonly string[] = [
  'StepFunctions.ExecutionAlreadyExistsException',
  'StepFunctions.ExecutionAlreadyExists',
];

/** What the poller's definition is built from. */
export interface PollerDefinitionProps {
  readonly pollFunction: lambda.IFunction;
  readonly eventBus: events.IEventBus;
  readonly eventSource: string;
  readonly config: PollerConfig;
}

function publishTask(scope: Construct, id: string, props: PollerDefinitionProps): sfn.TaskStateBase {
  return new tasks.EventBridgePutEvents(scope, id, {
    entries: [
      {
        detail: sfn.TaskInput.fromJsonPathAt(P.eventDetail),
        detailType: sfn.JsonPath.stringAt(P.eventDetailType),
        source: props.eventSource,
        eventBus: props.eventBus,
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry({
    errors: ['EventBridge.FailedEntry', sfn.Errors.TASKS_FAILED, sfn.Errors.TIMEOUT],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxDelay: Duration.minutes(1),
    maxAttempts: 10,
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/**
 * The poller's state machine: poll, route on the decision, publish, wait, and again; or hand
 * over to a new execution when the history would grow too long. The poll function decides;
 * the states only carry out its decisions, so every timing rule lives in tested code.
 */
export function buildPollerDefinition(scope: Construct, props: PollerDefinitionProps): sfn.IChainable {
  const names = POLLER_STATE_NAMES;
  const lambdaRetry: sfn.RetryProps = {
    errors: [...LAMBDA_TRANSIENT_ERRORS],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxDelay: Duration.seconds(30),
    maxAttempts: 4,
    jitterStrategy: sfn.JitterType.FULL,
  };

  const poll = new tasks.LambdaInvoke(scope, names.poll, {
    lambdaFunction: props.pollFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    payload: sfn.TaskInput.fromObject({
      config: props.config,
      input: sfn.JsonPath.entirePayload,
      executionName: sfn.JsonPath.stringAt('$$.Execution.Name'),
      executionStartTime: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      // Failed attempts of this invocation so far: each left events in the history the function accounts for.
      retryCount: sfn.JsonPath.numberAt('$$.State.RetryCount'),
    }),
  }).addRetry(lambdaRetry);

  const describePollFailure = new tasks.LambdaInvoke(scope, names.describePollFailure, {
    lambdaFunction: props.pollFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    payload: sfn.TaskInput.fromObject({ config: props.config, failed: sfn.JsonPath.entirePayload }),
  }).addRetry({ ...lambdaRetry, maxAttempts: 8, maxDelay: Duration.minutes(2) });
  poll.addCatch(describePollFailure, { errors: [sfn.Errors.ALL], resultPath: P.pollFailure });

  const publishOutcome = publishTask(scope, names.publishOutcome, props).next(new sfn.Succeed(scope, names.watched));
  describePollFailure.next(publishOutcome);

  const wait = new sfn.Wait(scope, names.wait, { time: sfn.WaitTime.secondsPath(P.waitSeconds) }).next(poll);
  // A progress event that cannot be put after its retries is given up; the watch, and its terminal event, go on.
  const publishStatusChange = publishTask(scope, names.publishStatusChange, props)
    .addCatch(wait, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD })
    .next(wait);

  const continued = new sfn.Succeed(scope, names.continued);
  const continueAsNew = new sfn.CustomState(scope, names.continueAsNew, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Aws.PARTITION}:states:::states:startExecution`,
      Parameters: {
        'StateMachineArn.$': '$$.StateMachine.Id',
        'Name.$': P.executionName,
        Input: {
          'watch.$': P.continuedWatch,
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
        },
      },
      ResultPath: null,
    },
  })
    .addRetry({ errors: [...EXECUTION_ALREADY_EXISTS_ERRORS], maxAttempts: 0 })
    .addRetry({
      errors: [sfn.Errors.TASKS_FAILED, sfn.Errors.TIMEOUT],
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxDelay: Duration.minutes(1),
      maxAttempts: 8,
      jitterStrategy: sfn.JitterType.FULL,
    })
    .addCatch(continued, { errors: [...EXECUTION_ALREADY_EXISTS_ERRORS], resultPath: sfn.JsonPath.DISCARD })
    .next(continued);

  const route = new sfn.Choice(scope, names.route)
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.finish), publishOutcome)
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.continue), continueAsNew)
    .when(
      sfn.Condition.and(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.wait), sfn.Condition.isPresent(P.event)),
      publishStatusChange,
    )
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.wait), wait)
    .otherwise(
      new sfn.Fail(scope, names.unknownDecision, {
        error: 'UnknownDecision',
        cause: 'The poll function returned an action this state machine does not know',
      }),
    );

  return poll.next(route);
}
