/** What keeps a poller's failures visible and its triggers from being lost: alarms, dead-letter queue, metrics, dashboard. */
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MONITORING_FAILURE_REASONS } from '../../lib/events';
import {
  NeptuneImportTaskPoller,
  PollerAlarms,
  PollerDashboard,
  PollerPropsValidationError,
  type NeptuneImportTaskPollerProps,
  type PollerAlarmsProps,
} from '../../lib/main';
import { POLLER_ALARM_TABLE } from '../../lib/poller-alarms';
import { pollerWidgetRows } from '../../lib/poller-dashboard';
import { PollerMetrics } from '../../lib/poller-metric-names';

function synth(configure: (stack: Stack) => NeptuneImportTaskPollerProps = () => ({})) {
  const stack = new Stack(new App(), 'OpsStack');
  const poller = new NeptuneImportTaskPoller(stack, 'Poller', configure(stack));
  return { stack, poller, template: Template.fromStack(stack) };
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('GIVEN the defaults', () => {
  const { stack, poller, template } = synth();

  test('THEN sixteen alarms fire within five minutes; all but three on one datapoint, treating missing data as fine', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 16);
    const alarms = poller.alarms!;
    const singleDatapoint = alarms.all.filter(
      (a) => a !== alarms.sweepsNotRunning && a !== alarms.sweepTaskFailures && a !== alarms.watchedTasksUnlisted,
    );
    expect(singleDatapoint).toHaveLength(13);
    for (const alarm of singleDatapoint) {
      expect(alarmProps(alarm)).toMatchObject({
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  test('THEN a sweep that stops running alarms: no invocation in five minutes, and no data at all, breach', () => {
    const props = alarmProps(poller.alarms!.sweepsNotRunning!);
    expect(props).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
    });
    expect(props.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: idOf(stack, poller.sweepFunction!) } }]);
  });

  test("THEN an end a watch saw late alarms at once: the poll function's EndsSeenLate, summed over five minutes", () => {
    expect(alarmProps(poller.alarms!.endsSeenLate!)).toMatchObject({
      Namespace: 'NeptuneImportPoller',
      MetricName: PollerMetrics.ENDS_SEEN_LATE,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test.each([
    ['failed wakes, discoveries and records of the sweep', 'sweepTaskFailures', PollerMetrics.SWEEP_TASK_FAILURES],
    ['a listing that keeps missing watched tasks', 'watchedTasksUnlisted', PollerMetrics.WATCHED_TASKS_UNLISTED],
  ] as const)('THEN %s alarm when it persists: three sweep intervals of five', (_, alarmId, metricName) => {
    expect(alarmProps(poller.alarms![alarmId]!)).toMatchObject({
      Namespace: 'NeptuneImportPoller',
      MetricName: metricName,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('THEN Lambda throttling of any of the three functions alarms, summed over five minutes', () => {
    const props = alarmProps(poller.alarms!.functionThrottles);
    const metrics = props.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
    }[];
    expect(metrics.find((m) => m.Expression !== undefined)?.Expression).toBe('poll + start + sweep');
    expect(
      metrics
        .filter((m) => m.MetricStat !== undefined)
        .map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Metric.Dimensions]),
    ).toEqual([
      ['poll', 'Throttles', ofPollFunction],
      ['start', 'Throttles', ofStartFunction],
      ['sweep', 'Throttles', [{ Name: 'FunctionName', Value: { Ref: idOf(stack, poller.sweepFunction!) } }]],
    ]);
  });

  test('THEN each fires on the first occurrence, except failed sweeps, which the next sweep makes good once, and a listing unread for five minutes', () => {
    const thresholds = poller.alarms!.all.map((alarm) => [alarm.node.id, alarmProps(alarm).Threshold]);
    expect(thresholds.filter(([, threshold]) => threshold !== 1)).toEqual([
      ['SweepFailures', 2],
      ['SweepListingUnread', 300],
    ]);
  });

  const alarmProps = (alarm: { node: { defaultChild?: unknown } }) =>
    template.findResources('AWS::CloudWatch::Alarm')[idOf(stack, alarm)].Properties;
  const ofStateMachine = [{ Name: 'StateMachineArn', Value: { Ref: idOf(stack, poller.stateMachine) } }];
  const ofPollFunction = [{ Name: 'FunctionName', Value: { Ref: idOf(stack, poller.pollFunction) } }];
  const ofStartFunction = [{ Name: 'FunctionName', Value: { Ref: idOf(stack, poller.startFunction) } }];
  const ofQueue = [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack, poller.deadLetterQueue), 'QueueName'] } }];

  test.each([
    ['ExecutionsFailed', 'AWS/States', 'ExecutionsFailed', 'Sum', 'state machine', ofStateMachine, 'execution failed'],
    ['ExecutionsTimedOut', 'AWS/States', 'ExecutionsTimedOut', 'Sum', 'state machine', ofStateMachine, 'time limit'],
    ['ExecutionsAborted', 'AWS/States', 'ExecutionsAborted', 'Sum', 'state machine', ofStateMachine, 'was stopped'],
    ['ExecutionsThrottled', 'AWS/States', 'ExecutionThrottled', 'Sum', 'state machine', ofStateMachine, 'throttled'],
    ['PollFunctionErrors', 'AWS/Lambda', 'Errors', 'Sum', 'poll function', ofPollFunction, 'poll function threw'],
    ['StartFunctionErrors', 'AWS/Lambda', 'Errors', 'Sum', 'start function', ofStartFunction, 'start function'],
    [
      'DeadLetterQueueDepth',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'Maximum',
      'dead-letter queue',
      ofQueue,
      'dead-letter queue',
    ],
  ])(
    "THEN the %s alarm watches %s %s (%s over five minutes) of the poller's own %s, and its description says what happened",
    (alarmId, namespace, metricName, statistic, _watched, dimensions, described) => {
      const alarms = poller.alarms! as unknown as Record<string, { node: { defaultChild?: unknown } }>;
      const props = alarmProps(alarms[alarmId.charAt(0).toLowerCase() + alarmId.slice(1)]);
      expect(props).toMatchObject({ Namespace: namespace, MetricName: metricName, Statistic: statistic, Period: 300 });
      expect(props.Dimensions).toEqual(dimensions);
      expect(props.AlarmDescription).toContain(described);
    },
  );

  test('THEN every alarm has a description of its own', () => {
    const descriptions = poller.alarms!.all.map((alarm) => alarmProps(alarm).AlarmDescription as string);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  test('THEN the monitoring-failures alarm reads the metric the poll function publishes, for this poller only', () => {
    const props = alarmProps(poller.alarms!.monitoringFailures);
    expect(props).toMatchObject({
      Namespace: 'NeptuneImportPoller',
      MetricName: PollerMetrics.MONITORING_FAILURES,
      Statistic: 'Sum',
      Dimensions: [{ Name: 'service', Value: poller.serviceName }],
    });
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: poller.serviceName }) },
    });
  });

  test('THEN the monitoring-failures alarm says which reasons it counts: every reason a watch can fail for', () => {
    const description = alarmProps(poller.alarms!.monitoringFailures).AlarmDescription as string;
    for (const reason of MONITORING_FAILURE_REASONS) {
      expect(description).toContain(reason.toLowerCase().replace(/_/g, ' '));
    }
  });

  test('THEN the dead-letter queue is encrypted, refuses plain HTTP and keeps messages 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('THEN every rule target retries for a day and then keeps the event in the dead-letter queue', () => {
    const queue = idOf(stack, poller.deadLetterQueue);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (rule) => rule.Properties.ScheduleExpression === undefined,
    );
    // CloudTrail records, watch requests, and failed executions for the backstop; the sweep's schedule is not a trigger.
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 8 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        }),
      ]);
    }
  });

  test('THEN a start that fails inside the function is retried twice, then kept in the same queue', () => {
    const queue = idOf(stack, poller.deadLetterQueue);
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(stack, poller.startFunction) },
      MaximumRetryAttempts: 2,
    });
  });

  test('THEN no dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(poller.dashboard).toBeUndefined();
  });

  test('THEN the state machine has a time limit a day past the monitoring timeout, as a backstop', () => {
    const definition = template.findResources('AWS::StepFunctions::StateMachine');
    const json = (Object.values(definition)[0].Properties.DefinitionString['Fn::Join'][1] as unknown[])
      .map((p) => (typeof p === 'string' ? p : 'REF'))
      .join('');
    expect(JSON.parse(json).TimeoutSeconds).toBe(7 * 86_400 + 86_400);
  });
});

