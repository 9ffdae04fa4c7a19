import { SweepListing, type SweepModel } from '../../bench/listing';
import type { ScheduleFactory } from '../../bench/schedules';
import { restartSeconds, simulateWatch, statusAt, wakeDelay } from '../../bench/simulate';
import type { SimulatedImport } from '../../bench/workload';
import type { ImportTimeline } from '../../local/import-timeline';

const model: SweepModel = {
  periodSeconds: 60,
  wakeDelaySeconds: 2,
  pageSize: 100,
  maxPagesPerSweep: 10,
  listingRetentionSeconds: 3600,
};

/** INITIALIZING for 100 s, IMPORTING for 1,000 s, then SUCCEEDED. */
const timeline: ImportTimeline = {
  phases: [
    { status: 'INITIALIZING', seconds: 100 },
    { status: 'IMPORTING', seconds: 1000 },
  ],
  outcome: { status: 'SUCCEEDED' },
};
const subject: SimulatedImport = { kind: 'succeeds', timeline, watchStartsAfter: 50, startsAt: 0 };

/** A schedule that always waits `seconds`, parked with the status it saw unless `parks` is false. */
const every = (seconds: number, parks = true): ScheduleFactory => ({
  name: `every-${seconds}`,
  description: '',
  create: () => ({
    next: (_now, state) => ({ waitSeconds: seconds, ...(parks ? { parkedStatus: state.status } : {}) }),
  }),
});

describe('simulateWatch with the sweep', () => {
  test('GIVEN a long wait THEN the sweep that lists the end wakes the watch, which polls 2 s later; no other status wakes it', () => {
    // GIVEN sweeps at 30 + 60 k
    const listing = new SweepListing([{ startsAt: 0, endsAt: 1100 }], 5000, model, 30);

    // WHEN the watch polls at 50 s and would wait 10,000 s
    const result = simulateWatch(subject, every(10_000), () => 0, { listing, index: 0 });

    // THEN the sweep at 1,110 s (SUCCEEDED) wakes it; the one at 150 s (IMPORTING) does not
    expect(result).toMatchObject({ polls: 2, parks: 1, wakes: 1, latencySeconds: 12, missedBySweep: 0 });
    // AND the sweep at 30 s records the task before its watch parked, the one at 1,170 s removes the stale token
    expect(result.sweepWrites).toBe(2);
  });

  test('GIVEN status changes emitted THEN each sweep that lists a new status wakes the watch', () => {
    const listing = new SweepListing([{ startsAt: 0, endsAt: 1100 }], 5000, { ...model, wakeOnEveryChange: true }, 30);

    const result = simulateWatch(subject, every(10_000), () => 0, { listing, index: 0 });

    // The sweep at 150 s (IMPORTING) and the one at 1,110 s (SUCCEEDED) wake it
    expect(result).toMatchObject({ polls: 3, parks: 2, wakes: 2, latencySeconds: 12, missedBySweep: 0 });
  });

  test('GIVEN its own poll comes before the woken one would THEN the watch polls when due', () => {
    // GIVEN an import IMPORTING until 1,100 s, and sweeps at 30 + 60 k
    const oneStatus: SimulatedImport = {
      ...subject,
      timeline: { phases: [{ status: 'IMPORTING', seconds: 1100 }], outcome: { status: 'SUCCEEDED' } },
    };
    const listing = new SweepListing([{ startsAt: 0, endsAt: 1100 }], 5000, model, 30);

    // WHEN the watch, after its poll at 50 s, is due at 1,111 s or at 1,113 s
    const due1111 = simulateWatch(oneStatus, every(1061), () => 0, { listing, index: 0 });
    const due1113 = simulateWatch(oneStatus, every(1063), () => 0, { listing, index: 0 });

    // THEN the sweep at 1,110 s would have it poll at 1,112 s: only the later one is woken
    expect(due1111).toMatchObject({ polls: 2, wakes: 0, latencySeconds: 11 });
    expect(due1113).toMatchObject({ polls: 2, wakes: 1, latencySeconds: 12 });
  });

  test('GIVEN the task is listed beyond the pages read THEN no sweep wakes it until it leaves a listing read whole', () => {
    // GIVEN one page of one task, and a newer import listed first
    const oneTask = { ...model, pageSize: 1, maxPagesPerSweep: 1 };
    const lives = [
      { startsAt: 0, endsAt: 1100 },
      { startsAt: 10, endsAt: 5000 },
    ];
    const listing = new SweepListing(lives, 20_000, oneTask, 30);

    const result = simulateWatch(subject, every(10_000), () => 0, { listing, index: 0 });

    // THEN the sweeps at 1,110 to 4,650 s, which list its end, miss it; the one at 4,710 s reads the whole
    // listing (the other import alone) without it, and wakes its watch as a task not listed
    expect(result).toMatchObject({ polls: 2, wakes: 1, missedBySweep: 60, latencySeconds: 3612 });
  });

  test('GIVEN a wait that is not parked THEN no sweep wakes it', () => {
    const listing = new SweepListing([{ startsAt: 0, endsAt: 1100 }], 5000, model, 30);

    const result = simulateWatch(subject, every(10_000, false), () => 0, { listing, index: 0 });

    expect(result).toMatchObject({ polls: 2, waits: 1, parks: 0, wakes: 0, latencySeconds: 8950 });
  });

  test('GIVEN no sweep THEN the watch polls on its own schedule only', () => {
    expect(simulateWatch(subject, every(500), () => 0)).toMatchObject({
      polls: 4,
      waits: 3,
      wakes: 0,
      latencySeconds: 450,
      sweepWrites: 0,
    });
  });
});

