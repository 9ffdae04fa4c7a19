import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LAMBDA_RETRIES } from '../../lib/poller-definition';
import { CONTRACT_VERSION } from '../../lib/poll-contract';
import { MAX_GRAPH_IDS } from '../../lib/trigger-patterns';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  NeptuneImportTaskPoller,
  PollerLogLevel,
  PollerPropsValidationError,
  PollingStrategy,
  type NeptuneImportTaskPollerProps,
} from '../../lib/main';

function synth(props?: NeptuneImportTaskPollerProps, configure?: (stack: Stack) => NeptuneImportTaskPollerProps) {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const poller = new NeptuneImportTaskPoller(stack, 'Poller', { ...props, ...configure?.(stack) });
  return { stack, poller, template: Template.fromStack(stack) };
}

/** Parses the state machine's definition, resolving the references in it to placeholders. */
function definitionOf(template: Template): { States: Record<string, Record<string, unknown>> } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const parts = (machine.Properties.DefinitionString['Fn::Join'] as [string, unknown[]])[1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'REF')).join('')) as {
    States: Record<string, Record<string, unknown>>;
  };
}

function statementsOf(template: Template, roleMatch: (logicalId: string) => boolean) {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => roleMatch(role.Ref)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}

describe('NeptuneImportTaskPoller', () => {
  describe('GIVEN the defaults', () => {
    const { template, stack, poller } = synth();

    test('THEN a Standard state machine logs everything to its own log group, with X-Ray tracing', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: true,
          Destinations: [
            {
              CloudWatchLogsLogGroup: {
                LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StateMachineLogGroup'), 'Arn'] },
              },
            },
          ],
        },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: {
          'Fn::Join': [
            '',
            [
              Match.stringLikeRegexp('^/aws/vendedlogs/states/.+-$'),
              { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
            ],
          ],
        },
        RetentionInDays: 30,
      });
    });

    test('THEN no log group has a name that a retained group of an earlier deployment could hold, and all are retained', () => {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      // The state machine's, and one per function: poll, start and sweep.
      expect(groups).toHaveLength(4);
      for (const group of groups) {
        expect(group.DeletionPolicy).toBe('Retain');
        const name: unknown = group.Properties.LogGroupName;
        // Either CloudFormation names it, or the name holds the stack's own id.
        expect(name === undefined || JSON.stringify(name).includes('AWS::StackId')).toBe(true);
      }
    });

    test('THEN the three functions run Node.js 24 on arm64, log JSON to their own log groups, keep logs a month, and do not trace', () => {
      const functions = template.findResources('AWS::Lambda::Function');
      expect(Object.keys(functions)).toHaveLength(3);
      const logGroups = Object.values(functions).map((fn) => JSON.stringify(fn.Properties.LoggingConfig.LogGroup));
      expect(new Set(logGroups).size).toBe(3);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          LoggingConfig: {
            LogFormat: 'JSON',
            ApplicationLogLevel: 'INFO',
            LogGroup: { Ref: expect.stringMatching(/LogGroup/) },
          },
          Environment: { Variables: expect.objectContaining({ POWERTOOLS_LOG_LEVEL: 'INFO' }) },
        });
      }
      // No active tracing: the handlers record no segments, and the state machine's trace shows each poll.
      for (const fn of Object.values(functions)) expect(fn.Properties).not.toHaveProperty('TracingConfig');
      for (const fn of [poller.pollFunction, poller.startFunction, poller.sweepFunction!]) {
        const role = stack.getLogicalId(fn.role!.node.defaultChild as never);
        expect(JSON.stringify(statementsOf(template, (id) => id === role))).not.toMatch(/xray:/);
      }
      template.resourceCountIs('AWS::Logs::LogGroup', 4);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    test('THEN the poll function may call GetImportTask on import tasks of its account and region, and nothing else', () => {
      const pollRole = stack.getLogicalId(poller.pollFunction.role!.node.defaultChild as never);
      const statements = statementsOf(template, (id) => id === pollRole);
      const neptune = statements.filter((s) => JSON.stringify(s.Action).includes('neptune-graph'));
      expect(neptune).toEqual([
        {
          Effect: 'Allow',
          Action: 'neptune-graph:GetImportTask',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':neptune-graph:eu-west-1:111122223333:import-task/*'],
            ],
          },
        },
      ]);
      const others = statements.filter((s) => s !== neptune[0]);
      expect(
        others.every(
          (s) => String(s.Action).startsWith('logs:') || (s.Action as string[]).every((a) => a.startsWith('logs:')),
        ),
      ).toBe(true);
      expect(
        Object.keys(template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } })),
      ).toEqual([]);
    });

    test('THEN the state machine may put events on the default bus only, and start executions of itself only', () => {
      const machineRole = stack.getLogicalId(poller.stateMachine.role.node.defaultChild as never);
      const statements = statementsOf(template, (id) => id === machineRole);
      const putEvents = statements.filter((s) => s.Action === 'events:PutEvents');
      expect(putEvents).toEqual([
        {
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']],
          },
          // Its own events only (its watches', and the watch request of a hand-over), no event of another source.
          Condition: {
            'ForAllValues:StringEquals': {
              'events:source': ['neptune-import-poller'],
              'events:detail-type': [
                'Neptune Analytics Import Task Status Change',
                'Neptune Analytics Import Task Monitoring Failed',
                'Neptune Analytics Import Task Watch Requested',
              ],
            },
            Null: { 'events:source': 'false', 'events:detail-type': 'false' },
          },
        },
      ]);
      const machineId = stack.getLogicalId(poller.stateMachine.node.defaultChild as never);
      const startExecution = statements.filter((s) => s.Action === 'states:StartExecution');
      expect(startExecution).toEqual([
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: machineId } },
      ]);
    });

    test("THEN the start function may start and read this state machine's executions, and send to the dead-letter queue, only", () => {
      const startRole = stack.getLogicalId(poller.startFunction.role!.node.defaultChild as never);
      const machineId = stack.getLogicalId(poller.stateMachine.node.defaultChild as never);
      const queueId = stack.getLogicalId(poller.deadLetterQueue.node.defaultChild as never);
      const statements = statementsOf(template, (id) => id === startRole).filter(
        (s) => !JSON.stringify(s.Action).includes('logs:'),
      );
      expect(statements).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: machineId } },
        // The sweep function itself, not its versions: a record naming only a graph asks it to look there.
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(poller.sweepFunction!.node.defaultChild as never), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':states:eu-west-1:111122223333:execution:',
                { 'Fn::GetAtt': [machineId, 'Name'] },
                ':*',
              ],
            ],
          },
        },
      ]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { STATE_MACHINE_ARN: { Ref: machineId } } },
      });
    });

    test('THEN nothing is granted twice', () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as unknown[]).map((s) =>
          JSON.stringify([policy.Properties.Roles, s]),
        ),
      );
      expect(new Set(statements).size).toBe(statements.length);
    });

    test('THEN failed, timed-out and aborted executions of this state machine reach the start function, the backstop', () => {
      const machineId = stack.getLogicalId(poller.stateMachine.node.defaultChild as never);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: Match.absent(),
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { stateMachineArn: [{ Ref: machineId }], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StartFunction'), 'Arn'] } })],
      });
    });

    test('THEN CloudTrail records of successful import-starting calls on the default bus start watches', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: Match.absent(),
        EventPattern: {
          source: ['aws.neptune-graph'],
          'detail-type': ['AWS API Call via CloudTrail'],
          detail: {
            eventSource: ['neptune-graph.amazonaws.com'],
            eventName: ['StartImportTask', 'CreateGraphUsingImportTask'],
            errorCode: [{ exists: false }],
          },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StartFunction'), 'Arn'] } })],
      });
    });

    test('THEN watch requests start watches', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'detail-type': ['Neptune Analytics Import Task Watch Requested'],
          detail: { taskId: [{ prefix: 't-' }] },
        },
      });
    });

    test('THEN both poll steps invoke a published version of the poll function, and the role may invoke every version, for executions begun under earlier deploys', () => {
      const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
      const parts = (machine.Properties.DefinitionString['Fn::Join'] as [string, unknown[]])[1];
      const [versionId] = Object.keys(template.findResources('AWS::Lambda::Version'));
      const functionId = stack.getLogicalId(poller.pollFunction.node.defaultChild as never);
      expect(template.findResources('AWS::Lambda::Version')[versionId].Properties.FunctionName).toEqual({
        Ref: functionId,
      });
      // The definition names the version (its Ref is the version's ARN), never the unqualified function.
      expect(parts.filter((part) => JSON.stringify(part) === JSON.stringify({ Ref: versionId }))).toHaveLength(2);
      expect(JSON.stringify(parts)).not.toContain(JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] }));
      const machineRole = stack.getLogicalId(poller.stateMachine.role.node.defaultChild as never);
      const invokes = statementsOf(template, (id) => id === machineRole).filter((s) =>
        JSON.stringify(s.Action).includes('lambda:InvokeFunction'),
      );
      expect(invokes.flatMap((s) => [s.Resource].flat())).toContainEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':*']],
      });
    });

    test('THEN the poll task retries Lambda failures with backoff and full jitter, and reports what it cannot retry', () => {
      const { States } = definitionOf(template);
      // Lambda throttling of ten minutes and more must not end a watch: about 18 minutes of retries.
      const lambdaRetry = {
        ErrorEquals: expect.arrayContaining(['Lambda.TooManyRequestsException', 'Lambda.ServiceException']),
        IntervalSeconds: 2,
        BackoffRate: 2,
        MaxAttempts: 40,
        MaxDelaySeconds: 60,
        JitterStrategy: 'FULL',
      };
      expect(States.PollImportTask.Retry).toEqual([lambdaRetry]);
      expect(States.DescribePollFailure.Retry).toEqual([lambdaRetry]);
      expect(States.PollImportTask.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.pollFailure', Next: 'DescribePollFailure' },
      ]);
      expect(States.DescribePollFailure.Next).toBe('PublishOutcome');
      expect(States.DescribePollFailure.Catch).toBeUndefined();
    });

    test('THEN refused events are retried with backoff and jitter: the terminal one as long as a poll, a status change for minutes', () => {
      const { States } = definitionOf(template);
      for (const [name, attempts] of [
        ['PublishOutcome', LAMBDA_RETRIES],
        ['PublishStatusChange', 10],
      ] as const) {
        expect(States[name].Resource).toMatch(/:states:::events:putEvents$/);
        expect(States[name].Retry).toEqual([
          expect.objectContaining({
            ErrorEquals: expect.arrayContaining(['EventBridge.FailedEntry', 'States.TaskFailed']),
            JitterStrategy: 'FULL',
            MaxAttempts: attempts,
          }),
        ]);
      }
    });

    test('THEN the waits come from the poll function and the watch continues in a new execution when asked', () => {
      const { States } = definitionOf(template);
      expect(States.WaitUntilDueOrWoken).toMatchObject({ TimeoutSecondsPath: '$.waitSeconds', Next: 'PollImportTask' });
      expect(States.WaitAfterParkFailed).toEqual({
        Type: 'Wait',
        SecondsPath: '$.parkFailedWaitSeconds',
        Next: 'PollImportTask',
      });
      expect(States.ContinueInNewExecution).toMatchObject({
        Parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', 'Name.$': '$.executionName' },
        Catch: [
          expect.objectContaining({
            ErrorEquals: expect.arrayContaining(['StepFunctions.ExecutionAlreadyExistsException']),
            Next: 'Continued',
          }),
        ],
      });
    });

    test('THEN the construct exposes the very resources it creates', () => {
      const resources = template.toJSON().Resources as Record<string, { Type: string }>;
      const typeOf = (construct: { node: { defaultChild?: unknown } }) =>
        resources[stack.getLogicalId(construct.node.defaultChild as never)]?.Type;
      expect(typeOf(poller.stateMachine)).toBe('AWS::StepFunctions::StateMachine');
      expect(typeOf(poller.pollFunction)).toBe('AWS::Lambda::Function');
      expect(typeOf(poller.startFunction)).toBe('AWS::Lambda::Function');
      expect(typeOf(poller.apiCallRule!)).toBe('AWS::Events::Rule');
      expect(typeOf(poller.watchRequestRule!)).toBe('AWS::Events::Rule');
      for (const logGroup of [poller.stateMachineLogGroup, poller.pollLogGroup, poller.startLogGroup]) {
        expect(typeOf(logGroup)).toBe('AWS::Logs::LogGroup');
      }
      expect(poller.eventSource).toBe('neptune-import-poller');
    });
  });

  describe('GIVEN every prop set', () => {
    const { template, stack, poller } = synth(undefined, (stack) => ({
      eventBus: new events.EventBus(stack, 'Bus', { eventBusName: 'imports' }),
      eventSource: 'com.example.imports',
      graphIds: ['g-0123456789', 'g-abcdefghij'],
      startOnApiCalls: true,
      startOnWatchRequests: true,
      pollingStrategy: PollingStrategy.fixed({ interval: Duration.minutes(2), jitter: 0.2 }),
      monitoringTimeout: Duration.days(2),
      pollErrorRetry: {
        budget: Duration.minutes(20),
        initialInterval: Duration.seconds(5),
        maxInterval: Duration.minutes(2),
        backoffRate: 3,
      },
      emitStatusChanges: true,
      historyEventBudget: 5000,
      notFoundGrace: Duration.minutes(2),
      logLevel: PollerLogLevel.DEBUG,
      logRetention: logs.RetentionDays.ONE_WEEK,
    }));

    test('THEN events go to the given bus with the given source', () => {
      const { States } = definitionOf(template);
      const entry = (States.PublishOutcome.Parameters as { Entries: Record<string, unknown>[] }).Entries[0];
      expect(entry).toMatchObject({ Source: 'com.example.imports', EventBusName: 'REF' });
      const busId = stack.getLogicalId(poller.eventBus.node.defaultChild as never);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 'events:PutEvents',
              Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
              Condition: Match.objectLike({
                'ForAllValues:StringEquals': Match.objectLike({ 'events:source': ['com.example.imports'] }),
              }),
            },
          ]),
        },
      });
    });

    test('THEN the settings reach the poll function through the definition', () => {
      const { States } = definitionOf(template);
      expect((States.PollImportTask.Parameters as { config: unknown }).config).toEqual({
        contractVersion: CONTRACT_VERSION,
        timeoutSeconds: 172_800,
        polling: { kind: 'fixed', intervalSeconds: 120, jitter: 0.2 },
        errorRetry: { budgetSeconds: 1200, initialIntervalSeconds: 5, maxIntervalSeconds: 120, backoffRate: 3 },
        emitStatusChanges: true,
        historyEventBudget: 5000,
        notFoundGraceSeconds: 120,
        // Two days of watching, and a day more before Step Functions itself would stop an execution.
        executionTimeoutSeconds: 259_200,
        sweep: { periodSeconds: 60 },
      });
    });

    test('THEN only the given graphs start watches, and watch requests listen on the given bus', () => {
      const busId = stack.getLogicalId(poller.eventBus.node.defaultChild as never);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: Match.absent(),
        EventPattern: {
          detail: Match.objectLike({
            $or: [
              { responseElements: { graphId: ['g-0123456789', 'g-abcdefghij'] } },
              { requestParameters: { graphIdentifier: ['g-0123456789', 'g-abcdefghij'] } },
            ],
          }),
        },
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: busId },
        EventPattern: { detail: { taskId: [{ prefix: 't-' }], graphId: ['g-0123456789', 'g-abcdefghij'] } },
      });
    });

    test('THEN log level and retention follow', () => {
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
      template.allResourcesProperties('AWS::Lambda::Function', {
        LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }),
        Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
      });
    });
  });

  describe('GIVEN notFoundGrace', () => {
    const graceOf = (props: NeptuneImportTaskPollerProps): unknown => {
      const { States } = definitionOf(synth(props).template);
      return (States.PollImportTask.Parameters as { config: { notFoundGraceSeconds?: unknown } }).config
        .notFoundGraceSeconds;
    };

    test('THEN by default a task not found yet is looked for during 5 minutes', () => {
      expect(graceOf({})).toBe(300);
    });

    test.each([
      ['0, which turns the grace off', Duration.seconds(0), 0],
      ['1 hour, the most allowed', Duration.hours(1), 3600],
    ])('of %s THEN the poll function receives it in seconds', (_case, notFoundGrace, seconds) => {
      expect(graceOf({ notFoundGrace })).toBe(seconds);
    });
  });

  test('GIVEN logRemovalPolicy DESTROY THEN the four log groups go with the stack', () => {
    const { template } = synth({ logRemovalPolicy: RemovalPolicy.DESTROY });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.map((group) => group.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
  });

  test('GIVEN startOnApiCalls false THEN no CloudTrail rule', () => {
    const { template, poller } = synth({ startOnApiCalls: false });
    // Watch requests, the backstop's failed executions, and the sweep's schedule.
    template.resourceCountIs('AWS::Events::Rule', 3);
    template.resourcePropertiesCountIs('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' }, 1);
    expect(poller.apiCallRule).toBeUndefined();
    expect(poller.executionFailedRule).toBeDefined();
  });

  test('GIVEN grantStartWatching THEN the grantee may start executions of the state machine', () => {
    const stack = new Stack(new App(), 'GrantStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller');
    const role = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
    poller.grantStartWatching(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as never) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: { Ref: stack.getLogicalId(poller.stateMachine.node.defaultChild as never) },
          },
        ],
      },
    });
  });

  test('GIVEN grantPutWatchRequests THEN the grantee may put watch requests on the bus, and no other detail-type', () => {
    const stack = new Stack(new App(), 'GrantStack');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller');
    const role = new iam.Role(stack, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
    poller.grantPutWatchRequests(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as never) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Resource: Match.anyValue(),
            Condition: {
              'ForAllValues:StringEquals': { 'events:detail-type': ['Neptune Analytics Import Task Watch Requested'] },
              Null: { 'events:detail-type': 'false' },
            },
          },
        ],
      },
    });
  });

  describe('validation', () => {
    test.each<[string, NeptuneImportTaskPollerProps, RegExp]>([
      [
        'eventSource starts with aws.',
        { eventSource: 'aws.neptune' },
        /eventSource must not start with "aws\.".*got "aws\.neptune"/,
      ],
      ['eventSource starts with AWS. in capitals', { eventSource: 'AWS.Imports' }, /must not start with "aws\."/],
      ['eventSource is empty', { eventSource: '' }, /eventSource must be 1 to 256 characters; got ""/],
      ['graphIds is empty', { graphIds: [] }, /graphIds is empty/],
      ['a graph id is malformed', { graphIds: ['g-0123456789', 'my-graph'] }, /got "my-graph"/],
      ['both triggers are off', { startOnApiCalls: false, startOnWatchRequests: false }, /both false/],
      [
        'monitoringTimeout is under a minute',
        { monitoringTimeout: Duration.seconds(30) },
        /monitoringTimeout must be between 1 minute and 365 days; got 30 seconds/,
      ],
      ['monitoringTimeout is over a year', { monitoringTimeout: Duration.days(400) }, /got 400 days/],
      [
        'historyEventBudget is above the limit',
        { historyEventBudget: 30_000 },
        /historyEventBudget must be a whole number from 100 to 24000.*got 30000/,
      ],
      [
        'notFoundGrace is over an hour',
        { notFoundGrace: Duration.minutes(61) },
        /notFoundGrace must be from 0 seconds \(no grace\) to 1 hour; got 1 hour 1 minute\./,
      ],
      [
        'pollErrorRetry.budget is under a minute',
        { pollErrorRetry: { budget: Duration.seconds(59) } },
        /pollErrorRetry.budget must be whole seconds from 1 minute to 1 day; got 59 seconds\./,
      ],
      [
        'pollErrorRetry.budget is fractional seconds',
        { pollErrorRetry: { budget: Duration.millis(90_500) } },
        /pollErrorRetry.budget must be whole seconds; got 1 minute 30 seconds \(90500 ms\)/,
      ],
      [
        'pollErrorRetry.backoffRate is below 1',
        { pollErrorRetry: { backoffRate: 0.5 } },
        /backoffRate must be from 1 to 10; got 0.5/,
      ],
    ])('fails when %s', (_case, props, message) => {
      expect(() => synth(props)).toThrow(PollerPropsValidationError);
      expect(() => synth(props)).toThrow(message);
    });

    test.each<[string, () => PollingStrategy, RegExp]>([
      [
        'the fixed interval is 0',
        () => PollingStrategy.fixed({ interval: Duration.seconds(0) }),
        /between 1 second and 1 day; got 0 seconds/,
      ],
      [
        'maxWait is under initialWait',
        () => PollingStrategy.exponential({ initialWait: Duration.minutes(5), maxWait: Duration.minutes(1) }),
        /maxWait \(1 minute\) is shorter than initialWait \(5 minutes\)/,
      ],
      [
        'growthRate is under 1',
        () => PollingStrategy.exponential({ growthRate: 0.9 }),
        /growthRate must be between 1 and 10; got 0.9/,
      ],
      [
        'jitter is over 0.5',
        () => PollingStrategy.exponential({ jitter: 0.8 }),
        /jitter must be between 0 and 0.5; got 0.8/,
      ],
    ])('fails when %s', (_case, make, message) => {
      expect(make).toThrow(PollerPropsValidationError);
      expect(make).toThrow(message);
    });

    test.each<[string, () => unknown, RegExp]>([
      [
        'the fixed interval is a second and a half',
        () => PollingStrategy.fixed({ interval: Duration.millis(1500) }),
        /fixed polling interval must be whole seconds; got 1 second 500 millis \(1500 ms\)/,
      ],
      [
        'progress-aware minWait is under a second',
        () => PollingStrategy.progressAware({ minWait: Duration.millis(300) }),
        /progress-aware polling minWait must be whole seconds; got 300 millis/,
      ],
      [
        'the sweep interval is fractional',
        () => synth({ sweep: { interval: Duration.seconds(90.5) } }),
        /sweep.interval must be whole seconds; got 1 minute 30 seconds \(90500 ms\)/,
      ],
      [
        'monitoringTimeout is fractional',
        () => synth({ monitoringTimeout: Duration.millis(3_600_500) }),
        /monitoringTimeout must be whole seconds/,
      ],
      [
        'notFoundGrace is fractional',
        () => synth({ notFoundGrace: Duration.millis(500) }),
        /notFoundGrace must be whole seconds/,
      ],
      [
        'pollErrorRetry.maxInterval is fractional',
        () => synth({ pollErrorRetry: { maxInterval: Duration.millis(2500) } }),
        /pollErrorRetry.maxInterval must be whole seconds/,
      ],
    ])('fails when %s, naming the prop', (_case, make, message) => {
      expect(make).toThrow(PollerPropsValidationError);
      expect(make).toThrow(message);
    });

    // What other jsii languages can do: Python may construct the abstract class, or subclass it.
    class HandMadeStrategy extends PollingStrategy {
      public readonly config = undefined as unknown as PollingStrategy['config'];
    }
    test.each<[string, PollingStrategy]>([
      ['constructed directly', Object.create(PollingStrategy.prototype) as PollingStrategy],
      ['subclassed', new HandMadeStrategy()],
    ])('fails when pollingStrategy was %s rather than made by a factory', (_case, pollingStrategy) => {
      expect(() => synth({ pollingStrategy })).toThrow(PollerPropsValidationError);
      expect(() => synth({ pollingStrategy })).toThrow(
        /pollingStrategy must be made by PollingStrategy.fixed\(\), PollingStrategy.exponential\(\) or PollingStrategy.progressAware\(\); got a \w+ with no settings/,
      );
    });

    const graphs = (count: number) => Array.from({ length: count }, (_, i) => `g-${String(i).padStart(10, '0')}`);
    test(`GIVEN ${MAX_GRAPH_IDS} graphIds THEN every rule's pattern fits; one more fails, naming the count and the limit`, () => {
      expect(MAX_GRAPH_IDS).toBe(57);
      const { template } = synth({ graphIds: graphs(MAX_GRAPH_IDS) });
      const lengths = Object.values(template.findResources('AWS::Events::Rule'))
        .filter((rule) => rule.Properties.EventPattern !== undefined)
        .map((rule) => JSON.stringify(rule.Properties.EventPattern).length);
      expect(Math.max(...lengths)).toBeGreaterThan(2000);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(2048);
      const tooMany = () => synth({ graphIds: graphs(MAX_GRAPH_IDS + 1) });
      expect(tooMany).toThrow(PollerPropsValidationError);
      expect(tooMany).toThrow(
        /graphIds names 58 graphs, more than the 57 that fit: the rule for CloudTrail records, which holds each graph id twice, would have an event pattern of 20\d\d characters, over EventBridge's limit of 2048/,
      );
    });

    test('GIVEN no rule for CloudTrail records THEN graphIds may name as many graphs as the watch-request rule holds', () => {
      expect(() => synth({ startOnApiCalls: false, graphIds: graphs(100) })).not.toThrow();
      expect(() => synth({ startOnApiCalls: false, graphIds: graphs(200) })).toThrow(
        /more than the 119 that fit: the rule for watch requests/,
      );
    });
  });
});
