import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { MONITORING_FAILURE_REASONS } from './events';
import { PollerPropsValidationError } from './validation';

/**
 * When one alarm fires: the value its metric is compared with, and how many of its latest periods
 * must breach ("M of N": `datapointsToAlarm` of `evaluationPeriods`). A setting left out keeps the
 * alarm's own default, listed in {@link PollerAlarmThresholds}.
 */
export interface PollerAlarmThreshold {
  /**
   * The value the alarm compares its metric with, a whole number of at least 1; what it counts is
   * said for each alarm in {@link PollerAlarmThresholds}.
   * @default - the alarm's own (see PollerAlarmThresholds)
   */
  readonly threshold?: number;
  /**
   * How many of the metric's latest periods the alarm looks at, a whole number of at least 1;
   * CloudWatch allows a day of periods shorter than an hour (288 periods of five minutes).
   * @default - the alarm's own (see PollerAlarmThresholds)
   */
  readonly evaluationPeriods?: number;
  /**
   * How many of those periods must breach for the alarm to fire, a whole number from 1 to
   * `evaluationPeriods`.
   * @default - the alarm's own (see PollerAlarmThresholds)
   */
  readonly datapointsToAlarm?: number;
}

/**
 * When each alarm fires. Every alarm keeps its defaults unless named here, and a named alarm keeps
 * the defaults of the settings it leaves out. Raise an alarm that is too noisy for your fleet, or
 * make it wait for more periods, rather than turning the alarms off.
 */
export interface PollerAlarmThresholds {
  /**
   * Failed executions in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly executionsFailed?: PollerAlarmThreshold;
  /**
   * Executions in five minutes that ran into the state machine's time limit.
   * @default - threshold 1, 1 period of 1
   */
  readonly executionsTimedOut?: PollerAlarmThreshold;
  /**
   * Executions someone stopped, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly executionsAborted?: PollerAlarmThreshold;
  /**
   * Executions Step Functions throttled, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly executionsThrottled?: PollerAlarmThreshold;
  /**
   * Invocations of the poll function that threw, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly pollFunctionErrors?: PollerAlarmThreshold;
  /**
   * Invocations of the start function that threw, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly startFunctionErrors?: PollerAlarmThreshold;
  /**
   * Watches that ended with a Monitoring Failed event, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly monitoringFailures?: PollerAlarmThreshold;
  /**
   * Triggers waiting in the dead-letter queue (the most visible in five minutes).
   * @default - threshold 1, 1 period of 1
   */
  readonly deadLetterQueueDepth?: PollerAlarmThreshold;
  /**
   * Triggers that claimed a task but named none readable, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly malformedTriggers?: PollerAlarmThreshold;
  /**
   * Invocations of the poll, start or sweep function that Lambda throttled, in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly functionThrottles?: PollerAlarmThreshold;
  /**
   * Failed sweeps in five minutes; one is made good by the next sweep.
   * @default - threshold 2, 1 period of 1
   */
  readonly sweepFailures?: PollerAlarmThreshold;
  /**
   * Seconds a listed task went unread by the sweep (its listing read whole less often than this).
   * @default - threshold 300, 1 period of 1
   */
  readonly sweepListingUnread?: PollerAlarmThreshold;
  /**
   * Sweeps that ran in twice the sweep interval (at least five minutes): the alarm fires below this.
   * @default - threshold 1, 1 period of 1
   */
  readonly sweepsNotRunning?: PollerAlarmThreshold;
  /**
   * Wakes, discoveries or records of a sweep that failed, per sweep interval.
   * @default - threshold 1, 3 periods of 5
   */
  readonly sweepTaskFailures?: PollerAlarmThreshold;
  /**
   * Parked watches whose task a complete sweep did not find in the listing, per sweep interval.
   * @default - threshold 1, 3 periods of 5
   */
  readonly watchedTasksUnlisted?: PollerAlarmThreshold;
  /**
   * Ends the watches saw later than the sweep shows one (two sweep intervals and five minutes after
   * the end), in five minutes.
   * @default - threshold 1, 1 period of 1
   */
  readonly endsSeenLate?: PollerAlarmThreshold;
}

