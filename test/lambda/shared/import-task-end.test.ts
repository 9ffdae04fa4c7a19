import { importTaskEndedAt } from '../../../lambda/shared/import-task-end';

describe('importTaskEndedAt', () => {
  const start = new Date('2026-03-01T10:00:00Z');

  test('the end of an ended task is its start time plus the seconds it ran', () => {
    expect(importTaskEndedAt({ startTime: start, timeElapsedSeconds: 5400 })).toBe(Date.parse('2026-03-01T11:30:00Z'));
    expect(importTaskEndedAt({ startTime: start, timeElapsedSeconds: 0 })).toBe(start.getTime());
  });

  test('GIVEN the start time as the poll function carries it, an ISO-8601 string THEN the end is read the same', () => {
    expect(importTaskEndedAt({ startTime: '2026-03-01T10:00:00.000Z', timeElapsedSeconds: 5400 })).toBe(
      Date.parse('2026-03-01T11:30:00Z'),
    );
  });

  test.each([
    ['no details', undefined],
    ['no start time', { timeElapsedSeconds: 60 }],
    ['a start time that is no time', { startTime: 'yesterday', timeElapsedSeconds: 60 }],
    ['a start time that is a number', { startTime: 1_772_359_200_000, timeElapsedSeconds: 60 }],
    ['an invalid date', { startTime: new Date(Number.NaN), timeElapsedSeconds: 60 }],
    ['no elapsed time', { startTime: start }],
    ['a negative elapsed time', { startTime: start, timeElapsedSeconds: -1 }],
    ['an elapsed time that is not a number', { startTime: start, timeElapsedSeconds: '60' }],
    ['an infinite elapsed time', { startTime: start, timeElapsedSeconds: Number.POSITIVE_INFINITY }],
  ])('GIVEN %s THEN the end is unknown', (_, timing) => {
    expect(importTaskEndedAt(timing)).toBeUndefined();
  });
});
