import { listingOrderCases, simulateListingOrder } from '../../bench/listing-orders';

describe('simulateListingOrder', () => {
  test.each(['newest-first', 'oldest-first', 'random'] as const)(
    'GIVEN 300 tasks listed %s and a sweep of one page THEN every end is read within a pass of three sweeps, and every import is read',
    (order) => {
      const figures = simulateListingOrder({ order, listed: 300, running: 50, maxPagesPerSweep: 1, seed: 7 });

      expect(figures.ends).toBeGreaterThan(0);
      expect(figures.unread).toBe(0);
      expect(figures.neverListedToASweep).toBe(0);
      // A shifting listing may hold a task back one sweep more than a pass.
      expect(figures.maxSeconds).toBeLessThanOrEqual(4 * 60 + 2);
      expect(figures.maxUnreadSeconds).toBeGreaterThanOrEqual(120);
    },
  );

  test('GIVEN pages enough for the whole listing THEN every end is read by the next sweep', () => {
    const figures = simulateListingOrder({ order: 'random', listed: 300, running: 50, maxPagesPerSweep: 10, seed: 7 });

    expect(figures.maxSeconds).toBeLessThanOrEqual(62);
    expect(figures.maxUnreadSeconds).toBe(0);
  });

  test('the cases: every order, at 2,000 and 20,000 tasks listed, with 100 and 1,000 imports at once', () => {
    const cases = listingOrderCases(10, 1);
    expect(cases).toHaveLength(9);
    expect(new Set(cases.map((c) => `${c.listed}/${c.running}`))).toEqual(
      new Set(['2000/100', '2000/1000', '20000/1000']),
    );
  });
});