describe('statusAt and restartSeconds', () => {
  const restarting: ImportTimeline = {
    phases: [
      { status: 'IMPORTING', seconds: 100 },
      { status: 'REPROVISIONING', seconds: 50, attemptNumber: 2 },
      { status: 'IMPORTING', seconds: 100, attemptNumber: 2 },
    ],
    outcome: { status: 'SUCCEEDED' },
  };

  test('the status is that of the phase under way, then the outcome', () => {
    expect([0, 99, 100, 149, 150, 250].map((t) => statusAt(restarting, t))).toEqual([
      'IMPORTING',
      'IMPORTING',
      'REPROVISIONING',
      'REPROVISIONING',
      'IMPORTING',
      'SUCCEEDED',
    ]);
  });

  test('a restart begins with REPROVISIONING; an import without one has none', () => {
    expect(restartSeconds(restarting)).toBe(100);
    expect(restartSeconds(timeline)).toBeUndefined();
  });
});

describe('simulateWatch, a task that leaves the listing at its end', () => {
  test('GIVEN ended tasks not listed THEN the first sweep after the end, reading the whole listing without the task, wakes its watch', () => {
    const gone = { ...model, listingRetentionSeconds: 0 };
    const listing = new SweepListing([{ startsAt: 0, endsAt: 1100 }], 5000, gone, 30);

    const result = simulateWatch(subject, every(10_000), () => 0, { listing, index: 0 });

    expect(result).toMatchObject({ polls: 2, wakes: 1, latencySeconds: 12 });
  });
});

describe('wakeDelay', () => {
  const model = { wakeDelaySeconds: 2 } as SweepModel;

  test('GIVEN no measured wake paths THEN every wake takes the constant', () => {
    expect([wakeDelay(model, 0, 0), wakeDelay(model, 7, 99)]).toEqual([2, 2]);
  });

  test('GIVEN measured wake paths THEN each wake takes one of them, the same for the same task and sweep, and they are all used', () => {
    const measured = { ...model, wakeDelaySamplesSeconds: [0.1, 0.4, 1.5] };
    const drawn = Array.from({ length: 300 }, (_, i) => wakeDelay(measured, i % 17, Math.floor(i / 17)));

    expect(new Set(drawn)).toEqual(new Set([0.1, 0.4, 1.5]));
    expect(wakeDelay(measured, 5, 3)).toBe(wakeDelay(measured, 5, 3));
  });
});
