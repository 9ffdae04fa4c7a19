import { Names, Stack } from 'aws-cdk-lib';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { eventEnvelopeSchema } from './event-schemas';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE } from './events';

/** What {@link PollerEventSchemas} publishes. */
export interface PollerEventSchemasProps {
  /** `source` of the poller's events, fixed in their schemas. */
  readonly eventSource: string;
}

/** Names of the schemas in the registry, by detail-type. */
export const EVENT_SCHEMA_NAMES: Readonly<Record<string, string>> = {
  [STATUS_CHANGE_DETAIL_TYPE]: 'NeptuneAnalyticsImportTaskStatusChange',
  [MONITORING_FAILED_DETAIL_TYPE]: 'NeptuneAnalyticsImportTaskMonitoringFailed',
  [WATCH_REQUEST_DETAIL_TYPE]: 'NeptuneAnalyticsImportTaskWatchRequested',
};

/**
 * An EventBridge schema registry holding the JSON Schema (draft 4) of each of the poller's
 * events, so that consumers can download code bindings for them.
 */
export class PollerEventSchemas extends Construct {
  /** The registry. */
  public readonly registry: eventschemas.CfnRegistry;
  /** Name of the registry. */
  public readonly registryName: string;
  /** The schemas, by detail-type. */
  public readonly schemas: Readonly<Record<string, eventschemas.CfnSchema>>;

  /**
   * @param scope where the registry is defined
   * @param id id of the registry's construct
   * @param props the `source` fixed in the schemas
   */
  constructor(scope: Construct, id: string, props: PollerEventSchemasProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.registryName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.registry = new eventschemas.CfnRegistry(this, 'Registry', {
      registryName: this.registryName,
      description:
        'Events of a Neptune Analytics import poller: status changes, monitoring failures and watch requests',
    });
    const schemas: Record<string, eventschemas.CfnSchema> = {};
    for (const [detailType, schemaName] of Object.entries(EVENT_SCHEMA_NAMES)) {
      const source = detailType === WATCH_REQUEST_DETAIL_TYPE ? undefined : props.eventSource;
      const schema = new eventschemas.CfnSchema(this, schemaName, {
        registryName: this.registry.attrRegistryName,
        schemaName,
        type: 'JSONSchemaDraft4',
        description: `The "${detailType}" event`,
        content: stack.toJsonString(eventEnvelopeSchema(detailType, source)),
      });
      schemas[detailType] = schema;
    }
    this.schemas = schemas;
  }
}
