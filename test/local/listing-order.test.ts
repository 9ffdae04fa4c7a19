import { simpleTimeline } from '../../local/import-timeline';
import { NeptuneGraphStandIn, type ListingOrder } from '../../local/neptune-graph-standin';

/** The task ids of every page of the stand-in's listing, pages of `size`, followed by their tokens. */
function allPages(standIn: NeptuneGraphStandIn, size: number): string[] {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = standIn.listPage(size, token) as { tasks: { taskId: string }[]; nextToken?: string };
    ids.push(...page.tasks.map((task) => task.taskId));
    token = page.nextToken;
  } while (token !== undefined);
  return ids;
}

describe('the stand-in lists its tasks in the order asked for', () => {
  const standInWith = (listingOrder?: ListingOrder) => {
    const standIn = new NeptuneGraphStandIn({ now: () => 0, ...(listingOrder === undefined ? {} : { listingOrder }) });
    const added = Array.from(
      { length: 7 },
      (_, index) => standIn.addTask({ taskId: `t-000000000${index}`, timeline: simpleTimeline(600) }).taskId,
    );
    return { standIn, added };
  };

  test('oldest first by default: the order they were added, over every page', () => {
    const { standIn, added } = standInWith();
    expect(allPages(standIn, 3)).toEqual(added);
  });

  test('newest first: the reverse', () => {
    const { standIn, added } = standInWith('newest-first');
    expect(allPages(standIn, 3)).toEqual([...added].reverse());
  });

  test('random: every task once, in an order that is neither, and the same at every listing', () => {
    const { standIn, added } = standInWith('random');
    const listed = allPages(standIn, 2);
    expect([...listed].sort()).toEqual([...added].sort());
    expect(listed).not.toEqual(added);
    expect(listed).not.toEqual([...added].reverse());
    expect(allPages(standIn, 3)).toEqual(listed);
  });
});
