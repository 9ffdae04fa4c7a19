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

describe('fitEventDetail', () => {
  test('a detail under the limit is returned as it is', () => {
    const detail = detailWith('row 17: bad');
    expect(fitEventDetail(detail)).toEqual({ detail, truncatedFields: [] });
  });

  test('errorDetails is cut first, just enough, and marked', () => {
    const detail = detailWith('e'.repeat(400_000));

    const fitted = fitEventDetail(detail);

    expect(bytes(fitted.detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(bytes(fitted.detail)).toBeGreaterThan(MAX_DETAIL_BYTES - 1000);
    expect(fitted.truncatedFields).toEqual(['importTask.importTaskDetails.errorDetails']);
    expect(fitted.detail.importTask.importTaskDetails.errorDetails.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(fitted.detail.statusReason).toBe('failed');
  });

  test('multi-byte text is cut by bytes, without splitting a character', () => {
    const fitted = fitEventDetail(detailWith('😀é'.repeat(100_000)));

    expect(bytes(fitted.detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    const text = fitted.detail.importTask.importTaskDetails.errorDetails;
    expect(text.slice(0, -TRUNCATION_MARKER.length)).toMatch(/^(😀é)*(😀)?$/u);
  });

  test('when errorDetails is not enough, the longest other strings are cut next', () => {
    const fitted = fitEventDetail(detailWith('short', 'r'.repeat(150_000)));

    expect(bytes(fitted.detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(fitted.truncatedFields.length).toBeGreaterThan(0);
    expect(fitted.truncatedFields.every((path) => path.endsWith('statusReason'))).toBe(true);
    expect(fitted.detail.importTask.importTaskDetails.errorDetails).toBe('short');
    expect(fitted.detail.taskId).toBe('t-0123456789');
  });

  test('escaped characters count as what they cost in JSON', () => {
    const fitted = fitEventDetail(detailWith('\u0001'.repeat(100_000)));
    expect(bytes(fitted.detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
  });
});