test('GIVEN alarm actions THEN every alarm notifies on alarm and on recovery', () => {
  const { template } = synth((s) => ({
    alarmActions: [new cloudwatchActions.SnsAction(new sns.Topic(s, 'Oncall'))],
  }));
  const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
  template.allResourcesProperties('AWS::CloudWatch::Alarm', {
    AlarmActions: [{ Ref: topic }],
    OKActions: [{ Ref: topic }],
  });
});

describe('GIVEN alarmThresholds', () => {
  const settingsOf = (poller: NeptuneImportTaskPoller, template: Template, stack: Stack) =>
    Object.fromEntries(
      poller.alarms!.all.map((alarm) => {
        const props = template.findResources('AWS::CloudWatch::Alarm')[idOf(stack, alarm)].Properties;
        return [alarm.node.id, [props.Threshold, props.EvaluationPeriods, props.DatapointsToAlarm]];
      }),
    );

  test('WHEN two alarms are named THEN those two take the settings given, keep the defaults of those left out, and the others keep theirs', () => {
    const { stack, poller, template } = synth(() => ({
      alarmThresholds: {
        executionsThrottled: { threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 2 },
        sweepTaskFailures: { threshold: 4 },
      },
    }));
    expect(settingsOf(poller, template, stack)).toEqual({
      ExecutionsFailed: [1, 1, 1],
      ExecutionsTimedOut: [1, 1, 1],
      ExecutionsAborted: [1, 1, 1],
      ExecutionsThrottled: [5, 3, 2],
      PollFunctionErrors: [1, 1, 1],
      StartFunctionErrors: [1, 1, 1],
      MonitoringFailures: [1, 1, 1],
      DeadLetterQueueDepth: [1, 1, 1],
      MalformedTriggers: [1, 1, 1],
      FunctionThrottles: [1, 1, 1],
      SweepFailures: [2, 1, 1],
      SweepListingUnread: [300, 1, 1],
      SweepsNotRunning: [1, 1, 1],
      SweepTaskFailures: [4, 5, 3],
      WatchedTasksUnlisted: [1, 5, 3],
      EndsSeenLate: [1, 1, 1],
    });
  });

  test('WHEN the sweeps-not-running alarm is given more periods THEN it keeps its comparison and treats missing data as breaching still', () => {
    const { stack, poller, template } = synth(() => ({
      alarmThresholds: { sweepsNotRunning: { evaluationPeriods: 3, datapointsToAlarm: 2 } },
    }));
    expect(
      template.findResources('AWS::CloudWatch::Alarm')[idOf(stack, poller.alarms!.sweepsNotRunning!)].Properties,
    ).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('WHEN a PollerAlarms of its own is given thresholds THEN it applies them too', () => {
    const stack = new Stack(new App(), 'OwnAlarmsStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { createAlarms: false });
    const alarms = new PollerAlarms(stack, 'OwnAlarms', {
      stateMachine: poller.stateMachine,
      pollFunction: poller.pollFunction,
      startFunction: poller.startFunction,
      deadLetterQueue: poller.deadLetterQueue,
      monitoringFailures: poller.metricMonitoringFailures(),
      thresholds: { monitoringFailures: { threshold: 10, evaluationPeriods: 2 }, deadLetterQueueDepth: undefined },
    });
    const template = Template.fromStack(stack);
    const props = (alarm: cloudwatch.Alarm) =>
      template.findResources('AWS::CloudWatch::Alarm')[idOf(stack, alarm)].Properties;
    expect(props(alarms.monitoringFailures)).toMatchObject({
      Threshold: 10,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
    });
    expect(props(alarms.deadLetterQueueDepth)).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
    });
  });

  test.each([
    [
      { monitoringFailures: { threshold: 0 } },
      'alarmThresholds.monitoringFailures.threshold must be a whole number of at least 1 (Monitoring Failed events in five minutes); got 0.',
    ],
    [
      { executionsFailed: { threshold: 1.5 } },
      'alarmThresholds.executionsFailed.threshold must be a whole number of at least 1 (failed executions in five minutes); got 1.5.',
    ],
    [
      { sweepFailures: { evaluationPeriods: Number.NaN } },
      'alarmThresholds.sweepFailures.evaluationPeriods must be a whole number of at least 1 (periods the alarm looks at); got NaN.',
    ],
    [
      { monitoringFailures: { datapointsToAlarm: '2' } },
      'alarmThresholds.monitoringFailures.datapointsToAlarm must be a whole number of at least 1 (breaching periods that make the alarm fire); got "2".',
    ],
    [
      { pollErrors: { threshold: 2 } },
      'alarmThresholds.pollErrors is not an alarm of the poller; the alarms are executionsFailed, executionsTimedOut,',
    ],
    [{ constructor: { threshold: 2 } }, 'alarmThresholds.constructor is not an alarm of the poller'],
    [
      { executionsThrottled: 5 },
      'alarmThresholds.executionsThrottled must be an object of settings, such as { threshold: 2, evaluationPeriods: 3, datapointsToAlarm: 2 }; got 5.',
    ],
    [
      { executionsThrottled: { periods: 3 } },
      'alarmThresholds.executionsThrottled.periods is not a setting of an alarm; the settings are threshold, evaluationPeriods, datapointsToAlarm.',
    ],
    [
      { executionsThrottled: { evaluationPeriods: 2, datapointsToAlarm: 3 } },
      'alarmThresholds.executionsThrottled has datapointsToAlarm 3 above evaluationPeriods 2: an alarm cannot need more breaching periods than it looks at. Give datapointsToAlarm of at most 2, or evaluationPeriods of at least 3.',
    ],
    [
      { executionsFailed: { datapointsToAlarm: 2 } },
      'alarmThresholds.executionsFailed has datapointsToAlarm 2 above evaluationPeriods 1 (its default):',
    ],
    [
      { sweepTaskFailures: { evaluationPeriods: 2 } },
      'alarmThresholds.sweepTaskFailures has datapointsToAlarm 3 (its default) above evaluationPeriods 2:',
    ],
    [
      [],
      'alarmThresholds must be an object of thresholds by alarm, such as { executionsThrottled: { threshold: 5 } }; got [].',
    ],
  ])('WHEN %j THEN the construct refuses it, saying which and why', (alarmThresholds, message) => {
    const attempt = () => synth(() => ({ alarmThresholds }) as NeptuneImportTaskPollerProps);
    expect(attempt).toThrow(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(attempt).toThrow(PollerPropsValidationError);
  });

  test('WHEN an alarm would look back longer than CloudWatch allows THEN it is refused, and the longest allowed is not', () => {
    expect(() => synth(() => ({ alarmThresholds: { executionsFailed: { evaluationPeriods: 289 } } }))).toThrow(
      /^The ExecutionsFailed alarm would look at 289 periods of 300 s, longer than the day CloudWatch allows for such periods; give executionsFailed\.evaluationPeriods \(in alarmThresholds, or in the thresholds of PollerAlarms\) of at most 288\.$/,
    );
    expect(() =>
      synth(() => ({ alarmThresholds: { sweepTaskFailures: { evaluationPeriods: 1441, datapointsToAlarm: 1 } } })),
    ).toThrow(/^The SweepTaskFailures alarm would look at 1441 periods of 60 s,.* at most 1440/);
    const { stack, poller, template } = synth(() => ({
      alarmThresholds: { executionsFailed: { evaluationPeriods: 288, datapointsToAlarm: 288 } },
    }));
    expect(settingsOf(poller, template, stack).ExecutionsFailed).toEqual([1, 288, 288]);
  });

  test('WHEN a PollerAlarms of its own is given a bad setting, or thresholds that are not an object, THEN it refuses them', () => {
    const stack = new Stack(new App(), 'BadAlarmsStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { createAlarms: false });
    let count = 0;
    const alarms = (thresholds: unknown) => () =>
      new PollerAlarms(stack, `Alarms${count++}`, {
        stateMachine: poller.stateMachine,
        pollFunction: poller.pollFunction,
        startFunction: poller.startFunction,
        deadLetterQueue: poller.deadLetterQueue,
        monitoringFailures: poller.metricMonitoringFailures(),
        thresholds: thresholds as PollerAlarmsProps['thresholds'],
      });
    expect(alarms({ executionsFailed: { threshold: 0 } })).toThrow(
      /^thresholds\.executionsFailed\.threshold must be a whole number of at least 1/,
    );
    expect(alarms(null)).toThrow(/^thresholds must be an object of thresholds by alarm/);
    expect(alarms(null)).toThrow(PollerPropsValidationError);
  });

  test('WHEN settings are tokens THEN they are taken as given, unchecked', () => {
    const { stack, poller, template } = synth((s) => ({
      alarmThresholds: {
        monitoringFailures: {
          threshold: Token.asNumber(new CfnParameter(s, 'Threshold', { type: 'Number' })),
          datapointsToAlarm: Token.asNumber(new CfnParameter(s, 'Datapoints', { type: 'Number' })),
        },
      },
    }));
    expect(
      template.findResources('AWS::CloudWatch::Alarm')[idOf(stack, poller.alarms!.monitoringFailures)].Properties,
    ).toMatchObject({
      Threshold: { Ref: 'Threshold' },
      EvaluationPeriods: 1,
      DatapointsToAlarm: { Ref: 'Datapoints' },
    });
  });

  test('WHEN createAlarms is false THEN thresholds are refused, since no alarm would use them', () => {
    expect(() =>
      synth(() => ({ createAlarms: false, alarmThresholds: { monitoringFailures: { threshold: 2 } } })),
    ).toThrow(/alarmThresholds is given but createAlarms is false/);
  });
});

describe('GIVEN the runbooks', () => {
  const { stack, poller, template } = synth();
  const operations = readFileSync(path.join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
  /** The anchors GitHub gives the headings of docs/operations.md. */
  const anchors = new Set(
    operations
      .replace(/```[\s\S]*?```/g, '')
      .split('\n')
      .flatMap((line) => /^#{1,6}\s+(.*?)\s*$/.exec(line)?.[1] ?? [])
      .map((heading) =>
        heading
          .toLowerCase()
          .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
          .replace(/ /g, '-'),
      ),
  );
  const RUNBOOK =
    'Runbook: https://github.com/neptune-import-poller/neptune-import-poller/blob/main/docs/operations.md#';
  const descriptionOf = (alarm: cloudwatch.Alarm) =>
    template.findResources('AWS::CloudWatch::Alarm')[idOf(stack, alarm)].Properties.AlarmDescription as string;

  test("THEN every alarm's description ends with a link to its runbook, a section of docs/operations.md named after it", () => {
    expect(poller.alarms!.all).toHaveLength(Object.keys(POLLER_ALARM_TABLE).length);
    for (const alarm of poller.alarms!.all) {
      const description = descriptionOf(alarm);
      expect(description.endsWith(` ${RUNBOOK}${alarm.node.id.toLowerCase()}`)).toBe(true);
      expect(anchors).toContain(alarm.node.id.toLowerCase());
    }
  });

  test("THEN every row of the alarm table has a runbook anchor docs/operations.md has, and the page's alarm table lists it", () => {
    for (const definition of Object.values(POLLER_ALARM_TABLE)) {
      expect(anchors).toContain(definition.runbook);
      expect(operations).toContain(`| [\`${definition.id}\`](#${definition.runbook}) `);
    }
  });

  test('THEN every description fits the 1024 characters CloudWatch allows', () => {
    const lengths = poller.alarms!.all.map((alarm) => descriptionOf(alarm).length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(1024);
  });
});

test('GIVEN createAlarms false THEN no alarm', () => {
  const { template, poller } = synth(() => ({ createAlarms: false }));
  template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  expect(poller.alarms).toBeUndefined();
});

/** Widgets of the poller's custom metrics and its executions, which every dashboard of a poller shows. */
const CUSTOM_METRIC_WIDGETS = [
  'Watches in progress',
  'Outcomes',
  'Import duration (s)',
  'GetImportTask requests',
  'Executions',
];

test('GIVEN createDashboard THEN a dashboard of watches, outcomes, durations, polling and failures, with the alarms', () => {
  const { template, poller } = synth(() => ({ createDashboard: true }));
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const body = JSON.stringify(
    Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
  );
  for (const title of [...CUSTOM_METRIC_WIDGETS, 'Triggers in the dead-letter queue', 'Alarms']) {
    expect(body).toContain(title);
  }
  expect(body).toContain('RUNNING_SUM');
  expect(body).toContain(PollerMetrics.TERMINAL_STATUSES);
  expect(body).toContain(poller.serviceName);
});

describe("GIVEN the poller's widgets", () => {
  const bodyOf = (stack: Stack, dashboard: cloudwatch.Dashboard) =>
    stack.resolve((dashboard.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody) as unknown;

  test("WHEN added to a dashboard of one's own THEN it shows what the poller's own dashboard shows", () => {
    const stack = new Stack(new App(), 'OpsStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { createDashboard: true });
    const own = new cloudwatch.Dashboard(stack, 'Mine', { defaultInterval: Duration.days(7) });
    own.addWidgets(...poller.widgets());
    expect(bodyOf(stack, own)).toEqual(bodyOf(stack, poller.dashboard!));
  });

  test('WHEN the poller has neither sweep nor alarms THEN three rows of three graphs, without the sweep row and the alarms', () => {
    const stack = new Stack(new App(), 'OpsStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { sweep: { enabled: false }, createAlarms: false });
    const widgets = poller.widgets();
    expect(widgets.map((widget) => widget.width)).toEqual(Array(9).fill(8));
    const body = JSON.stringify(stack.resolve(widgets.map((widget) => widget.toJson())));
    expect(body).toContain('Watches in progress');
    expect(body).not.toContain('Sweeps');
  });

  test('WHEN a PollerDashboard is made of an imported poller THEN it plots its custom metrics and its executions, and nothing the import does not know', () => {
    const stack = new Stack(new App(), 'Consumer');
    const poller = NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes(stack, 'Imported', {
      eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'data-platform'),
      stateMachine: sfn.StateMachine.fromStateMachineName(stack, 'Machine', 'import-poller'),
      serviceName: 'DataPlatform-ImportPoller',
    });
    const { dashboard } = new PollerDashboard(stack, 'Imports', { poller });
    const body = JSON.stringify(bodyOf(stack, dashboard));
    for (const title of CUSTOM_METRIC_WIDGETS) {
      expect(body).toContain(title);
    }
    expect(body).toContain('DataPlatform-ImportPoller');
    expect(body).toContain('import-poller');
    for (const title of ['Function errors', 'dead-letter queue', 'Sweeps', 'Alarms']) {
      expect(body).not.toContain(title);
    }
    // Two rows of three graphs and the executions alone on a row: every row 24 wide.
    expect(pollerWidgetRows(poller).map((row) => row.map((widget) => widget.width))).toEqual([
      [8, 8, 8],
      [8, 8, 8],
      [24],
    ]);
  });

  test('WHEN a PollerDashboard is made of a poller imported without serviceName THEN it is refused, saying what to pass', () => {
    const stack = new Stack(new App(), 'Consumer');
    const poller = NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes(stack, 'Imported', {
      eventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'data-platform'),
      stateMachine: sfn.StateMachine.fromStateMachineName(stack, 'Machine', 'import-poller'),
    });
    let count = 0;
    const make = () => new PollerDashboard(stack, `Imports${count++}`, { poller });
    expect(make).toThrow(PollerPropsValidationError);
    expect(make).toThrow(/was imported without serviceName.*fromNeptuneImportTaskPollerAttributes/);
  });

  test('WHEN a PollerDashboard of its own is made THEN it has the name asked for and the same widgets', () => {
    const stack = new Stack(new App(), 'OpsStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { createDashboard: true });
    const { dashboard } = new PollerDashboard(stack, 'Imports', { poller, dashboardName: 'imports' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'imports' });
    expect(bodyOf(stack, dashboard)).toEqual(bodyOf(stack, poller.dashboard!));
  });
});

test('GIVEN an existing dead-letter queue THEN it is used and none is created', () => {
  const { template } = synth((s) => ({
    deadLetterQueue: new sqs.Queue(s, 'Mine', { encryption: sqs.QueueEncryption.SQS_MANAGED }),
  }));
  template.resourceCountIs('AWS::SQS::Queue', 1);
  template.hasResourceProperties('AWS::Lambda::Function', {
    DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } },
  });
});

test('GIVEN deadLetterQueueProps THEN they adjust the queue created', () => {
  const { template } = synth(() => ({ deadLetterQueueProps: { retentionPeriod: Duration.days(4) } }));
  template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 345_600, SqsManagedSseEnabled: true });
});

test('fails when both deadLetterQueue and deadLetterQueueProps are given', () => {
  expect(() => synth((s) => ({ deadLetterQueue: new sqs.Queue(s, 'Mine'), deadLetterQueueProps: {} }))).toThrow(
    PollerPropsValidationError,
  );
});

test('GIVEN two pollers in one stack THEN their metrics do not mix', () => {
  const stack = new Stack(new App(), 'Two');
  const a = new NeptuneImportTaskPoller(stack, 'A');
  const b = new NeptuneImportTaskPoller(stack, 'B', { startOnApiCalls: false });
  expect(a.serviceName).not.toBe(b.serviceName);
  expect(stack.resolve(a.metricPolls().dimensions)).toEqual({ service: a.serviceName });
});
