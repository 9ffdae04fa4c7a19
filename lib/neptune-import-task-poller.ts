import { ArnFormat, Aws, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  DEFAULT_EVENT_SOURCE,
  MONITORING_FAILED_DETAIL_TYPE,
  STATUS_CHANGE_DETAIL_TYPE,
  WATCH_REQUEST_DETAIL_TYPE,
} from './events';
import { createWatchTable, ImportTaskSweep, resolveSweepOptions } from './import-task-sweep';
import { acknowledgeWildcard } from './nag-acknowledgements';
import {
  NeptuneImportTaskPollerBase,
  putEventsConditions,
  type INeptuneImportTaskPoller,
  type NeptuneImportTaskPollerAttributes,
} from './neptune-import-task-poller-base';
import { PollerAlarms } from './poller-alarms';
import { PollerDashboard, pollerWidgetRows } from './poller-dashboard';
import { buildPollerDefinition } from './poller-definition';
import { PollerEventSchemas } from './poller-event-schemas';
import { createPollerFunction, PollerLogLevel } from './poller-function';
import { PollerMetrics } from './poller-metric-names';
import {
  DEFAULT_MONITORING_TIMEOUT,
  pollerConfigOf,
  validateEventSource,
  validatePollerProps,
  type NeptuneImportTaskPollerProps,
} from './poller-props';
import { addTriggerRules } from './poller-triggers';

// The poll function's settings are derived from the props in `poller-props.ts`; the bench and the
// poll function's tests read them from here.
export { pollerConfigOf };

/**
 * Watches Amazon Neptune Analytics import tasks and puts one EventBridge event when each ends.
 *
 * A Standard state machine polls `GetImportTask` through a Lambda function, waits between
 * polls, and publishes a `Neptune Analytics Import Task Status Change` event (or a
 * `… Monitoring Failed` event when it cannot tell) with the whole answer in it. Watches start
 * from CloudTrail records of the calls that start imports, from watch-request events, or
 * from direct executions.
 *
 * Props it cannot work with make the constructor throw before anything is created, with a message
 * that names the prop, shows the value given and says what to do: a `PollerPropsValidationError`
 * in TypeScript, the jsii runtime's error in other languages (the built-in `RuntimeError` in Python).
 */
export class NeptuneImportTaskPoller extends NeptuneImportTaskPollerBase {
  /**
   * A poller defined in another stack or app, from its attributes: its `on*` rules, grants and
   * metrics work as the poller's own.
   *
   * @param scope where the imported poller, and the rules made on it, are defined
   * @param id id of the imported poller
   * @param attrs the poller's bus, event source, state machine and service name
   */
  public static fromNeptuneImportTaskPollerAttributes(
    scope: Construct,
    id: string,
    attrs: NeptuneImportTaskPollerAttributes,
  ): INeptuneImportTaskPoller {
    validateEventSource(attrs.eventSource);
    class Import extends NeptuneImportTaskPollerBase {
      public override readonly eventBus = attrs.eventBus;
      public override readonly eventSource = attrs.eventSource ?? DEFAULT_EVENT_SOURCE;
      public override readonly stateMachine = attrs.stateMachine;

      /** @internal */
      protected override _metricsServiceName(): string | undefined {
        return attrs.serviceName;
      }
    }
    return new Import(scope, id);
  }

  /** The state machine that watches one task per execution. */
  public override readonly stateMachine: sfn.StateMachine;
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
  public override readonly eventBus: events.IEventBus;
  /** The `source` of the poller's events. */
  public override readonly eventSource: string;
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