/** What {@link PollerAlarms} watches. */
export interface PollerAlarmsProps {
  /** The poller's state machine, whose failed, timed-out, aborted and throttled executions are alarmed. */
  readonly stateMachine: sfn.IStateMachine;
  /** The poll function, whose errors are alarmed. */
  readonly pollFunction: lambda.IFunction;
  /** The start function, whose errors are alarmed. */
  readonly startFunction: lambda.IFunction;
  /** The dead-letter queue of the triggers, whose depth is alarmed. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The poller's count of watches that ended with a Monitoring Failed event. */
  readonly monitoringFailures: cloudwatch.IMetric;
  /**
   * The poller's count of triggers that claimed a task but named none readable (`TriggersNotStartedByReason`
   * with `Reason` `MALFORMED`).
   * @default - no alarm on malformed triggers
   */
  readonly malformedTriggers?: cloudwatch.IMetric;
  /**
   * The sweep function, whose failed runs are alarmed.
   * @default - no sweep alarms
   */
  readonly sweepFunction?: lambda.IFunction;
  /**
   * The poller's `SweepListingUnreadSeconds`: how long a listed task may have gone unread, when a
   * whole pass over the listing takes more than two sweep intervals.
   * @default - no alarm on a listing read too slowly
   */
  readonly sweepListingUnreadSeconds?: cloudwatch.IMetric;
  /**
   * The poller's count of a sweep's wakes, discoveries and records that failed (`SweepTaskFailures`).
   * @default - no alarm on the sweep's failed work
   */
  readonly sweepTaskFailures?: cloudwatch.IMetric;
  /**
   * The poller's count of parked watches whose task a complete sweep did not list (`WatchedTasksUnlisted`).
   * @default - no alarm on watched tasks missing from the listing
   */
  readonly watchedTasksUnlisted?: cloudwatch.IMetric;
  /**
   * The poller's count of ends its watches saw later than the sweep shows one (`EndsSeenLate`).
   * @default - no alarm on ends seen late
   */
  readonly endsSeenLate?: cloudwatch.IMetric;
  /**
   * Time between two scheduled sweeps; with `sweepFunction`, an alarm fires when no sweep ran for
   * twice this long (at least five minutes).
   * @default Duration.minutes(1)
   */
  readonly sweepInterval?: Duration;
  /**
   * Actions for every alarm, on alarm and back to OK.
   * @default - no actions: the alarms show in the CloudWatch console only
   */
  readonly actions?: cloudwatch.IAlarmAction[];
  /**
   * When each alarm fires: threshold, evaluation periods and datapoints to alarm, for the alarms named.
   * @default - each alarm's own, listed in PollerAlarmThresholds
   */
  readonly thresholds?: PollerAlarmThresholds;
}

/** An alarm of the poller: a member of {@link PollerAlarms} and of {@link PollerAlarmThresholds}. */
export type PollerAlarmName = keyof PollerAlarmThresholds;

/** One row of {@link POLLER_ALARM_TABLE}: an alarm, what it watches, when it fires, and its runbook. */
export interface PollerAlarmDefinition {
  /** Id of the alarm's construct, part of the public contract. */
  readonly id: string;
  /** The metric watched, from what the alarms are given; undefined when the alarm does not apply. */
  readonly metric: (props: PollerAlarmsProps) => cloudwatch.IMetric | undefined;
  /** What happened and what it costs, for the person paged; the runbook link is added after it. */
  readonly description: (props: PollerAlarmsProps) => string;
  /** What the threshold counts, for validation messages. */
  readonly counts: string;
  /** The value the metric is compared with, unless `thresholds` says otherwise. */
  readonly threshold: number;
  /** How many of the metric's latest periods the alarm looks at, unless `thresholds` says otherwise. */
  readonly evaluationPeriods: number;
  /** How many of those periods must breach, unless `thresholds` says otherwise. */
  readonly datapointsToAlarm: number;
  /** How the metric is compared with the threshold. */
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** What a period without data counts as. */
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** Anchor of the alarm's runbook section in docs/operations.md. */
  readonly runbook: string;
}

