import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NeptuneImportTaskPoller, PollerPropsValidationError } from '../../lib/main';

type Json = Record<string, unknown>;

function synth(withKey = true) {
  const stack = new Stack(new App(), 'Encrypted', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key');
  const poller = new NeptuneImportTaskPoller(stack, 'Poller', withKey ? { encryptionKey: key } : {});
  return { stack, key, poller, template: Template.fromStack(stack) };
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as never);

const actionsOf = (statement: Json): string[] =>
  Array.isArray(statement.Action) ? (statement.Action as string[]) : [statement.Action as string];

/** Statements of every policy attached to `roleId`. */
function statementsOfRole(template: Template, roleId: string): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
}

/** Whether the role may encrypt and decrypt with the key. */
function roleUsesKey(template: Template, roleId: string, keyId: string): boolean {
  return statementsOfRole(template, roleId).some(
    (statement) =>
      JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] }) &&
      actionsOf(statement).includes('kms:GenerateDataKey') &&
      actionsOf(statement).includes('kms:Decrypt'),
  );
}

describe('GIVEN a customer-managed key', () => {
  const { stack, key, poller, template } = synth();
  const keyId = idOf(stack, key);
  const keyPolicy = () =>
    (template.findResources('AWS::KMS::Key')[keyId].Properties.KeyPolicy as { Statement: Json[] }).Statement;

  test('THEN the four log groups are encrypted with it, and CloudWatch Logs of the region may use it', () => {
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }, 4);
    const logs = keyPolicy().find((s) => JSON.stringify(s.Principal).includes('logs.eu-west-1.amazonaws.com'))!;
    expect(actionsOf(logs)).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']));
    expect(JSON.stringify(logs.Condition)).toContain('kms:EncryptionContext:aws:logs:arn');
  });

  test('THEN the dead-letter queue is encrypted with it, and every writer of the queue may use it', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    // EventBridge, delivering triggers its rules could not.
    const eventBridge = keyPolicy().find((s) => JSON.stringify(s.Principal).includes('events.amazonaws.com'))!;
    expect(actionsOf(eventBridge).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    // The start function: Lambda's own dead-letter delivery and the malformed triggers it keeps both use its role.
    expect(roleUsesKey(template, idOf(stack, poller.startFunction.role!), keyId)).toBe(true);
  });

  test("THEN the state machine's execution data is encrypted with it, and the state machine may use it", () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      EncryptionConfiguration: Match.objectLike({
        Type: 'CUSTOMER_MANAGED_KMS_KEY',
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      }),
    });
    expect(roleUsesKey(template, idOf(stack, poller.stateMachine.role), keyId)).toBe(true);
  });

  test("THEN the sweep's table is encrypted with it, and the sweep may use it", () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    expect(roleUsesKey(template, idOf(stack, poller.sweepFunction!.role!), keyId)).toBe(true);
  });
});

describe('GIVEN no key', () => {
  const { template } = synth(false);

  test('THEN nothing refers to the key, and the queue and table keep their AWS-managed encryption', () => {
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue() }, 0);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true } });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/CUSTOMER_MANAGED_KMS_KEY/);
  });
});

test('GIVEN a key and another encryption for the queue THEN the props are refused, saying which to drop', () => {
  const stack = new Stack(new App(), 'Both');
  const key = new kms.Key(stack, 'Key');
  expect(
    () =>
      new NeptuneImportTaskPoller(stack, 'Poller', {
        encryptionKey: key,
        deadLetterQueueProps: { encryption: sqs.QueueEncryption.SQS_MANAGED },
      }),
  ).toThrow(PollerPropsValidationError);
});

test('GIVEN a key in an account and region of its own THEN cdk-nag finds nothing unacknowledged', () => {
  const stack = new Stack(new App(), 'Nagged', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  new NeptuneImportTaskPoller(stack, 'Poller', { encryptionKey: key });
  expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
});

describe("GIVEN a customer-managed key, the sweep off and the user's own dead-letter queue", () => {
  const stack = new Stack(new App(), 'OwnQueue', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key');
  const poller = new NeptuneImportTaskPoller(stack, 'Poller', {
    encryptionKey: key,
    sweep: { enabled: false },
    deadLetterQueue: new sqs.Queue(stack, 'Mine'),
  });
  const template = Template.fromStack(stack);
  const executionData = {
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: { 'Fn::GetAtt': [idOf(stack, key), 'Arn'] },
    Condition: {
      StringEquals: {
        'kms:EncryptionContext:aws:states:stateMachineArn': { Ref: idOf(stack, poller.stateMachine) },
      },
    },
  };

  test("THEN the state machine may use the key under its own full ARN, in a policy apart from the role's default one", () => {
    const roleId = idOf(stack, poller.stateMachine.role);
    expect(statementsOfRole(template, roleId)).toContainEqual(executionData);
    const policyId = idOf(stack, poller.node.findChild('ExecutionDataKeyPolicy'));
    expect(template.findResources('AWS::IAM::Policy')[policyId].Properties.PolicyDocument.Statement).toEqual([
      executionData,
    ]);
    // Nothing starts a watch before the state machine can use the key.
    expect(template.findResources('AWS::Lambda::Function')[idOf(stack, poller.startFunction)].DependsOn).toContain(
      policyId,
    );
  });

  test('THEN the start function may use the key under the state machine ARN, for its StartExecution and reads', () => {
    expect(statementsOfRole(template, idOf(stack, poller.startFunction.role!))).toContainEqual(executionData);
  });
});

test("GIVEN a customer-managed key THEN EventBridge may use it for this account's rules only", () => {
  const { stack, key, template } = synth();
  const policy = template.findResources('AWS::KMS::Key')[idOf(stack, key)].Properties.KeyPolicy as {
    Statement: Json[];
  };
  const eventBridge = policy.Statement.find((s) => JSON.stringify(s.Principal).includes('events.amazonaws.com'))!;
  expect(eventBridge.Condition).toEqual({
    StringEquals: { 'aws:SourceAccount': '111122223333' },
    ArnLike: {
      'aws:SourceArn': {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:rule/*']],
      },
    },
  });
});
