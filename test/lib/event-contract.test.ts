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
import { DEFAULT_EVENT_SOURCE, WATCH_REQUEST_DETAIL_TYPE } from '../../lib/events';
import {
  ImportTaskStatus,
  PollerEventPatterns,
  PollerEvents,
  PollerMetrics,
  PollerPropsValidationError,
  type PollerEventPatternOptions,
} from '../../lib/main';
import { DEFAULT_WATCH_REQUEST_SOURCE, InvalidWatchRequestError, watchRequestEntry } from '../../lib/watch-request';

describe('enums', () => {
  test('ImportTaskStatus has every status the Neptune Analytics API defines', () => {
    expect([...Object.values(ImportTaskStatus)].sort()).toEqual([...Object.values(SdkImportTaskStatus)].sort());
  });
});

describe('PollerEvents', () => {
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
  test('names the namespace and the dimensions the functions publish with', () => {
    expect(PollerMetrics.NAMESPACE).toBe('NeptuneImportPoller');
    expect([PollerMetrics.SERVICE_DIMENSION, PollerMetrics.REASON_DIMENSION, PollerMetrics.STATUS_DIMENSION]).toEqual([
      'service',
      'Reason',
      'Status',
    ]);
  });
});
