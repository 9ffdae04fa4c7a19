/** The integration test's committed snapshot still matches what the app synthesizes (offline: nothing deploys). */
import { rmSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { MONITORING_FAILURE_REASONS } from '../lib/events';
import { isTaskId } from '../lib/identifiers';
import { INTEG_SNAPSHOT_DIR, integTestCases, normalizedTemplates, synthesizeIntegApp } from '../scripts/integ-snapshot';

const POLLER_TEMPLATE = 'NeptuneImportPollerInteg.template.json';
const ASSERTIONS_TEMPLATE = 'NeptuneImportPollerIntegTestDefaultTestDeployAssertEE86F7B7.template.json';

describe('GIVEN the integration test app synthesized now', () => {
  let outdir = '';
  beforeAll(() => {
    outdir = synthesizeIntegApp();
  }, 120_000);
  afterAll(() => {
    if (outdir !== '') rmSync(outdir, { recursive: true, force: true });
  });

  test('THEN its templates, asset hashes aside, match the committed snapshot (run `npm run integ:snapshot` after a deliberate change)', () => {
    const synthesized = normalizedTemplates(outdir);
    expect(Object.keys(synthesized)).toEqual([POLLER_TEMPLATE, ASSERTIONS_TEMPLATE]);
    expect(synthesized).toEqual(normalizedTemplates(INTEG_SNAPSHOT_DIR));
  });

  test('THEN integ-runner would deploy the same test cases as the snapshot names', () => {
    expect(integTestCases(outdir)).toEqual(integTestCases(INTEG_SNAPSHOT_DIR));
  });
});

describe('GIVEN the committed snapshot', () => {
  type Resource = { Properties: Record<string, unknown> };
  const templates = normalizedTemplates(INTEG_SNAPSHOT_DIR);
  const poller = Template.fromJSON(templates[POLLER_TEMPLATE] as Record<string, unknown>);
  const assertions = Template.fromJSON(templates[ASSERTIONS_TEMPLATE] as Record<string, unknown>);
  const only = (template: Template, type: string): [string, Resource] => {
    const found = Object.entries(template.findResources(type));
    expect(found).toHaveLength(1);
    return found[0] as [string, Resource];
  };
  /** integ-tests hands each API call parameter over JSON-encoded. */
  const parameter = (resource: Resource, name: string): unknown =>
    (resource.Properties.parameters as Record<string, unknown>)[name];

  test("THEN the assertions start a watch, on the poller's own state machine, of a well-formed task id", () => {
    const [stateMachineId] = only(poller, 'AWS::StepFunctions::StateMachine');
    const exported = Object.values(poller.findOutputs('*', { Value: { Ref: stateMachineId } }));
    expect(exported).toHaveLength(1);
    const [, start] = only(assertions, 'Custom::DeployAssert@SdkCallSFNstartExecution');

    expect(parameter(start, 'stateMachineArn')).toEqual({
      'Fn::Join': ['', ['"', { 'Fn::ImportValue': (exported[0].Export as { Name: string }).Name }, '"']],
    });
    const input = JSON.parse(JSON.parse(parameter(start, 'input') as string) as string) as { taskId: string };
    expect(input).toEqual({ taskId: 't-nosuchtsk0' });
    // Well-formed, so that the watch polls and meets the service's 404 rather than refusing its input.
    expect(isTaskId(input.taskId)).toBe(true);
  });

  test('THEN they expect that execution to succeed with a Monitoring Failed event for TASK_NOT_FOUND', () => {
    const [startId] = only(assertions, 'Custom::DeployAssert@SdkCallSFNstartExecution');
    const [, describeCall] = only(assertions, 'Custom::DeployAssert@SdkCallSFNdescribeExecution');

    expect(parameter(describeCall, 'executionArn')).toEqual({
      'Fn::Join': ['', ['"', { 'Fn::GetAtt': [startId, 'apiCallResponse.executionArn'] }, '"']],
    });
    expect(JSON.parse(describeCall.Properties.expected as string)).toEqual({
      $ObjectLike: { status: 'SUCCEEDED', output: { $StringLike: '"reason":"TASK_NOT_FOUND"' } },
    });
    expect(MONITORING_FAILURE_REASONS).toContain('TASK_NOT_FOUND');
  });
});
