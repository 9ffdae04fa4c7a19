import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  NeptuneImportTaskPoller,
  PollerPropsValidationError,
  PollingStrategy,
  type NeptuneImportTaskPollerProps,
} from '../../lib/main';
import { pollerConfigOf } from '../../lib/poller-props';
import { POLLER_STATE_NAMES } from '../../lib/state-names';
import { PARKED_WATCHES_INDEX, WATCH_TABLE_ATTRIBUTES } from '../../lib/sweep-contract';

function synth(props: NeptuneImportTaskPollerProps = {}) {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const poller = new NeptuneImportTaskPoller(stack, 'Poller', props);
  return { stack, poller, template: Template.fromStack(stack) };
}

type Json = Record<string, unknown>;

/** The state machine's definition, with references replaced by `REF`. */
function definitionOf(template: Template): { States: Record<string, Json> } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const parts = (machine.Properties.DefinitionString['Fn::Join'] as [string, unknown[]])[1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'REF')).join('')) as {
    States: Record<string, Json>;
  };
}

/** Statements of every policy attached to the role whose logical id matches. */
function statementsOfRole(template: Template, role: RegExp): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((r) => role.test(r.Ref)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
}

const actionsOf = (statements: Json[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? (s.Action as string[]) : [s.Action as string])).sort();

