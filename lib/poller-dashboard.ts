import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { MONITORING_FAILURE_REASONS, TERMINAL_IMPORT_STATUSES } from './events';
import { POLLER_METRICS, REASON_DIMENSION, STATUS_DIMENSION } from './poller-metrics';

/** What {@link PollerDashboard} shows. */
export interface PollerDashboardProps {
  /** A custom metric of the poller, by name, with extra dimensions. */
  readonly metric: (metricName: string, props?: cloudwatch.MetricOptions) => cloudwatch.Metric;
  readonly stateMachine: sfn.IStateMachine;
  readonly pollFunction: lambda.IFunction;
  readonly startFunction: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * The sweep function, whose runs, pages, wakes and discoveries get a row.
   * @default - no sweep row
   */
  readonly sweepFunction?: lambda.IFunction;
  /**
   * Alarms whose state the dashboard shows.
   * @default - none
   */
  readonly alarms?: cloudwatch.IAlarm[];
  /**
   * Name of the dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

const PERIOD = Duration.minutes(5);

/** A CloudWatch dashboard of one poller: watches in progress, outcomes, durations, polling and failures. */
export class PollerDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PollerDashboardProps) {
    super(scope, id);
    const sum = (name: string, options: cloudwatch.MetricOptions = {}) =>
      props.metric(name, { statistic: cloudwatch.Stats.SUM, period: PERIOD, ...options });

    const started = sum(POLLER_METRICS.watchesStarted, { label: 'Started' });
    const ended = sum(POLLER_METRICS.watchesEnded, { label: 'Ended' });
    const inProgress = new cloudwatch.MathExpression({
      expression: 'RUNNING_SUM(FILL(started, 0) - FILL(ended, 0))',
      usingMetrics: { started, ended },
      label: 'In progress (started − ended within the time range shown)',
      period: PERIOD,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName === undefined ? {} : { dashboardName: props.dashboardName }),
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Watches in progress', left: [inProgress], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Watches started and ended', left: [started, ended], width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Outcomes',
        stacked: true,
        width: 8,
        left: [
          ...TERMINAL_IMPORT_STATUSES.map((status) =>
            sum(POLLER_METRICS.terminalStatuses, { dimensionsMap: { [STATUS_DIMENSION]: status }, label: status }),
          ),
          ...MONITORING_FAILURE_REASONS.map((reason) =>
            sum(POLLER_METRICS.monitoringFailuresByReason, {
              dimensionsMap: { [REASON_DIMENSION]: reason },
              label: `Monitoring failed: ${reason}`,
            }),
          ),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Import duration (s)',
        width: 8,
        left: ['p50', 'p90', 'Maximum'].map((statistic) =>
          props.metric(POLLER_METRICS.importDuration, { statistic, period: Duration.hours(1), label: statistic }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Watch duration (s)',
        width: 8,
        left: ['p50', 'p90', 'Maximum'].map((statistic) =>
          props.metric(POLLER_METRICS.watchDuration, { statistic, period: Duration.hours(1), label: statistic }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'GetImportTask requests',
        width: 8,
        left: [
          sum(POLLER_METRICS.polls, { label: 'Polls' }),
          sum(POLLER_METRICS.pollErrors, { label: 'Failed' }),
          sum(POLLER_METRICS.pollThrottles, { label: 'Throttled' }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Executions',
        width: 8,
        left: [
          props.stateMachine.metricStarted({ period: PERIOD, label: 'Started' }),
          props.stateMachine.metricFailed({ period: PERIOD, label: 'Failed' }),
          props.stateMachine.metricTimedOut({ period: PERIOD, label: 'Timed out' }),
          props.stateMachine.metricAborted({ period: PERIOD, label: 'Aborted' }),
          props.stateMachine.metricThrottled({ period: PERIOD, label: 'Throttled' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors and throttles',
        width: 8,
        left: [
          props.pollFunction.metricErrors({ period: PERIOD, label: 'Poll errors' }),
          props.pollFunction.metricThrottles({ period: PERIOD, label: 'Poll throttles' }),
          props.startFunction.metricErrors({ period: PERIOD, label: 'Start errors' }),
          props.startFunction.metricThrottles({ period: PERIOD, label: 'Start throttles' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Triggers in the dead-letter queue',
        width: 8,
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ],
      }),
    );
    if (props.sweepFunction !== undefined) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Sweeps',
          width: 8,
          left: [
            props.sweepFunction.metricInvocations({ period: PERIOD, label: 'Runs' }),
            props.sweepFunction.metricErrors({ period: PERIOD, label: 'Failed' }),
            sum(POLLER_METRICS.sweepsTruncated, { label: 'Cut short by the page limit' }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: 'Listing pages read',
          width: 8,
          left: [sum(POLLER_METRICS.sweepPagesRead, { label: 'ListImportTasks pages' })],
        }),
        new cloudwatch.GraphWidget({
          title: 'Wakes and discoveries',
          width: 8,
          left: [
            sum(POLLER_METRICS.watchesWoken, { label: 'Watches woken' }),
            sum(POLLER_METRICS.staleWakeTokens, { label: 'Stale tokens' }),
            sum(POLLER_METRICS.tasksDiscovered, { label: 'Tasks discovered' }),
            sum(POLLER_METRICS.sweepTaskFailures, { label: 'Failed wakes or discoveries' }),
          ],
        }),
      );
    }
    if (props.alarms !== undefined && props.alarms.length > 0) {
      this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24 }));
    }
  }
}
