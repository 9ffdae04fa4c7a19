/** The schema registry the construct publishes its events' schemas to. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { eventDetailSchema, eventEnvelopeSchema } from '../../lib/event-schemas';
import { STATUS_CHANGE_DETAIL_TYPE } from '../../lib/events';
import { NeptuneImportTaskPoller } from '../../lib/main';

function synth(props = {}) {
  const stack = new Stack(new App(), 'Schemas');
  const poller = new NeptuneImportTaskPoller(stack, 'Poller', { eventSource: 'com.example.imports', ...props });
  return { stack, poller, template: Template.fromStack(stack) };
}

test('GIVEN the defaults THEN one registry holds the three event schemas, the shipped detail schemas inside', () => {
  const { template, poller, stack } = synth();
  template.resourceCountIs('AWS::EventSchemas::Registry', 1);
  const schemas = Object.values(template.findResources('AWS::EventSchemas::Schema')).map((r) => r.Properties);
  expect(schemas.map((s) => s.SchemaName).sort()).toEqual([
    'NeptuneAnalyticsImportTaskMonitoringFailed',
    'NeptuneAnalyticsImportTaskStatusChange',
    'NeptuneAnalyticsImportTaskWatchRequested',
  ]);
  const registryId = stack.getLogicalId(poller.eventSchemas!.registry);
  for (const schema of schemas) {
    expect(schema).toMatchObject({
      Type: 'JSONSchemaDraft4',
      RegistryName: { 'Fn::GetAtt': [registryId, 'RegistryName'] },
    });
  }
  const statusChange = JSON.parse(
    schemas.find((s) => s.SchemaName === 'NeptuneAnalyticsImportTaskStatusChange')!.Content as string,
  );
  expect(statusChange).toEqual(eventEnvelopeSchema(STATUS_CHANGE_DETAIL_TYPE, 'com.example.imports'));
  expect(statusChange.properties.source).toEqual({ type: 'string', enum: ['com.example.imports'] });
  expect(statusChange.properties.detail.required).toEqual(eventDetailSchema(STATUS_CHANGE_DETAIL_TYPE).required);
});

test('GIVEN publishEventSchemas false THEN no registry', () => {
  const { template, poller } = synth({ publishEventSchemas: false });
  template.resourceCountIs('AWS::EventSchemas::Registry', 0);
  template.resourceCountIs('AWS::EventSchemas::Schema', 0);
  expect(poller.eventSchemas).toBeUndefined();
});

test('GIVEN two pollers THEN their registries have different names', () => {
  const stack = new Stack(new App(), 'Two');
  const a = new NeptuneImportTaskPoller(stack, 'A');
  const b = new NeptuneImportTaskPoller(stack, 'B', { startOnApiCalls: false });
  expect(a.eventSchemas!.registryName).not.toBe(b.eventSchemas!.registryName);
  expect(a.eventSchemas!.registryName.length).toBeLessThanOrEqual(64);
});
