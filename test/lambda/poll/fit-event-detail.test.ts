import { fitEventDetail, MAX_DETAIL_BYTES, TRUNCATION_MARKER } from '../../../lambda/poll/fit-event-detail';

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
});
