/**
 * The templates pass CloudFormation's schema validation, the check aws-cdk-lib runs at synthesis:
 * as errors, with `@aws-cdk/core:validateAgainstDefaultRules`, which cdk.json sets for this app.
 * The other suites synthesize without it (test/setup-env.ts); this one turns it back on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NeptuneImportPollerStack } from '../../bin/neptune-import-poller-stack';

const CDK_JSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const VALIDATE_AS_ERRORS = '@aws-cdk/core:validateAgainstDefaultRules';

let outdir = '';
let environment: string | undefined;
beforeAll(() => {
  environment = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'poller-cfn-validate-'));
});
afterAll(() => {
  if (environment !== undefined) process.env.CDK_VALIDATION = environment;
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** An app as `cdk synth` makes it for this repository: cdk.json's context, validation on. */
function appOfThisRepository(name: string): App {
  return new App({ outdir: path.join(outdir, name), context: CDK_JSON.context });
}

/**
 * The violations of the validation report the synthesis wrote. aws-cdk-lib writes the report only when a validation
 * ran (not with CDK_VALIDATION=false), and leaves out of it a plugin that found nothing: a report that exists and
 * is empty is a validation that ran and passed. With cdk.json's flag, an error would also have failed the synthesis.
 */
function violations(app: App): unknown[] {
  const file = path.join(app.outdir, 'validation-report.json');
  expect(fs.existsSync(file)).toBe(true);
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: { violations: unknown[] }[] };
  return report.pluginReports.flatMap((plugin) => plugin.violations);
}

test("cdk.json makes CloudFormation's schema validation fail synthesis, rather than warn", () => {
  expect(CDK_JSON.context[VALIDATE_AS_ERRORS]).toBe(true);
});

test('GIVEN a resource with a wrong property THEN the synthesis fails, so the validation does run here', () => {
  const app = appOfThisRepository('control');
  const stack = new Stack(app, 'Control');
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
  expect(() => app.synth()).toThrow(/VisibilityTimeout: 'soon' is not of type 'integer'/);
});

test.each<[string, StackProps & ConstructorParameters<typeof NeptuneImportPollerStack>[2]]>([
  ['the defaults, with the sweep', {}],
  [
    'no sweep, a dashboard, status changes and an account and region',
    {
      env: { account: '123456789012', region: 'eu-west-1' },
      poller: { sweep: { enabled: false }, createDashboard: true, emitStatusChanges: true },
    },
  ],
])('GIVEN the stack of this app with %s THEN CloudFormation validation finds nothing', (name, props) => {
  const app = appOfThisRepository(name.replace(/\W+/g, '-'));
  new NeptuneImportPollerStack(app, 'NeptuneImportPoller', props);

  app.synth();

  expect(violations(app)).toEqual([]);
});

test('GIVEN a customer-managed key THEN CloudFormation validation finds nothing', () => {
  const app = appOfThisRepository('encrypted');
  const keys = new Stack(app, 'Keys');
  const encryptionKey = new kms.Key(keys, 'Key', { enableKeyRotation: true });
  new NeptuneImportPollerStack(app, 'NeptuneImportPoller', { poller: { encryptionKey } });

  app.synth();

  expect(violations(app)).toEqual([]);
});
