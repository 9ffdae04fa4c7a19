import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { MONITORING_FAILURE_REASONS } from './events';
import { PollerPropsValidationError } from './validation';

/** The monitoring failure reasons in words: "task not found, …, or poller failed". */
function describeReasons(): string {
  const words = MONITORING_FAILURE_REASONS.map((reason) => reason.toLowerCase().replace(/_/g, ' '));
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/**
 * How many occurrences in five minutes make each alarm fire. Every alarm keeps its default unless
 * named here; raise one that is too noisy for your fleet rather than turning the alarms off.
 */
export interface PollerAlarmThresholds {
  /**
   * Failed executions.
   * @default 1
   */
  readonly executionsFailed?: number;
  /**
   * Executions that ran into the state machine's time limit.
   * @default 1
   */
  readonly executionsTimedOut?: number;
  /**
   * Executions someone stopped.
   * @default 1
   */
  readonly executionsAborted?: number;
  /**
   * Executions Step Functions throttled.
   * @default 1
   */
  readonly executionsThrottled?: number;
  /**
   * Invocations of the poll function that threw.
   * @default 1
   */
  readonly pollFunctionErrors?: number;
  /**
   * Invocations of the start function that threw.
   * @default 1
   */
  readonly startFunctionErrors?: number;
  /**
   * Watches that ended with a Monitoring Failed event.
   * @default 1
   */
  readonly monitoringFailures?: number;
  /**
   * Triggers waiting in the dead-letter queue (the most visible in five minutes).
   * @default 1
   */
  readonly deadLetterQueueDepth?: number;
  /**
   * Triggers that claimed a task but named none readable.
   * @default 1
   */
  readonly malformedTriggers?: number;
  /**
   * Failed sweeps; one is made good by the next sweep, a minute later.
   * @default 2
   */
  readonly sweepFailures?: number;
  /**
   * Seconds a listed task went unread by the sweep (its listing read whole less often than this).
   * @default 300
   */
  readonly sweepListingUnread?: number;
  /**
   * Invocations of the poll, start or sweep function that Lambda throttled.
   * @default 1
   */
  readonly functionThrottles?: number;
  /**
   * Wakes, discoveries or records of a sweep that failed, counted per minute; the alarm fires when
   * three minutes of five have at least this many.
   * @default 1
   */
  readonly sweepTaskFailures?: number;
  /**
   * Parked watches whose task a complete sweep did not find in the listing, counted per sweep
   * interval; the alarm fires when three intervals of five have at least this many.
   * @default 1
   */
  readonly watchedTasksUnlisted?: number;
}

/** The thresholds every alarm has unless {@link PollerAlarmThresholds} says otherwise. */
const DEFAULT_THRESHOLDS: Required<PollerAlarmThresholds> = {
  executionsFailed: 1,
  executionsTimedOut: 1,
  executionsAborted: 1,
  executionsThrottled: 1,
  pollFunctionErrors: 1,
  startFunctionErrors: 1,
  monitoringFailures: 1,
  deadLetterQueueDepth: 1,
  malformedTriggers: 1,
  sweepFailures: 2,
  sweepListingUnread: 300,
  functionThrottles: 1,
  sweepTaskFailures: 1,
  watchedTasksUnlisted: 1,
};

/**
 * Checks `thresholds` (named `name` in the message): each a whole number of at least 1, and only
 * the alarms there are.
 */
export function validateAlarmThresholds(thresholds: PollerAlarmThresholds | undefined, name: string): void {
  if (thresholds === undefined) return;
  if (thresholds === null || typeof thresholds !== 'object') {
    throw new PollerPropsValidationError(
      `${name} must be an object of thresholds by alarm, such as { executionsThrottled: 5 }; got ${String(thresholds)}.`,
    );
  }
  for (const [alarm, value] of Object.entries(thresholds) as [string, unknown][]) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLDS, alarm)) {
      throw new PollerPropsValidationError(
        `${name}.${alarm} is not an alarm of the poller; the alarms are ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}.`,
      );
    }
    if (value === undefined || Token.isUnresolved(value)) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new PollerPropsValidationError(
        `${name}.${alarm} must be a whole number of at least 1 (occurrences in five minutes); got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}.`,
      );
    }
  }
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
   * How many occurrences in five minutes make each alarm fire.
   * @default - 2 failed sweeps, 1 of everything else
   */
  readonly thresholds?: PollerAlarmThresholds;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The failures of a poller that a person must see, each an alarm that fires on the first
 * occurrence in five minutes (two failed sweeps; `thresholds` changes any of them) and treats
 * missing data as fine.
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
  /** Sweeps that failed, two or more in five minutes; undefined without `sweepFunction`. */
  public readonly sweepFailures?: cloudwatch.Alarm;
  /** Listed tasks go unread by the sweep for minutes; undefined without `sweepListingUnreadSeconds`. */
  public readonly sweepListingUnread?: cloudwatch.Alarm;
  /** No sweep ran for twice the sweep interval (at least five minutes); undefined without `sweepFunction`. */
  public readonly sweepsNotRunning?: cloudwatch.Alarm;
  /** A sweep's wakes, discoveries or records kept failing; undefined without `sweepTaskFailures`. */
  public readonly sweepTaskFailures?: cloudwatch.Alarm;
  /** Lambda throttled invocations of the poller's functions. */
  public readonly functionThrottles: cloudwatch.Alarm;
  /** Parked watches keep missing from complete listings; undefined without the sweep. */
  public readonly watchedTasksUnlisted?: cloudwatch.Alarm;

  /**
   * @param scope where the alarms are defined
   * @param id id of the group of alarms
   * @param props what the alarms watch, and their actions
   */
  constructor(scope: Construct, id: string, props: PollerAlarmsProps) {
    super(scope, id);
    validateAlarmThresholds(props.thresholds, 'thresholds');
    const thresholdOf = (alarm: keyof PollerAlarmThresholds): number =>
      props.thresholds?.[alarm] ?? DEFAULT_THRESHOLDS[alarm];
    const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
    const alarm = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      description: string,
      threshold: number,
      options: Partial<
        Pick<
          cloudwatch.AlarmProps,
          'evaluationPeriods' | 'datapointsToAlarm' | 'comparisonOperator' | 'treatMissingData'
        >
      > = {},
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
        ...options,
      });
      for (const action of props.actions ?? []) {
        created.addAlarmAction(action);
        created.addOkAction(action);
      }
      return created;
    };

    this.executionsFailed = alarm(
      'ExecutionsFailed',
      props.stateMachine.metricFailed(sum),
      'A watch execution failed: its terminal event may not have been put. Open the failed execution in the Step Functions console.',
      thresholdOf('executionsFailed'),
    );
    this.executionsTimedOut = alarm(
      'ExecutionsTimedOut',
      props.stateMachine.metricTimedOut(sum),
      'A watch execution ran into the state machine time limit without ending its watch.',
      thresholdOf('executionsTimedOut'),
    );
    this.executionsAborted = alarm(
      'ExecutionsAborted',
      props.stateMachine.metricAborted(sum),
      'A watch execution was stopped; its task will get no terminal event.',
      thresholdOf('executionsAborted'),
    );
    this.executionsThrottled = alarm(
      'ExecutionsThrottled',
      props.stateMachine.metricThrottled(sum),
      'Step Functions throttled the poller; watches may start late.',
      thresholdOf('executionsThrottled'),
    );
    this.pollFunctionErrors = alarm(
      'PollFunctionErrors',
      props.pollFunction.metricErrors(sum),
      'The poll function threw; see its log group for the error.',
      thresholdOf('pollFunctionErrors'),
    );
    this.startFunctionErrors = alarm(
      'StartFunctionErrors',
      props.startFunction.metricErrors(sum),
      'The start function could not start a watch; the trigger is retried, then kept in the dead-letter queue.',
      thresholdOf('startFunctionErrors'),
    );
    this.monitoringFailures = alarm(
      'MonitoringFailures',
      props.monitoringFailures,
      `A watch ended with a Monitoring Failed event: ${describeReasons()}.`,
      thresholdOf('monitoringFailures'),
    );
    this.deadLetterQueueDepth = alarm(
      'DeadLetterQueueDepth',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      'Triggers that could not start a watch are waiting in the dead-letter queue; start their watches and delete them.',
      thresholdOf('deadLetterQueueDepth'),
    );
    if (props.malformedTriggers !== undefined) {
      this.malformedTriggers = alarm(
        'MalformedTriggers',
        props.malformedTriggers,
        'A trigger claimed an import task but no task id could be read from it, so no watch started. It is kept in the dead-letter queue with the message attribute Reason MALFORMED and an ErrorMessage saying why: find the task, put a watch request for it, then delete the message.',
        thresholdOf('malformedTriggers'),
      );
    }
    if (props.sweepFunction !== undefined) {
      // One failed sweep is made good by the next, a minute later; two in five minutes are not chance.
      this.sweepFailures = alarm(
        'SweepFailures',
        props.sweepFunction.metricErrors(sum),
        'Sweeps of the import tasks are failing (see the sweep function log group): failures midway are seen only at the watches own polls, and unwatched imports are not discovered.',
        thresholdOf('sweepFailures'),
      );
    }
    this.functionThrottles = alarm(
      'FunctionThrottles',
      new cloudwatch.MathExpression({
        expression: props.sweepFunction === undefined ? 'poll + start' : 'poll + start + sweep',
        usingMetrics: {
          poll: props.pollFunction.metricThrottles(sum),
          start: props.startFunction.metricThrottles(sum),
          ...(props.sweepFunction === undefined ? {} : { sweep: props.sweepFunction.metricThrottles(sum) }),
        },
        period: FIVE_MINUTES,
        label: 'Throttled invocations',
      }),
      'Lambda throttled the poller functions: polls, triggers and sweeps are retried for minutes, then watches end with Monitoring Failed and triggers go to the dead-letter queue. Raise the account concurrency limit or reserve concurrency for the poller functions.',
      thresholdOf('functionThrottles'),
    );
    if (props.sweepFunction !== undefined) {
      const interval = props.sweepInterval ?? Duration.minutes(1);
      const period = Duration.seconds(Math.max(FIVE_MINUTES.toSeconds(), 2 * interval.toSeconds()));
      // Lambda's own count, free of charge: it has no data at all when the schedule stops invoking.
      this.sweepsNotRunning = alarm(
        'SweepsNotRunning',
        props.sweepFunction.metricInvocations({ period, statistic: cloudwatch.Stats.SUM }),
        `No sweep ran in ${period.toHumanString()}: the schedule is disabled or its invocations are throttled or refused. Until sweeps run again, ends midway are seen only at the watches own polls and unwatched imports are not discovered.`,
        1,
        {
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        },
      );
    }
    if (props.sweepTaskFailures !== undefined) {
      this.sweepTaskFailures = alarm(
        'SweepTaskFailures',
        props.sweepTaskFailures,
        'Sweeps keep failing to wake watches, start watches of unwatched tasks or record tasks (see the sweep function log group, messages "Could not ..."): an AccessDenied on SendTaskSuccess or StartExecution, or a failing table.',
        thresholdOf('sweepTaskFailures'),
        { evaluationPeriods: 5, datapointsToAlarm: 3 },
      );
    }
    if (props.watchedTasksUnlisted !== undefined) {
      // A task that ends and leaves the listing between two sweeps is woken once; a listing that keeps missing
      // the watched tasks (another region's view, another account) is not chance.
      this.watchedTasksUnlisted = alarm(
        'WatchedTasksUnlisted',
        props.watchedTasksUnlisted,
        'Complete sweeps keep missing tasks the poller is watching from ListImportTasks: the sweep may list another region or account than the watches poll. Each such watch is woken and polls GetImportTask itself, but ends are seen only at its own polls and unwatched imports are not discovered.',
        thresholdOf('watchedTasksUnlisted'),
        { evaluationPeriods: 5, datapointsToAlarm: 3 },
      );
    }
    if (props.sweepListingUnreadSeconds !== undefined) {
      this.sweepListingUnread = alarm(
        'SweepListingUnread',
        props.sweepListingUnreadSeconds,
        'The sweep reads the listing too slowly: a listed task went unread for minutes, so ends midway are seen late and unwatched imports are discovered late. Raise sweep.maxPages (the listing is longer than a sweep reads), or shorten sweep.interval.',
        thresholdOf('sweepListingUnread'),
      );
    }
  }

  /** Every alarm. */
  public get all(): cloudwatch.Alarm[] {
    return [
      this.executionsFailed,
      this.executionsTimedOut,
      this.executionsAborted,
      this.executionsThrottled,
      this.pollFunctionErrors,
      this.startFunctionErrors,
      this.monitoringFailures,
      this.deadLetterQueueDepth,
      ...(this.malformedTriggers === undefined ? [] : [this.malformedTriggers]),
      ...(this.sweepFailures === undefined ? [] : [this.sweepFailures]),
      ...(this.sweepListingUnread === undefined ? [] : [this.sweepListingUnread]),
      this.functionThrottles,
      ...(this.sweepsNotRunning === undefined ? [] : [this.sweepsNotRunning]),
      ...(this.sweepTaskFailures === undefined ? [] : [this.sweepTaskFailures]),
      ...(this.watchedTasksUnlisted === undefined ? [] : [this.watchedTasksUnlisted]),
    ];
  }
}
