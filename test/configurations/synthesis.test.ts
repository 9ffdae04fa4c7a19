/**
 * Every configuration of the matrix synthesizes as a user's `cdk synth` would: with the feature
 * flags of `cdk init`, both lines of cdk-nag (3 as a validation plugin, 2 as an aspect reading its
 * suppressions from resource metadata), and CloudFormation's schema validation as errors. Nothing
 * is left unacknowledged, the schema validation finds nothing, and every rule's event pattern fits
 * EventBridge's limit. Two pollers in one account never hear each other's watch requests or
 * events, and own no name in common.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { matchesEventPattern } from '../../local/event-pattern';
import { STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { watchRequestEntry } from '../../lib/watch-request';
import { MAX_EVENT_PATTERN_LENGTH } from '../../lib/trigger-patterns';
import { CONFIGURATIONS, type Configuration } from './configurations';
import { synthesize, type SynthesizedConfiguration } from './synthesize';

let outdir = '';
let environment: string | undefined;
const synthesized = new Map<string, SynthesizedConfiguration>();
const named = (name: string): SynthesizedConfiguration => synthesized.get(name)!;
const folder = (name: string) => path.join(outdir, name.replace(/\W+/g, '-'));

beforeAll(() => {
  // CloudFormation's schema validation: test/setup-env.ts turns it off for the other suites.
  environment = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'poller-configurations-'));
  for (const configuration of CONFIGURATIONS) {
    synthesized.set(configuration.name, synthesize(configuration, folder(configuration.name)));
  }
});

afterAll(() => {
  if (environment !== undefined) process.env.CDK_VALIDATION = environment;
  fs.rmSync(outdir, { recursive: true, force: true });
});

const NAMES = CONFIGURATIONS.map((configuration) => configuration.name);

describe('GIVEN a control that breaks each check', () => {
  const [, withEnv] = CONFIGURATIONS;

  test('WHEN a role gets a wildcard nobody acknowledged THEN cdk-nag 3 and cdk-nag 2 both report it, and synthesis fails', () => {
    const leaky = synthesize(withEnv, folder('control-wildcard'), ([{ poller }]) =>
      poller.startFunction.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })),
    );
    expect(leaky.error).toBeDefined();
    const startPolicy = 'DataPlatform/ImportPoller/StartFunctionRole/DefaultPolicy/Resource';
    expect(leaky.violations).toContainEqual({
      plugin: 'AwsSolutions',
      rule: 'AwsSolutions-IAM5[Resource::*]',
      resources: [startPolicy],
    });
    expect(leaky.nagV2.nonCompliant).toEqual([
      { rule: 'AwsSolutions-IAM5', finding: 'Resource::*', path: startPolicy },
    ]);
  });

  test('WHEN a resource has a property of the wrong type THEN the schema validation reports it, and synthesis fails', () => {
    const wrong = synthesize(withEnv, folder('control-schema'), ([{ stack }]) => {
      new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
    });
    expect(wrong.error).toBeDefined();
    expect(wrong.violations?.map((violation) => violation.plugin)).toContain('CloudFormation Validate');
  });
});

describe.each(NAMES)('GIVEN the configuration "%s"', (name) => {
  test('THEN it synthesizes, and the validation report (cdk-nag 3, CloudFormation schema) holds no violation', () => {
    const { error, violations } = named(name);
    expect(violations).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('THEN cdk-nag 2 reports nothing, and lets through only the wildcards the poller acknowledged', () => {
    const { nagV2, pollers } = named(name);
    expect(nagV2.errors).toEqual([]);
    expect(nagV2.nonCompliant).toEqual([]);
    // Per poller: the wildcards of docs/operations.md#permissions.
    const perPoller = pollers[0].poller.sweepFunction === undefined ? 4 : 6;
    expect(nagV2.suppressed).toHaveLength(perPoller * pollers.length);
    expect(new Set(nagV2.suppressed.map((finding) => finding.rule))).toEqual(new Set(['AwsSolutions-IAM5']));
  });

  test(`THEN every rule's event pattern, as deployed, fits EventBridge's ${MAX_EVENT_PATTERN_LENGTH} characters`, () => {
    const lengths = [...named(name).templates.values()].flatMap((template) =>
      template
        .idsOf('AWS::Events::Rule')
        .map((id) => template.resource(id).Properties?.EventPattern)
        .filter((pattern) => pattern !== undefined)
        .map((pattern) => JSON.stringify(template.resolve(pattern)).length),
    );
    expect(lengths.length).toBeGreaterThan(0);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
  });
});

test('GIVEN the most graphIds THEN the rule for CloudTrail records comes within 40 characters of the limit', () => {
  const [mostGraphs] = CONFIGURATIONS.filter((configuration) => /graphs, the most/.test(configuration.name));
  const { templates, pollers } = named(mostGraphs.name);
  const [{ poller, stack }] = pollers;
  const template = templates.get(stack)!;
  const pattern = template.resource(stack.getLogicalId(poller.apiCallRule!.node.defaultChild as never)).Properties!
    .EventPattern;
  expect(JSON.stringify(template.resolve(pattern)).length).toBeGreaterThan(MAX_EVENT_PATTERN_LENGTH - 40);
});

/** The pollers of two configurations with two pollers each, and each one's resolved template. */
function twoPollers(configuration: Configuration) {
  const { pollers, templates } = named(configuration.name);
  return pollers.map(({ poller, stack }) => {
    const template = templates.get(stack)!;
    const patternOf = (rule: { node: { defaultChild?: unknown } }) =>
      template.resolve(
        template.resource(Stack.of(poller).getLogicalId(rule.node.defaultChild as never)).Properties!.EventPattern,
      );
    return { poller, stack, template, patternOf };
  });
}

