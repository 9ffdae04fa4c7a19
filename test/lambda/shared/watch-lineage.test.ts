import { standingOfWatch, type ExecutionRecord } from '../../../lambda/shared/watch-lineage';

const finish = (detailType: string, terminal = true): ExecutionRecord => ({
  status: 'SUCCEEDED',
  output: JSON.stringify({ action: 'FINISH', event: { detailType, detail: { terminal } } }),
});
const continued = (next: string): ExecutionRecord => ({
  status: 'SUCCEEDED',
  output: JSON.stringify({ action: 'CONTINUE', executionName: next, input: {} }),
});
const describer = (records: Record<string, ExecutionRecord>) => {
  const asked: string[] = [];
  const describe = (name: string) => {
    asked.push(name);
    return Promise.resolve(records[name]);
  };
  return { describe, asked };
};

describe('where a watch stands', () => {
  test('GIVEN a chain of continued executions whose last one runs THEN the watch runs, and each was described once', async () => {
    const { describe, asked } = describer({
      t: continued('t-continued-1'),
      't-continued-1': continued('t-continued-2'),
      't-continued-2': { status: 'RUNNING' },
    });
    expect(await standingOfWatch('t', describe)).toEqual({ kind: 'running', executionName: 't-continued-2' });
    expect(asked).toEqual(['t', 't-continued-1', 't-continued-2']);
  });

  test.each([
    ['a terminal Status Change', finish('Neptune Analytics Import Task Status Change'), 'announced'],
    ['a Monitoring Failed event', finish('Neptune Analytics Import Task Monitoring Failed'), 'ended'],
    ['a failed execution', { status: 'FAILED' }, 'ended'],
    ['a timed-out execution', { status: 'TIMED_OUT' }, 'ended'],
    ['an execution waiting for a redrive', { status: 'PENDING_REDRIVE' }, 'running'],
    ['an output that is not JSON', { status: 'SUCCEEDED', output: '{' }, 'ended'],
  ])('GIVEN a watch whose last execution ended with %s THEN it stands %s', async (_, last, kind) => {
    const { describe } = describer({ t: continued('t-continued-1'), 't-continued-1': last });
    expect(await standingOfWatch('t', describe)).toEqual({ kind, executionName: 't-continued-1' });
  });

  test('GIVEN a successor that never started THEN the watch ended', async () => {
    const { describe } = describer({ t: continued('t-continued-1') });
    expect(await standingOfWatch('t', describe)).toEqual({ kind: 'ended', executionName: 't-continued-1' });
  });
});
