import { costPer1000Imports, PRICES } from '../../bench/costs';
import type { ListingFigures } from '../../bench/listing';

const transitions = { perPoll: 3, perWatch: 1 };
const usage = { polls: 10, parks: 9, sweepWrites: 2 };
const listing: ListingFigures = {
  sweeps: 100,
  pages: 200,
  tasksRead: 15_000,
  meanListed: 150,
  maxListed: 170,
  meanRunning: 120,
  cappedSweeps: 0,
};

describe('costPer1000Imports', () => {
  test('GIVEN no sweep THEN only the state transitions and the polls cost', () => {
    const cost = costPer1000Imports(usage, transitions);

    expect(cost.stepFunctions).toBeCloseTo(31 * 0.025);
    expect(cost.pollFunction).toBeCloseTo(10 * (0.2 / 1000 + 0.0000133334 * 0.25 * 0.1 * 1000));
    expect(cost).toMatchObject({ sweepFunction: 0, dynamoDb: 0 });
    expect(cost.total).toBeCloseTo(cost.stepFunctions + cost.pollFunction);
  });

  test("GIVEN the sweep THEN the park task takes the Wait state's place, and the sweeps are shared by the imports", () => {
    const cost = costPer1000Imports(usage, transitions, { listing, imports: 50 });

    expect(cost.stepFunctions).toBeCloseTo(31 * 0.025);
    // 100 runs of 300 ms and 200 pages of 30 ms at 256 MB, for 50 imports
    expect(cost.sweepFunction).toBeCloseTo(((100 * 0.2e-6 + 36 * 0.25 * 0.0000133334) / 50) * 1000);
    // 11 writes per import, and 5 items read per import at one unit each (strongly consistent), however long listed
    expect(cost.dynamoDb).toBeCloseTo(11 * 0.625e-3 + 5 * 0.125e-3);
    expect(PRICES.readRequestUnitsPerKey).toBe(1);
  });
});