const FIVE_MINUTES = Duration.minutes(5);
const SUM = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
const AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const FINE = cloudwatch.TreatMissingData.NOT_BREACHING;

/** The monitoring failure reasons in words: "task not found, …, or poller failed". */
function describeReasons(): string {
  const words = MONITORING_FAILURE_REASONS.map((reason) => reason.toLowerCase().replace(/_/g, ' '));
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The period of the sweeps-not-running alarm: twice the sweep interval, at least five minutes. */
function sweepsNotRunningPeriod(props: PollerAlarmsProps): Duration {
  const interval = props.sweepInterval ?? Duration.minutes(1);
  return Duration.seconds(Math.max(FIVE_MINUTES.toSeconds(), 2 * interval.toSeconds()));
}

/**
 * Every alarm of the poller, in the order of {@link PollerAlarms.all}. An alarm fires on the first
 * occurrence in five minutes unless its row says otherwise.
 */
export const POLLER_ALARM_TABLE: { readonly [name in PollerAlarmName]: PollerAlarmDefinition } = {
  executionsFailed: {
    id: 'ExecutionsFailed',
    metric: (props) => props.stateMachine.metricFailed(SUM),
    description: () =>
      'A watch execution failed: its terminal event may not have been put. Open the failed execution in the Step Functions console.',
    counts: 'failed executions in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'executionsfailed',
  },
  executionsTimedOut: {
    id: 'ExecutionsTimedOut',
    metric: (props) => props.stateMachine.metricTimedOut(SUM),
    description: () => 'A watch execution ran into the state machine time limit without ending its watch.',
    counts: 'timed-out executions in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'executionstimedout',
  },
  executionsAborted: {
    id: 'ExecutionsAborted',
    metric: (props) => props.stateMachine.metricAborted(SUM),
    description: () => 'A watch execution was stopped; its task will get no terminal event.',
    counts: 'stopped executions in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'executionsaborted',
  },
  executionsThrottled: {
    id: 'ExecutionsThrottled',
    metric: (props) => props.stateMachine.metricThrottled(SUM),
    description: () => 'Step Functions throttled the poller; watches may start late.',
    counts: 'throttled executions in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'executionsthrottled',
  },
  pollFunctionErrors: {
    id: 'PollFunctionErrors',
    metric: (props) => props.pollFunction.metricErrors(SUM),
    description: () => 'The poll function threw; see its log group for the error.',
    counts: 'errors of the poll function in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'pollfunctionerrors',
  },
  startFunctionErrors: {
    id: 'StartFunctionErrors',
    metric: (props) => props.startFunction.metricErrors(SUM),
    description: () =>
      'The start function could not start a watch; the trigger is retried, then kept in the dead-letter queue.',
    counts: 'errors of the start function in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'startfunctionerrors',
  },
  monitoringFailures: {
    id: 'MonitoringFailures',
    metric: (props) => props.monitoringFailures,
    description: () => `A watch ended with a Monitoring Failed event: ${describeReasons()}.`,
    counts: 'Monitoring Failed events in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'monitoringfailures',
  },
  deadLetterQueueDepth: {
    id: 'DeadLetterQueueDepth',
    metric: (props) =>
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    description: () =>
      'Triggers that could not start a watch are waiting in the dead-letter queue; start their watches and delete them.',
    counts: 'messages in the dead-letter queue',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'deadletterqueuedepth',
  },
  malformedTriggers: {
    id: 'MalformedTriggers',
    metric: (props) => props.malformedTriggers,
    description: () =>
      'A trigger claimed an import task but no task id could be read from it, so no watch started. It is kept in the dead-letter queue with the message attribute Reason MALFORMED and an ErrorMessage saying why: find the task, put a watch request for it, then delete the message.',
    counts: 'malformed triggers in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'malformedtriggers',
  },
  functionThrottles: {
    id: 'FunctionThrottles',
    metric: (props) =>
      new cloudwatch.MathExpression({
        expression: props.sweepFunction === undefined ? 'poll + start' : 'poll + start + sweep',
        usingMetrics: {
          poll: props.pollFunction.metricThrottles(SUM),
          start: props.startFunction.metricThrottles(SUM),
          ...(props.sweepFunction === undefined ? {} : { sweep: props.sweepFunction.metricThrottles(SUM) }),
        },
        period: FIVE_MINUTES,
        label: 'Throttled invocations',
      }),
    description: () =>
      'Lambda throttled the poller functions: polls, triggers and sweeps are retried for minutes, then watches end with Monitoring Failed and triggers go to the dead-letter queue. Raise the account concurrency limit or reserve concurrency for the poller functions.',
    counts: 'throttled invocations in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'functionthrottles',
  },
  sweepFailures: {
    id: 'SweepFailures',
    metric: (props) => props.sweepFunction?.metricErrors(SUM),
    description: () =>
      'Sweeps of the import tasks are failing (see the sweep function log group): failures midway are seen only at the watches own polls, and unwatched imports are not discovered.',
    counts: 'failed sweeps in five minutes',
    // One failed sweep is made good by the next, a minute later; two in five minutes are not chance.
    threshold: 2,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'sweepfailures',
  },
  sweepListingUnread: {
    id: 'SweepListingUnread',
    metric: (props) => props.sweepListingUnreadSeconds,
    description: () =>
      'The sweep reads the listing too slowly: a listed task went unread for minutes, so ends midway are seen late and unwatched imports are discovered late. The listing is longer than a sweep reads in its time: lengthen sweep.interval (a sweep has its interval, up to 5 minutes), or raise sweep.maxPages if it was lowered.',
    counts: 'seconds a listed task went unread',
    threshold: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'sweeplistingunread',
  },
  sweepsNotRunning: {
    id: 'SweepsNotRunning',
    // Lambda's own count, free of charge: it has no data at all when the schedule stops invoking.
    metric: (props) =>
      props.sweepFunction?.metricInvocations({
        period: sweepsNotRunningPeriod(props),
        statistic: cloudwatch.Stats.SUM,
      }),
    description: (props) =>
      `No sweep ran in ${sweepsNotRunningPeriod(props).toHumanString()}: the schedule is disabled or its invocations are throttled or refused. Until sweeps run again, ends midway are seen only at the watches own polls and unwatched imports are not discovered.`,
    counts: 'sweeps in twice the sweep interval, below which the alarm fires',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    runbook: 'sweepsnotrunning',
  },
  sweepTaskFailures: {
    id: 'SweepTaskFailures',
    metric: (props) => props.sweepTaskFailures,
    description: () =>
      'Sweeps keep failing to wake watches, start watches of unwatched tasks or record tasks (see the sweep function log group, messages "Could not ..."): an AccessDenied on SendTaskSuccess or StartExecution, or a failing table.',
    counts: 'failed wakes, discoveries or records per sweep interval',
    threshold: 1,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'sweeptaskfailures',
  },
  watchedTasksUnlisted: {
    id: 'WatchedTasksUnlisted',
    metric: (props) => props.watchedTasksUnlisted,
    // A task that ends and leaves the listing between two sweeps is woken once; a listing that keeps missing
    // the watched tasks (another region's view, another account) is not chance.
    description: () =>
      'Complete sweeps keep missing tasks the poller is watching from ListImportTasks: the sweep may list another region or account than the watches poll. Each such watch is woken and polls GetImportTask itself, but ends are seen only at its own polls and unwatched imports are not discovered.',
    counts: 'watched tasks missing from complete listings per sweep interval',
    threshold: 1,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'watchedtasksunlisted',
  },
  endsSeenLate: {
    id: 'EndsSeenLate',
    metric: (props) => props.endsSeenLate,
    // Whatever kept the sweep from waking a watch at its task's end, and whatever other alarm missed it.
    description: () =>
      'A watch saw its import end later than the sweep shows an end: its terminal event came late. The sweep did not wake the watch (sweeps failing or not running, a listing longer than the sweeps read, or one that does not show the end), or GetImportTask kept failing after the wake. Its log line "The end was seen later than the sweep shows one" names the task and how late.',
    counts: 'ends seen late in five minutes',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: AT_LEAST,
    treatMissingData: FINE,
    runbook: 'endsseenlate',
  },
};

/** The alarms' names, in the order of {@link POLLER_ALARM_TABLE}. */
const ALARM_NAMES = Object.keys(POLLER_ALARM_TABLE) as PollerAlarmName[];

/** The settings of {@link PollerAlarmThreshold}, with what each counts, for validation messages. */
const SETTINGS: {
  readonly [setting in keyof Required<PollerAlarmThreshold>]: (definition: PollerAlarmDefinition) => string;
} = {
  threshold: (definition) => definition.counts,
  evaluationPeriods: () => 'periods the alarm looks at',
  datapointsToAlarm: () => 'breaching periods that make the alarm fire',
};

/**
 * The page of the alarms' runbooks: docs/operations.md in the package's repository (its
 * `repository.url` in package.json, which ships beside `lib/` and `dist/`), on the default branch.
 */
function runbookPage(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    repository: { url: string };
  };
  const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return `${repository}/blob/main/docs/operations.md`;
}

