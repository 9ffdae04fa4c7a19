/**
 * Many watches at once against a stand-in that throttles: the load test's own code, at a size
 * that fits the test suite (`npm run load` runs 500). The clock is real time scaled, so how
 * often the rate limit bites depends on the machine's speed; the assertions hold at any speed,
 * and throttling is made certain by 429 answers injected into the first poll of some imports.
 */
import { loadTestProblems, runLoadTest } from '../../local/load-test';

const IMPORTS = 60;
const INJECTED_THROTTLES = 20;

test(`GIVEN ${IMPORTS} imports started together, ${INJECTED_THROTTLES} of them answered 429 at their first poll, and a stand-in that allows 5 requests a second THEN each ends with exactly one terminal event, its own, and no execution fails`, async () => {
  const report = await runLoadTest({
    imports: IMPORTS,
    rateLimit: 5,
    injectedThrottles: INJECTED_THROTTLES,
    // Every real millisecond a busy machine adds to a step is 250 simulated ones; at 0.002 a machine with every core
    // busy could spend a throttled watch's 15-minute retry budget on its own delays.
    timeScale: 0.004,
    seed: 11,
    importSeconds: [300, 1800],
    longWatchPolls: 50,
  });

  expect(loadTestProblems(report)).toEqual([]);
  expect(report.terminalEventsPerImport).toEqual({ exactlyOne: IMPORTS, none: 0, more: 0 });
  expect(report.wrongOutcome).toBe(0);
  expect(report.failedExecutions).toBe(0);
  expect(report.injectedThrottles).toEqual({ requested: INJECTED_THROTTLES, answered: INJECTED_THROTTLES });
  expect(report.throttled).toBeGreaterThanOrEqual(INJECTED_THROTTLES);
  expect(report.throttledWatches.watches).toBeGreaterThanOrEqual(INJECTED_THROTTLES);
  expect(report.throttledWatches.endedWithTheirOwnEvent).toBe(report.throttledWatches.watches);
  // Each import needs one answer that ends it, and each injected 429 was a poll of its own.
  expect(report.polls).toBeGreaterThanOrEqual(IMPORTS + INJECTED_THROTTLES);
  // The sweep listed the imports beside the watches, on the same clock and under the same rate limit.
  expect(report.listings).toBeGreaterThan(0);
  expect(report.longWatch.terminalEvents).toBe(1);
}, 120_000);
