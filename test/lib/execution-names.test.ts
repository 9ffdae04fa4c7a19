import {
  MAX_EXECUTION_NAME_LENGTH,
  backstopExecutionName,
  continuedExecutionName,
  isBackstopExecutionName,
  watchExecutionName,
} from '../../lib/identifiers';
import { executionNameProblem } from '../../local/local-poller';

describe('execution names', () => {
  test('GIVEN a task THEN its first watch is named after it, and later watches carry their number', () => {
    expect(watchExecutionName('t-0123456789', 1)).toBe('t-0123456789');
    expect(watchExecutionName('t-0123456789', 2)).toBe('t-0123456789-watch-2');
  });

  test('GIVEN two watches of one task THEN their continued executions never share a name', () => {
    const first = [1, 2, 3].map((g) => continuedExecutionName(watchExecutionName('t-0123456789', 1), g));
    const second = [1, 2, 3].map((g) => continuedExecutionName(watchExecutionName('t-0123456789', 2), g));
    expect(first).toEqual(['t-0123456789-continued-1', 't-0123456789-continued-2', 't-0123456789-continued-3']);
    expect(second.filter((name) => first.includes(name))).toEqual([]);
  });

  test('GIVEN the longest names the poller can make THEN Step Functions accepts them', () => {
    const longest = [
      continuedExecutionName(watchExecutionName('t-0123456789', Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER),
      backstopExecutionName(
        continuedExecutionName(watchExecutionName('t-0123456789', Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER),
      ),
      backstopExecutionName(continuedExecutionName('d'.repeat(80), 99)),
    ];
    for (const name of longest) {
      expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
      expect(executionNameProblem(name)).toBeUndefined();
    }
  });

  test('GIVEN two direct executions whose long names differ only at the end THEN their continued names differ', () => {
    const a = continuedExecutionName(`${'d'.repeat(79)}a`, 1);
    const b = continuedExecutionName(`${'d'.repeat(79)}b`, 1);
    expect(a).not.toBe(b);
    expect(a.endsWith('-continued-1')).toBe(true);
  });

  test.each([
    ['t-0123456789-backstop', true],
    [backstopExecutionName(continuedExecutionName('d'.repeat(80), 3)), true],
    ['t-0123456789-continued-3', false],
    ['t-0123456789', false],
  ])('%s is a backstop: %s', (name, backstop) => {
    expect(isBackstopExecutionName(name)).toBe(backstop);
  });
});
