/**
 * The AWS calls a poller makes at run time, each with its caller, its concrete resource and its
 * request context (encryption context included), as docs/operations.md#permissions lists them;
 * and calls nothing of the poller needs, which must be refused.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { IConstruct } from 'constructs';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE } from '../../lib/events';
import { PARKED_WATCHES_INDEX } from '../../lib/sweep-contract';
import { ACCOUNT, REGION, type PollerUnderTest } from './configurations';
import type { Caller, RuntimeCall } from './policy-simulation';
import type { ResolvedTemplate } from './template-resolver';

const TASK_ID = 't-0123456789';
const OTHER_ACCOUNT = '210987654321';

/** The calls a poller needs allowed, and calls it must be refused. */
export interface PollerCalls {
  readonly needed: RuntimeCall[];
  readonly refused: RuntimeCall[];
}

/** The calls of `under`, whose stack's template is `template`. */
export function pollerCalls(under: PollerUnderTest, template: ResolvedTemplate): PollerCalls {
  const { poller, key, ownDeadLetterQueue } = under;
  const stack = Stack.of(poller);
  const value = (token: string): string => template.resolveString(stack.resolve(token));
  const roleOf = (construct: { role?: { node: IConstruct['node'] } }): Caller => ({
    role: stack.getLogicalId(construct.role!.node.defaultChild as CfnResource),
  });
  const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);

  const stateMachineArn = value(poller.stateMachine.stateMachineArn);
  const stateMachineName = template.physicalName(logicalId(poller.stateMachine));
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stateMachineName}:${TASK_ID}`;
  const otherStateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:SomeoneElses`;
  const importTaskArn = `arn:aws:neptune-graph:${REGION}:${ACCOUNT}:import-task/${TASK_ID}`;
  const busArn = value(poller.eventBus.eventBusArn);
  const queueArn = value(poller.deadLetterQueue.queueArn);
  const keyArn = key === undefined ? undefined : value(key.keyArn);
  const tableArn = poller.watchTable === undefined ? undefined : value(poller.watchTable.tableArn);
  const tableName = poller.watchTable === undefined ? undefined : value(poller.watchTable.tableName);
  const sweepArn = poller.sweepFunction === undefined ? undefined : value(poller.sweepFunction.functionArn);

  const pollFn = roleOf(poller.pollFunction);
  const startFn = roleOf(poller.startFunction);
  const sweepFn = poller.sweepFunction === undefined ? undefined : roleOf(poller.sweepFunction);
  const machine: Caller = { role: logicalId(poller.stateMachine.role) };
  const eventBridge: Caller = { service: 'events.amazonaws.com' };
  const logsService: Caller = { service: `logs.${REGION}.amazonaws.com` };

  const call = (who: string, caller: Caller, action: string, resource: string, context?: RuntimeCall['context']) => ({
    who,
    caller,
    action,
    resource,
    ...(context === undefined ? {} : { context }),
  });
  /** A call of Step Functions on an encrypted state machine's data, which uses its key under its ARN. */
  const executionData = (who: string, caller: Caller, action: string) =>
    call(who, caller, action, keyArn!, { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn });
  const tableData = (who: string, caller: Caller, action: string) =>
    call(who, caller, action, keyArn!, {
      'kms:EncryptionContext:aws:dynamodb:tableName': tableName!,
      'kms:EncryptionContext:aws:dynamodb:subscriberId': ACCOUNT,
    });
  /** Writing its own log group, which every function does. */
  const functionBasics = (who: string, caller: Caller, logGroupArn: string) => {
    const stream = logGroupArn.replace(/\*$/, 'log-stream:2026/12/01/[$LATEST]0123456789abcdef');
    return [call(who, caller, 'logs:CreateLogStream', stream), call(who, caller, 'logs:PutLogEvents', stream)];
  };
  /** Uploading traces, which no function does: the functions do not trace. */
  const traceUpload = (who: string, caller: Caller) => [
    call(who, caller, 'xray:PutTraceSegments', '*'),
    call(who, caller, 'xray:PutTelemetryRecords', '*'),
  ];
  const putEvents = (who: string, caller: Caller, bus: string, source: string, detailType: string) =>
    call(who, caller, 'events:PutEvents', bus, { 'events:source': [source], 'events:detail-type': [detailType] });

  const needed: RuntimeCall[] = [];
  const refused: RuntimeCall[] = [];

  // The poll function.
  const poll = 'the poll function';
  needed.push(
    call(poll, pollFn, 'neptune-graph:GetImportTask', importTaskArn),
    ...functionBasics(poll, pollFn, value(poller.pollLogGroup.logGroupArn)),
  );
  refused.push(
    putEvents(poll, pollFn, busArn, poller.eventSource, STATUS_CHANGE_DETAIL_TYPE),
    call(poll, pollFn, 'neptune-graph:GetImportTask', importTaskArn.replace(REGION, 'eu-west-1')),
    call(poll, pollFn, 'neptune-graph:CancelImportTask', importTaskArn),
    call(poll, pollFn, 'states:StartExecution', stateMachineArn),
    call(poll, pollFn, 'states:DescribeExecution', executionArn),
    ...traceUpload(poll, pollFn),
  );

  // The start function.
  const start = 'the start function';
  needed.push(
    call(start, startFn, 'states:StartExecution', stateMachineArn),
    call(start, startFn, 'states:DescribeExecution', executionArn),
    call(start, startFn, 'states:GetExecutionHistory', executionArn),
    call(start, startFn, 'sqs:SendMessage', queueArn),
    ...functionBasics(start, startFn, value(poller.startLogGroup.logGroupArn)),
  );
  if (sweepArn !== undefined) {
    needed.push(call(start, startFn, 'lambda:InvokeFunction', sweepArn));
    refused.push(call(start, startFn, 'lambda:InvokeFunction', `${sweepArn}:1`));
  }
  if (keyArn !== undefined) {
    needed.push(
      executionData(`${start} starting an execution`, startFn, 'kms:GenerateDataKey'),
      executionData(`${start} reading an execution`, startFn, 'kms:Decrypt'),
    );
    if (!ownDeadLetterQueue) {
      const queueData = { 'kms:EncryptionContext:aws:sqs:arn': queueArn };
      needed.push(
        call(`${start} sending to the queue`, startFn, 'kms:GenerateDataKey', keyArn, queueData),
        call(`${start} sending to the queue`, startFn, 'kms:Decrypt', keyArn, queueData),
      );
    } else {
      refused.push(
        call(start, startFn, 'kms:Decrypt', keyArn, {
          'kms:EncryptionContext:aws:states:stateMachineArn': otherStateMachineArn,
        }),
      );
    }
  }
  refused.push(
    call(start, startFn, 'states:StartExecution', otherStateMachineArn),
    call(start, startFn, 'lambda:InvokeFunction', value(poller.pollFunction.functionArn)),
    call(start, startFn, 'neptune-graph:GetImportTask', importTaskArn),
    putEvents(start, startFn, busArn, poller.eventSource, STATUS_CHANGE_DETAIL_TYPE),
    ...traceUpload(start, startFn),
  );

  // The sweep function.
  if (sweepFn !== undefined) {
    const sweep = 'the sweep function';
    needed.push(
      call(sweep, sweepFn, 'neptune-graph:ListImportTasks', `arn:aws:neptune-graph:${REGION}:${ACCOUNT}:import-task/*`),
      call(sweep, sweepFn, 'neptune-graph:GetImportTask', importTaskArn),
      ...['BatchGetItem', 'PutItem', 'UpdateItem', 'DescribeTable'].map((action) =>
        call(sweep, sweepFn, `dynamodb:${action}`, tableArn!),
      ),
      call(sweep, sweepFn, 'dynamodb:Scan', `${tableArn!}/index/${PARKED_WATCHES_INDEX.indexName}`),
      call(sweep, sweepFn, 'states:SendTaskSuccess', stateMachineArn),
      call(sweep, sweepFn, 'states:StartExecution', stateMachineArn),
      call(sweep, sweepFn, 'states:DescribeExecution', executionArn),
      ...functionBasics(sweep, sweepFn, value(poller.sweepLogGroup!.logGroupArn)),
    );
    if (keyArn !== undefined) {
      needed.push(
        tableData(`${sweep} reading the table`, sweepFn, 'kms:Decrypt'),
        tableData(`${sweep} writing the table`, sweepFn, 'kms:GenerateDataKey'),
        executionData(`${sweep} starting an execution or waking one`, sweepFn, 'kms:GenerateDataKey'),
        executionData(`${sweep} reading an execution`, sweepFn, 'kms:Decrypt'),
      );
    }
    refused.push(
      call(sweep, sweepFn, 'dynamodb:Scan', tableArn!),
      call(sweep, sweepFn, 'dynamodb:DeleteItem', tableArn!),
      call(sweep, sweepFn, 'states:StartExecution', otherStateMachineArn),
      putEvents(sweep, sweepFn, busArn, poller.eventSource, STATUS_CHANGE_DETAIL_TYPE),
      ...traceUpload(sweep, sweepFn),
    );
  }

  // The state machine's own integrations.
  const sm = 'the state machine';
  needed.push(
    // The version the definition was deployed with, and those of executions begun under earlier deploys.
    call(sm, machine, 'lambda:InvokeFunction', value(poller.pollFunction.currentVersion.functionArn)),
    call(sm, machine, 'lambda:InvokeFunction', `${value(poller.pollFunction.functionArn)}:7`),
    putEvents(sm, machine, busArn, poller.eventSource, STATUS_CHANGE_DETAIL_TYPE),
    putEvents(sm, machine, busArn, poller.eventSource, MONITORING_FAILED_DETAIL_TYPE),
    // The hand-over of an execution started directly under a name of its own: a watch request of its own source.
    putEvents(`${sm} handing a task over`, machine, busArn, poller.eventSource, WATCH_REQUEST_DETAIL_TYPE),
    call(sm, machine, 'states:StartExecution', stateMachineArn),
    call(sm, machine, 'xray:PutTraceSegments', '*'),
  );
  if (tableArn !== undefined) {
    needed.push(call(sm, machine, 'dynamodb:PutItem', tableArn));
    if (keyArn !== undefined) needed.push(tableData(`${sm} parking a wait`, machine, 'kms:GenerateDataKey'));
  }
  if (keyArn !== undefined) {
    needed.push(
      executionData(`${sm} writing its execution data`, machine, 'kms:GenerateDataKey'),
      executionData(`${sm} reading its execution data`, machine, 'kms:Decrypt'),
    );
    // With the sweep, the table's grant lets the role use the key whatever the context.
    if (tableArn === undefined) {
      refused.push(
        call(sm, machine, 'kms:Decrypt', keyArn, {
          'kms:EncryptionContext:aws:states:stateMachineArn': otherStateMachineArn,
        }),
      );
    }
  }
  refused.push(
    putEvents(`${sm}, forging another source`, machine, busArn, 'com.example.forged', STATUS_CHANGE_DETAIL_TYPE),
    putEvents(
      `${sm}, a watch request of another source`,
      machine,
      busArn,
      'com.example.forged',
      WATCH_REQUEST_DETAIL_TYPE,
    ),
    putEvents(
      sm,
      machine,
      `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/another-bus`,
      poller.eventSource,
      STATUS_CHANGE_DETAIL_TYPE,
    ),
    call(sm, machine, 'states:StartExecution', otherStateMachineArn),
    call(sm, machine, 'lambda:InvokeFunction', value(poller.startFunction.functionArn)),
    // Never the unqualified function, whose code a deploy replaces under running executions.
    call(sm, machine, 'lambda:InvokeFunction', value(poller.pollFunction.functionArn)),
  );

  // EventBridge: the rules' deliveries to the functions and, for what they could not deliver, to the queue.
  const triggers: events.Rule[] = [poller.apiCallRule, poller.watchRequestRule, poller.executionFailedRule].filter(
    (rule): rule is events.Rule => rule !== undefined,
  );
  const delivering = (rule: events.Rule) => ({
    'aws:SourceArn': value(rule.ruleArn),
    'aws:SourceAccount': ACCOUNT,
  });
  const queueHasPolicy = template.idsOf('AWS::SQS::QueuePolicy').length > 0;
  for (const rule of triggers) {
    const who = `EventBridge for ${rule.node.id}`;
    needed.push(
      call(who, eventBridge, 'lambda:InvokeFunction', value(poller.startFunction.functionArn), delivering(rule)),
    );
    if (queueHasPolicy) needed.push(call(who, eventBridge, 'sqs:SendMessage', queueArn, delivering(rule)));
    if (keyArn !== undefined && !ownDeadLetterQueue) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        needed.push(
          call(`${who}, to the encrypted queue`, eventBridge, action, keyArn, {
            ...delivering(rule),
            'kms:EncryptionContext:aws:sqs:arn': queueArn,
          }),
        );
      }
    }
  }
  if (poller.sweepFunction !== undefined) {
    const schedule = poller.node.findChild('Sweep').node.findChild('Schedule') as events.Rule;
    needed.push(
      call('EventBridge for the sweep', eventBridge, 'lambda:InvokeFunction', sweepArn!, delivering(schedule)),
    );
  }
  const foreignRule = {
    'aws:SourceArn': `arn:aws:events:${REGION}:${OTHER_ACCOUNT}:rule/${triggers[0].node.id}`,
    'aws:SourceAccount': OTHER_ACCOUNT,
  };
  refused.push(
    call(
      'EventBridge for another account',
      eventBridge,
      'lambda:InvokeFunction',
      value(poller.startFunction.functionArn),
      foreignRule,
    ),
  );
  if (keyArn !== undefined && !ownDeadLetterQueue) {
    refused.push(
      call('EventBridge for another account', eventBridge, 'kms:GenerateDataKey', keyArn, {
        ...foreignRule,
        'kms:EncryptionContext:aws:sqs:arn': queueArn,
      }),
    );
  }

  // CloudWatch Logs, writing the poller's log groups with the key.
  if (keyArn !== undefined) {
    const logGroups = [poller.pollLogGroup, poller.startLogGroup, poller.stateMachineLogGroup, poller.sweepLogGroup];
    for (const logGroup of logGroups.filter((group) => group !== undefined)) {
      const logContext = {
        'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${value(logGroup.logGroupName)}`,
      };
      for (const action of ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt']) {
        needed.push(call(`CloudWatch Logs for ${logGroup.node.id}`, logsService, action, keyArn, logContext));
      }
      refused.push(
        call(
          `CloudWatch Logs of another region for ${logGroup.node.id}`,
          { service: 'logs.eu-west-1.amazonaws.com' },
          'kms:GenerateDataKey',
          keyArn,
          logContext,
        ),
      );
    }
    refused.push(
      call('CloudWatch Logs for a log group of another account', logsService, 'kms:Decrypt', keyArn, {
        'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${OTHER_ACCOUNT}:log-group:theirs`,
      }),
    );
  }
  return { needed, refused };
}
