import { importTaskPageOf, UnusableListingError } from '../../../lambda/sweep/listing-page';

describe('importTaskPageOf', () => {
  test('GIVEN a page with a next token THEN its tasks, graph ids where given, and the token', () => {
    expect(
      importTaskPageOf({
        tasks: [
          { taskId: 't-0000000001', status: 'IMPORTING', graphId: 'g-aaaaaaaaaa', source: 's3://x' },
          { taskId: 't-0000000002', status: 'FAILED' },
        ],
        nextToken: 'next',
      }),
    ).toEqual({
      tasks: [
        { taskId: 't-0000000001', status: 'IMPORTING', graphId: 'g-aaaaaaaaaa' },
        { taskId: 't-0000000002', status: 'FAILED' },
      ],
      unreadable: 0,
      nextToken: 'next',
    });
  });

  test('GIVEN the last page (no token, a null one or an empty one) THEN no next token', () => {
    for (const nextToken of [undefined, null, '']) {
      expect(importTaskPageOf({ tasks: [], nextToken })).toEqual({ tasks: [], unreadable: 0 });
    }
  });

  test.each([
    ['a string', { tasks: 'abc' }, 'tasks is "abc"'],
    ['null', { tasks: null }, 'tasks is null'],
    ['missing', {}, 'tasks is missing'],
    ['an object', { tasks: { taskId: 't-0000000001' } }, 'tasks is {"taskId":"t-0000000001"}'],
  ])('fails when tasks is %s, naming it: such a page would pass for an empty account', (_, answer, shown) => {
    expect(() => importTaskPageOf(answer)).toThrow(UnusableListingError);
    expect(() => importTaskPageOf(answer)).toThrow(shown);
  });

  test('fails when the next token is not a string', () => {
    expect(() => importTaskPageOf({ tasks: [], nextToken: 5 })).toThrow(
      new UnusableListingError('ListImportTasks answered a nextToken that is not a string: 5'),
    );
  });

  test('GIVEN entries without a string task id or status THEN they are left out and counted', () => {
    const page = importTaskPageOf({
      tasks: [
        null,
        5,
        'x',
        { taskId: 't-0000000001' },
        { status: 'FAILED' },
        { taskId: 7, status: 'FAILED' },
        { taskId: 't-0000000002', status: 'FAILED', graphId: 7 },
      ],
    });
    expect(page).toEqual({ tasks: [{ taskId: 't-0000000002', status: 'FAILED' }], unreadable: 6 });
  });
});
