/**
 * Many watches at once against a stand-in that throttles: the load test's own code, at a size
 * that fits the test suite (`npm run load` runs 500).
 */
import { loadTestProblems, runLoadTest } from '../../local/load-test';

test('GIVEN 60 imports started together and a stand-in that allows 5 requests a second THEN each ends with exactly one terminal event, its own', async () => {
  const report = await runLoadTest({
    imports: 60,
    rateLimit: 5,
    timeScale: 0.002,
    seed: 11,
    importSeconds: [300, 1800],
    longWatchPolls: 50,
  });

  expect(loadTestProblems(report)).toEqual([]);
  expect(report.terminalEventsPerImport).toEqual({ exactlyOne: 60, none: 0, more: 0 });
  expect(report.throttled).toBeGreaterThan(0);
  expect(report.failedExecutions).toBe(0);
  expect(report.polls).toBeGreaterThan(60 * 3);
}, 120_000);