function envOf(template: Template, logicalId: RegExp): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function');
  const [fn] = Object.entries(functions).filter(([id]) => logicalId.test(id));
  return (fn[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('the sweep', () => {
  describe('GIVEN the defaults', () => {
    const { template } = synth();

    test('THEN an on-demand table keyed by task id holds the parked waits, with a sparse index of parked watches', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'taskId', AttributeType: 'S' },
          { AttributeName: 'executionName', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ParkedWatches',
            KeySchema: [{ AttributeName: 'executionName', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['token', 'status'] },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
      });
    });

    test('THEN the index is keyed on an attribute only the park task writes, so that it holds parked watches alone', () => {
      const parkedItem = definitionOf(template).States[POLLER_STATE_NAMES.parkedWait].Parameters as {
        Item: Record<string, unknown>;
      };
      expect(Object.keys(parkedItem.Item)).toContain(PARKED_WATCHES_INDEX.partitionKey);
      expect(PARKED_WATCHES_INDEX.partitionKey).toBe(WATCH_TABLE_ATTRIBUTES.executionName);
      // Written by the park task alone: the sweep's own records of a task do not hold it.
      expect(Object.keys(parkedItem.Item).sort()).toEqual(['executionName', 'status', 'taskId', 'token']);
    });

    test('THEN the sweep runs every minute, without retries that would overlap the next sweep', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepFunction'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp('SweepFunction') },
        MaximumRetryAttempts: 0,
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Lists Neptune Analytics import tasks'),
        Timeout: 60,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
      });
    });

    test('THEN the sweep function is told its table, state machine, page limit and discovery', () => {
      const env = envOf(template, /SweepFunction[0-9A-F]{8}$/);
      expect(env).toMatchObject({
        WATCH_TABLE_NAME: { Ref: expect.stringMatching(/WatchTable/) },
        STATE_MACHINE_ARN: { Ref: expect.stringMatching(/StateMachine/) },
        MAX_PAGES: '1000',
        DISCOVERY: 'true',
      });
      expect(env).not.toHaveProperty('GRAPH_IDS');
    });

    test('THEN the sweep role may list tasks and read when they ended, use its table and scan its index, wake and start watches, and nothing else', () => {
      const statements = statementsOfRole(template, /SweepFunctionRole/);
      expect(actionsOf(statements)).toEqual(
        [
          'dynamodb:BatchGetItem',
          'dynamodb:DescribeTable',
          'dynamodb:PutItem',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'neptune-graph:GetImportTask',
          'neptune-graph:ListImportTasks',
          'states:DescribeExecution',
          'states:SendTaskSuccess',
          'states:StartExecution',
        ].sort(),
      );
      const byAction = (action: string) => statements.find((s) => actionsOf([s]).includes(action))!;
      const importTasks = {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':neptune-graph:eu-west-1:111122223333:import-task/*']],
      };
      expect(byAction('neptune-graph:ListImportTasks').Resource).toEqual(importTasks);
      expect(byAction('neptune-graph:GetImportTask').Resource).toEqual(importTasks);
      const table = { 'Fn::GetAtt': [expect.stringMatching(/WatchTable/), 'Arn'] };
      // The table alone: no grant reaches its index but the Scan.
      expect(byAction('dynamodb:PutItem').Resource).toEqual([table]);
      expect(byAction('dynamodb:DescribeTable').Resource).toEqual([table]);
      expect(byAction('dynamodb:Scan').Resource).toEqual({ 'Fn::Join': ['', [table, '/index/ParkedWatches']] });
      expect(byAction('states:SendTaskSuccess').Resource).toEqual({ Ref: expect.stringMatching(/StateMachine/) });
      expect(byAction('states:StartExecution').Resource).toEqual({ Ref: expect.stringMatching(/StateMachine/) });
      expect(JSON.stringify(byAction('states:DescribeExecution').Resource)).toMatch(/:execution:/);
    });

    test('THEN the state machine may put items in the table, and only put: the park task carries that permission', () => {
      const statements = statementsOfRole(template, /StateMachineRole/).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('dynamodb:')),
      );
      expect(actionsOf(statements)).toEqual(['dynamodb:PutItem']);
      expect(statements).toHaveLength(1);
      expect([statements[0].Resource].flat()).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/WatchTable/), 'Arn'] }]);
    });

    test('THEN a wait parks its task token in the table, and a put that fails falls back to a plain wait', () => {
      const states = definitionOf(template).States;
      const parked = states[POLLER_STATE_NAMES.parkedWait];
      expect(parked).toMatchObject({
        Type: 'Task',
        Resource: 'arn:REF:states:::aws-sdk:dynamodb:putItem.waitForTaskToken',
        TimeoutSecondsPath: '$.waitSeconds',
        ResultPath: null,
        Next: POLLER_STATE_NAMES.poll,
        Parameters: {
          Item: {
            taskId: { 'S.$': '$.park.taskId' },
            status: { 'S.$': '$.park.status' },
            token: { 'S.$': '$$.Task.Token' },
            executionName: { 'S.$': '$$.Execution.Name' },
          },
        },
      });
      const catches = parked.Catch as { ErrorEquals: string[]; ResultPath: unknown; Next: string }[];
      expect(catches[0]).toEqual({ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: POLLER_STATE_NAMES.poll });
      const fallback = catches.find((entry) => entry.ErrorEquals.includes('States.ALL'))!;
      expect(fallback.ResultPath).toBeNull();
      expect(states[fallback.Next]).toMatchObject({ Type: 'Wait', Next: POLLER_STATE_NAMES.poll });
      const route = states[POLLER_STATE_NAMES.route] as { Choices: { Next: string }[] };
      expect(route.Choices.map((choice) => choice.Next)).toContain(POLLER_STATE_NAMES.parkedWait);
      expect(route.Choices.map((choice) => choice.Next)).not.toContain(POLLER_STATE_NAMES.wait);
      expect(states[POLLER_STATE_NAMES.publishStatusChange]).toMatchObject({ Next: POLLER_STATE_NAMES.parkedWait });
    });

    test('THEN the start function may ask the sweep about a graph whose record names no task', () => {
      expect(envOf(template, /StartFunction[0-9A-F]{8}$/)).toMatchObject({
        SWEEP_FUNCTION_NAME: { Ref: expect.stringMatching(/SweepFunction/) },
      });
      const invoke = statementsOfRole(template, /StartFunctionRole/).filter((s) =>
        actionsOf([s]).includes('lambda:InvokeFunction'),
      );
      expect(JSON.stringify(invoke)).toMatch(/SweepFunction/);
    });

    test('THEN the poll function is told to park, and polls every 6 hours unless woken', () => {
      const config = pollerConfigOf({});
      expect(config.sweep).toEqual({ periodSeconds: 60 });
      expect(config.polling).toEqual({ kind: 'fixed', intervalSeconds: 21600, jitter: 0.1 });
    });

    test('THEN failing sweeps and a listing read too slowly are alarmed', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('SweepFunction') } }],
        Threshold: 2,
        Period: 300,
        Statistic: 'Sum',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'SweepListingUnreadSeconds',
        Namespace: 'NeptuneImportPoller',
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 300,
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp('lengthen sweep.interval'),
      });
      // A sweep that stops at its page limit is normal now: the next one goes on from there.
      expect(
        Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
          (alarm) => alarm.Properties.MetricName === 'SweepsTruncated',
        ),
      ).toEqual([]);
    });
  });

  test('GIVEN a polling strategy WHEN the sweep is on THEN the strategy given is kept', () => {
    const config = pollerConfigOf({ pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(5) }) });
    expect(config.polling).toMatchObject({ kind: 'fixed', intervalSeconds: 300 });
    expect(config.sweep).toEqual({ periodSeconds: 60 });
  });

  test('GIVEN graphIds, a slower sweep, more pages and no discovery THEN the sweep function is told so', () => {
    const { template } = synth({
      graphIds: ['g-0123456789', 'g-abcdefghij'],
      sweep: { interval: Duration.minutes(5), maxPages: 30, discovery: false },
    });
    expect(envOf(template, /SweepFunction[0-9A-F]{8}$/)).toMatchObject({
      MAX_PAGES: '30',
      DISCOVERY: 'false',
      GRAPH_IDS: 'g-0123456789,g-abcdefghij',
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    expect(pollerConfigOf({ sweep: { interval: Duration.minutes(5) } }).sweep).toEqual({ periodSeconds: 300 });
  });

  describe('GIVEN the sweep turned off', () => {
    const { template, poller } = synth({ sweep: { enabled: false } });

    test('THEN there is no table, no sweep function, no schedule, and waits are plain Wait states', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 0);
      expect(poller.sweepFunction).toBeUndefined();
      expect(poller.watchTable).toBeUndefined();
      template.resourcePropertiesCountIs('AWS::Events::Rule', { ScheduleExpression: Match.anyValue() }, 0);
      const states = definitionOf(template).States;
      expect(states).not.toHaveProperty(POLLER_STATE_NAMES.parkedWait);
      expect(states[POLLER_STATE_NAMES.publishStatusChange]).toMatchObject({ Next: POLLER_STATE_NAMES.wait });
      expect(envOf(template, /StartFunction[0-9A-F]{8}$/)).not.toHaveProperty('SWEEP_FUNCTION_NAME');
    });

    test('THEN no alarm watches the sweep, nor ends seen late: without it, an end midway is seen at the next poll', () => {
      const alarms = poller.alarms!;
      for (const alarm of [
        alarms.sweepFailures,
        alarms.sweepListingUnread,
        alarms.sweepsNotRunning,
        alarms.sweepTaskFailures,
        alarms.watchedTasksUnlisted,
        alarms.endsSeenLate,
      ])
        expect(alarm).toBeUndefined();
      template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    });

    test('THEN the poll function polls progress-aware, and parks nothing', () => {
      const config = pollerConfigOf({ sweep: { enabled: false } });
      expect(config).not.toHaveProperty('sweep');
      expect(config.polling.kind).toBe('progress-aware');
    });
  });

  test.each([
    [
      'interval 30 s',
      { interval: Duration.seconds(30) },
      /sweep.interval must be whole minutes from 1 minute to 1 hour.*30 seconds/,
    ],
    ['interval 90 s', { interval: Duration.seconds(90) }, /sweep.interval must be whole minutes/],
    ['interval 2 h', { interval: Duration.hours(2) }, /sweep.interval must be whole minutes/],
    ['maxPages 0', { maxPages: 0 }, /sweep.maxPages must be a whole number from 1 to 1,000.*got 0/],
    ['maxPages 1001', { maxPages: 1001 }, /sweep.maxPages must be a whole number from 1 to 1,000/],
    ['maxPages 1.5', { maxPages: 1.5 }, /sweep.maxPages must be a whole number/],
  ])('GIVEN sweep %s THEN the props are refused, saying why', (_label, sweep, message) => {
    expect(() => synth({ sweep })).toThrow(PollerPropsValidationError);
    expect(() => synth({ sweep })).toThrow(message);
  });
});
