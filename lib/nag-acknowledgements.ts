/**
 * Acknowledgements of cdk-nag findings, written so that both lines of cdk-nag read them: cdk-nag 3
 * (`Validations.of(app).addPlugins(...)`) reads acknowledgements made with `Validations`, cdk-nag
 * 2 (`Aspects.of(app).add(...)`) reads `cdk_nag` metadata on each CloudFormation resource. Neither
 * is loaded here: the library has no dependency on cdk-nag.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The rule that reports wildcards in IAM policies. */
const WILDCARD_RULE = 'AwsSolutions-IAM5';

/** The metadata key cdk-nag 2 reads its suppressions from. */
const NAG_METADATA = 'cdk_nag';

interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
}

/**
 * How cdk-nag spells a resolved policy value in a finding: references as `<LogicalId>` or
 * `<LogicalId.Attribute>`, joins concatenated, anything else as its JSON.
 */
export function nagFindingText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return `<${record.Ref}>`;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
  const join = record['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    return (join[1] as unknown[]).map(nagFindingText).join(String(join[0]));
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges, on `scope` and every resource below it, the wildcard finding cdk-nag reports for
 * `resource` (a policy statement's resource, tokens allowed), with `reason`. The finding is
 * spelled as cdk-nag spells it for this stack: `arn:<AWS::Partition>:…` in an environment-agnostic
 * stack, the literal partition, region and account in a stack with an `env`.
 */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  const finding = `Resource::${nagFindingText(Stack.of(scope).resolve(resource))}`;
  Validations.of(scope).acknowledge({ id: `${WILDCARD_RULE}[${finding}]`, reason });
  addNagSuppression(scope, { id: WILDCARD_RULE, reason, applies_to: [finding] });
}

/** Adds `suppression` to the `cdk_nag` metadata of every CloudFormation resource at or below `scope`. */
function addNagSuppression(scope: IConstruct, suppression: NagSuppression): void {
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof CfnResource)) continue;
    const existing = (construct.getMetadata(NAG_METADATA) as { rules_to_suppress?: NagSuppression[] } | undefined)
      ?.rules_to_suppress;
    const rules = [...(existing ?? [])];
    if (!rules.some((rule) => JSON.stringify(rule) === JSON.stringify(suppression))) rules.push(suppression);
    construct.addMetadata(NAG_METADATA, { rules_to_suppress: rules });
  }
}
