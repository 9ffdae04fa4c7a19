import { Aws, Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { WATCH_REQUEST_DETAIL_TYPE } from './events';
import { DECISION_PATHS as P, PARK_PUT_RETRIES, POLL_ACTIONS } from './poll-contract';
import type { PollerConfig } from './poller-config';
import { PARK_PATHS, WATCH_TABLE_ATTRIBUTES as A } from './sweep-contract';
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

/**
 * Retries of a step whose call Lambda, EventBridge or Step Functions refused or lost: the poll
 * step, the terminal event's put and the hand-over to a new execution. With full jitter below a
 * bound that reaches a minute after five retries, they last about 18 minutes, and less than 10
 * about once in a million watches. The closing step's retries (at most 3 history events each) fit
 * in the 1,000 events that the largest `historyEventBudget` leaves below Step Functions' limit.
 */
export const LAMBDA_RETRIES = 40;

/** How every step whose fault must not end a watch retries: {@link LAMBDA_RETRIES} times, about 18 minutes. */
function faultOutlastingRetry(errors: readonly string[]): sfn.RetryProps {
  return {
    errors: [...errors],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxDelay: Duration.minutes(1),
    maxAttempts: LAMBDA_RETRIES,
    jitterStrategy: sfn.JitterType.FULL,
  };
}

/** Errors of a PutEvents or StartExecution integration worth another call: refused entries, throttling, outages. */
const SERVICE_TASK_TRANSIENT_ERRORS: readonly string[] = [sfn.Errors.TASKS_FAILED, sfn.Errors.TIMEOUT];

/** Names Step Functions gives a StartExecution refused because the name is taken. */
export const EXECUTION_ALREADY_EXISTS_ERRORS: readonly string[] = [
  'StepFunctions.ExecutionAlreadyExistsException',
  'StepFunctions.ExecutionAlreadyExists',
];

/** What the poller's definition is built from. */
export interface PollerDefinitionProps {
  /**
   * The published version of the poll function the definition invokes: each definition keeps the
   * code it was deployed with, so a running execution never meets a handler of another release.
   */
  readonly pollFunction: lambda.IVersion;
  readonly eventBus: events.IEventBus;
  readonly eventSource: string;
  readonly config: PollerConfig;
  /**
   * Table where waits are parked with their task token, for the sweep to wake; with it, the poll
   * function's config must have `sweep`, so that every WAIT decision carries `park`.
   * @default - plain Wait states, which nothing can end early
   */
  readonly watchTable?: dynamodb.ITable;
}

/**
 * The put of a watch's event. The terminal event is retried for about 18 minutes; a status change,
 * which the watch does not wait on for long, for about 2.5 minutes (10 retries from 1 s).
 */
function publishTask(
  scope: Construct,
  id: string,
  props: PollerDefinitionProps,
  outcome: 'terminal' | 'statusChange',
): sfn.TaskStateBase {
  const errors = ['EventBridge.FailedEntry', ...SERVICE_TASK_TRANSIENT_ERRORS];
  const task = new tasks.EventBridgePutEvents(scope, id, {
    entries: [
      {
        detail: sfn.TaskInput.fromJsonPathAt(P.eventDetail),
        detailType: sfn.JsonPath.stringAt(P.eventDetailType),
        source: props.eventSource,
        eventBus: props.eventBus,
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
  });
  return task.addRetry(
    outcome === 'terminal'
      ? faultOutlastingRetry(errors)
      : {
          errors,
          interval: Duration.seconds(1),
          backoffRate: 2,
          maxDelay: Duration.minutes(1),
          maxAttempts: 10,
          jitterStrategy: sfn.JitterType.FULL,
        },
  );
}

/**
 * The hand-over of an execution started directly under a name of its own: it puts a watch request
 * for its task, which the start function takes as it takes every trigger, and ends.
 */
function handOver(scope: Construct, props: PollerDefinitionProps): sfn.IChainable {
  return new tasks.EventBridgePutEvents(scope, POLLER_STATE_NAMES.putWatchRequest, {
    entries: [
      {
        detail: sfn.TaskInput.fromJsonPathAt(P.watchRequest),
        detailType: WATCH_REQUEST_DETAIL_TYPE,
        source: props.eventSource,
        eventBus: props.eventBus,
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
  })
    .addRetry(faultOutlastingRetry(['EventBridge.FailedEntry', ...SERVICE_TASK_TRANSIENT_ERRORS]))
    .next(new sfn.Succeed(scope, POLLER_STATE_NAMES.handedOver));
}

/** Errors of the park task's put that another attempt may get past: throttling, and failures on the services' side. */
export const PARK_PUT_TRANSIENT_ERRORS: readonly string[] = [
  'DynamoDb.ProvisionedThroughputExceededException',
  'DynamoDb.ThrottlingException',
  'DynamoDb.RequestLimitExceededException',
  'DynamoDb.InternalServerErrorException',
  'DynamoDb.ServiceUnavailableException',
  'DynamoDb.DynamoDbException',
];

/**
 * A wait that the sweep can end early: the park task writes the task's item with this wait's
 * task token, and waits for the token until the wait is over (its timeout is the decision's
 * `waitSeconds`). Woken or timed out, the watch polls next; its state passes through untouched. A
 * put that is throttled or fails is tried again; when it cannot be written even so, the watch
 * waits in a plain Wait state of at most a minute instead, which the sweep cannot wake, and polls
 * (and parks) again after it. The task carries its own permission: `PutItem` on the table.
 */
function parkedWait(scope: Construct, table: dynamodb.ITable, poll: sfn.State): sfn.TaskStateBase {
  const parkFailed = new sfn.Wait(scope, POLLER_STATE_NAMES.parkFailedWait, {
    time: sfn.WaitTime.secondsPath(P.parkFailedWaitSeconds),
  });
  parkFailed.next(poll);
  const park = new tasks.CallAwsService(scope, POLLER_STATE_NAMES.parkedWait, {
    service: 'dynamodb',
    action: 'putItem',
    iamAction: 'dynamodb:PutItem',
    iamResources: [table.tableArn],
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    parameters: {
      TableName: table.tableName,
      Item: {
        [A.taskId]: { S: sfn.JsonPath.stringAt(PARK_PATHS.taskId) },
        [A.status]: { S: sfn.JsonPath.stringAt(PARK_PATHS.status) },
        [A.token]: { S: sfn.JsonPath.taskToken },
        [A.executionName]: { S: sfn.JsonPath.stringAt('$$.Execution.Name') },
      },
    },
    taskTimeout: sfn.Timeout.at(P.waitSeconds),
    resultPath: sfn.JsonPath.DISCARD,
  })
    .addRetry({
      errors: [...PARK_PUT_TRANSIENT_ERRORS],
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: PARK_PUT_RETRIES,
      jitterStrategy: sfn.JitterType.FULL,
    })
    .addCatch(poll, { errors: [sfn.Errors.TIMEOUT], resultPath: sfn.JsonPath.DISCARD })
    .addCatch(parkFailed, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD });
  park.next(poll);
  return park;
}

/**
 * The poller's state machine: poll, route on the decision, publish, wait, and again; or hand
 * over to a new execution when the history would grow too long. The poll function decides;
 * the states only carry out its decisions, so every timing rule lives in tested code.
 */
export function buildPollerDefinition(scope: Construct, props: PollerDefinitionProps): sfn.IChainable {
  const names = POLLER_STATE_NAMES;
  // Throttling or an outage of Lambda lasting minutes must not end a watch: about 18 minutes of
  // retries on average (no less than 10 in practice), one history event budget apart from the rest.
  const lambdaRetry = faultOutlastingRetry(LAMBDA_TRANSIENT_ERRORS);

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
  }).addRetry(lambdaRetry);
  poll.addCatch(describePollFailure, { errors: [sfn.Errors.ALL], resultPath: P.pollFailure });

  const publishOutcome = publishTask(scope, names.publishOutcome, props, 'terminal').next(
    new sfn.Succeed(scope, names.watched),
  );
  describePollFailure.next(publishOutcome);

  const waitOrPark =
    props.watchTable === undefined
      ? new sfn.Wait(scope, names.wait, { time: sfn.WaitTime.secondsPath(P.waitSeconds) }).next(poll)
      : parkedWait(scope, props.watchTable, poll);
  // A progress event that cannot be put after its retries is given up; the watch, and its terminal event, go on.
  const publishStatusChange = publishTask(scope, names.publishStatusChange, props, 'statusChange')
    .addCatch(waitOrPark, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD })
    .next(waitOrPark);

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
    .addRetry(faultOutlastingRetry(SERVICE_TASK_TRANSIENT_ERRORS))
    .addCatch(continued, { errors: [...EXECUTION_ALREADY_EXISTS_ERRORS], resultPath: sfn.JsonPath.DISCARD })
    .next(continued);

  const route = new sfn.Choice(scope, names.route)
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.finish), publishOutcome)
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.continue), continueAsNew)
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.handedOver), handOver(scope, props))
    .when(
      sfn.Condition.and(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.wait), sfn.Condition.isPresent(P.event)),
      publishStatusChange,
    )
    .when(sfn.Condition.stringEquals(P.action, POLL_ACTIONS.wait), waitOrPark)
    .otherwise(
      new sfn.Fail(scope, names.unknownDecision, {
        error: 'UnknownDecision',
        cause: 'The poll function returned an action this state machine does not know',
      }),
    );

  return poll.next(route);
}
