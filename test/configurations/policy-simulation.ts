/**
 * Evaluates AWS calls against the policies of a synthesized template with `@cloud-copilot/iam-simulate`:
 * the caller's identity policies (every `AWS::IAM::Policy` attached to its role, and the role's
 * inline policies) and the resource's policy (a key policy, a queue policy, or the statements a
 * function's `AWS::Lambda::Permission` resources make).
 */
import {
  runSimulation,
  runUnsafeSimulation,
  type EvaluationResult,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import type { ResolvedTemplate } from './template-resolver';

/** Who makes a call: a role of the template, by logical id, or an AWS service. */
export type Caller = { readonly role: string } | { readonly service: string };

/** One AWS call, with the resource and request context it has at run time. */
export interface RuntimeCall {
  /** Who makes it, for people: `the poll function`, `EventBridge`, … */
  readonly who: string;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Record<string, unknown>[];
}

/**
 * Actions the Service Authorization Reference lists without a resource type (so that a validated
 * simulation insists on `*`), which the service authorizes on a resource all the same:
 * Step Functions refuses SendTaskSuccess naming the state machine of the task token in its
 * AccessDeniedException. These are evaluated on that resource.
 */
const AUTHORIZED_ON_A_RESOURCE_THE_REFERENCE_OMITS: ReadonlySet<string> = new Set(['states:SendTaskSuccess']);

/**
 * Context keys of the form `kms:EncryptionContext:<key>`: the simulator knows the key pattern but
 * matches only patterns with a `/`, so a validated simulation drops them from the request.
 */
const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:/i;

/** Evaluates calls against one template's policies. */
export class PolicySimulator {
  constructor(private readonly template: ResolvedTemplate) {}

  /** The simulator's decision on `call`; throws when the simulator cannot run it. */
  public async decide(call: RuntimeCall): Promise<EvaluationResult> {
    const simulation: Simulation = {
      request: {
        principal: 'role' in call.caller ? this.roleArn(call.caller.role) : call.caller.service,
        action: call.action,
        resource: { resource: call.resource, accountId: this.template.deployment.account },
        contextVariables: call.context ?? {},
      },
      identityPolicies: 'role' in call.caller ? this.identityPolicies(call.caller.role) : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    const resourcePolicy = this.resourcePolicy(call.resource);
    if (AUTHORIZED_ON_A_RESOURCE_THE_REFERENCE_OMITS.has(call.action)) {
      return this.decideUnvalidated(simulation, resourcePolicy);
    }
    const validated = await runSimulation(
      { ...simulation, ...(resourcePolicy === undefined ? {} : { resourcePolicy }) },
      { simulationMode: 'Strict' },
    );
    if (validated.resultType === 'error') {
      throw new Error(`The simulator cannot run ${describeCall(call)}: ${JSON.stringify(validated.errors)}`);
    }
    const ignored = validated.resultType === 'single' ? (validated.result.ignoredContextKeys ?? []) : [];
    const unknown = ignored.filter((key) => !ENCRYPTION_CONTEXT.test(key));
    if (unknown.length > 0)
      throw new Error(`${describeCall(call)}: context keys the action does not have: ${unknown.join(', ')}`);
    return ignored.length === 0 ? validated.overallResult : this.decideUnvalidated(simulation, resourcePolicy);
  }

  /** The same evaluation, with the request's context as given (checked already, but for the encryption context). */
  private decideUnvalidated(simulation: Simulation, resourcePolicy: PolicyDocument | undefined): EvaluationResult {
    return runUnsafeSimulation(
      {
        ...simulation,
        // Named, as a validated policy carries its name: the simulator reports on the resource policy by name.
        ...(resourcePolicy === undefined
          ? {}
          : {
              resourcePolicy: {
                __validated: true,
                policyDocument: resourcePolicy,
                metadata: { name: 'resource policy' },
                errors: [],
              },
            }),
      },
      { simulationMode: 'Strict' },
    );
  }

  private roleArn(roleId: string): string {
    return this.template.getAtt(roleId, 'Arn');
  }

  /** Every policy of the role `roleId`: the policies attached to it and its inline policies; managed policies are refused. */
  private identityPolicies(roleId: string): { name: string; policy: PolicyDocument }[] {
    const role = this.template.resource(roleId);
    if (role.Properties?.ManagedPolicyArns !== undefined) throw new Error(`${roleId} has managed policies`);
    const inline = ((role.Properties?.Policies ?? []) as { PolicyName: unknown; PolicyDocument: unknown }[]).map(
      (policy) => ({
        name: this.template.resolveString(policy.PolicyName),
        policy: this.template.resolve(policy.PolicyDocument) as PolicyDocument,
      }),
    );
    const attached = this.template
      .idsOf('AWS::IAM::Policy')
      .filter((id) =>
        ((this.template.resource(id).Properties?.Roles ?? []) as unknown[]).some(
          (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
        ),
      )
      .map((id) => ({
        name: id,
        policy: this.template.resolve(this.template.resource(id).Properties!.PolicyDocument) as PolicyDocument,
      }));
    return [...inline, ...attached];
  }

  /** The resource policy of `arn`, when the template holds one: a key's, a queue's, or a function's permissions. */
  private resourcePolicy(arn: string): PolicyDocument | undefined {
    const t = this.template;
    const service = arn.split(':')[2];
    if (service === 'kms') {
      const id = t.idsOf('AWS::KMS::Key').find((key) => t.getAtt(key, 'Arn') === arn);
      return id === undefined ? undefined : (t.resolve(t.resource(id).Properties!.KeyPolicy) as PolicyDocument);
    }
    if (service === 'sqs') {
      const queue = t.idsOf('AWS::SQS::Queue').find((id) => t.getAtt(id, 'Arn') === arn);
      if (queue === undefined) return undefined;
      const url = t.ref(queue);
      const statements = t
        .idsOf('AWS::SQS::QueuePolicy')
        .filter((id) => (t.resolve(t.resource(id).Properties!.Queues) as string[]).includes(url))
        .flatMap((id) => (t.resolve(t.resource(id).Properties!.PolicyDocument) as PolicyDocument).Statement);
      return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
    }
    if (service === 'lambda') {
      const functionArn = arn.split(':').slice(0, 7).join(':');
      const statements = t
        .idsOf('AWS::Lambda::Permission')
        .map((id) => t.resolve(t.resource(id).Properties) as Record<string, string>)
        .filter((permission) => [functionArn, functionArn.split(':')[6]].includes(permission.FunctionName))
        .map((permission) => ({
          Effect: 'Allow',
          Principal: { Service: permission.Principal },
          Action: permission.Action,
          Resource: functionArn,
          ...(permission.SourceArn === undefined && permission.SourceAccount === undefined
            ? {}
            : {
                Condition: {
                  ...(permission.SourceArn === undefined ? {} : { ArnLike: { 'aws:SourceArn': permission.SourceArn } }),
                  ...(permission.SourceAccount === undefined
                    ? {}
                    : { StringEquals: { 'aws:SourceAccount': permission.SourceAccount } }),
                },
              }),
        }));
      return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
    }
    return undefined;
  }
}

/** A call, for people. */
export function describeCall(call: RuntimeCall): string {
  const context = call.context === undefined ? '' : ` ${JSON.stringify(call.context)}`;
  return `${call.who}: ${call.action} on ${call.resource}${context}`;
}
