import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { NeptuneImportTaskPoller } from '../lib/neptune-import-task-poller';
import type { NeptuneImportTaskPollerProps } from '../lib/poller-props';
import { PollerPropsValidationError } from '../lib/validation';

/** Props of {@link NeptuneImportPollerStack}. */
export interface NeptuneImportPollerStackProps extends StackProps {
  /**
   * Props of the poller the stack holds; they win over context values.
   * @default - the poller's defaults, adjusted by context values
   */
  readonly poller?: NeptuneImportTaskPollerProps;
}

function contextText(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (typeof value === 'string') return value === '' ? undefined : value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * Poller props from `cdk deploy -c key=value`: `eventBusName` (a bus that exists already, imported
 * by name), `eventSource`, `graphIds` (comma-separated) and `emitStatusChanges` (`true` or `false`).
 */
export function pollerPropsFromContext(scope: Construct): NeptuneImportTaskPollerProps {
  const busName = contextText(scope, 'eventBusName');
  const source = contextText(scope, 'eventSource');
  const graphIds = contextText(scope, 'graphIds')
    ?.split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const emit = contextText(scope, 'emitStatusChanges');
  if (emit !== undefined && emit !== 'true' && emit !== 'false') {
    throw new PollerPropsValidationError(
      `Context value emitStatusChanges must be true or false; got ${JSON.stringify(emit)}.`,
    );
  }
  return {
    ...(busName === undefined ? {} : { eventBus: events.EventBus.fromEventBusName(scope, 'EventBus', busName) }),
    ...(source === undefined ? {} : { eventSource: source }),
    ...(graphIds === undefined ? {} : { graphIds }),
    ...(emit === undefined ? {} : { emitStatusChanges: emit === 'true' }),
  };
}

/**
 * A stack that holds one {@link NeptuneImportTaskPoller}, as `cdk deploy` of this repository deploys
 * it, with outputs of what another app needs to use the poller (its bus, source, state machine and
 * service name). Part of this repository's app (`bin/`), not of the package's API.
 */
export class NeptuneImportPollerStack extends Stack {
  /** The poller. */
  public readonly poller: NeptuneImportTaskPoller;

  constructor(scope: Construct, id: string, props: NeptuneImportPollerStackProps = {}) {
    super(scope, id, props);
    this.poller = new NeptuneImportTaskPoller(this, 'Poller', { ...pollerPropsFromContext(this), ...props.poller });
    // What another app needs to use this poller: NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes().
    new CfnOutput(this, 'EventBusArn', {
      description: "ARN of the poller's bus: eventBus (events.EventBus.fromEventBusArn)",
      value: this.poller.eventBus.eventBusArn,
    });
    new CfnOutput(this, 'EventSource', {
      description: "source of the poller's events: eventSource",
      value: this.poller.eventSource,
    });
    new CfnOutput(this, 'StateMachineArn', {
      description: "ARN of the poller's state machine: stateMachine (sfn.StateMachine.fromStateMachineArn)",
      value: this.poller.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'ServiceName', {
      description:
        "The poller's serviceName: the service dimension of its metrics, and the poller a watch request names",
      value: this.poller.serviceName,
    });
  }
}
