import {
  ArnFormat,
  Aws,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
  type CfnResource,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  importEndedPattern,
  importFailedPattern,
  importSucceededPattern,
  monitoringFailedPattern,
} from './event-patterns';
import { DEFAULT_EVENT_SOURCE, WATCH_REQUEST_DETAIL_TYPE } from './events';
import { CONTRACT_VERSION } from './poll-contract';
import { isGraphId } from './identifiers';
import {
  createWatchTable,
  ImportTaskSweep,
  resolveSweepOptions,
  type ImportTaskSweepOptions,
} from './import-task-sweep';
import { PollerAlarms } from './poller-alarms';
import type { PollerConfig } from './poller-config';
import { PollerDashboard } from './poller-dashboard';
import { PollerEventSchemas } from './poller-event-schemas';
import {
  POLLER_METRICS,
  POLLER_METRICS_NAMESPACE,
  REASON_DIMENSION,
  SERVICE_DIMENSION,
  TRIGGER_NOT_STARTED_REASONS,
} from './poller-metrics';
import { buildPollerDefinition } from './poller-definition';
import { createPollerFunction, PollerLogLevel } from './poller-function';
import { PollingStrategy } from './polling-strategy';
import { apiCallPattern, executionFailedPattern, watchRequestPattern } from './trigger-patterns';
import { PollerPropsValidationError } from './validation';

/** How failed `GetImportTask` requests are retried: exponential backoff with full jitter. */
export interface PollErrorRetryOptions {
  /**
   * Consecutive failed requests (throttling, server errors, timeouts, malformed answers) after which the watch ends with `POLLING_ERROR`.
   * @default 10
   */
  readonly maxAttempts?: number;
  /**
   * Upper bound of the wait before the first retry; each wait is drawn uniformly below its bound.
   * @default Duration.seconds(2)
   */
  readonly initialInterval?: Duration;
  /**
   * Upper bound of any retry's wait.
   * @default Duration.minutes(5)
   */
  readonly maxInterval?: Duration;
  /**
   * Factor by which the bound grows after each failure.
   * @default 2
   */
  readonly backoffRate?: number;
}

/** Options of the rules {@link NeptuneImportTaskPoller} makes for its events. */
export interface ImportEventRuleOptions {
  /**
   * Where matching events go; more can be added with `rule.addTarget()`.
   * @default - no target yet
   */
  readonly target?: events.IRuleTarget;
  /**
   * Only events about imports into these graphs.
   * @default - every graph
   */
  readonly graphIds?: string[];
  /**
   * Name of the rule.
   * @default - a name CloudFormation generates
   */
  readonly ruleName?: string;
  /**
   * Description of the rule.
   * @default - none
   */
  readonly description?: string;
}

