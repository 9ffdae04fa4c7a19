import * as fs from 'node:fs';
import * as path from 'node:path';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE } from './events';

/** The JSON Schema (draft 4) of each event's `detail`, by detail-type; the files ship in `schemas/`. */
export const EVENT_SCHEMA_FILES: Readonly<Record<string, string>> = {
  [STATUS_CHANGE_DETAIL_TYPE]: 'import-task-status-change.json',
  [MONITORING_FAILED_DETAIL_TYPE]: 'import-task-monitoring-failed.json',
  [WATCH_REQUEST_DETAIL_TYPE]: 'import-task-watch-requested.json',
};

/** Folder of the shipped schemas: `schemas/` beside `lib/` (or `dist/`, in the package). */
export function eventSchemasDir(): string {
  return path.join(__dirname, '..', 'schemas');
}

/** The schema of the `detail` of events of `detailType`. */
export function eventDetailSchema(detailType: string): Record<string, unknown> {
  const file = EVENT_SCHEMA_FILES[detailType];
  if (file === undefined) throw new Error(`No schema for detail-type ${JSON.stringify(detailType)}`);
  return JSON.parse(fs.readFileSync(path.join(eventSchemasDir(), file), 'utf8')) as Record<string, unknown>;
}

/**
 * A JSON Schema (draft 4) of the whole event, envelope and `detail`, as an EventBridge schema
 * registry holds it for code bindings. `source` is fixed when given.
 */
export function eventEnvelopeSchema(detailType: string, source?: string): Record<string, unknown> {
  const { $schema, definitions, title, ...detail } = eventDetailSchema(detailType);
  return {
    $schema,
    title: `${String(title).replace(/Detail$/, '')}Event`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [detailType] },
      source: source === undefined ? { type: 'string' } : { type: 'string', enum: [source] },
      account: { type: 'string' },
      time: { type: 'string' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail: { title, ...detail },
    },
    ...(definitions === undefined ? {} : { definitions }),
  };
}
