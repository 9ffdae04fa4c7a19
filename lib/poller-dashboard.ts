import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { MONITORING_FAILURE_REASONS, TERMINAL_IMPORT_STATUSES } from './events';
import { NeptuneImportTaskPoller } from './neptune-import-task-poller';
import type { INeptuneImportTaskPoller } from './neptune-import-task-poller-base';
import { PollerMetrics } from './poller-metric-names';

/** What {@link PollerDashboard} shows. */
export interface PollerDashboardProps {
  /**
   * The poller shown: one defined in this app (`new NeptuneImportTaskPoller`), with its watches,
   * outcomes, durations, polling, executions, functions, dead-letter queue, sweep and alarms; or one
   * imported with `NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes()`, with what its
   * attributes give: its custom metrics (which need its `serviceName`) and its executions.
   */
  readonly poller: INeptuneImportTaskPoller;
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
 * make the same dashboard. An imported poller offers its custom metrics and its state machine only:
 * its rows are the watches, the durations and polling, and its executions.
 */
export function pollerWidgetRows(poller: INeptuneImportTaskPoller): cloudwatch.IWidget[][] {
  const sum = (name: string, options: cloudwatch.MetricOptions = {}) =>
    poller.metric(name, { statistic: cloudwatch.Stats.SUM, period: PERIOD, ...options });

  const started = sum(PollerMetrics.WATCHES_STARTED, { label: 'Started' });
  const ended = sum(PollerMetrics.WATCHES_ENDED, { label: 'Ended' });
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
            sum(PollerMetrics.TERMINAL_STATUSES, {
              dimensionsMap: { [PollerMetrics.STATUS_DIMENSION]: status },
              label: status,
            }),
          ),
          ...MONITORING_FAILURE_REASONS.map((reason) =>
            sum(PollerMetrics.MONITORING_FAILURES_BY_REASON, {
              dimensionsMap: { [PollerMetrics.REASON_DIMENSION]: reason },
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
          poller.metric(PollerMetrics.IMPORT_DURATION, { statistic, period: Duration.hours(1), label: statistic }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Watch duration (s)',
        width: 8,
        left: ['p50', 'p90', 'Maximum'].map((statistic) =>
          poller.metric(PollerMetrics.WATCH_DURATION, { statistic, period: Duration.hours(1), label: statistic }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'GetImportTask requests',
        width: 8,
        left: [
          sum(PollerMetrics.POLLS, { label: 'Polls' }),
          sum(PollerMetrics.POLL_ERRORS, { label: 'Failed' }),
          sum(PollerMetrics.POLL_THROTTLES, { label: 'Throttled' }),
        ],
      }),
    ],
  ];
  const executions = new cloudwatch.GraphWidget({
    title: 'Executions',
    width: poller instanceof NeptuneImportTaskPoller ? 8 : 24,
    left: [
      poller.stateMachine.metricStarted({ period: PERIOD, label: 'Started' }),
      poller.stateMachine.metricFailed({ period: PERIOD, label: 'Failed' }),
      poller.stateMachine.metricTimedOut({ period: PERIOD, label: 'Timed out' }),
      poller.stateMachine.metricAborted({ period: PERIOD, label: 'Aborted' }),
      poller.stateMachine.metricThrottled({ period: PERIOD, label: 'Throttled' }),
    ],
  });
  // The functions, the queue, the sweep and the alarms are members of a poller of this app, not of the
  // interface: an imported poller knows none of them. (The class is read at call time, when both modules are loaded.)
  if (!(poller instanceof NeptuneImportTaskPoller)) return [...rows, [executions]];
  rows.push([
    executions,
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
  ]);
  if (poller.sweepFunction !== undefined) {
    rows.push([
      new cloudwatch.GraphWidget({
        title: 'Sweeps',
        width: 8,
        left: [
          poller.sweepFunction.metricInvocations({ period: PERIOD, label: 'Runs' }),
          poller.sweepFunction.metricErrors({ period: PERIOD, label: 'Failed' }),
          sum(PollerMetrics.SWEEPS_TRUNCATED, { label: 'Stopped before the end of the listing' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Sweep duration and listing age',
        width: 8,
        left: [
          poller.sweepFunction.metricDuration({ period: PERIOD, statistic: 'Maximum', label: 'Longest sweep (ms)' }),
        ],
        right: [
          poller.metric(PollerMetrics.SWEEP_LISTING_UNREAD_SECONDS, {
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
          sum(PollerMetrics.SWEEP_TASK_FAILURES, { label: 'Failed wakes, discoveries or records' }),
          sum(PollerMetrics.WATCHED_TASKS_UNLISTED, { label: 'Watched tasks not listed' }),
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
 * A CloudWatch dashboard of one poller, defined in this app or imported: watches in progress,
 * outcomes, durations, polling and failures. For a dashboard of your own, add the poller's
 * `widgets()` to it instead.
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