const RUNBOOK_PAGE = runbookPage();

/** Link to the runbook section of alarm `name`. */
export function runbookUrl(name: PollerAlarmName): string {
  return `${RUNBOOK_PAGE}#${POLLER_ALARM_TABLE[name].runbook}`;
}

const show = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));
const isResolvedNumber = (value: unknown): value is number => typeof value === 'number' && !Token.isUnresolved(value);

/**
 * Checks `thresholds` (named `name` in the messages): only the alarms there are, each an object of
 * the settings of {@link PollerAlarmThreshold}, each a whole number of at least 1, and
 * `datapointsToAlarm` no more than `evaluationPeriods` (the defaults of those left out counted).
 * Tokens are taken as given.
 */
export function validateAlarmThresholds(thresholds: PollerAlarmThresholds | undefined, name: string): void {
  if (thresholds === undefined) return;
  if (thresholds === null || typeof thresholds !== 'object' || Array.isArray(thresholds)) {
    throw new PollerPropsValidationError(
      `${name} must be an object of thresholds by alarm, such as { executionsThrottled: { threshold: 5 } }; got ${show(thresholds)}.`,
    );
  }
  for (const [alarm, given] of Object.entries(thresholds) as [string, unknown][]) {
    if (!Object.prototype.hasOwnProperty.call(POLLER_ALARM_TABLE, alarm)) {
      throw new PollerPropsValidationError(
        `${name}.${alarm} is not an alarm of the poller; the alarms are ${ALARM_NAMES.join(', ')}.`,
      );
    }
    if (given === undefined) continue;
    const definition = POLLER_ALARM_TABLE[alarm as PollerAlarmName];
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw new PollerPropsValidationError(
        `${name}.${alarm} must be an object of settings, such as { threshold: ${definition.threshold + 1}, evaluationPeriods: 3, datapointsToAlarm: 2 }; got ${show(given)}.`,
      );
    }
    for (const [setting, value] of Object.entries(given) as [string, unknown][]) {
      if (!Object.prototype.hasOwnProperty.call(SETTINGS, setting)) {
        throw new PollerPropsValidationError(
          `${name}.${alarm}.${setting} is not a setting of an alarm; the settings are ${Object.keys(SETTINGS).join(', ')}.`,
        );
      }
      if (value === undefined || Token.isUnresolved(value)) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        const counts = SETTINGS[setting as keyof PollerAlarmThreshold](definition);
        throw new PollerPropsValidationError(
          `${name}.${alarm}.${setting} must be a whole number of at least 1 (${counts}); got ${show(value)}.`,
        );
      }
    }
    const settings = given as PollerAlarmThreshold;
    const periods = settings.evaluationPeriods ?? definition.evaluationPeriods;
    const datapoints = settings.datapointsToAlarm ?? definition.datapointsToAlarm;
    if (isResolvedNumber(periods) && isResolvedNumber(datapoints) && datapoints > periods) {
      const ofWhich = (setting: keyof PollerAlarmThreshold, value: number) =>
        `${setting} ${value}${settings[setting] === undefined ? ' (its default)' : ''}`;
      throw new PollerPropsValidationError(
        `${name}.${alarm} has ${ofWhich('datapointsToAlarm', datapoints)} above ${ofWhich('evaluationPeriods', periods)}: ` +
          `an alarm cannot need more breaching periods than it looks at. Give datapointsToAlarm of at most ${periods}, or evaluationPeriods of at least ${datapoints}.`,
      );
    }
  }
}

