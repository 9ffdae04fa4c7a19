/**
 * What consumers of a poller get, from the poller itself or from its attributes in another stack
 * or app: rules for its events (options as `events.OnEventOptions` has them), grants and metrics.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  NeptuneImportTaskPoller,
  PollerMetrics,
  PollerPropsValidationError,
  type INeptuneImportTaskPoller,
  type ImportEventRuleOptions,
} from '../../lib/main';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const BUS_ARN = 'arn:aws:events:eu-west-1:111122223333:event-bus/data-platform';
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:ImportPoller';

/** A stack of a team of its own, in the poller's account and region, with the poller imported from its attributes. */
function importedPoller(attrs: { eventSource?: string; serviceName?: string } = {}) {
  const stack = new Stack(new App(), 'GraphViews', { env: ENV });
  const poller = NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes(stack, 'Poller', {
    eventBus: events.EventBus.fromEventBusArn(stack, 'Bus', BUS_ARN),
    stateMachine: sfn.StateMachine.fromStateMachineArn(stack, 'StateMachine', STATE_MACHINE_ARN),
    ...attrs,
  });
  return { stack, poller };
}

/** The event pattern and bus of the one rule of `stack` named by `id`'s logical id. */
function ruleOf(stack: Stack, rule: events.Rule): { EventPattern: unknown; EventBusName?: unknown } {
  const resources = Template.fromStack(stack).findResources('AWS::Events::Rule');
  return resources[stack.getLogicalId(rule.node.defaultChild as events.CfnRule)].Properties as {
    EventPattern: unknown;
    EventBusName?: unknown;
  };
}

const ON_METHODS = ['onImportSucceeded', 'onImportFailed', 'onImportEnded', 'onMonitoringFailed'] as const;

describe('GIVEN a poller imported from its attributes', () => {
  test.each(ON_METHODS)(
    "WHEN %s THEN the rule is on the imported bus, with the pattern of the poller's own rule",
    (method) => {
      const { stack, poller } = importedPoller({ eventSource: 'com.example.imports' });
      const imported = ruleOf(stack, poller[method]('Rule', { graphIds: ['g-0123456789'] }));
      const ownStack = new Stack(new App(), 'DataPlatform', { env: ENV });
      const own = new NeptuneImportTaskPoller(ownStack, 'Poller', { eventSource: 'com.example.imports' });
      const ownPattern = ruleOf(ownStack, own[method]('Rule', { graphIds: ['g-0123456789'] })).EventPattern as {
        resources: unknown[];
      };
      expect(imported.EventBusName).toBe('data-platform');
      // Each rule hears its own poller only: the events' resources hold the state machine's ARN.
      expect(ownPattern.resources).toEqual([
        { Ref: ownStack.getLogicalId(own.stateMachine.node.defaultChild as never) },
      ]);
      expect(imported.EventPattern).toEqual({ ...ownPattern, resources: [STATE_MACHINE_ARN] });
    },
  );

  test("WHEN the source is left out THEN the rules take the poller's default source", () => {
    const { stack, poller } = importedPoller();
    expect(poller.eventSource).toBe('neptune-import-poller');
    expect(ruleOf(stack, poller.onImportFailed('Failed')).EventPattern).toMatchObject({
      source: ['neptune-import-poller'],
    });
  });

  test('WHEN grantStartWatching THEN the grantee may start executions of the imported state machine', () => {
    const { stack, poller } = importedPoller();
    const role = new iam.Role(stack, 'Loader', { assumedBy: new iam.AccountRootPrincipal() });
    poller.grantStartWatching(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: STATE_MACHINE_ARN }],
      },
    });
  });

  test('WHEN grantPutWatchRequests THEN the grantee may put watch requests on the imported bus, and no other detail-type', () => {
    const { stack, poller } = importedPoller();
    const role = new iam.Role(stack, 'Loader', { assumedBy: new iam.AccountRootPrincipal() });
    poller.grantPutWatchRequests(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Resource: BUS_ARN,
            Condition: {
              'ForAllValues:StringEquals': { 'events:detail-type': ['Neptune Analytics Import Task Watch Requested'] },
              Null: { 'events:detail-type': 'false' },
            },
          },
        ],
      },
    });
  });

  test("WHEN its service name is given THEN its metrics are the poller's own, by that service", () => {
    const { stack, poller } = importedPoller({ serviceName: 'DataPlatform-ImportPoller-1A2B3C4D' });
    const polls = poller.metricPolls();
    expect(polls.namespace).toBe(PollerMetrics.NAMESPACE);
    expect(polls.metricName).toBe(PollerMetrics.POLLS);
    expect(stack.resolve(polls.dimensions)).toEqual({ service: 'DataPlatform-ImportPoller-1A2B3C4D' });
    expect(stack.resolve(poller.metricMalformedTriggers().dimensions)).toEqual({
      service: 'DataPlatform-ImportPoller-1A2B3C4D',
      Reason: 'MALFORMED',
    });
  });

  test('fails when a metric is asked of a poller imported without its service name', () => {
    const { poller } = importedPoller();
    expect(() => poller.metricWatchesEnded()).toThrow(PollerPropsValidationError);
    expect(() => poller.metric(PollerMetrics.POLLS)).toThrow(/imported without serviceName/);
  });

  test('fails when the source starts with aws.', () => {
    expect(() => importedPoller({ eventSource: 'aws.neptune' })).toThrow(PollerPropsValidationError);
  });
});

