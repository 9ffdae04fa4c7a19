import { watchRequestFromEvent } from '../../../lambda/start/watch-request-from-event';

const TASK = 't-0123456789';
const GRAPH = 'g-0123456789';

const cloudTrail = (detail: Record<string, unknown>) => ({
  id: 'e1',
  source: 'aws.neptune-graph',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventSource: 'neptune-graph.amazonaws.com', ...detail },
});
const startImportTask = (responseElements: unknown, extra: Record<string, unknown> = {}) =>
  cloudTrail({ eventName: 'StartImportTask', responseElements, ...extra });
const watchRequest = (detail: unknown) => ({
  'detail-type': 'Neptune Analytics Import Task Watch Requested',
  detail,
});

/** `leaf`, wrapped `depth` times. */
const nested = (depth: number, leaf: Record<string, unknown>): Record<string, unknown> =>
  depth === 0 ? leaf : { wrapper: nested(depth - 1, leaf) };

describe('watchRequestFromEvent', () => {
  describe('CloudTrail records shaped like the API answer (flat)', () => {
    test.each(['StartImportTask', 'CreateGraphUsingImportTask'])(
      'a successful %s call names the task in its response',
      (eventName) => {
        expect(
          watchRequestFromEvent(cloudTrail({ eventName, responseElements: { taskId: TASK, graphId: GRAPH } })),
        ).toEqual({
          kind: 'watch',
          taskId: TASK,
          graphId: GRAPH,
          trigger: 'api-call',
          rewatch: false,
          taskIdPath: 'responseElements.taskId',
        });
      },
    );

    test('the graph id falls back to the request', () => {
      expect(
        watchRequestFromEvent(startImportTask({ taskId: TASK }, { requestParameters: { graphIdentifier: GRAPH } })),
      ).toMatchObject({ kind: 'watch', graphId: GRAPH });
    });

    test('a graph id found nowhere is null, and the watch still starts', () => {
      expect(watchRequestFromEvent(startImportTask({ taskId: TASK }))).toMatchObject({ kind: 'watch', graphId: null });
    });
  });

  describe('CloudTrail records shaped like the published CreateGraph record (the answer under a wrapper)', () => {
    test('the task id under an importTask wrapper, as id, is read, and the graph id beside it', () => {
      const request = watchRequestFromEvent(
        startImportTask(
          {
            importTask: {
              id: TASK,
              graphId: GRAPH,
              arn: `arn:aws:neptune-graph:us-east-1:111122223333:import-task/${TASK}`,
              status: 'INITIALIZING',
              source: 's3://bucket/prefix/',
              importOptions: { neptune: { preserveDefaultVertexLabels: true } },
            },
          },
          { requestParameters: { graphIdentifier: GRAPH, source: 's3://bucket/prefix/' } },
        ),
      );
      expect(request).toEqual({
        kind: 'watch',
        taskId: TASK,
        graphId: GRAPH,
        trigger: 'api-call',
        rewatch: false,
        taskIdPath: 'responseElements.importTask.id',
      });
    });

    test('a CreateGraphUsingImportTask answer with graph and task wrappers: graph.id is the graph, importTask.taskId the task', () => {
      expect(
        watchRequestFromEvent(
          cloudTrail({
            eventName: 'CreateGraphUsingImportTask',
            responseElements: { graph: { id: GRAPH, name: 'bobgraph' }, importTask: { taskId: TASK } },
          }),
        ),
      ).toMatchObject({
        kind: 'watch',
        taskId: TASK,
        graphId: GRAPH,
        taskIdPath: 'responseElements.importTask.taskId',
      });
    });

    test.each(['TaskId', 'TASKID', 'importTaskId', 'ImportTaskID'])('the key %s is read whatever its case', (key) => {
      expect(watchRequestFromEvent(startImportTask({ result: { [key]: TASK } }))).toMatchObject({
        kind: 'watch',
        taskId: TASK,
      });
    });

    test('the same task id in two places is one task', () => {
      expect(watchRequestFromEvent(startImportTask({ taskId: TASK, importTask: { id: TASK } }))).toMatchObject({
        kind: 'watch',
        taskId: TASK,
        taskIdPath: 'responseElements.taskId',
      });
    });

    test('a task id inside an array of wrappers is read', () => {
      expect(watchRequestFromEvent(startImportTask({ importTasks: [{ taskId: TASK }] }))).toMatchObject({
        kind: 'watch',
        taskIdPath: 'responseElements.importTasks[0].taskId',
      });
    });

    test('ids outside responseElements never name the task: the request, or the record ids', () => {
      const request = watchRequestFromEvent(
        cloudTrail({
          eventName: 'StartImportTask',
          id: TASK,
          requestParameters: { taskId: TASK },
          responseElements: {},
        }),
      );
      expect(request.kind).toBe('malformed');
    });
  });

  describe('successful records that name no task are malformed', () => {
    test.each([
      ['no responseElements', undefined],
      ['null responseElements', null],
      ['a string', 'see additionalEventData'],
      ['an empty object', {}],
      ['a task id of the wrong type', { taskId: 1234567890 }],
      ['a task id in a list', { taskId: [TASK] }],
      ['a task id of the wrong form', { taskId: 'T-BAD' }],
      ['only a graph id', { graph: { id: GRAPH } }],
    ])('%s', (_, responseElements) => {
      expect(watchRequestFromEvent(startImportTask(responseElements)).kind).toBe('malformed');
    });

    test('the reason names the key that was rejected and shows its value', () => {
      const request = watchRequestFromEvent(startImportTask({ importTask: { taskId: 'T-BAD' } }));
      expect(request.kind === 'malformed' && request.reason).toContain(
        'responseElements.importTask.taskId is not one: taskId must match',
      );
      expect(request.kind === 'malformed' && request.reason).toContain('"T-BAD"');
    });

    test('two different task ids are ambiguous: no guess, and both are shown', () => {
      const request = watchRequestFromEvent(
        startImportTask({ taskId: 't-aaaaaaaaaa', importTask: { taskId: 't-bbbbbbbbbb' } }),
      );
      expect(request.kind).toBe('malformed');
      expect(request.kind === 'malformed' && request.reason).toMatch(
        /more than one task.*responseElements\.taskId = "t-aaaaaaaaaa".*responseElements\.importTask\.taskId = "t-bbbbbbbbbb"/,
      );
    });

    test('two different task ids in an array are ambiguous', () => {
      expect(
        watchRequestFromEvent(startImportTask([{ taskId: 't-aaaaaaaaaa' }, { taskId: 't-bbbbbbbbbb' }])).kind,
      ).toBe('malformed');
    });

    test('a task id nested deeper than the search goes is not read', () => {
      const request = watchRequestFromEvent(startImportTask(nested(20, { taskId: TASK })));
      expect(request.kind).toBe('malformed');
      expect(request.kind === 'malformed' && request.reason).toContain('too large or deep to search');
    });

    test('a huge response is not walked to its end: a task id after 100 000 other values is not read', () => {
      const huge: Record<string, unknown> = {};
      for (let index = 0; index < 100_000; index += 1) huge[`k${index}`] = index;
      huge.taskId = TASK;
      const request = watchRequestFromEvent(startImportTask(huge));
      expect(request.kind).toBe('malformed');
      expect(request.kind === 'malformed' && request.reason).toContain('too large or deep to search');
    });
  });

  describe('records with nothing to watch are ignored', () => {
    test('a failed call', () => {
      expect(watchRequestFromEvent(startImportTask({ taskId: TASK }, { errorCode: 'AccessDenied' })).kind).toBe(
        'ignored',
      );
    });

    test('a failed call without a response at all', () => {
      expect(
        watchRequestFromEvent(startImportTask(null, { errorCode: 'ValidationException', errorMessage: 'bad' })).kind,
      ).toBe('ignored');
    });

    test('other calls', () => {
      expect(
        watchRequestFromEvent(cloudTrail({ eventName: 'GetImportTask', responseElements: { taskId: TASK } })).kind,
      ).toBe('ignored');
    });

    test('other detail-types', () => {
      expect(watchRequestFromEvent({ 'detail-type': 'Something Else', detail: { taskId: TASK } }).kind).toBe('ignored');
    });
  });

  describe('watch requests', () => {
    test('a watch request names the task in its detail', () => {
      expect(watchRequestFromEvent(watchRequest({ taskId: TASK }))).toEqual({
        kind: 'watch',
        taskId: TASK,
        graphId: null,
        trigger: 'watch-request',
        rewatch: false,
        taskIdPath: 'detail.taskId',
      });
    });

    test('a watch request asks to watch an announced task again only with rewatch: true', () => {
      expect(watchRequestFromEvent(watchRequest({ taskId: TASK, rewatch: true }))).toMatchObject({ rewatch: true });
      expect(watchRequestFromEvent(watchRequest({ taskId: TASK, rewatch: false }))).toMatchObject({ rewatch: false });
      expect(watchRequestFromEvent(watchRequest({ taskId: TASK }))).toMatchObject({ rewatch: false });
      // A flag that is not a boolean is refused, rather than read as false and the request declined unseen.
      expect(watchRequestFromEvent(watchRequest({ taskId: TASK, rewatch: 'true' }))).toEqual({
        kind: 'malformed',
        reason: 'The watch-request event\'s detail.rewatch must be true or false, not "true"; no watch started',
      });
    });

    test('a watch request with a malformed id is malformed, showing the value', () => {
      const request = watchRequestFromEvent(watchRequest({ taskId: 'T-BAD' }));
      expect(request.kind).toBe('malformed');
      expect(request.kind === 'malformed' && request.reason).toContain('"T-BAD"');
    });

    test.each([
      ['no task id', {}],
      ['a number', { taskId: 42 }],
      ['no detail', undefined],
      ['a detail that is not an object', 'watch t-0123456789'],
    ])('a watch request with %s is malformed', (_, detail) => {
      expect(watchRequestFromEvent(watchRequest(detail)).kind).toBe('malformed');
    });

    test('a watch request is read only where its schema puts the task id, not searched', () => {
      expect(watchRequestFromEvent(watchRequest({ task: { taskId: TASK } })).kind).toBe('malformed');
    });
  });

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'StartImportTask t-0123456789'],
    ['a number', 7],
    ['an array', [{ 'detail-type': 'Neptune Analytics Import Task Watch Requested', detail: { taskId: TASK } }]],
  ])('an event that is %s is malformed, not a TypeError', (_, event) => {
    const request = watchRequestFromEvent(event);
    expect(request.kind).toBe('malformed');
    expect(request.kind === 'malformed' && request.reason).toMatch(/^The event is not an object/);
  });
});