/** Seconds of one period of `metric`, when known at synthesis. */
function periodSecondsOf(metric: cloudwatch.IMetric): number | undefined {
  const config = metric.toMetricConfig();
  const seconds = config.metricStat?.period.toSeconds() ?? config.mathExpression?.period;
  return seconds === undefined || Token.isUnresolved(seconds) ? undefined : seconds;
}

/**
 * Checks that alarm `name`, of `periods` periods of `metric`, looks back no longer than CloudWatch
 * allows: a day for periods shorter than an hour, seven days otherwise.
 */
function validateEvaluationWindow(name: PollerAlarmName, metric: cloudwatch.IMetric, periods: number): void {
  const period = periodSecondsOf(metric);
  if (period === undefined || Token.isUnresolved(periods)) return;
  const limit = period < 3600 ? 86_400 : 604_800;
  if (period * periods > limit) {
    throw new PollerPropsValidationError(
      `The ${POLLER_ALARM_TABLE[name].id} alarm would look at ${periods} periods of ${period} s, longer than the ${limit === 86_400 ? 'day' : 'seven days'} CloudWatch allows for such periods; ` +
        `give ${name}.evaluationPeriods (in alarmThresholds, or in the thresholds of PollerAlarms) of at most ${Math.floor(limit / period)}.`,
    );
  }
}

