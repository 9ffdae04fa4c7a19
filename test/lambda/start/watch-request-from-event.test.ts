import { watchRequestFromEvent } from '../../../lambda/start/watch-request-from-event';

const cloudTrail = (detail: Record<string, unknown>) => ({
  id: 'e1',
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventSource: 'neptune-graph.amazonaws.com', ...detail },
});

describe('watchRequestFromEvent', () => {
  test.each(['StartImportTask', 'CreateGraphUsingImportTask'])(
    'a successful %s call names the task in its response',
    (eventName) => {
      expect(
        watchRequestFromEvent(
          cloudTrail({ eventName, responseElements: { taskId: 't-0123456789', graphId: 'g-0123456789' } }),
        ),
      ).toEqual({ kind: 'watch', taskId: 't-0123456789', graphId: 'g-0123456789', trigger: 'api-call' });
    },
  );

  test('the graph id falls back to the request', () => {
    expect(
      watchRequestFromEvent(
        cloudTrail({
          eventName: 'StartImportTask',
          requestParameters: { graphIdentifier: 'g-abcdefghij' },
          responseElements: { taskId: 't-0123456789' },
        }),
      ),
    ).toMatchObject({ kind: 'watch', graphId: 'g-abcdefghij' });
  });

  test('a record without a task id in its response starts nothing, and says why', () => {
    const request = watchRequestFromEvent(cloudTrail({ eventName: 'StartImportTask', responseElements: null }));
    expect(request).toEqual({
      kind: 'ignored',
      reason: 'The api-call event carries no responseElements.taskId; no watch started',
    });
  });

  test('a failed call starts nothing', () => {
    expect(
      watchRequestFromEvent(
        cloudTrail({
          eventName: 'StartImportTask',
          errorCode: 'AccessDenied',
          responseElements: { taskId: 't-0123456789' },
        }),
      ).kind,
    ).toBe('ignored');
  });

  test('other calls start nothing', () => {
    expect(
      watchRequestFromEvent(cloudTrail({ eventName: 'GetImportTask', responseElements: { taskId: 't-0123456789' } }))
        .kind,
    ).toBe('ignored');
  });

  test('a watch request names the task in its detail', () => {
    expect(
      watchRequestFromEvent({
        'detail-type': 'Neptune Analytics Import Task Watch Requested',
        detail: { taskId: 't-0123456789' },
      }),
    ).toEqual({ kind: 'watch', taskId: 't-0123456789', graphId: null, trigger: 'watch-request' });
  });

  test('a watch request with a malformed id is refused, showing the value', () => {
    const request = watchRequestFromEvent({
      'detail-type': 'Neptune Analytics Import Task Watch Requested',
      detail: { taskId: 'T-BAD' },
    });
    expect(request.kind).toBe('ignored');
    expect(request.kind === 'ignored' && request.reason).toContain('"T-BAD"');
  });
});
