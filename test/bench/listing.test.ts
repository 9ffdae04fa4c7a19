import { pagesFor, SweepListing, type SweepModel } from '../../bench/listing';

const model: SweepModel = {
  periodSeconds: 60,
  wakeDelaySeconds: 2,
  pageSize: 2,
  maxPagesPerSweep: 2,
  listingRetentionSeconds: 100,
};

describe('pagesFor', () => {
  test.each([
    [0, 1],
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 2],
    [Number.POSITIVE_INFINITY, 2],
  ])('GIVEN %s tasks listed, pages of 2, at most 2 THEN the sweep reads %i pages', (listed, pages) => {
    expect(pagesFor(listed, model)).toBe(pages);
  });
});

describe('SweepListing', () => {
  test('GIVEN an import THEN sweeps list it from its start until the retention after its end has passed', () => {
    // GIVEN one import from 100 s to 200 s, in a cycle of 1,000 s, sweeps at 30 + 60 k
    const listing = new SweepListing([{ startsAt: 100, endsAt: 200 }], 1000, model, 30);

    // THEN sweeps at 90 and 330 do not list it; those at 150 to 270 do
    expect([1, 2, 3, 4, 5].map((k) => listing.visibility(0, k))).toEqual([
      'unlisted',
      'seen',
      'seen',
      'seen',
      'unlisted',
    ]);
    expect(listing.tickAt(5)).toBe(330);
  });

  test('GIVEN more tasks listed than the pages hold THEN the oldest are beyond the cap', () => {
    // GIVEN five running imports started at 10 to 50 s, pages of 2, at most 2
    const lives = [10, 20, 30, 40, 50].map((startsAt) => ({ startsAt, endsAt: 500 }));
    const listing = new SweepListing(lives, 1000, model, 0);

    // WHEN the sweep at 60 s lists all five THEN it sees the newest four
    expect(lives.map((_, index) => listing.visibility(index, 1))).toEqual([
      'beyond-cap',
      'seen',
      'seen',
      'seen',
      'seen',
    ]);
  });

  test('GIVEN every task ever started listed THEN every sweep reads all its pages and sees the newest', () => {
    const lives = [10, 20, 30].map((startsAt) => ({ startsAt, endsAt: startsAt + 5 }));
    const listing = new SweepListing(lives, 100, { ...model, listingRetentionSeconds: Infinity }, 50);

    expect(listing.figures()).toMatchObject({ sweeps: 1, pages: 2, tasksRead: 4, cappedSweeps: 1 });
    // At 170 s, the copies of the next cycle (110, 120, 130) and the import at 30 s are the newest four.
    expect(lives.map((_, index) => listing.visibility(index, 2))).toEqual(['beyond-cap', 'beyond-cap', 'seen']);
  });

  test('GIVEN an import that runs past the end of the cycle THEN it is listed at the start of the cycle too', () => {
    // GIVEN an import from 900 s to 1,200 s in a cycle of 1,000 s
    const listing = new SweepListing([{ startsAt: 900, endsAt: 1200 }], 1000, model, 30);

    // THEN the sweeps at 30 to 270 s list its copy of the previous cycle, and the one at 330 s lists nothing
    const figures = listing.figures();
    expect(figures.sweeps).toBe(17);
    expect(figures.maxListed).toBe(1);
    expect(figures.tasksRead).toBe(5 + 2);
    expect(figures.meanRunning).toBeCloseTo((3 + 2) / 17);
    expect(figures.pages).toBe(17);
  });

  test('fails when an import starts outside the cycle', () => {
    expect(() => new SweepListing([{ startsAt: 1000, endsAt: 1100 }], 1000, model, 0)).toThrow(/within the cycle/);
  });
});