/**
 * The failures of a poller that a person must see, one alarm per row of a table: what each watches,
 * its threshold, evaluation periods and datapoints to alarm (each of which `thresholds` changes),
 * and a description that ends with a link to the alarm's runbook in docs/operations.md. Every alarm
 * but one treats missing data as fine; the one on sweeps that stopped running treats it as breaching.
 */
export class PollerAlarms extends Construct {
  /** Executions that failed: an event could not be put, or the poller broke. */
  public readonly executionsFailed: cloudwatch.Alarm;
  /** Executions that ran into the state machine's own time limit. */
  public readonly executionsTimedOut: cloudwatch.Alarm;
  /** Executions that someone stopped. */
  public readonly executionsAborted: cloudwatch.Alarm;
  /** Executions Step Functions throttled. */
  public readonly executionsThrottled: cloudwatch.Alarm;
  /** Invocations of the poll function that threw. */
  public readonly pollFunctionErrors: cloudwatch.Alarm;
  /** Invocations of the start function that threw (the trigger then goes to the dead-letter queue). */
  public readonly startFunctionErrors: cloudwatch.Alarm;
  /** Watches that ended with a Monitoring Failed event. */
  public readonly monitoringFailures: cloudwatch.Alarm;
  /** Triggers kept in the dead-letter queue because no watch could be started for them. */
  public readonly deadLetterQueueDepth: cloudwatch.Alarm;
  /** Triggers that claimed a task but named none readable; undefined without `malformedTriggers`. */
  public readonly malformedTriggers?: cloudwatch.Alarm;
  /** Lambda throttled invocations of the poller's functions. */
  public readonly functionThrottles: cloudwatch.Alarm;
  /** Sweeps that failed, two or more in five minutes; undefined without `sweepFunction`. */
  public readonly sweepFailures?: cloudwatch.Alarm;
  /** Listed tasks go unread by the sweep for minutes; undefined without `sweepListingUnreadSeconds`. */
  public readonly sweepListingUnread?: cloudwatch.Alarm;
  /** No sweep ran for twice the sweep interval (at least five minutes); undefined without `sweepFunction`. */
  public readonly sweepsNotRunning?: cloudwatch.Alarm;
  /** A sweep's wakes, discoveries or records kept failing; undefined without `sweepTaskFailures`. */
  public readonly sweepTaskFailures?: cloudwatch.Alarm;
  /** Parked watches keep missing from complete listings; undefined without `watchedTasksUnlisted`. */
  public readonly watchedTasksUnlisted?: cloudwatch.Alarm;
  /** Watches saw their import's end later than the sweep shows one; undefined without `endsSeenLate`. */
  public readonly endsSeenLate?: cloudwatch.Alarm;