describe('GIVEN a poller and a consumer stack of the same account and region', () => {
  function twoStacks() {
    const app = new App();
    const pollerStack = new Stack(app, 'DataPlatform', { env: ENV });
    const poller: INeptuneImportTaskPoller = new NeptuneImportTaskPoller(pollerStack, 'ImportPoller', {
      eventBus: new events.EventBus(pollerStack, 'Bus'),
    });
    const consumerStack = new Stack(app, 'GraphViews', { env: ENV });
    const queue = new sqs.Queue(consumerStack, 'Inbox');
    return { pollerStack, poller, consumerStack, queue };
  }

  test("WHEN a rule is made with crossStackScope THEN it lands in the consumer's stack, beside its target", () => {
    const { pollerStack, poller, consumerStack, queue } = twoStacks();
    const rule = poller.onImportEnded('ImportsEnded', {
      target: new targets.SqsQueue(queue),
      crossStackScope: consumerStack,
    });
    expect(Stack.of(rule)).toBe(consumerStack);
    Template.fromStack(consumerStack).resourceCountIs('AWS::Events::Rule', 1);
    // The poller's stack keeps its own rules: CloudTrail records, watch requests, failed executions, the sweep.
    Template.fromStack(pollerStack).resourceCountIs('AWS::Events::Rule', 4);
  });

  test('WHEN a rule is made without crossStackScope THEN it is a child of the poller, in its stack', () => {
    const { pollerStack, poller } = twoStacks();
    const rule = poller.onImportEnded('ImportsEnded');
    expect(Stack.of(rule)).toBe(pollerStack);
    expect(rule.node.scope).toBe(poller);
  });
});

describe('GIVEN the options of a rule', () => {
  function pollerRule(options: ImportEventRuleOptions) {
    const stack = new Stack(new App(), 'Rules', { env: ENV });
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { eventSource: 'com.example.imports' });
    return { stack, poller, rule: poller.onImportFailed('Failed', options) };
  }

  test('WHEN eventPattern names another field THEN the rule takes only the events that also match it', () => {
    const { stack, poller, rule } = pollerRule({ eventPattern: { detail: { importTask: { format: ['CSV'] } } } });
    expect(ruleOf(stack, rule).EventPattern).toEqual({
      source: ['com.example.imports'],
      'detail-type': ['Neptune Analytics Import Task Status Change'],
      detail: { status: ['FAILED', 'CANCELLED', 'DELETED'], terminal: [true], importTask: { format: ['CSV'] } },
      resources: [{ Ref: stack.getLogicalId(poller.stateMachine.node.defaultChild as never) }],
    });
  });

  test('WHEN a name, a description and a target are given THEN the rule has them', () => {
    const queue = (stack: Stack) => new sqs.Queue(stack, 'Queue');
    const stack = new Stack(new App(), 'Rules', { env: ENV });
    const poller = new NeptuneImportTaskPoller(stack, 'Poller');
    const rule = poller.onImportFailed('Failed', {
      ruleName: 'imports-failed',
      description: 'Imports that failed',
      target: new targets.SqsQueue(queue(stack)),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'imports-failed',
      Description: 'Imports that failed',
      Targets: [Match.objectLike({ Arn: Match.anyValue() })],
    });
    expect(rule.node.id).toBe('Failed');
  });

  test.each<[string, string[], RegExp]>([
    ['graphIds is empty', [], /graphIds is empty/],
    ['a graph id is malformed', ['g-0123456789', 'my-graph'], /graphIds must be graph ids.*got "my-graph"/],
  ])('fails when %s, for a rule of the poller and of an imported poller alike', (_case, graphIds, message) => {
    expect(() => pollerRule({ graphIds })).toThrow(PollerPropsValidationError);
    expect(() => pollerRule({ graphIds })).toThrow(message);
    const { poller } = importedPoller();
    expect(() => poller.onImportSucceeded('Succeeded', { graphIds })).toThrow(message);
  });
});
