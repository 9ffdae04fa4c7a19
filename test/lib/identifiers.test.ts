import { executionNameFor, isGraphId, isTaskId } from '../../lib/identifiers';

describe('identifiers', () => {
  test.each(['t-0123456789', 't-abcdefghij', 't-a1b2c3d4e5'])('%s is a task id', (id) =>
    expect(isTaskId(id)).toBe(true),
  );
  test.each([
    't-012345678',
    't-01234567890',
    'T-0123456789',
    't-ABCDEFGHIJ',
    'g-0123456789',
    't_0123456789',
    '',
    42,
    null,
  ])('%j is not a task id', (id) => expect(isTaskId(id)).toBe(false));
  test('graph ids', () => {
    expect(isGraphId('g-0123456789')).toBe(true);
    expect(isGraphId('g-012345678')).toBe(false);
  });
  test('the first execution is named after the task; continued ones carry their generation, within 80 characters', () => {
    expect(executionNameFor('t-0123456789', 0)).toBe('t-0123456789');
    expect(executionNameFor('t-0123456789', 12)).toBe('t-0123456789-continued-12');
    expect(executionNameFor('t-0123456789', 999_999).length).toBeLessThanOrEqual(80);
  });
});