  /**
   * @param scope where the poller is defined
   * @param id id of the poller; it names its resources, so keep it stable
   * @param props how the poller starts, polls, reports and is watched
   */
  constructor(scope: Construct, id: string, props: NeptuneImportTaskPollerProps = {}) {
    super(scope, id);
    validatePollerProps(props);

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
    const key = props.encryptionKey;
    if (key !== undefined) grantKeyToServices(key, stack);
    const logGroupProps = { retention, removalPolicy, ...(key === undefined ? {} : { encryptionKey: key }) };
    this.pollLogGroup = new logs.LogGroup(this, 'PollLogGroup', logGroupProps);
    this.pollFunction = createPollerFunction(this, 'PollFunction', {
      handler: 'poll',
      description: 'Polls GetImportTask for one Neptune Analytics import task and decides what comes next',
      logGroup: this.pollLogGroup,
      logLevel,
      serviceName: this.serviceName,
    });
    this.pollFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['neptune-graph:GetImportTask'], resources: [importTasksArn(stack)] }),
    );

    if (sweep !== undefined) this.watchTable = createWatchTable(this, 'WatchTable', key);

    this.stateMachineLogGroup = new logs.LogGroup(this, 'StateMachineLogGroup', {
      ...logGroupProps,
      // The vended-logs prefix keeps Step Functions' log delivery within one resource policy; the
      // stack's own id in the name keeps a retained group from blocking the stack's next deployment.
      logGroupName: Fn.join('', [
        `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200 })}-`,
        Fn.select(2, Fn.split('/', Aws.STACK_ID)),
      ]),
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      role: new StateMachineRole(
        this,
        'StateMachineRole',
        putEventsConditions({
          sources: [this.eventSource],
          // Its watches' events, and the watch request of an execution started directly under a name of its own.
          detailTypes: [STATUS_CHANGE_DETAIL_TYPE, MONITORING_FAILED_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE],
        }),
      ),
      definitionBody: sfn.DefinitionBody.fromChainable(
        buildPollerDefinition(this, {
          pollFunction: this.pollFunction.currentVersion,
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
      ...(key === undefined ? {} : { encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(key) }),
    });
    // A separate policy: granting through the role's default policy would make the state machine depend on itself.
    new iam.Policy(this, 'ContinueAsNewPolicy', {
      roles: [this.stateMachine.role],
      statements: [
        new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
      ],
    });
    // Step Functions reads and writes encrypted execution data with the role, under the state machine's ARN as
    // encryption context. In a policy of its own, as the state machine depends on its role's default policy.
    const executionDataKeyPolicy =
      key === undefined
        ? undefined
        : new iam.Policy(this, 'ExecutionDataKeyPolicy', {
            roles: [this.stateMachine.role],
            statements: [executionDataKeyStatement(key, this.stateMachine)],
          });
    // The park task carries its PutItem; the key it writes with is the table's.
    if (this.watchTable !== undefined && key !== undefined) grantKeyUse(key, this.stateMachine);
    // An execution keeps invoking the version its definition was deployed with, after later deploys too.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [`${this.pollFunction.functionArn}:*`],
      }),
    );

    if (sweep !== undefined && this.watchTable !== undefined) {
      this.sweepLogGroup = new logs.LogGroup(this, 'SweepLogGroup', logGroupProps);
      this.sweepFunction = new ImportTaskSweep(this, 'Sweep', {
        options: sweep,
        table: this.watchTable,
        stateMachine: this.stateMachine,
        executionsArn: this.executionsArn(),
        ...(props.graphIds === undefined ? {} : { graphIds: props.graphIds }),
        emitStatusChanges: props.emitStatusChanges ?? false,
        logGroup: this.sweepLogGroup,
        logLevel,
        serviceName: this.serviceName,
      }).sweepFunction;
      // Reading and writing the table's items needs its key.
      if (key !== undefined) grantKeyUse(key, this.sweepFunction);
    }

    this.deadLetterQueue =
      props.deadLetterQueue ??
      new sqs.Queue(this, 'DeadLetterQueue', {
        ...(key === undefined
          ? { encryption: sqs.QueueEncryption.SQS_MANAGED }
          : { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key }),
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        ...props.deadLetterQueueProps,
      });
    this.startLogGroup = new logs.LogGroup(this, 'StartLogGroup', logGroupProps);
    this.startFunction = createPollerFunction(this, 'StartFunction', {
      handler: 'start',
      description: 'Starts one watch execution per Neptune Analytics import task',
      logGroup: this.startLogGroup,
      logLevel,
      serviceName: this.serviceName,
      environment: {
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        // A CloudTrail record that names its graph but no task asks the sweep to discover that graph's
        // tasks; without discovery, nothing would start its watch, so it is kept as malformed instead.
        ...(this.sweepFunction === undefined || sweep?.discovery !== true
          ? {}
          : { SWEEP_FUNCTION_NAME: this.sweepFunction.functionName }),
      },
      deadLetterQueue: this.deadLetterQueue,
      // Set, not left to Lambda's defaults: a trigger the function throws on is tried twice more, a
      // minute and then two minutes later, and one Lambda could not run (throttling) is kept for the
      // longest Lambda allows; then it goes to the dead-letter queue, whose alarm fires.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    this.stateMachine.grantStartExecution(this.startFunction);
    if (key !== undefined) {
      // StartExecution, DescribeExecution and GetExecutionHistory of an encrypted state machine use its key.
      this.startFunction.addToRolePolicy(executionDataKeyStatement(key, this.stateMachine));
      // Lambda's delivery of a failed invocation and the malformed triggers the function keeps both send with its role.
      if (props.deadLetterQueue === undefined) grantKeyUse(key, this.startFunction);
    }
    if (executionDataKeyPolicy !== undefined) {
      // Nothing starts a watch before its executions can use the key.
      this.startFunction.node.addDependency(executionDataKeyPolicy);
      this.sweepFunction?.node.addDependency(executionDataKeyPolicy);
    }
    if (this.sweepFunction !== undefined && sweep?.discovery === true) {
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

    const triggers = addTriggerRules(this, {
      startFunction: this.startFunction,
      deadLetterQueue: this.deadLetterQueue,
      stateMachineArn: this.stateMachine.stateMachineArn,
      eventBus: this.eventBus,
      pollerName: this.serviceName,
      ...(props.graphIds === undefined ? {} : { graphIds: props.graphIds }),
      startOnApiCalls: props.startOnApiCalls ?? true,
      startOnWatchRequests: props.startOnWatchRequests ?? true,
    });
    this.apiCallRule = triggers.apiCallRule;
    this.executionFailedRule = triggers.executionFailedRule;
    this.watchRequestRule = triggers.watchRequestRule;

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
        ...(this.sweepFunction === undefined || sweep === undefined
          ? {}
          : {
              sweepFunction: this.sweepFunction,
              sweepInterval: sweep.interval,
              sweepListingUnreadSeconds: this.metric(PollerMetrics.SWEEP_LISTING_UNREAD_SECONDS, {
                statistic: 'Maximum',
              }),
              // Published every sweep, zeros included: one period per sweep interval.
              sweepTaskFailures: this.metric(PollerMetrics.SWEEP_TASK_FAILURES, {
                period: sweep.interval,
                statistic: 'Sum',
              }),
              watchedTasksUnlisted: this.metric(PollerMetrics.WATCHED_TASKS_UNLISTED, {
                period: sweep.interval,
                statistic: 'Sum',
              }),
              endsSeenLate: this.metric(PollerMetrics.ENDS_SEEN_LATE, { statistic: 'Sum' }),
            }),
        ...(props.alarmActions === undefined ? {} : { actions: props.alarmActions }),
        ...(props.alarmThresholds === undefined ? {} : { thresholds: props.alarmThresholds }),
      });
    }
    if (props.createDashboard ?? false) {
      this.dashboard = new PollerDashboard(this, 'Dashboard', { poller: this }).dashboard;
    }
  }

  /**
   * The widgets of the poller's dashboard, for a dashboard of your own: watches in progress,
   * outcomes, durations, polling, executions, function errors, the dead-letter queue, the sweep
   * when it runs, and the alarms' states when there are alarms. Rows of three widgets 8 wide and
   * a last one 24 wide: `dashboard.addWidgets(...poller.widgets())` lays them out as the poller's
   * own dashboard does.
   */
  public widgets(): cloudwatch.IWidget[] {
    return pollerWidgetRows(this).flat();
  }

  /** @internal */
  protected override _metricsServiceName(): string {
    return this.serviceName;
  }

  /** ARN of every execution of the state machine. */
  private executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Wildcards that IAM offers no narrower form of; each acknowledged on the one role that holds it. */
  private acknowledgeNecessaryWildcards(): void {
    const importTasks = importTasksArn(Stack.of(this));
    acknowledgeWildcard(
      this.startFunction.role!,
      this.executionsArn(),
      "Execution names are known only at run time; DescribeExecution and GetExecutionHistory are allowed on this state machine's executions only.",
    );
    acknowledgeWildcard(
      this.pollFunction.role!,
      importTasks,
      'Task ids are known only when an import starts; GetImportTask is allowed on import tasks of this account and region only.',
    );
    if (this.sweepFunction !== undefined) {
      acknowledgeWildcard(
        this.sweepFunction.role!,
        importTasks,
        'ListImportTasks lists every import task of the account and region; IAM offers no narrower resource for it. GetImportTask reads when a listed task ended, for tasks known only by id at run time.',
      );
      acknowledgeWildcard(
        this.sweepFunction.role!,
        this.executionsArn(),
        "Execution names are known only at run time; DescribeExecution is allowed on this state machine's executions only.",
      );
    }
    acknowledgeWildcard(
      this.stateMachine.role,
      `${this.pollFunction.functionArn}:*`,
      'Each definition invokes the published version of the poll function it was deployed with, and executions begun under earlier deploys keep invoking theirs: every version of the poll function, no other function.',
    );
    acknowledgeWildcard(
      this.stateMachine.role,
      '*',
      'X-Ray trace upload and CloudWatch Logs log delivery (vended logs) do not support resource-level permissions.',
    );
  }
}