describe.each(CONFIGURATIONS.filter((configuration) => configuration.name.startsWith('two pollers')))(
  'GIVEN $name, both with default props',
  (configuration) => {
    test('THEN no two resources of the account share a name the template gives them', () => {
      const templates = new Set(twoPollers(configuration).map(({ template }) => template));
      // Inline policies are named per role; every other name the templates give is one of the account and region.
      const names = [...templates].flatMap((template) =>
        Object.entries(template.template.Resources)
          .filter(([, resource]) => resource.Type !== 'AWS::IAM::Policy')
          .map(([id, resource]) => [resource.Type, template.givenName(id)])
          .filter(([, name]) => name !== undefined)
          .map(([type, name]) => `${type} ${name}`),
      );
      expect(names.filter((name) => name.startsWith('AWS::EventSchemas::Registry'))).toHaveLength(2);
      expect(names.filter((name) => name.startsWith('AWS::Logs::LogGroup'))).toHaveLength(2);
      expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
      const serviceNames = twoPollers(configuration).map(({ poller }) => poller.serviceName);
      expect(new Set(serviceNames).size).toBe(2);
    });

    test('THEN a watch request that names a poller reaches that poller only; one that names none reaches both', () => {
      const pollers = twoPollers(configuration);
      const request = (poller?: string) => {
        const entry = watchRequestEntry({ taskId: 't-0123456789', ...(poller === undefined ? {} : { poller }) });
        return { source: entry.Source, 'detail-type': entry.DetailType, detail: JSON.parse(entry.Detail) as unknown };
      };
      for (const { poller } of pollers) {
        expect(
          pollers.map((other) =>
            matchesEventPattern(other.patternOf(other.poller.watchRequestRule!), request(poller.serviceName)),
          ),
        ).toEqual(pollers.map((other) => other.poller === poller));
      }
      expect(
        pollers.map((other) => matchesEventPattern(other.patternOf(other.poller.watchRequestRule!), request())),
      ).toEqual([true, true]);
    });

    test("THEN an event one poller puts reaches the rules made on that poller only, by its state machine's ARN", () => {
      const pollers = twoPollers(configuration);
      for (const { poller, template } of pollers) {
        const stateMachineArn = template.resolveString(Stack.of(poller).resolve(poller.stateMachine.stateMachineArn));
        // Step Functions' PutEvents integration adds the execution's and the state machine's ARNs.
        const event = {
          source: poller.eventSource,
          'detail-type': STATUS_CHANGE_DETAIL_TYPE,
          resources: [`${stateMachineArn.replace(':stateMachine:', ':execution:')}:t-0123456789`, stateMachineArn],
          detail: { status: 'FAILED', terminal: true, graphId: 'g-0123456789' },
        };
        const heardBy = pollers.map((other) =>
          matchesEventPattern(other.patternOf(other.poller.node.findChild('ImportsEnded')), event),
        );
        expect(heardBy).toEqual(pollers.map((other) => other.poller === poller));
      }
    });
  },
);
