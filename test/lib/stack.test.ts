/** The deployable stack, and the context values `cdk deploy -c` takes. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PollerPropsValidationError } from '../../lib/main';
import { NeptuneImportPollerStack } from '../../bin/neptune-import-poller-stack';

function stackWith(context: Record<string, string>) {
  const stack = new NeptuneImportPollerStack(new App({ context }), 'Ctx');
  return { stack, template: Template.fromStack(stack) };
}

test('GIVEN no context THEN the poller has its defaults', () => {
  const { stack } = stackWith({});
  expect(stack.poller.eventSource).toBe('neptune-import-poller');
  expect(stack.resolve(stack.poller.eventBus.eventBusName)).toBe('default');
});

test('GIVEN context values THEN they reach the poller', () => {
  const { stack, template } = stackWith({
    eventBusName: 'data-platform',
    eventSource: 'com.example.imports',
    graphIds: 'g-0123456789, g-abcdefghij',
    emitStatusChanges: 'true',
  });
  expect(stack.resolve(stack.poller.eventBus.eventBusName)).toBe('data-platform');
  expect(stack.poller.eventSource).toBe('com.example.imports');
  template.hasResourceProperties('AWS::Events::Rule', {
    EventBusName: 'data-platform',
    EventPattern: { detail: { graphId: ['g-0123456789', 'g-abcdefghij'] } },
  });
  const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
  expect(definition).toContain('\\"emitStatusChanges\\":true');
});

test('fails when emitStatusChanges is neither true nor false', () => {
  expect(() => stackWith({ emitStatusChanges: 'yes' })).toThrow(PollerPropsValidationError);
  expect(() => stackWith({ emitStatusChanges: 'yes' })).toThrow(
    'Context value emitStatusChanges must be true or false; got "yes".',
  );
});

test('GIVEN the stack THEN it outputs what another app passes to fromNeptuneImportTaskPollerAttributes', () => {
  const { stack, template } = stackWith({ eventBusName: 'data-platform', eventSource: 'com.example.imports' });
  const { poller } = stack;
  const outputs = template.findOutputs('*');
  expect(Object.fromEntries(Object.entries(outputs).map(([id, output]) => [id, output.Value]))).toEqual({
    EventBusArn: stack.resolve(poller.eventBus.eventBusArn),
    EventSource: 'com.example.imports',
    StateMachineArn: { Ref: stack.getLogicalId(poller.stateMachine.node.defaultChild as never) },
    ServiceName: poller.serviceName,
  });
  expect(poller.serviceName).toMatch(/^Ctx-Poller-[0-9A-F]{8}$/);
});
