import { DEFAULT_WORKLOAD, generateWorkload } from '../../bench/workload';

describe('generateWorkload', () => {
  const options = { ...DEFAULT_WORKLOAD, imports: 200 };

  test('imports start one after another, all within the cycle', () => {
    const { imports, cycleSeconds } = generateWorkload(options);

    const starts = imports.map((i) => i.startsAt);
    expect(starts[0]).toBeGreaterThan(0);
    starts.slice(1).forEach((start, i) => expect(start).toBeGreaterThan(starts[i]));
    expect(cycleSeconds).toBeGreaterThan(starts[starts.length - 1]);
  });

  test('GIVEN twice the concurrency THEN the same imports start twice as fast', () => {
    const once = generateWorkload(options);
    const twice = generateWorkload({ ...options, concurrency: options.concurrency * 2 });

    expect(twice.imports.map(({ startsAt: _, ...rest }) => rest)).toEqual(
      once.imports.map(({ startsAt: _, ...rest }) => rest),
    );
    expect(twice.cycleSeconds).toBeCloseTo(once.cycleSeconds / 2);
  });
});
