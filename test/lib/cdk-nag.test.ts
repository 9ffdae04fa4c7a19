/**
 * The AwsSolutions rule pack of cdk-nag over the poller: no finding left, and every
 * acknowledgement narrow (one finding), holding only the actions it names, and explained.
 */
import { App, Stack, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
// How cdk-nag itself spells a resource in a finding id.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';
import { NeptuneImportTaskPoller } from '../../lib/main';
import { NeptuneImportPollerStack } from '../../bin/neptune-import-poller-stack';

const ACKNOWLEDGED = 'aws:cdk:acknowledged-rules';

interface Acknowledgement {
  readonly on: IConstruct;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(stack: Stack): Acknowledgement[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === ACKNOWLEDGED)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          on: construct,
          id: id.replace(/^Annotation::/i, ''),
          reason,
        })),
      ),
  );
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/**
 * The actions an acknowledged `AwsSolutions-IAM5[Resource::…]` finding lets through: those of
 * the Allow statements, in the policies at or below the acknowledging construct (cdk-nag looks
 * up from each policy), that name the acknowledged resource.
 */
function actionsCoveredBy(ack: Acknowledgement): string[] {
  const stack = Stack.of(ack.on);
  const documents = ack.on.node.findAll().flatMap((construct): { Statement?: PolicyStatementJson[] }[] => {
    if (construct instanceof iam.CfnPolicy) return [stack.resolve(construct.policyDocument)];
    if (construct instanceof iam.CfnRole) {
      const inline = (stack.resolve(construct.policies) ?? []) as { policyDocument: unknown }[];
      return inline.map((policy) => stack.resolve(policy.policyDocument));
    }
    return [];
  });
  return documents
    .flatMap((document) => document.Statement ?? [])
    .filter((statement) => statement.Effect === 'Allow')
    .filter((statement) =>
      [statement.Resource]
        .flat()
        .some((resource) => `AwsSolutions-IAM5[Resource::${flattenCfnReference(resource)}]` === ack.id),
    )
    .flatMap((statement) => [statement.Action].flat())
    .sort();
}

describe('cdk-nag AwsSolutions', () => {
  test('GIVEN the deployable stack THEN no unacknowledged finding', () => {
    const app = new App();
    const stack = new NeptuneImportPollerStack(app, 'NagStack');
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('GIVEN the construct in a stack of its own THEN no unacknowledged finding either', () => {
    const stack = new Stack(new App(), 'Consumer');
    new NeptuneImportTaskPoller(stack, 'Imports', { emitStatusChanges: true, graphIds: ['g-0123456789'] });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  describe('GIVEN the acknowledgements', () => {
    const stack = new NeptuneImportPollerStack(new App(), 'AckStack');
    const { poller } = stack;
    const pollFunctionId = stack.getLogicalId(poller.pollFunction.node.defaultChild as CfnResource);
    const stateMachineId = stack.getLogicalId(poller.stateMachine.node.defaultChild as CfnResource);
    const acks = acknowledgements(stack);
    const expected = [
      {
        on: poller.pollFunction.role!,
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:neptune-graph:<AWS::Region>:<AWS::AccountId>:import-task/*]',
        actions: ['neptune-graph:GetImportTask'],
        reasonNames: ['GetImportTask', 'import tasks'],
      },
      {
        on: poller.stateMachine.role,
        id: `AwsSolutions-IAM5[Resource::<${pollFunctionId}.Arn>:*]`,
        actions: ['lambda:InvokeFunction'],
        reasonNames: ['poll function', 'every version', 'earlier deploys'],
      },
      {
        on: poller.stateMachine.role,
        id: 'AwsSolutions-IAM5[Resource::*]',
        actions: [
          'logs:CreateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:DescribeLogGroups',
          'logs:DescribeResourcePolicies',
          'logs:GetLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:UpdateLogDelivery',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ],
        reasonNames: ['X-Ray', 'CloudWatch Logs', 'log delivery'],
      },
      {
        on: poller.startFunction.role!,
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${stateMachineId}.Name>:*]`,
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        reasonNames: ['DescribeExecution', 'GetExecutionHistory', "this state machine's executions"],
      },
      {
        on: poller.sweepFunction!.role!,
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:neptune-graph:<AWS::Region>:<AWS::AccountId>:import-task/*]',
        actions: ['neptune-graph:GetImportTask', 'neptune-graph:ListImportTasks'],
        reasonNames: ['ListImportTasks', 'every import task', 'GetImportTask'],
      },
      {
        on: poller.sweepFunction!.role!,
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${stateMachineId}.Name>:*]`,
        actions: ['states:DescribeExecution'],
        reasonNames: ['DescribeExecution', "this state machine's executions"],
      },
    ];
    const path = (ack: { on: IConstruct }): string => ack.on.node.path;
    const named = (ack: { on: IConstruct; id: string }) =>
      acks.find((candidate) => candidate.id === ack.id && path(candidate) === path(ack))!;

    test('THEN they are exactly these findings, each on the one role that holds it', () => {
      const sorted = (list: { on: IConstruct; id: string }[]) => list.map((ack) => [path(ack), ack.id]).sort();
      expect(sorted(acks)).toEqual(sorted(expected));
    });

    test.each(expected.map((ack) => [`${ack.id} on ${path(ack)}`, ack]))(
      'THEN %s lets through only the actions it was acknowledged for',
      (_id, ack) => {
        expect(actionsCoveredBy(named(ack))).toEqual(ack.actions);
      },
    );

    test.each(expected.map((ack) => [`${ack.id} on ${path(ack)}`, ack]))(
      'THEN the reason for %s names what it covers',
      (_id, ack) => {
        const { reason } = named(ack);
        for (const name of ack.reasonNames) expect(reason).toContain(name);
      },
    );
  });

  test('GIVEN a new wildcard outside the acknowledged roles THEN it is reported', () => {
    const stack = new NeptuneImportPollerStack(new App(), 'Leaky');
    stack.poller.startFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
    );
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-IAM5[Resource::*]');
  });
});
