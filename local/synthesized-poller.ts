/**
 * Synthesizes the poller's stack, exactly as `cdk deploy` would, and reads back what a local
 * run needs: the state machine's definition (with CloudFormation references resolved to
 * local ARNs) and which function each Lambda ARN stands for.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnResource } from 'aws-cdk-lib';
import { NeptuneImportPollerStack } from '../bin/neptune-import-poller-stack';
import type { NeptuneImportTaskPollerProps } from '../lib/poller-props';
import type { PollerConfig } from '../lib/poller-config';
import { POLLER_STATE_NAMES } from '../lib/state-names';

/** Account and region the local ARNs use. */
const LOCAL_ACCOUNT = '123456789012';
/** Region the local ARNs use. */
export const LOCAL_REGION = 'us-east-1';

/** What a local run needs from the synthesized stack. */
export interface SynthesizedPoller {
  /** The state machine definition, as deployed, with references resolved. */
  readonly definition: Record<string, unknown>;
  /** ARN the definition invokes the poll function by: that of its published version. */
  readonly pollFunctionArn: string;
  /** ARN of the state machine. */
  readonly stateMachineArn: string;
  /** ARN of the bus events are put on. */
  readonly eventBusArn: string;
  /** `source` of the events. */
  readonly eventSource: string;
  /** The poller's name (`serviceName`), which its watch requests may name. */
  readonly serviceName: string;
  /** The synthesized template. */
  readonly template: Record<string, unknown>;
  /** Event patterns of the trigger rules, by rule construct id. */
  readonly rulePatterns: Readonly<Record<string, unknown>>;
  /** The watch table's name, as the definition's park task writes to it; undefined without the sweep. */
  readonly watchTableName?: string;
  /** The sweep as deployed; undefined when the poller has none. */
  readonly sweep?: SynthesizedSweep;
}

/** The sweep of a synthesized poller. */
export interface SynthesizedSweep {
  /** Seconds between two sweeps, as the poll function's config has it. */
  readonly periodSeconds: number;
  /** The sweep function's environment variables, references resolved to local values. */
  readonly environment: Readonly<Record<string, string>>;
  /** The sweep function's timeout, in seconds, as deployed. */
  readonly timeoutSeconds: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** ARN a resource gets in local runs, from its logical id and type. */
function localArn(logicalId: string, type: string | undefined): string {
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
    // A published version: the function's ARN and a number; the version's logical id stands for both.
    case 'AWS::Lambda::Version':
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}:1`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${logicalId}`;
    case 'AWS::Events::EventBus':
      return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${logicalId}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${logicalId}`;
    default:
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
  }
}

function asText(value: Json): string {
  if (typeof value === 'string') return value;
  throw new Error(`Expected a string after resolving references; got ${JSON.stringify(value)}`);
}

/** Resolves `Ref`, `Fn::GetAtt` and `Fn::Join` against local values. */
function resolveIntrinsics(value: Json, resources: Record<string, { Type?: string }>): Json {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, resources));
  if (value === null || typeof value !== 'object') return value;
  if ('Ref' in value) {
    const ref = value.Ref as string;
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    // A table's Ref is its name: the logical id stands for it.
    if (resources[ref]?.Type === 'AWS::DynamoDB::Table') return ref;
    return pseudo[ref] ?? localArn(ref, resources[ref]?.Type);
  }
  if ('Fn::GetAtt' in value) {
    const [logicalId] = value['Fn::GetAtt'] as string[];
    return localArn(logicalId, resources[logicalId]?.Type);
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map((part) => asText(resolveIntrinsics(part, resources))).join(separator);
  }
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolveIntrinsics(child, resources)]));
}

/** Synthesizes the poller's stack with `props` and extracts what a local run needs. */
export function synthesizePoller(props: NeptuneImportTaskPollerProps = {}): SynthesizedPoller {
  // The template is the same with or without CloudFormation's schema validation, which `cdk synth` runs (as errors,
  // cdk.json) and test/lib/cloudformation-validation.test.ts runs on the same stack; here it would add 3 s to every run.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new NeptuneImportPollerStack(app, 'NeptuneImportPoller', { poller: props });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type?: string; Properties?: Record<string, Json> }>;
  };
  const resources = template.Resources;
  const logicalId = (resource: CfnResource): string => stack.getLogicalId(resource);
  const stateMachineId = logicalId(stack.poller.stateMachine.node.defaultChild as CfnResource);
  // The definition invokes the poll function's published version, not the function itself; its logical id ends
  // with a hash of the code, known only in the template.
  const pollFunctionId = logicalId(stack.poller.pollFunction.node.defaultChild as CfnResource);
  const pollVersionId = Object.keys(resources).find(
    (id) =>
      resources[id].Type === 'AWS::Lambda::Version' &&
      JSON.stringify(resources[id].Properties?.FunctionName) === JSON.stringify({ Ref: pollFunctionId }),
  );
  if (pollVersionId === undefined) throw new Error('The template publishes no version of the poll function');
  const definitionString = resources[stateMachineId].Properties?.DefinitionString as Json;
  const definition = JSON.parse(asText(resolveIntrinsics(definitionString, resources))) as Record<string, unknown>;
  const rulePatterns: Record<string, unknown> = {};
  for (const rule of [stack.poller.apiCallRule, stack.poller.watchRequestRule, stack.poller.executionFailedRule]) {
    if (rule === undefined) continue;
    const id = logicalId(rule.node.defaultChild as CfnResource);
    const pattern = resources[id].Properties?.EventPattern;
    rulePatterns[rule.node.id] = pattern === undefined ? undefined : resolveIntrinsics(pattern, resources);
  }
  const pollState = (definition.States as Record<string, { Parameters?: { config?: PollerConfig } }>)[
    POLLER_STATE_NAMES.poll
  ];
  const periodSeconds = pollState?.Parameters?.config?.sweep?.periodSeconds;
  const { watchTable, sweepFunction } = stack.poller;
  const sweepProperties =
    sweepFunction === undefined
      ? undefined
      : resources[logicalId(sweepFunction.node.defaultChild as CfnResource)].Properties;
  const sweepEnvironment = sweepProperties?.Environment as { Variables?: Record<string, Json> } | undefined;
  // Lambda's own default when the template names none.
  const sweepTimeoutSeconds = typeof sweepProperties?.Timeout === 'number' ? sweepProperties.Timeout : 3;
  return {
    ...(watchTable === undefined ? {} : { watchTableName: logicalId(watchTable.node.defaultChild as CfnResource) }),
    ...(periodSeconds === undefined || sweepEnvironment === undefined
      ? {}
      : {
          sweep: {
            periodSeconds,
            timeoutSeconds: sweepTimeoutSeconds,
            environment: Object.fromEntries(
              Object.entries(sweepEnvironment.Variables ?? {}).map(([key, value]) => [
                key,
                asText(resolveIntrinsics(value, resources)),
              ]),
            ),
          },
        }),
    definition,
    pollFunctionArn: localArn(pollVersionId, 'AWS::Lambda::Version'),
    stateMachineArn: localArn(stateMachineId, 'AWS::StepFunctions::StateMachine'),
    eventBusArn: asText(resolveIntrinsics(stack.resolve(stack.poller.eventBus.eventBusArn) as Json, resources)),
    eventSource: stack.poller.eventSource,
    serviceName: stack.poller.serviceName,
    template: template,
    rulePatterns,
  };
}
