/**
 * The AwsSolutions rule pack of cdk-nag over the poller: no finding left, and every
 * acknowledgement narrow (one finding) and explained.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NeptuneImportPollerStack, NeptuneImportTaskPoller } from '../../lib';

const ACKNOWLEDGED = 'aws:cdk:acknowledged-rules';

function acknowledgements(stack: Stack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === ACKNOWLEDGED)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
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

  test('GIVEN the acknowledgements THEN each names one finding on one role, with a reason', () => {
    const stack = new NeptuneImportPollerStack(new App(), 'AckStack');
    const acks = acknowledgements(stack);

    expect(acks.map((ack) => [ack.path.replace('AckStack/Poller/', ''), ack.id.replace(/^Annotation::/i, '')])).toEqual(
      [
        [
          'PollFunctionRole',
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:neptune-graph:<AWS::Region>:<AWS::AccountId>:import-task/*]',
        ],
        [
          'StateMachine/Role',
          expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<PollerPollFunction[0-9A-F]+\.Arn>:\*\]$/),
        ],
        ['StateMachine/Role', 'AwsSolutions-IAM5[Resource::*]'],
      ],
    );
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
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