  private readonly created: cloudwatch.Alarm[];

  /**
   * @param scope where the alarms are defined
   * @param id id of the group of alarms
   * @param props what the alarms watch, their actions, and when they fire
   */
  constructor(scope: Construct, id: string, props: PollerAlarmsProps) {
    super(scope, id);
    validateAlarmThresholds(props.thresholds, 'thresholds');
    const byName: Partial<Record<PollerAlarmName, cloudwatch.Alarm>> = {};
    for (const name of ALARM_NAMES) {
      const alarm = this.createAlarm(name, props);
      if (alarm !== undefined) byName[name] = alarm;
    }
    this.created = ALARM_NAMES.flatMap((name) => byName[name] ?? []);
    const always = (name: PollerAlarmName): cloudwatch.Alarm => {
      const alarm = byName[name];
      if (alarm === undefined) throw new Error(`The ${POLLER_ALARM_TABLE[name].id} alarm has no metric.`);
      return alarm;
    };
    this.executionsFailed = always('executionsFailed');
    this.executionsTimedOut = always('executionsTimedOut');
    this.executionsAborted = always('executionsAborted');
    this.executionsThrottled = always('executionsThrottled');
    this.pollFunctionErrors = always('pollFunctionErrors');
    this.startFunctionErrors = always('startFunctionErrors');
    this.monitoringFailures = always('monitoringFailures');
    this.deadLetterQueueDepth = always('deadLetterQueueDepth');
    this.malformedTriggers = byName.malformedTriggers;
    this.functionThrottles = always('functionThrottles');
    this.sweepFailures = byName.sweepFailures;
    this.sweepListingUnread = byName.sweepListingUnread;
    this.sweepsNotRunning = byName.sweepsNotRunning;
    this.sweepTaskFailures = byName.sweepTaskFailures;
    this.watchedTasksUnlisted = byName.watchedTasksUnlisted;
    this.endsSeenLate = byName.endsSeenLate;
  }

  /** Every alarm, in the order of the table. */
  public get all(): cloudwatch.Alarm[] {
    return [...this.created];
  }

  /** The alarm of row `name`, with the settings `props.thresholds` gives it; undefined when its metric is not given. */
  private createAlarm(name: PollerAlarmName, props: PollerAlarmsProps): cloudwatch.Alarm | undefined {
    const definition = POLLER_ALARM_TABLE[name];
    const metric = definition.metric(props);
    if (metric === undefined) return undefined;
    const given = props.thresholds?.[name];
    const evaluationPeriods = given?.evaluationPeriods ?? definition.evaluationPeriods;
    validateEvaluationWindow(name, metric, evaluationPeriods);
    const alarm = new cloudwatch.Alarm(this, definition.id, {
      metric,
      threshold: given?.threshold ?? definition.threshold,
      evaluationPeriods,
      datapointsToAlarm: given?.datapointsToAlarm ?? definition.datapointsToAlarm,
      comparisonOperator: definition.comparisonOperator,
      treatMissingData: definition.treatMissingData,
      alarmDescription: `${definition.description(props)} Runbook: ${runbookUrl(name)}`,
    });
    for (const action of props.actions ?? []) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  }
}
