import {
  backstopExecutionName,
  continuedExecutionName,
  isGraphId,
  isTaskId,
  watchExecutionName,
} from '../../lib/identifiers';

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

  describe('GIVEN the longest task id and the largest generation there can be', () => {
    /** Step Functions takes execution names of 1 to 80 characters; CloudWatch Logs, which the poller logs to, only these. */
    const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;
    /** Task ids have one length only: `t-` and ten characters. */
    const LONGEST_TASK_ID = 't-zzzzzzzzzz';

    test('THEN the task id is the longest one there is', () => {
      expect(isTaskId(LONGEST_TASK_ID)).toBe(true);
      expect(isTaskId(`${LONGEST_TASK_ID}z`)).toBe(false);
    });

    // A generation counts executions one by one from 0; a year-long watch polled every second
    // reaches 31,536,000 at most, and the counter is exact up to Number.MAX_SAFE_INTEGER.
    test.each([0, 1, 9, 10, 31_536_000, Number.MAX_SAFE_INTEGER])(
      "THEN the names of generation %i, of any watch and of its backstop fit Step Functions' 80 characters, in the characters CloudWatch Logs accepts",
      (generation) => {
        for (const watch of [1, 2, Number.MAX_SAFE_INTEGER]) {
          const name = continuedExecutionName(watchExecutionName(LONGEST_TASK_ID, watch), generation);
          expect(name).toMatch(EXECUTION_NAME);
          expect(backstopExecutionName(name)).toMatch(EXECUTION_NAME);
        }
      },
    );
  });
});
