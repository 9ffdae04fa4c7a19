import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { createPollerFunction, type PollerLogLevel } from './poller-function';
import {
  DEFAULT_SWEEP_MAX_PAGES,
  MAX_SWEEP_MAX_PAGES,
  PARKED_WATCHES_INDEX,
  WATCH_TABLE_ATTRIBUTES,
  sweepTimeoutSeconds,
} from './sweep-contract';
import { PollerPropsValidationError, wholeSeconds } from './validation';

/** Settings of the sweep: one `ListImportTasks` listing of the account's import tasks, on a schedule. */
export interface ImportTaskSweepOptions {
  /**
   * Run the sweep. Off, every watch ends by its own polls alone, and only CloudTrail records,
   * watch requests and direct executions start watches.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Time between two sweeps: about the longest an end the watch did not expect goes unseen.
   * Whole minutes, from 1 minute to 1 hour.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Pages of 100 tasks one sweep reads at most, from 1 to 1,000. Whatever this cap, a sweep reads
   * pages only until 10 seconds are left of its timeout (the interval, at most 5 minutes); the next
   * sweep goes on from where this one stopped, so a listing longer than one sweep reads is read
   * whole in a few sweeps, whatever its order (`SweepListingUnreadSeconds` says how long a task went
   * unread).
   * @default 1000 - as many pages as the sweep's time allows
   */
  readonly maxPages?: number;
  /**
   * Start a watch for every listed task that nobody watches (restricted to `graphIds` when the
   * poller has them), so that imports are watched without CloudTrail.
   * @default true
   */
  readonly discovery?: boolean;
}

/** The sweep's settings with their defaults. */
export interface ResolvedSweepOptions {
  readonly interval: Duration;
  readonly maxPages: number;
  readonly discovery: boolean;
}

/** The sweep's settings with defaults filled in, or undefined when the sweep is off; throws on bad settings. */
export function resolveSweepOptions(options: ImportTaskSweepOptions = {}): ResolvedSweepOptions | undefined {
  if (options.enabled === false) return undefined;
  const interval = options.interval ?? Duration.minutes(1);
  if (!interval.isUnresolved()) {
    const seconds = wholeSeconds('sweep.interval', interval);
    if (seconds < 60 || seconds > 3600 || seconds % 60 !== 0) {
      throw new PollerPropsValidationError(
        `sweep.interval must be whole minutes from 1 minute to 1 hour (an EventBridge schedule's rate); got ${interval.toHumanString()}.`,
      );
    }
  }
  const maxPages = options.maxPages ?? DEFAULT_SWEEP_MAX_PAGES;
  if (
    !Token.isUnresolved(maxPages) &&
    (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > MAX_SWEEP_MAX_PAGES)
  ) {
    throw new PollerPropsValidationError(
      `sweep.maxPages must be a whole number from 1 to ${MAX_SWEEP_MAX_PAGES.toLocaleString('en-US')} (pages of 100 tasks); got ${maxPages}.`,
    );
  }
  return { interval, maxPages, discovery: options.discovery ?? true };
}

/**
 * The table where waiting watches park their task tokens, one item per import task, with the
 * sparse index of parked watches ({@link PARKED_WATCHES_INDEX}). Its items are working state only,
 * rebuilt by the watches and the next sweep: the table goes with the stack. Its creation time is
 * the poller's deployment time: tasks that ended before it are never announced.
 */
export function createWatchTable(scope: Construct, id: string, encryptionKey?: kms.IKey): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: { name: WATCH_TABLE_ATTRIBUTES.taskId, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(encryptionKey === undefined
      ? { encryption: dynamodb.TableEncryption.AWS_MANAGED }
      : { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Declared on the L1 resource: an index the L2 table knows of widens each of its grants, the park
  // task's PutItem included, to `<table>/index/*`, where only the sweep's Scan needs this one index.
  const { indexName, partitionKey, projectedAttributes } = PARKED_WATCHES_INDEX;
  const resource = table.node.defaultChild as dynamodb.CfnTable;
  resource.addPropertyOverride('AttributeDefinitions.1', { AttributeName: partitionKey, AttributeType: 'S' });
  resource.addPropertyOverride('GlobalSecondaryIndexes', [
    {
      IndexName: indexName,
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projectedAttributes] },
    },
  ]);
  return table;
}

/** What {@link ImportTaskSweep} works with. */
export interface ImportTaskSweepProps {
  readonly options: ResolvedSweepOptions;
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  /** ARN pattern of every execution of the state machine, for the one-watch-per-task rule. */
  readonly executionsArn: string;
  /** Graphs whose tasks discovery may watch. @default - every graph */
  readonly graphIds?: string[];
  /** Whether watches publish every status change: then any listed change wakes a watch, not only an end. */
  readonly emitStatusChanges: boolean;
  readonly logGroup: logs.ILogGroup;
  readonly logLevel: PollerLogLevel;
  readonly serviceName: string;
}

/**
 * The sweep: a function that lists the account's import tasks on a schedule, wakes the watch of
 * every task whose listed status differs from what its watch last saw or that is not listed at
 * all, and starts a watch for every task nobody watches (an ended one only if it ended after the
 * deployment).
 */
export class ImportTaskSweep extends Construct {
  /** The sweep function. */
  public readonly sweepFunction: lambda.Function;
  /** The schedule that runs it. */
  public readonly scheduleRule: events.Rule;

  constructor(scope: Construct, id: string, props: ImportTaskSweepProps) {
    super(scope, id);
    const { options } = props;
    const timeout = Duration.seconds(sweepTimeoutSeconds(options.interval.toSeconds()));
    this.sweepFunction = createPollerFunction(this, 'Function', {
      handler: 'sweep',
      description: 'Lists Neptune Analytics import tasks, wakes their watches on a change and watches unwatched ones',
      logGroup: props.logGroup,
      logLevel: props.logLevel,
      serviceName: props.serviceName,
      timeout,
      // The next scheduled sweep does what a failed one did not; retries would only overlap it.
      retryAttempts: 0,
      environment: {
        WATCH_TABLE_NAME: props.table.tableName,
        STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        MAX_PAGES: String(options.maxPages),
        DISCOVERY: String(options.discovery),
        EMIT_STATUS_CHANGES: String(props.emitStatusChanges),
        SWEEP_INTERVAL_SECONDS: String(options.interval.toSeconds()),
        ...(props.graphIds === undefined ? {} : { GRAPH_IDS: props.graphIds.join(',') }),
      },
    });
    const stack = Stack.of(this);
    this.sweepFunction.addToRolePolicy(
      new iam.PolicyStatement({
        // GetImportTask tells when a task found ended, that nobody watches, ended.
        actions: ['neptune-graph:ListImportTasks', 'neptune-graph:GetImportTask'],
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
    // DescribeTable reads the table's creation time: the poller's deployment time.
    props.table.grant(
      this.sweepFunction,
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DescribeTable',
    );
    this.sweepFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Scan'],
        resources: [`${props.table.tableArn}/index/${PARKED_WATCHES_INDEX.indexName}`],
      }),
    );
    this.sweepFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    props.stateMachine.grantStartExecution(this.sweepFunction);
    this.sweepFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [props.executionsArn] }),
    );
    this.scheduleRule = new events.Rule(this, 'Schedule', {
      description: 'Runs the sweep of Neptune Analytics import tasks',
      schedule: events.Schedule.rate(options.interval),
      targets: [
        new targets.LambdaFunction(this.sweepFunction, {
          retryAttempts: 0,
          maxEventAge: Duration.seconds(Math.max(60, options.interval.toSeconds())),
        }),
      ],
    });
  }
}