/**
 * The state machine's role. Step Functions' PutEvents integration grants putting any event on the
 * poller's bus; this role adds `putEvents` conditions to that grant, so that an execution can put
 * only the poller's own events (its watches' and the watch request of a hand-over), and no event
 * of another source.
 */
class StateMachineRole extends iam.Role {
  constructor(
    scope: Construct,
    id: string,
    private readonly putEvents: Record<string, Record<string, unknown>>,
  ) {
    super(scope, id, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (statement.effect === iam.Effect.ALLOW && statement.actions.includes('events:PutEvents')) {
      if (statement.actions.length !== 1) {
        throw new Error(
          `A grant of events:PutEvents with other actions cannot be narrowed: ${statement.actions.join(', ')}`,
        );
      }
      statement.addConditions(this.putEvents);
    }
    return super.addToPrincipalPolicy(statement);
  }
}

/** Every import task of the stack's account and region. */
function importTasksArn(stack: Stack): string {
  return stack.formatArn({
    service: 'neptune-graph',
    resource: 'import-task',
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Use of `key` for the execution data of `stateMachine`: Step Functions encrypts and decrypts it
 * with the state machine's ARN as encryption context, for the state machine's own role and for
 * every caller of StartExecution, DescribeExecution or GetExecutionHistory.
 */
function executionDataKeyStatement(key: kms.IKey, stateMachine: sfn.IStateMachine): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachine.stateMachineArn },
    },
  });
}

/**
 * What the services that write the poller's encrypted data need of its key: CloudWatch Logs for
 * the log groups (for this region's log groups only), and EventBridge, which delivers failed
 * triggers to the dead-letter queue. Added to the key's policy when the key is in this app.
 */
function grantKeyToServices(key: kms.IKey, stack: Stack): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      // For this account's rules only: their ARNs would make the key depend on the rules, which depend on it.
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: '*',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
}

/**
 * What a writer of encrypted items or messages needs of the key, and no action wildcard (which
 * `grantEncryptDecrypt` would add).
 */
function grantKeyUse(key: kms.IKey, grantee: iam.IGrantable): void {
  key.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
}
