import {
  boundFieldPaths,
  fitEventDetail,
  MAX_DETAIL_BYTES,
  MAX_TRUNCATED_FIELDS_BYTES,
  TRUNCATION_MARKER,
} from '../../../lambda/poll/fit-event-detail';

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

function detailWith(errorDetails: string, statusReason = 'failed') {
  return {
    taskId: 't-0123456789',
    status: 'FAILED',
    statusReason,
    importTask: {
      taskId: 't-0123456789',
      status: 'FAILED',
      statusReason,
      importTaskDetails: { status: 'FAILED', errorDetails },
    },
  };
}

/** Cut just enough: under the limit, and not far under it. */
function expectJustUnder(detail: unknown): void {
  expect(bytes(detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
  expect(bytes(detail)).toBeGreaterThan(MAX_DETAIL_BYTES - 100);
}

describe('fitEventDetail', () => {
  test('a detail under the limit is returned as it is', () => {
    const detail = detailWith('row 17: bad');
    expect(fitEventDetail(detail)).toEqual({ detail, truncatedFields: [] });
  });

  test('errorDetails is cut first, just enough, and marked', () => {
    const fitted = fitEventDetail(detailWith('e'.repeat(400_000)));

    expectJustUnder(fitted.detail);
    expect(fitted.truncatedFields).toEqual(['importTask.importTaskDetails.errorDetails']);
    expect(fitted.detail.importTask.importTaskDetails.errorDetails.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(fitted.detail.statusReason).toBe('failed');
  });

  test('multi-byte text is cut by bytes, just enough, without splitting a character', () => {
    const fitted = fitEventDetail(detailWith('😀é€'.repeat(100_000)));

    expectJustUnder(fitted.detail);
    const text = fitted.detail.importTask.importTaskDetails.errorDetails;
    expect(text.slice(0, -TRUNCATION_MARKER.length)).toMatch(/^(😀é€)*(😀|😀é)?$/u);
  });

  test('characters JSON escapes count as the bytes they take', () => {
    expectJustUnder(fitEventDetail(detailWith('\u0001"\\'.repeat(100_000))).detail);
  });

  test('when errorDetails is not enough, the largest other strings are cut next', () => {
    const fitted = fitEventDetail(detailWith('short', 'r'.repeat(150_000)));

    expectJustUnder(fitted.detail);
    expect(fitted.truncatedFields.length).toBeGreaterThan(0);
    expect(fitted.truncatedFields.every((path) => path.endsWith('statusReason'))).toBe(true);
    expect(fitted.detail.importTask.importTaskDetails.errorDetails).toBe('short');
    expect(fitted.detail.taskId).toBe('t-0123456789');
  });

  test('a long errorDetails and a huge statusReason, which appears twice, are both cut, and it ends', () => {
    const fitted = fitEventDetail(detailWith('x'.repeat(1_000), 'r'.repeat(110_000)));

    expect(bytes(fitted.detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(fitted.truncatedFields).toContain('importTask.importTaskDetails.errorDetails');
    expect(fitted.truncatedFields.some((path) => path.endsWith('statusReason'))).toBe(true);
  });

  test('when no string is left to cut, the answer shrinks to its task id and status', () => {
    const detail = {
      ...detailWith('short'),
      importTask: { taskId: 't-0123456789', status: 'FAILED', rows: Array.from({ length: 30_000 }, () => 'abcdefgh') },
    };

    const fitted = fitEventDetail(detail);

    expect(bytes(fitted.detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(fitted.detail.importTask).toEqual({ taskId: 't-0123456789', status: 'FAILED' });
    expect(fitted.truncatedFields).toEqual(['importTask']);
  });

  test('thousands of long strings are each cut at most once, in one pass, and the list of cuts stays short', () => {
    const rows = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`row${i}`, 'v'.repeat(1_000)]));
    const detail = { ...detailWith('short'), importTask: { taskId: 't-0123456789', status: 'FAILED', rows } };

    const fitted = fitEventDetail(detail);

    expectJustUnder(fitted.detail);
    expect(bytes(fitted.truncatedFields)).toBeLessThanOrEqual(MAX_TRUNCATED_FIELDS_BYTES);
    expect(fitted.truncatedFields).toEqual(['importTask.rows']);
  });
});

describe('boundFieldPaths', () => {
  test('sorts, drops duplicates and paths below another listed one', () => {
    expect(boundFieldPaths(['statusReason', 'importTask.b.c', 'importTask.a', 'importTask.b', 'importTask.a'])).toEqual(
      ['importTask.a', 'importTask.b', 'statusReason'],
    );
  });

  test('a list too long to carry names its paths by their first two segments, then by their first', () => {
    const deep = Array.from({ length: 500 }, (_, i) => `importTask.options.key${i}`);
    const wide = Array.from({ length: 500 }, (_, i) => `importTask.key${i}.value`);

    expect(boundFieldPaths([...deep, 'statusReason'])).toEqual(['importTask.options', 'statusReason']);
    expect(boundFieldPaths([...wide, 'statusReason'])).toEqual(['importTask', 'statusReason']);
  });
});
