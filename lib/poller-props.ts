/**
 * The props of {@link NeptuneImportTaskPoller}, their validation, and the settings the poll
 * function receives from them.
 */
import { Duration, Token, type RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { isGraphId } from './identifiers';
import { resolveSweepOptions, type ImportTaskSweepOptions } from './import-task-sweep';
import { CONTRACT_VERSION } from './poll-contract';
import { validateAlarmThresholds, type PollerAlarmThresholds } from './poller-alarms';
import type { PollerConfig } from './poller-config';
import type { PollerLogLevel } from './poller-function';
import { PollingStrategy, validatePollingStrategy } from './polling-strategy';
import {
  eventPatternJson,
  MAX_EVENT_PATTERN_LENGTH,
  MAX_GRAPH_IDS,
  maxGraphIdsIn,
  apiCallPattern,
  watchRequestPattern,
} from './trigger-patterns';
import { PollerPropsValidationError, wholeSeconds } from './validation';

/** How failed `GetImportTask` requests are retried: exponential backoff with full jitter, for a time budget. */
export interface PollErrorRetryOptions {
  /**
   * How long a run of failed requests (throttling, server errors, timeouts, malformed answers, access denied, invalid requests) is retried, from its first failure, before the watch ends with a Monitoring Failed event naming the last failure's reason (`POLLING_ERROR`, `ACCESS_DENIED` or `INVALID_REQUEST`). The last retry is sent when the budget ends. Whole seconds, from 1 minute to 1 day.
   * @default Duration.minutes(15)
   */
  readonly budget?: Duration;
  /**
   * Upper bound of the wait before the first retry; each wait is drawn uniformly below its bound.
   * @default Duration.seconds(2)
   */
  readonly initialInterval?: Duration;
  /**
   * Upper bound of any retry's wait: about the longest a task's end goes unseen after a fault ends.
   * @default Duration.minutes(1)
   */
  readonly maxInterval?: Duration;
  /**
   * Factor by which the bound grows after each failure.
   * @default 2
   */
  readonly backoffRate?: number;
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
   * @default - with the sweep, `PollingStrategy.fixed({ interval: Duration.hours(6) })`, a backstop for a sweep
   * that fails, since the sweep wakes the watch at its task's end (and a watch begun by the API call that started
   * its task leaves its first look to the sweep); without it, `PollingStrategy.progressAware()`
   */
  readonly pollingStrategy?: PollingStrategy;
  /**
   * How long a task is watched before the poller gives up with `TIMED_OUT`; counted from the watch's start.
   * @default Duration.days(7)
   */
  readonly monitoringTimeout?: Duration;
  /**
   * How failed `GetImportTask` requests are retried.
   * @default - 10 attempts, waits drawn below 2 s doubling up to 5 minutes
   */
  readonly pollErrorRetry?: PollErrorRetryOptions;
  /**
   * How long after a watch starts a "not found" answer for a task not seen yet is retried before the watch ends with `TASK_NOT_FOUND` (a task just started may not be visible at once); these retries back off like failed polls but are bounded by this grace, not by `pollErrorRetry.budget`. `Duration.seconds(0)` turns the grace off.
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
   * When each alarm fires, for the alarms named: threshold, evaluation periods and datapoints to alarm (`{ executionsThrottled: { threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 2 } }`); the others, and the settings left out, keep their defaults.
   * @default - each alarm's own, listed in PollerAlarmThresholds
   */
  readonly alarmThresholds?: PollerAlarmThresholds;
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
   * A customer-managed KMS key for the poller's data at rest: its log groups, the dead-letter queue
   * it creates, the state machine's execution data and the sweep's table. The construct grants each
   * writer what it needs: CloudWatch Logs, EventBridge (delivering failed triggers to the queue) and
   * Step Functions in the key's policy, the functions and the state machine in their roles. A key
   * imported from elsewhere keeps its own policy: give those service principals the same rights
   * there.
   * @default - AWS-owned or AWS-managed keys: SQS-managed for the queue, DynamoDB's for the table
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What becomes of the poller's log groups when the stack is deleted. Their names never
   * clash with a later deployment of the same stack either way.
   * @default RemovalPolicy.RETAIN: the logs outlive the stack, for whoever investigates a watch later
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

const ONE_YEAR = Duration.days(365);

/** How long a task is watched unless `monitoringTimeout` says otherwise. */
export const DEFAULT_MONITORING_TIMEOUT = Duration.days(7);

/** How long a run of failed polls is retried before the watch ends, unless `pollErrorRetry.budget` says otherwise. */
export const DEFAULT_POLL_ERROR_BUDGET = Duration.minutes(15);

/**
 * The per-task polling with the sweep on: the sweep wakes a watch within a sweep's interval of any
 * change of its task's status, so the watch's own polls only back it up, for a sweep that fails
 * or a task listed beyond its pages.
 */
export const SWEPT_POLLING_INTERVAL = Duration.hours(6);

/**
 * Checks `graphIds` (the prop, or the option of a rule, named `name` in the message): at least one,
 * each a graph id unless it is a token.
 */
export function validateGraphIds(graphIds: readonly string[] | undefined, name = 'graphIds'): void {
  if (graphIds === undefined) return;
  if (graphIds.length === 0) {
    throw new PollerPropsValidationError(
      `${name} is empty, which would watch nothing; leave it out to watch every graph, or name at least one graph.`,
    );
  }
  const bad = graphIds.filter((id) => !Token.isUnresolved(id) && !isGraphId(id));
  if (bad.length > 0) {
    throw new PollerPropsValidationError(
      `${name} must be graph ids (g- and ten lower-case letters or digits); got ${bad.map((id) => JSON.stringify(id)).join(', ')}.`,
    );
  }
}

/** The longest `serviceName` a poller has, which a watch request names in `detail.poller`. */
const MAX_SERVICE_NAME_LENGTH = 80;

/**
 * Checks that the rules made for `graphIds` fit EventBridge's limit on an event pattern's length:
 * the rule for CloudTrail records holds each graph id twice, the rule for watch requests once.
 */
function validateGraphIdsFit(props: NeptuneImportTaskPollerProps): void {
  const graphIds = props.graphIds;
  if (graphIds === undefined || graphIds.some((id) => Token.isUnresolved(id))) return;
  const pollerName = 'p'.repeat(MAX_SERVICE_NAME_LENGTH);
  const [rule, max, pattern] =
    props.startOnApiCalls === false
      ? [
          'the rule for watch requests',
          maxGraphIdsIn((ids) => watchRequestPattern(ids, pollerName)),
          watchRequestPattern(graphIds, pollerName),
        ]
      : ['the rule for CloudTrail records, which holds each graph id twice,', MAX_GRAPH_IDS, apiCallPattern(graphIds)];
  const length = eventPatternJson(pattern).length;
  if (graphIds.length > max || length > MAX_EVENT_PATTERN_LENGTH) {
    throw new PollerPropsValidationError(
      `graphIds names ${graphIds.length} graphs, more than the ${max} that fit: ${rule} would have an event pattern ` +
        `of ${length} characters, over EventBridge's limit of ${MAX_EVENT_PATTERN_LENGTH}. Name at most ${max} graphs, ` +
        'split them between several pollers, or leave graphIds out to watch every graph (and give graphIds to your own rules instead).',
    );
  }
}

/** Checks `eventSource`, the construct's prop or an imported poller's attribute, unless it is a token. */
export function validateEventSource(source: string | undefined): void {
  if (source === undefined || Token.isUnresolved(source)) return;
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

/** Checks every prop a poller cannot work with; the first problem found is thrown. */
export function validatePollerProps(props: NeptuneImportTaskPollerProps): void {
  validateEventSource(props.eventSource);
  validateGraphIds(props.graphIds);
  validateGraphIdsFit(props);
  validatePollingStrategy(props.pollingStrategy);
  if (props.startOnApiCalls === false && props.startOnWatchRequests === false) {
    throw new PollerPropsValidationError(
      'startOnApiCalls and startOnWatchRequests are both false; the poller could then be started only directly. ' +
        'Enable one of them, or keep both off knowingly by starting executions yourself with grantStartWatching().',
    );
  }
  const timeout = props.monitoringTimeout;
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const seconds = wholeSeconds('monitoringTimeout', timeout);
    if (seconds < 60 || seconds > ONE_YEAR.toSeconds()) {
      throw new PollerPropsValidationError(
        `monitoringTimeout must be between 1 minute and 365 days; got ${timeout.toHumanString()}.`,
      );
    }
  }
  const grace = props.notFoundGrace;
  if (grace !== undefined && !grace.isUnresolved()) {
    if (wholeSeconds('notFoundGrace', grace) > 3600) {
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
  if (props.encryptionKey !== undefined && props.deadLetterQueueProps?.encryption !== undefined) {
    throw new PollerPropsValidationError(
      'encryptionKey and deadLetterQueueProps.encryption are both given; leave deadLetterQueueProps.encryption out, and the queue is encrypted with encryptionKey.',
    );
  }
  if (props.deadLetterQueue !== undefined && props.deadLetterQueueProps !== undefined) {
    throw new PollerPropsValidationError(
      'deadLetterQueue and deadLetterQueueProps are both given; give deadLetterQueue to bring your own queue, or deadLetterQueueProps to adjust the one the construct creates.',
    );
  }
  validatePollErrorRetry(props.pollErrorRetry);
  if (props.alarmThresholds !== undefined && props.createAlarms === false) {
    throw new PollerPropsValidationError(
      'alarmThresholds is given but createAlarms is false, so there are no alarms to apply it to; leave one of them out.',
    );
  }
  validateAlarmThresholds(props.alarmThresholds, 'alarmThresholds');
}

function validatePollErrorRetry(retry: PollErrorRetryOptions | undefined): void {
  const budget = retry?.budget;
  if (budget !== undefined && !budget.isUnresolved()) {
    const seconds = wholeSeconds('pollErrorRetry.budget', budget);
    if (seconds < 60 || seconds > 86_400) {
      throw new PollerPropsValidationError(
        `pollErrorRetry.budget must be whole seconds from 1 minute to 1 day; got ${seconds} seconds.`,
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
    if (value === undefined || value.isUnresolved()) continue;
    const seconds = wholeSeconds(`pollErrorRetry.${name}`, value);
    if (seconds < 1 || seconds > 3600) {
      throw new PollerPropsValidationError(
        `pollErrorRetry.${name} must be from 1 second to 1 hour; got ${value.toHumanString()}.`,
      );
    }
  }
}

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
      budgetSeconds: (retry.budget ?? DEFAULT_POLL_ERROR_BUDGET).toSeconds(),
      initialIntervalSeconds: (retry.initialInterval ?? Duration.seconds(2)).toSeconds(),
      maxIntervalSeconds: (retry.maxInterval ?? Duration.minutes(1)).toSeconds(),
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
