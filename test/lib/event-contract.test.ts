/**
 * The event contract and the metric names as jsii languages see them (enums, static constants and
 * static methods) say the same as the TypeScript contract the functions use.
 */
import { ImportTaskStatus as SdkImportTaskStatus } from '@aws-sdk/client-neptune-graph';
import {
  importEndedPattern,
  importFailedPattern,
  importSucceededPattern,
  monitoringFailedPattern,
} from '../../lib/event-patterns';
import {
  DEFAULT_EVENT_SOURCE,
  MONITORING_FAILED_DETAIL_TYPE,
  MONITORING_FAILURE_REASONS,
  STATUS_CHANGE_DETAIL_TYPE,
  TERMINAL_IMPORT_STATUSES,
  UNSUCCESSFUL_IMPORT_STATUSES,
  WATCH_REQUEST_DETAIL_TYPE,
} from '../../lib/events';
import {
  ImportTaskStatus,
  MonitoringFailureReason,
  PollerEventPatterns,
  PollerEvents,
  PollerMetrics,
  PollerPropsValidationError,
  TriggerNotStartedReason,
  type PollerEventPatternOptions,
} from '../../lib/main';
import { POLLER_METRICS, TRIGGER_NOT_STARTED_REASONS } from '../../lib/poller-metrics';
import { DEFAULT_WATCH_REQUEST_SOURCE, InvalidWatchRequestError, watchRequestEntry } from '../../lib/watch-request';

const screamingSnake = (camel: string) => camel.replace(/([A-Z])/g, '_$1').toUpperCase();

describe('enums', () => {
  test('MonitoringFailureReason has every reason a watch can fail for, in documentation order', () => {
    expect(Object.values(MonitoringFailureReason)).toEqual([...MONITORING_FAILURE_REASONS]);
  });

  test('ImportTaskStatus has every status the Neptune Analytics API defines, terminal ones included', () => {
    expect([...Object.values(ImportTaskStatus)].sort()).toEqual([...Object.values(SdkImportTaskStatus)].sort());
    for (const status of TERMINAL_IMPORT_STATUSES) expect(Object.values(ImportTaskStatus)).toContain(status);
  });

  test("TriggerNotStartedReason has the values of the start function's Reason dimension", () => {
    expect(Object.values(TriggerNotStartedReason)).toEqual(Object.values(TRIGGER_NOT_STARTED_REASONS));
  });
});

describe('PollerEvents', () => {
  test('names the detail-types, sources and statuses of the TypeScript contract', () => {
    expect(PollerEvents.DEFAULT_SOURCE).toBe(DEFAULT_EVENT_SOURCE);
    expect(PollerEvents.STATUS_CHANGE_DETAIL_TYPE).toBe(STATUS_CHANGE_DETAIL_TYPE);
    expect(PollerEvents.MONITORING_FAILED_DETAIL_TYPE).toBe(MONITORING_FAILED_DETAIL_TYPE);
    expect(PollerEvents.WATCH_REQUEST_DETAIL_TYPE).toBe(WATCH_REQUEST_DETAIL_TYPE);
    expect(PollerEvents.DEFAULT_WATCH_REQUEST_SOURCE).toBe(DEFAULT_WATCH_REQUEST_SOURCE);
    expect(PollerEvents.TERMINAL_STATUSES).toEqual([...TERMINAL_IMPORT_STATUSES]);
    expect(PollerEvents.UNSUCCESSFUL_STATUSES).toEqual([...UNSUCCESSFUL_IMPORT_STATUSES]);
  });

  test('watchRequestEntry is the PutEvents entry of the TypeScript watchRequestEntry, with camelCase fields', () => {
    const options = { taskId: 't-0123456789', graphId: 'g-0123456789', source: 'com.example.loader' };
    const typescript = watchRequestEntry({ ...options, eventBusName: 'data-platform' });
    expect(PollerEvents.watchRequestEntry({ ...options, eventBusName: 'data-platform' })).toEqual({
      source: typescript.Source,
      detailType: typescript.DetailType,
      detail: typescript.Detail,
      eventBusName: typescript.EventBusName,
    });
    expect(PollerEvents.watchRequestEntry({ taskId: 't-0123456789' })).toEqual({
      source: DEFAULT_WATCH_REQUEST_SOURCE,
      detailType: WATCH_REQUEST_DETAIL_TYPE,
      detail: '{"taskId":"t-0123456789"}',
    });
  });

  test('fails when the task id of a watch request is malformed, showing it', () => {
    expect(() => PollerEvents.watchRequestEntry({ taskId: 'T-0123456789' })).toThrow(InvalidWatchRequestError);
    expect(() => PollerEvents.watchRequestEntry({ taskId: 'T-0123456789' })).toThrow(/got "T-0123456789"/);
  });
});

describe('PollerEventPatterns', () => {
  test.each([
    ['importSucceeded', importSucceededPattern],
    ['importFailed', importFailedPattern],
    ['importEnded', importEndedPattern],
    ['monitoringFailed', monitoringFailedPattern],
  ] as const)('%s is the pattern the TypeScript contract has, for the default source unless given one', (name, of) => {
    const pattern = (options?: PollerEventPatternOptions) => PollerEventPatterns[name](options);
    expect(pattern({ source: 'com.example.imports', graphIds: ['g-0123456789'] })).toEqual(
      of('com.example.imports', ['g-0123456789']),
    );
    expect(pattern()).toEqual(of(DEFAULT_EVENT_SOURCE));
  });

  test('fails when a graph id is malformed, as the construct does', () => {
    expect(() => PollerEventPatterns.importEnded({ graphIds: ['my-graph'] })).toThrow(PollerPropsValidationError);
  });
});

describe('PollerMetrics', () => {
  const names = Object.fromEntries(
    Object.entries(PollerMetrics).filter(([key]) => key !== 'NAMESPACE' && !key.endsWith('_DIMENSION')),
  );

  test('has a constant for every custom metric the functions publish, named after it, and no other', () => {
    expect(names).toEqual(
      Object.fromEntries(Object.entries(POLLER_METRICS).map(([key, metric]) => [screamingSnake(key), metric])),
    );
  });

  test('names the namespace and the dimensions the functions publish with', () => {
    expect(PollerMetrics.NAMESPACE).toBe('NeptuneImportPoller');
    expect([PollerMetrics.SERVICE_DIMENSION, PollerMetrics.REASON_DIMENSION, PollerMetrics.STATUS_DIMENSION]).toEqual([
      'service',
      'Reason',
      'Status',
    ]);
  });
});
