import { LOCAL_USAGE, parseDurationSeconds, parseLocalRunArgs, UsageError } from '../../local/cli-args';

describe('npm run local arguments', () => {
  test('the task id alone runs at real speed with the construct defaults, the sweep included', () => {
    expect(parseLocalRunArgs(['--task-id', 't-0123456789'])).toEqual({
      taskId: 't-0123456789',
      timeScale: 1,
      emitStatusChanges: false,
      sweep: true,
      logLevel: 'INFO',
    });
  });

  test('every option', () => {
    expect(
      parseLocalRunArgs([
        '--task-id',
        't-0123456789',
        '--graph-id',
        'g-0123456789',
        '--timeout',
        '6h',
        '--time-scale',
        '0.001',
        '--emit-status-changes',
        '--no-sweep',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      taskId: 't-0123456789',
      graphId: 'g-0123456789',
      timeoutSeconds: 21_600,
      timeScale: 0.001,
      emitStatusChanges: true,
      sweep: false,
      logLevel: 'WARN',
    });
  });

  test.each([
    ['90s', 90],
    ['15m', 900],
    ['2d', 172_800],
    ['1.5h', 5400],
  ])('--timeout %s is %i seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  test.each([
    [[], /--task-id is required/],
    [['--task-id', 't-0123456789', '--timeout', '10'], /--timeout takes a number and a unit.*got "10"/],
    [['--task-id', 't-0123456789', '--timeout', '30s'], /from 1 minute \(60s\) to 365 days/],
    [['--task-id', 't-0123456789', '--time-scale', '0'], /--time-scale takes a number above 0 and at most 1.*got "0"/],
    [['--task-id', 't-0123456789', '--bogus'], /Unknown option '--bogus'/],
    [['--task-id', 't-0123456789', '--timeout', '400d'], /to 365 days \(365d\); got 400d/],
    [['--task-id', 't-0123456789', '--time-scale', '2'], /at most 1/],
    [['--task-id', 't-0123456789', '--no-sweep=yes'], /--no-sweep.*does not take an argument/],
  ])('fails when given %j', (argv, message) => {
    expect(() => parseLocalRunArgs(argv)).toThrow(UsageError);
    expect(() => parseLocalRunArgs(argv)).toThrow(message);
  });

  test('--help asks for the usage text', () => {
    expect(parseLocalRunArgs(['--help'])).toBeUndefined();
  });

  test('the usage text names --no-sweep', () => {
    expect(LOCAL_USAGE).toMatch(/--no-sweep {2,}run the poller without the sweep/);
  });
});
