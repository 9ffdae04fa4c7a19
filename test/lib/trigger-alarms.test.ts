/** The alarm on triggers that claimed an import task but named none readable. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { PollerMetrics, TriggerNotStartedReason } from '../../lib/poller-metric-names';
import { PollerAlarms, type PollerAlarmsProps } from '../../lib/poller-alarms';

const ACCOUNT_ARN = 'arn:aws:%s:us-east-1:123456789012:%s';

/** The metric the construct gives: malformed triggers of one poller, summed over five minutes. */
const malformedTriggersMetric = (service: string) =>
  new cloudwatch.Metric({
    namespace: PollerMetrics.NAMESPACE,
    metricName: PollerMetrics.TRIGGERS_NOT_STARTED_BY_REASON,
    dimensionsMap: {
      [PollerMetrics.SERVICE_DIMENSION]: service,
      [PollerMetrics.REASON_DIMENSION]: TriggerNotStartedReason.MALFORMED,
    },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
  });

function alarmsIn(stack: Stack, props: Partial<PollerAlarmsProps> = {}): PollerAlarms {
  const arn = (service: string, resource: string) => ACCOUNT_ARN.replace('%s', service).replace('%s', resource);
  return new PollerAlarms(stack, 'Alarms', {
    stateMachine: sfn.StateMachine.fromStateMachineArn(stack, 'StateMachine', arn('states', 'stateMachine:sm')),
    pollFunction: lambda.Function.fromFunctionArn(stack, 'PollFunction', arn('lambda', 'function:poll')),
    startFunction: lambda.Function.fromFunctionArn(stack, 'StartFunction', arn('lambda', 'function:start')),
    deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'DeadLetterQueue', 'arn:aws:sqs:us-east-1:123456789012:dlq'),
    monitoringFailures: new cloudwatch.Metric({
      namespace: PollerMetrics.NAMESPACE,
      metricName: 'MonitoringFailures',
    }),
    ...props,
  });
}

const alarmProps = (stack: Stack, alarm: cloudwatch.Alarm) =>
  Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')[
    stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm)
  ].Properties;

describe('PollerAlarms on malformed triggers', () => {
  test('GIVEN the malformed-triggers metric THEN an alarm fires on the first MALFORMED trigger in five minutes, of this poller only', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    // WHEN
    const alarms = alarmsIn(stack, { malformedTriggers: malformedTriggersMetric('my-poller') });
    // THEN
    expect(alarmProps(stack, alarms.malformedTriggers!)).toEqual(
      expect.objectContaining({
        Namespace: 'NeptuneImportPoller',
        MetricName: 'TriggersNotStartedByReason',
        Dimensions: [
          { Name: 'Reason', Value: 'MALFORMED' },
          { Name: 'service', Value: 'my-poller' },
        ],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
  });

  test('GIVEN the malformed-triggers metric THEN the description tells a person where the trigger is kept and what to do', () => {
    const stack = new Stack(new App(), 'Stack');

    const alarms = alarmsIn(stack, { malformedTriggers: malformedTriggersMetric('my-poller') });

    const description = String(alarmProps(stack, alarms.malformedTriggers!).AlarmDescription);
    expect(description).toContain('dead-letter queue');
    expect(description).toContain('Reason MALFORMED');
    expect(description).toContain('watch request');
  });

  test('GIVEN alarm actions THEN the malformed-triggers alarm notifies on alarm and when back to OK', () => {
    const stack = new Stack(new App(), 'Stack');
    const topic = new sns.Topic(stack, 'Topic');

    const alarms = alarmsIn(stack, {
      malformedTriggers: malformedTriggersMetric('my-poller'),
      actions: [new cloudwatchActions.SnsAction(topic)],
    });

    const props = alarmProps(stack, alarms.malformedTriggers!);
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    expect(props.AlarmActions).toEqual([topicRef]);
    expect(props.OKActions).toEqual([topicRef]);
  });

  test('GIVEN the malformed-triggers metric THEN the alarm is among every alarm, for dashboards', () => {
    const stack = new Stack(new App(), 'Stack');

    const alarms = alarmsIn(stack, { malformedTriggers: malformedTriggersMetric('my-poller') });

    expect(alarms.all).toHaveLength(10);
    expect(alarms.all).toContain(alarms.malformedTriggers);
  });

  test('GIVEN no malformed-triggers metric THEN there is no such alarm', () => {
    const stack = new Stack(new App(), 'Stack');

    const alarms = alarmsIn(stack);

    expect(alarms.malformedTriggers).toBeUndefined();
    expect(alarms.all).toHaveLength(9);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 9);
  });
});