/** Props of {@link NeptuneImportTaskPoller}. */
export interface NeptuneImportTaskPollerProps {
  /**
   * Bus that completion events are put on, and where watch requests are listened for.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * `source` of the events put; must not start with `aws.`.
   * @default 'neptune-import-poller'
   */
  readonly eventSource?: string;
  /**
   * Graph ids (`g-…`) whose import tasks are watched; watch requests must then name one of them.
   * @default - imports into every graph of the account and region
   */
  readonly graphIds?: string[];
  /**
   * Start watching when CloudTrail reports a successful `StartImportTask` or `CreateGraphUsingImportTask` call (needs a trail that records management events).
   * @default true
   */
  readonly startOnApiCalls?: boolean;
  /**
   * Start watching on `Neptune Analytics Import Task Watch Requested` events put on the bus.
   * @default true
   */
  readonly startOnWatchRequests?: boolean;
  /**
   * The sweep: a `ListImportTasks` listing of the account's import tasks on a schedule, which wakes
   * a watch as soon as its task's status changes (a failure midway included) and starts a watch
   * for every task nobody watches, without CloudTrail.
   * @default - every minute, discovery on, at most 10 pages of 100 tasks per sweep
   */
  readonly sweep?: ImportTaskSweepOptions;
  /**
   * How long to wait between polls of a running import.
   * @default - with the sweep, `PollingStrategy.fixed({ interval: Duration.hours(2) })`, a backstop for a sweep
   * that fails, since the sweep wakes the watch on every change; without it, `PollingStrategy.progressAware()`
   */
  readonly pollingStrategy?: PollingStrategy;
  /**
   * How long a task is watched before the poller gives up with `TIMED_OUT`; counted from the first poll.
   * @default Duration.days(7)
   */
  readonly monitoringTimeout?: Duration;
  /**
   * How failed `GetImportTask` requests are retried.
   * @default - 10 attempts, waits drawn below 2 s doubling up to 5 minutes
   */
  readonly pollErrorRetry?: PollErrorRetryOptions;
  /**
   * How long after a watch starts a "not found" answer for a task not seen yet is retried before the watch ends with `TASK_NOT_FOUND` (a task just started may not be visible at once); these retries back off like failed polls but do not count toward `pollErrorRetry.maxAttempts`. `Duration.seconds(0)` turns the grace off.
   * @default Duration.minutes(5)
   */
  readonly notFoundGrace?: Duration;
  /**
   * Also put a Status Change event (with `terminal: false`) each time a task's status changes, not only when it ends.
   * @default false
   */
  readonly emitStatusChanges?: boolean;
  /**
   * History events one execution may use before it hands the watch to a new execution (Step Functions stops an execution at 25,000).
   * @default 20000
   */
  readonly historyEventBudget?: number;
  /**
   * Create CloudWatch alarms for the failures a person must see (failed, timed-out, aborted and throttled executions, function errors, monitoring failures, dead-letter queue depth).
   * @default true
   */
  readonly createAlarms?: boolean;
  /**
   * Actions for every alarm, on alarm and back to OK, such as an SNS topic's.
   * @default - none: the alarms show in the CloudWatch console only
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  /**
   * Create a CloudWatch dashboard of the poller.
   * @default false
   */
  readonly createDashboard?: boolean;
  /**
   * Queue that keeps triggers no watch could be started for; give it instead of `deadLetterQueueProps`.
   * @default - an encrypted queue the construct creates
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Settings of the dead-letter queue the construct creates; give them instead of `deadLetterQueue`.
   * @default - SQS-managed encryption, TLS required, messages kept 14 days
   */
  readonly deadLetterQueueProps?: sqs.QueueProps;
  /**
   * Publish the JSON Schema of each of the poller's events to an EventBridge schema registry of its own, for code bindings.
   * @default true
   */
  readonly publishEventSchemas?: boolean;
  /**
   * Log level of the poller's functions.
   * @default PollerLogLevel.INFO
   */
  readonly logLevel?: PollerLogLevel;
  /**
   * How long the poller's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What becomes of the poller's three log groups when the stack is deleted. Their names never
   * clash with a later deployment of the same stack either way.
   * @default RemovalPolicy.RETAIN: the logs outlive the stack, for whoever investigates a watch later
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

const ONE_YEAR = Duration.days(365);

function validateProps(props: NeptuneImportTaskPollerProps): void {
  const source = props.eventSource;
  if (source !== undefined && !Token.isUnresolved(source)) {
    if (source.trim() === '' || source.length > 256) {
      throw new PollerPropsValidationError(
        `eventSource must be 1 to 256 characters; got ${JSON.stringify(source)}. Use a name such as "com.example.imports".`,
      );
    }
    if (source.toLowerCase().startsWith('aws.')) {
      throw new PollerPropsValidationError(
        `eventSource must not start with "aws." (EventBridge reserves it for AWS services); got ${JSON.stringify(source)}. ` +
          'Use a name of your own, such as "com.example.imports".',
      );
    }
  }
  if (props.graphIds !== undefined) {
    if (props.graphIds.length === 0) {
      throw new PollerPropsValidationError(
        'graphIds is empty, which would watch nothing; leave it out to watch every graph, or name at least one graph.',
      );
    }
    const bad = props.graphIds.filter((id) => !Token.isUnresolved(id) && !isGraphId(id));
    if (bad.length > 0) {
      throw new PollerPropsValidationError(
        `graphIds must be graph ids (g- and ten lower-case letters or digits); got ${bad.map((id) => JSON.stringify(id)).join(', ')}.`,
      );
    }
  }
  if (props.startOnApiCalls === false && props.startOnWatchRequests === false) {
    throw new PollerPropsValidationError(
      'startOnApiCalls and startOnWatchRequests are both false; the poller could then be started only directly. ' +
        'Enable one of them, or keep both off knowingly by starting executions yourself with grantStartWatching().',
    );
  }
  const timeout = props.monitoringTimeout;
  if (timeout !== undefined && !timeout.isUnresolved()) {
    if (timeout.toSeconds() < 60 || timeout.toSeconds() > ONE_YEAR.toSeconds()) {
      throw new PollerPropsValidationError(
        `monitoringTimeout must be between 1 minute and 365 days; got ${timeout.toHumanString()}.`,
      );
    }
  }
  const grace = props.notFoundGrace;
  if (grace !== undefined && !grace.isUnresolved()) {
    if (grace.toSeconds() > 3600) {
      throw new PollerPropsValidationError(
        `notFoundGrace must be from 0 seconds (no grace) to 1 hour; got ${grace.toHumanString()}.`,
      );
    }
  }
  const budget = props.historyEventBudget;
  if (budget !== undefined && !Token.isUnresolved(budget)) {
    if (!Number.isInteger(budget) || budget < 100 || budget > 24_000) {
      throw new PollerPropsValidationError(
        `historyEventBudget must be a whole number from 100 to 24000 (Step Functions stops executions at 25,000 events); got ${budget}.`,
      );
    }
  }
  if (props.deadLetterQueue !== undefined && props.deadLetterQueueProps !== undefined) {
    throw new PollerPropsValidationError(
      'deadLetterQueue and deadLetterQueueProps are both given; give deadLetterQueue to bring your own queue, or deadLetterQueueProps to adjust the one the construct creates.',
    );
  }
  const retry = props.pollErrorRetry;
  if (retry?.maxAttempts !== undefined && !Token.isUnresolved(retry.maxAttempts)) {
    if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1 || retry.maxAttempts > 100) {
      throw new PollerPropsValidationError(
        `pollErrorRetry.maxAttempts must be a whole number from 1 to 100; got ${retry.maxAttempts}.`,
      );
    }
  }
  if (retry?.backoffRate !== undefined && !Token.isUnresolved(retry.backoffRate)) {
    if (!(retry.backoffRate >= 1 && retry.backoffRate <= 10)) {
      throw new PollerPropsValidationError(
        `pollErrorRetry.backoffRate must be from 1 to 10; got ${retry.backoffRate}.`,
      );
    }
  }
  for (const [name, value] of [
    ['initialInterval', retry?.initialInterval],
    ['maxInterval', retry?.maxInterval],
  ] as const) {
    if (value !== undefined && !value.isUnresolved() && (value.toSeconds() < 1 || value.toSeconds() > 3600)) {
      throw new PollerPropsValidationError(
        `pollErrorRetry.${name} must be from 1 second to 1 hour; got ${value.toHumanString()}.`,
      );
    }
  }
}

const DEFAULT_MONITORING_TIMEOUT = Duration.days(7);

/**
 * The per-task polling with the sweep on: the sweep wakes a watch within a sweep's interval of any
 * change of its task's status, so the watch's own polls only back it up, for a sweep that fails
 * or a task listed beyond its pages.
 */
export const SWEPT_POLLING_INTERVAL = Duration.hours(2);

/** The settings the poll function receives from a poller with `props`, defaults filled in. */
export function pollerConfigOf(props: NeptuneImportTaskPollerProps): PollerConfig {
  const retry = props.pollErrorRetry ?? {};
  const timeoutSeconds = (props.monitoringTimeout ?? DEFAULT_MONITORING_TIMEOUT).toSeconds();
  const sweep = resolveSweepOptions(props.sweep);
  const defaultPolling =
    sweep === undefined
      ? PollingStrategy.progressAware()
      : PollingStrategy.fixed({ interval: SWEPT_POLLING_INTERVAL, jitter: 0.1 });
  return {
    contractVersion: CONTRACT_VERSION,
    timeoutSeconds,
    polling: (props.pollingStrategy ?? defaultPolling).config,
    errorRetry: {
      maxAttempts: retry.maxAttempts ?? 10,
      initialIntervalSeconds: (retry.initialInterval ?? Duration.seconds(2)).toSeconds(),
      maxIntervalSeconds: (retry.maxInterval ?? Duration.minutes(5)).toSeconds(),
      backoffRate: retry.backoffRate ?? 2,
    },
    emitStatusChanges: props.emitStatusChanges ?? false,
    historyEventBudget: props.historyEventBudget ?? 20_000,
    notFoundGraceSeconds: (props.notFoundGrace ?? Duration.minutes(5)).toSeconds(),
    // A backstop only: the poll function ends every watch at its deadline, and hands a long one to a
    // new execution a day before this.
    executionTimeoutSeconds: Math.min(timeoutSeconds + 86_400, ONE_YEAR.toSeconds()),
    ...(sweep === undefined ? {} : { sweep: { periodSeconds: sweep.interval.toSeconds() } }),
  };
}

/**
 * Watches Amazon Neptune Analytics import tasks and puts one EventBridge event when each ends.
 *
 * A Standard state machine polls `GetImportTask` through a Lambda function, waits between
 * polls, and publishes a `Neptune Analytics Import Task Status Change` event (or a
 * `… Monitoring Failed` event when it cannot tell) with the whole answer in it. Watches start
 * from CloudTrail records of the calls that start imports, from watch-request events, or
 * from direct executions.
 */
export class NeptuneImportTaskPoller extends Construct {
  /** The state machine that watches one task per execution. */
  public readonly stateMachine: sfn.StateMachine;
  /** The function that polls `GetImportTask` and decides what comes next. */
  public readonly pollFunction: lambda.Function;
  /** The function that turns trigger events into executions. */
  public readonly startFunction: lambda.Function;
  /** The function that sweeps the account's import tasks; undefined when the sweep is off. */
  public readonly sweepFunction?: lambda.Function;
  /** The table where waiting watches park their task tokens for the sweep; undefined when the sweep is off. */
  public readonly watchTable?: dynamodb.ITable;
  /** Log group of the sweep function; undefined when the sweep is off. */
  public readonly sweepLogGroup?: logs.LogGroup;
  /** The rule on the default bus for CloudTrail records of import-starting calls; undefined when `startOnApiCalls` is false. */
  public readonly apiCallRule?: events.Rule;
  /** The rule on the default bus for executions that failed, timed out or were aborted: the backstop's trigger. */
  public readonly executionFailedRule: events.Rule;
  /** The rule for watch requests; undefined when `startOnWatchRequests` is false. */
  public readonly watchRequestRule?: events.Rule;
  /** The bus the poller's events are put on. */
  public readonly eventBus: events.IEventBus;
  /** The `source` of the poller's events. */
  public readonly eventSource: string;
  /** Log group of the state machine's executions. */
  public readonly stateMachineLogGroup: logs.LogGroup;
  /** Log group of the poll function. */
  public readonly pollLogGroup: logs.LogGroup;
  /** Log group of the start function. */
  public readonly startLogGroup: logs.LogGroup;
  /** Queue that keeps triggers no watch could be started for (after EventBridge's and Lambda's retries). */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The alarms; undefined when `createAlarms` is false. */
  public readonly alarms?: PollerAlarms;
  /** The dashboard; undefined unless `createDashboard` is true. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The schema registry of the poller's events; undefined when `publishEventSchemas` is false. */
  public readonly eventSchemas?: PollerEventSchemas;
  /** Value of the `service` dimension of the poller's custom metrics and of its log lines; unique per poller. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: NeptuneImportTaskPollerProps = {}) {
    super(scope, id);
    validateProps(props);

    const stack = Stack.of(this);
    this.eventSource = props.eventSource ?? DEFAULT_EVENT_SOURCE;
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logLevel = props.logLevel ?? PollerLogLevel.INFO;
    const timeout = props.monitoringTimeout ?? DEFAULT_MONITORING_TIMEOUT;
    this.serviceName = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    const config = pollerConfigOf(props);
    const sweep = resolveSweepOptions(props.sweep);

    const removalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.pollLogGroup = new logs.LogGroup(this, 'PollLogGroup', { retention, removalPolicy });
    this.pollFunction = createPollerFunction(this, 'PollFunction', {
      handler: 'poll',
      description: 'Polls GetImportTask for one Neptune Analytics import task and decides what comes next',
      logGroup: this.pollLogGroup,
      logLevel,
      serviceName: this.serviceName,
    });
    this.pollFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['neptune-graph:GetImportTask'],
        resources: [
          stack.formatArn({
            service: 'neptune-graph',
            resource: 'import-task',
            resourceName: '*',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );

    if (sweep !== undefined) this.watchTable = createWatchTable(this, 'WatchTable');

    this.stateMachineLogGroup = new logs.LogGroup(this, 'StateMachineLogGroup', {
      retention,
      removalPolicy,
      // The vended-logs prefix keeps Step Functions' log delivery within one resource policy; the
      // stack's own id in the name keeps a retained group from blocking the stack's next deployment.
      logGroupName: Fn.join('', [
        `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200 })}-`,
        Fn.select(2, Fn.split('/', Aws.STACK_ID)),
      ]),
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(
        buildPollerDefinition(this, {
          pollFunction: this.pollFunction,
          eventBus: this.eventBus,
          eventSource: this.eventSource,
          config,
          ...(this.watchTable === undefined ? {} : { watchTable: this.watchTable }),
        }),
      ),
      logs: { destination: this.stateMachineLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      // A backstop only: the poll function ends every watch at its deadline, long before this.
      ...(timeout.isUnresolved() || config.executionTimeoutSeconds === undefined
        ? {}
        : { timeout: Duration.seconds(config.executionTimeoutSeconds) }),
      tracingEnabled: true,
      comment: 'Watches one Neptune Analytics import task per execution and puts one event when it ends',
    });
    // A separate policy: granting through the role's default policy would make the state machine depend on itself.
    new iam.Policy(this, 'ContinueAsNewPolicy', {
      roles: [this.stateMachine.role],
      statements: [
        new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
      ],
    });
    // The park task writes the waiting watch's item.
    this.watchTable?.grant(this.stateMachine, 'dynamodb:PutItem');

    if (sweep !== undefined && this.watchTable !== undefined) {
      this.sweepLogGroup = new logs.LogGroup(this, 'SweepLogGroup', { retention, removalPolicy });
      this.sweepFunction = new ImportTaskSweep(this, 'Sweep', {
        options: sweep,
        table: this.watchTable,
        stateMachine: this.stateMachine,
        executionsArn: this.executionsArn(),
        ...(props.graphIds === undefined ? {} : { graphIds: props.graphIds }),
        logGroup: this.sweepLogGroup,
        logLevel,
        serviceName: this.serviceName,
      }).sweepFunction;
    }

    this.deadLetterQueue =
      props.deadLetterQueue ??
      new sqs.Queue(this, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        ...props.deadLetterQueueProps,
      });
    this.startLogGroup = new logs.LogGroup(this, 'StartLogGroup', { retention, removalPolicy });
    this.startFunction = createPollerFunction(this, 'StartFunction', {
      handler: 'start',
      description: 'Starts one watch execution per Neptune Analytics import task',
      logGroup: this.startLogGroup,
      logLevel,
      serviceName: this.serviceName,
      environment: {
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        // A CloudTrail record that names its graph but no task asks the sweep to look at that graph.
        ...(this.sweepFunction === undefined ? {} : { SWEEP_FUNCTION_NAME: this.sweepFunction.functionName }),
      },
      deadLetterQueue: this.deadLetterQueue,
    });
    this.stateMachine.grantStartExecution(this.startFunction);
    if (this.sweepFunction !== undefined) {
      // The function itself only: grantInvoke() would add its versions and aliases, a wildcard.
      this.startFunction.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.sweepFunction.functionArn] }),
      );
    }
    // Where a task's watches stand, and whether a failed execution put its terminal event.
    this.startFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [this.executionsArn()],
      }),
    );
    this.acknowledgeNecessaryWildcards();

    const target = new targets.LambdaFunction(this.startFunction, {
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
      deadLetterQueue: this.deadLetterQueue,
    });
    if (props.startOnApiCalls ?? true) {
      this.apiCallRule = new events.Rule(this, 'ApiCallRule', {
        description: 'CloudTrail records of calls that start Neptune Analytics import tasks',
        eventPattern: apiCallPattern(props.graphIds),
        targets: [target],
      });
    }
    this.executionFailedRule = new events.Rule(this, 'ExecutionFailedRule', {
      description: 'Executions of the poller that ended without their terminal event, for the backstop to report',
      eventPattern: executionFailedPattern(this.stateMachine.stateMachineArn),
      targets: [target],
    });
    if (props.startOnWatchRequests ?? true) {
      this.watchRequestRule = new events.Rule(this, 'WatchRequestRule', {
        description: 'Requests to watch a Neptune Analytics import task',
        eventBus: this.eventBus,
        eventPattern: watchRequestPattern(props.graphIds),
        targets: [target],
      });
    }

    if (props.publishEventSchemas ?? true) {
      this.eventSchemas = new PollerEventSchemas(this, 'EventSchemas', { eventSource: this.eventSource });
    }
    if (props.createAlarms ?? true) {
      this.alarms = new PollerAlarms(this, 'Alarms', {
        stateMachine: this.stateMachine,
        pollFunction: this.pollFunction,
        startFunction: this.startFunction,
        deadLetterQueue: this.deadLetterQueue,
        monitoringFailures: this.metricMonitoringFailures(),
        malformedTriggers: this.metricMalformedTriggers(),
        ...(this.sweepFunction === undefined
          ? {}
          : { sweepFunction: this.sweepFunction, sweepsTruncated: this.metric(POLLER_METRICS.sweepsTruncated) }),
        ...(props.alarmActions === undefined ? {} : { actions: props.alarmActions }),
      });
    }
    if (props.createDashboard ?? false) {
      this.dashboard = new PollerDashboard(this, 'Dashboard', {
        metric: (name, options) => this.metric(name, options),
        stateMachine: this.stateMachine,
        pollFunction: this.pollFunction,
        startFunction: this.startFunction,
        deadLetterQueue: this.deadLetterQueue,
        ...(this.sweepFunction === undefined ? {} : { sweepFunction: this.sweepFunction }),
        ...(this.alarms === undefined ? {} : { alarms: this.alarms.all }),
      }).dashboard;
    }
  }

  /** A custom metric of this poller (see `POLLER_METRICS`), summed over five minutes unless told otherwise. */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: POLLER_METRICS_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
      dimensionsMap: { [SERVICE_DIMENSION]: this.serviceName, ...props.dimensionsMap },
    });
  }

  /** `GetImportTask` requests sent. */
  public metricPolls(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(POLLER_METRICS.polls, props);
  }

  /** Watches that ended, with their one terminal event. */
  public metricWatchesEnded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(POLLER_METRICS.watchesEnded, props);
  }

  /** Watches that ended with a Monitoring Failed event. */
  public metricMonitoringFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(POLLER_METRICS.monitoringFailures, props);
  }

  /** Triggers that claimed an import task but named none readable; each is kept in the dead-letter queue. */
  public metricMalformedTriggers(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(POLLER_METRICS.triggersNotStartedByReason, {
      ...props,
      dimensionsMap: { [REASON_DIMENSION]: TRIGGER_NOT_STARTED_REASONS.malformed, ...props.dimensionsMap },
    });
  }

  /** Executions that ended without their terminal event, reported with a `POLLER_FAILED` Monitoring Failed event. */
  public metricWatchFailuresReported(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(POLLER_METRICS.watchFailuresReported, props);
  }

  /** The imports' own elapsed time when their terminal status was seen, in seconds (p90 unless told otherwise). */
  public metricImportDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(POLLER_METRICS.importDuration, { statistic: 'p90', period: Duration.hours(1), ...props });
  }

  /** A rule on the poller's bus for imports that ended with SUCCEEDED. */
  public onImportSucceeded(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, importSucceededPattern(this.eventSource, options.graphIds), options);
  }

  /** A rule on the poller's bus for imports that ended without succeeding: FAILED, CANCELLED or DELETED. */
  public onImportFailed(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, importFailedPattern(this.eventSource, options.graphIds), options);
  }

  /** A rule on the poller's bus for every watch that ended: a terminal status or a monitoring failure. */
  public onImportEnded(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, importEndedPattern(this.eventSource, options.graphIds), options);
  }

  /** A rule on the poller's bus for watches the poller gave up on. */
  public onMonitoringFailed(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, monitoringFailedPattern(this.eventSource, options.graphIds), options);
  }

  /** Lets `grantee` start watches by starting executions of the state machine directly. */
  public grantStartWatching(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * Lets `grantee` put watch requests on the poller's bus, and nothing else: the grant is limited
   * to the watch-request detail-type, so a producer cannot forge the poller's own events.
   */
  public grantPutWatchRequests(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.eventBus.eventBusArn],
      conditions: { StringEquals: { 'events:detail-type': WATCH_REQUEST_DETAIL_TYPE } },
    });
  }

  /** Wildcards that IAM offers no narrower form of; each acknowledged on the one role that holds it. */
  /** ARN of every execution of the state machine. */
  private executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private acknowledgeNecessaryWildcards(): void {
    const stack = Stack.of(this);
    const stateMachineId = stack.getLogicalId(this.stateMachine.node.defaultChild as CfnResource);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(this.startFunction.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:<${stateMachineId}.Name>:*]`,
      reason:
        "Execution names are known only at run time; DescribeExecution and GetExecutionHistory are allowed on this state machine's executions only.",
    });
    Validations.of(this.pollFunction.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:neptune-graph:<AWS::Region>:<AWS::AccountId>:import-task/*]',
      reason:
        'Task ids are known only when an import starts; GetImportTask is allowed on import tasks of this account and region only.',
    });
    if (this.sweepFunction !== undefined) {
      Validations.of(this.sweepFunction.role!).acknowledge(
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:neptune-graph:<AWS::Region>:<AWS::AccountId>:import-task/*]',
          reason:
            'ListImportTasks lists every import task of the account and region; IAM offers no narrower resource for it.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:<${stateMachineId}.Name>:*]`,
          reason:
            "Execution names are known only at run time; DescribeExecution is allowed on this state machine's executions only.",
        },
      );
    }
    const pollFunctionId = stack.getLogicalId(this.pollFunction.node.defaultChild as CfnResource);
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${pollFunctionId}.Arn>:*]`,
        reason:
          "Step Functions' Lambda integration grants the poll function's versions and aliases as well; no other function.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray trace upload and CloudWatch Logs log delivery (vended logs) do not support resource-level permissions.',
      },
    );
  }

  private ruleFor(id: string, pattern: events.EventPattern, options: ImportEventRuleOptions): events.Rule {
    const rule = new events.Rule(this, id, {
      eventBus: this.eventBus,
      eventPattern: pattern,
      ...(options.ruleName === undefined ? {} : { ruleName: options.ruleName }),
      ...(options.description === undefined ? {} : { description: options.description }),
    });
    if (options.target !== undefined) rule.addTarget(options.target);
    return rule;
  }
}
