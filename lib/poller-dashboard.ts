import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { MONITORING_FAILURE_REASONS, TERMINAL_IMPORT_STATUSES } from './events';
import type { NeptuneImportTaskPoller } from './neptune-import-task-poller';
import { POLLER_METRICS, REASON_DIMENSION, STATUS_DIMENSION } from './poller-metrics';

/** What {@link PollerDashboard} shows. */
export interface PollerDashboardProps {
  /** The poller whose watches, outcomes, durations, polling, failures and alarms are shown. */
  readonly poller: NeptuneImportTaskPoller;
  /**
   * Name of the dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * The widgets of a poller's dashboard, row by row. Every row is 24 columns wide and its widgets
 * equally high, so that the rows added one by one, or all their widgets in one `addWidgets` call,
 * make the same dashboard.
 */
export function pollerWidgetRows(poller: NeptuneImportTaskPoller): cloudwatch.IWidget[][] {
  const sum = (name: string, options: cloudwatch.MetricOptions = {}) =>
    poller.metric(name, { statistic: cloudwatch.Stats.SUM, period: PERIOD, ...options });

  const started = sum(POLLER_METRICS.watchesStarted, { label: 'Started' });
  const ended = sum(POLLER_METRICS.watchesEnded, { label: 'Ended' });
  const inProgress = new cloudwatch.MathExpression({
    expression: 'RUNNING_SUM(FILL(started, 0) - FILL(ended, 0))',
    usingMetrics: { started, ended },
    label: 'In progress (started − ended within the time range shown)',
    period: PERIOD,
  });

  const rows: cloudwatch.IWidget[][] = [
    [
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
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Import duration (s)',
        width: 8,
        left: ['p50', 'p90', 'Maximum'].map((statistic) =>
          poller.metric(POLLER_METRICS.importDuration, { statistic, period: Duration.hours(1), label: statistic }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Watch duration (s)',
        width: 8,
        left: ['p50', 'p90', 'Maximum'].map((statistic) =>
          poller.metric(POLLER_METRICS.watchDuration, { statistic, period: Duration.hours(1), label: statistic }),
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
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Executions',
        width: 8,
        left: [
          poller.stateMachine.metricStarted({ period: PERIOD, label: 'Started' }),
          poller.stateMachine.metricFailed({ period: PERIOD, label: 'Failed' }),
          poller.stateMachine.metricTimedOut({ period: PERIOD, label: 'Timed out' }),
          poller.stateMachine.metricAborted({ period: PERIOD, label: 'Aborted' }),
          poller.stateMachine.metricThrottled({ period: PERIOD, label: 'Throttled' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors and throttles',
        width: 8,
        left: [
          poller.pollFunction.metricErrors({ period: PERIOD, label: 'Poll errors' }),
          poller.pollFunction.metricThrottles({ period: PERIOD, label: 'Poll throttles' }),
          poller.startFunction.metricErrors({ period: PERIOD, label: 'Start errors' }),
          poller.startFunction.metricThrottles({ period: PERIOD, label: 'Start throttles' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Triggers in the dead-letter queue',
        width: 8,
        left: [
          poller.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ],
      }),
    ],
  ];
  if (poller.sweepFunction !== undefined) {
    rows.push([
      new cloudwatch.GraphWidget({
        title: 'Sweeps',
        width: 8,
        left: [
          poller.sweepFunction.metricInvocations({ period: PERIOD, label: 'Runs' }),
          poller.sweepFunction.metricErrors({ period: PERIOD, label: 'Failed' }),
          sum(POLLER_METRICS.sweepsTruncated, { label: 'Stopped before the end of the listing' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Sweep duration and listing age',
        width: 8,
        left: [
          poller.sweepFunction.metricDuration({ period: PERIOD, statistic: 'Maximum', label: 'Longest sweep (ms)' }),
        ],
        right: [
          poller.metric(POLLER_METRICS.sweepListingUnreadSeconds, {
            period: PERIOD,
            statistic: 'Maximum',
            label: 'Longest a listed task went unread (s)',
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Sweep failures',
        width: 8,
        left: [
          sum(POLLER_METRICS.sweepTaskFailures, { label: 'Failed wakes, discoveries or records' }),
          sum(POLLER_METRICS.watchedTasksUnlisted, { label: 'Watched tasks not listed' }),
        ],
      }),
    ]);
  }
  const alarms = poller.alarms?.all ?? [];
  if (alarms.length > 0) {
    rows.push([new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 })]);
  }
  return rows;
}

/**
 * A CloudWatch dashboard of one poller: watches in progress, outcomes, durations, polling and
 * failures. For a dashboard of your own, add the poller's `widgets()` to it instead.
 */
export class PollerDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  /**
   * @param scope where the dashboard is defined
   * @param id id of the dashboard's construct
   * @param props the poller shown, and the dashboard's name
   */
  constructor(scope: Construct, id: string, props: PollerDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName === undefined ? {} : { dashboardName: props.dashboardName }),
      defaultInterval: Duration.days(7),
    });
    for (const row of pollerWidgetRows(props.poller)) this.dashboard.addWidgets(...row);
  }
}
