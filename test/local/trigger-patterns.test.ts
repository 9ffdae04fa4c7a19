/** The trigger rules' patterns, synthesized, matched against the events they must and must not take. */
import { apiCallPattern, watchRequestPattern } from '../../lib/trigger-patterns';
import { matchesEventPattern, rulePatternOf } from '../../local/event-pattern';
import { synthesizeOnce } from '../support/harness';

const apiCall = (detail: Record<string, unknown>) => ({
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventSource: 'neptune-graph.amazonaws.com', eventName: 'StartImportTask', ...detail },
});
const watchRequest = (detail: Record<string, unknown>) => ({
  source: 'com.example',
  'detail-type': 'Neptune Analytics Import Task Watch Requested',
  detail,
});

describe('trigger patterns as synthesized', () => {
  const { rulePatterns } = synthesizeOnce();
  const apiRule = rulePatterns.ApiCallRule;
  const watchRule = rulePatterns.WatchRequestRule;

  test.each([
    ['a StartImportTask call', apiCall({ responseElements: { taskId: 't-0123456789' } }), true],
    [
      'a CreateGraphUsingImportTask call',
      apiCall({ eventName: 'CreateGraphUsingImportTask', responseElements: { taskId: 't-0123456789' } }),
      true,
    ],
    ['a failed call', apiCall({ errorCode: 'AccessDeniedException', errorMessage: 'no' }), false],
    ['another call', apiCall({ eventName: 'CancelImportTask' }), false],
    ['a look-alike from another source', { ...apiCall({}), source: 'com.example' }, false],
  ])('the API-call rule takes %s: %s', (_name, event, expected) => {
    expect(matchesEventPattern(apiRule, event)).toBe(expected);
    expect(matchesEventPattern(watchRule, event)).toBe(false);
  });

  test.each([
    ['a request with a task id', watchRequest({ taskId: 't-0123456789' }), true],
    ['a request with a graph id too', watchRequest({ taskId: 't-0123456789', graphId: 'g-0123456789' }), true],
    ['a request without a task id', watchRequest({ graphId: 'g-0123456789' }), false],
    [
      "the poller's own events",
      {
        source: 'neptune-import-poller',
        'detail-type': 'Neptune Analytics Import Task Status Change',
        detail: { taskId: 't-0123456789' },
      },
      false,
    ],
  ])('the watch-request rule takes %s: %s', (_name, event, expected) => {
    expect(matchesEventPattern(watchRule, event)).toBe(expected);
  });
});

describe('trigger patterns limited to graphs', () => {
  const graphs = ['g-0123456789'];

  test.each([
    [
      'the graph in the response',
      apiCall({ responseElements: { taskId: 't-0123456789', graphId: 'g-0123456789' } }),
      true,
    ],
    [
      'the graph in the request only',
      apiCall({ requestParameters: { graphIdentifier: 'g-0123456789' }, responseElements: { taskId: 't-0123456789' } }),
      true,
    ],
    ['another graph', apiCall({ responseElements: { taskId: 't-0123456789', graphId: 'g-other00000' } }), false],
  ])('API calls naming %s: %s', (_name, event, expected) => {
    expect(matchesEventPattern(rulePatternOf(apiCallPattern(graphs)), event)).toBe(expected);
  });

  test.each([
    ['the graph', watchRequest({ taskId: 't-0123456789', graphId: 'g-0123456789' }), true],
    ['another graph', watchRequest({ taskId: 't-0123456789', graphId: 'g-other00000' }), false],
    ['no graph', watchRequest({ taskId: 't-0123456789' }), false],
  ])('watch requests naming %s: %s', (_name, event, expected) => {
    expect(matchesEventPattern(rulePatternOf(watchRequestPattern(graphs)), event)).toBe(expected);
  });
});
