import { MalformedImportTaskError } from '../../../lambda/poll/classify-error';
import { TRUNCATION_MARKER } from '../../../lambda/poll/fit-event-detail';
import {
  MAX_ANSWER_DEPTH,
  MAX_ANSWER_STRING_CHARS,
  MAX_ANSWER_VALUES,
  MAX_MEMBER_NAME_CHARS,
  toImportTaskSnapshot,
} from '../../../lambda/poll/import-task-snapshot';
import { depthOf, nested } from '../../support/deep-json';

const TASK_ID = 't-0123456789';

const answer = (extra: Record<string, unknown> = {}) => ({ taskId: TASK_ID, status: 'IMPORTING', ...extra });

describe('toImportTaskSnapshot', () => {
  test('a normal answer is read whole: Dates as ISO strings, without $metadata', () => {
    const read = toImportTaskSnapshot(
      answer({
        graphId: 'g-0123456789',
        $metadata: { httpStatusCode: 200 },
        importTaskDetails: { status: 'IMPORTING', startTime: new Date(0), progressPercentage: 40 },
        importOptions: { neptune: { preserveEdgeIds: true } },
      }),
      TASK_ID,
    );

    expect(read).toEqual({
      task: {
        taskId: TASK_ID,
        status: 'IMPORTING',
        graphId: 'g-0123456789',
        importTaskDetails: { status: 'IMPORTING', startTime: '1970-01-01T00:00:00.000Z', progressPercentage: 40 },
        importOptions: { neptune: { preserveEdgeIds: true } },
      },
      adjusted: [],
      truncated: [],
    });
  });

  test.each([
    ['a 200 KB status', 'S'.repeat(200_000), /has no plausible status \(got "S{40}"… \(200000 characters\)\)/],
    ['a sentence', 'still importing, please wait', /has no plausible status/],
    ['an object nested 10,000 levels', nested(10_000), /has no plausible status \(got an object\)/],
    ['a number', 5, /has no plausible status \(got 5\)/],
    ['nothing', undefined, /has no plausible status \(got nothing\)/],
  ])('fails when the status is %s: a malformed answer, retried, with a short message', (_name, status, message) => {
    const read = () => toImportTaskSnapshot(answer({ status }), TASK_ID);

    expect(read).toThrow(MalformedImportTaskError);
    expect(read).toThrow(message);
  });

  test('a status is read in upper case, without spaces around it', () => {
    expect(toImportTaskSnapshot(answer({ status: ' rolling_back ' }), TASK_ID).task.status).toBe('ROLLING_BACK');
  });

  test('fails when the answer names another task, however it names it, with a short message', () => {
    expect(() => toImportTaskSnapshot(answer({ taskId: 't-'.repeat(100_000) }), TASK_ID)).toThrow(
      /answered for "t-t-t-t-t-t-t-t-t-t-t-t-t-t-t-t-t-t-t-t-"… \(200000 characters\)$/,
    );
    expect(() => toImportTaskSnapshot(answer({ taskId: nested(10_000) }), TASK_ID)).toThrow(/answered for an object$/);
  });

  test(`members nested more than ${MAX_ANSWER_DEPTH} levels are dropped and named, and reading does not recurse without end`, () => {
    const read = toImportTaskSnapshot(
      answer({ importOptions: { $unknown: ['futureOption', nested(10_000)] } }),
      TASK_ID,
    );

    expect(depthOf(read.task)).toBeLessThanOrEqual(MAX_ANSWER_DEPTH);
    expect(read.truncated).toEqual([`importOptions.$unknown.1${'.a'.repeat(MAX_ANSWER_DEPTH - 3)}`]);
    expect(() => JSON.stringify(read.task)).not.toThrow();
  });

  test('strings longer than any event could carry are cut and named', () => {
    const read = toImportTaskSnapshot(answer({ graphId: 'g'.repeat(280_000), extra: ['x'.repeat(300_000)] }), TASK_ID);

    expect(read.task.graphId).toBe('g'.repeat(MAX_ANSWER_STRING_CHARS) + TRUNCATION_MARKER);
    expect((read.task.extra as string[])[0]).toHaveLength(MAX_ANSWER_STRING_CHARS + TRUNCATION_MARKER.length);
    expect(read.truncated).toEqual(['graphId', 'extra.0']);
  });

  test('members with names too long to be real are dropped, and named by the start of their name', () => {
    const name = 'n'.repeat(200_000);
    const read = toImportTaskSnapshot(answer({ importOptions: { [name]: 1 } }), TASK_ID);

    expect(read.task.importOptions).toEqual({});
    expect(read.truncated).toEqual([`importOptions.${'n'.repeat(MAX_MEMBER_NAME_CHARS)}…`]);
  });

  test(`after ${MAX_ANSWER_VALUES} values the members left are dropped, and their container named once`, () => {
    const read = toImportTaskSnapshot(answer({ rows: Array.from({ length: 50_000 }, (_, i) => i) }), TASK_ID);

    expect((read.task.rows as number[]).length).toBeLessThan(MAX_ANSWER_VALUES);
    expect(read.truncated).toEqual(['rows']);
  });

  test('values that are not JSON are dropped and named; numbers that are not finite become null', () => {
    const read = toImportTaskSnapshot(
      answer({ big: BigInt(1), call: () => 1, ratio: Number.NaN, when: new Date(Number.NaN) }),
      TASK_ID,
    );

    expect(read.task).toMatchObject({ ratio: null, when: null });
    expect(read.task).not.toHaveProperty('big');
    expect(read.task).not.toHaveProperty('call');
    expect(read.truncated).toEqual(['big', 'call']);
  });

  test('a field of the wrong type is dropped and named as adjusted, not again for what it held', () => {
    const read = toImportTaskSnapshot(answer({ statusReason: nested(10_000), attemptNumber: '2' }), TASK_ID);

    expect(read.task).not.toHaveProperty('statusReason');
    expect(read.task.attemptNumber).toBe(2);
    expect(read.adjusted).toEqual(['statusReason', 'attemptNumber']);
    expect(read.truncated).toEqual([]);
  });
});
