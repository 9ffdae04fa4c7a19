/** The progress-aware strategy's guards, one case each, on the pure function the poll function calls. */
import type { ProgressAwarePollingConfig } from '../../../lib/poller-config';
import { progressAwareWait } from '../../../lambda/poll/strategies/progress-aware';
import type { PollObservation, WaitAnswer } from '../../../lambda/poll/strategies/strategy';

const CONFIG: ProgressAwarePollingConfig = {
  kind: 'progress-aware',
  minWaitSeconds: 45,
  maxWaitSeconds: 3600,
  approachFactor: 0.4,
  idleFactor: 1,
  jitter: 0,
};
const T0 = Date.UTC(2026, 0, 1);
const minutes = (m: number): number => T0 + m * 60_000;

/** Feeds the strategy a series of observations, as the poll function would, and returns each answer. */
function run(observations: Omit<PollObservation, 'at'>[], times: number[], config = CONFIG): WaitAnswer[] {
  let memory: Record<string, unknown> = {};
  return observations.map((observation, i) => {
    const answer = progressAwareWait(config, {
      observation: { ...observation, at: times[i] },
      pollCount: i + 1,
      memory,
      random: () => 0,
    });
    memory = answer.memory;
    return answer;
  });
}
const importing = (progressPercentage: number, extra: Partial<PollObservation> = {}) => ({
  status: 'IMPORTING',
  progressPercentage,
  attemptNumber: 1,
  ...extra,
});
const waits = (answers: WaitAnswer[]) => answers.map((a) => a.waitSeconds);

describe('progress-aware polling', () => {
  test('a phase without progress waits as long as the import has run so far, within the bounds', () => {
    expect(
      waits(run([{ status: 'INITIALIZING', progressPercentage: 0, timeElapsedSeconds: 300 }], [minutes(5)])),
    ).toEqual([300]);
    expect(waits(run([{ status: 'INITIALIZING', timeElapsedSeconds: 10 }], [minutes(0)]))).toEqual([45]);
    expect(waits(run([{ status: 'INITIALIZING', timeElapsedSeconds: 86_400 }], [minutes(1440)]))).toEqual([3600]);
  });

  test('a new phase without progress is timed from between the two polls that bracket its start', () => {
    const answers = run(
      [{ status: 'INITIALIZING', timeElapsedSeconds: 600 }, { status: 'ANALYZING_DATA' }, { status: 'ANALYZING_DATA' }],
      [minutes(10), minutes(20), minutes(30)],
    );
    expect(waits(answers)).toEqual([600, 300, 900]);
  });

  test('the first sample of progress is followed soon by a second, to measure the pace', () => {
    const answers = run(
      [{ status: 'ANALYZING_DATA', timeElapsedSeconds: 1200 }, importing(5)],
      [minutes(20), minutes(60)],
    );
    expect(answers[1].waitSeconds).toBe(240);
  });

  test('steady progress: wait a share of the time left, no longer than the phase has been watched', () => {
    // IMPORTING began at minute 0 (watched from its start), 1 point a minute: at 50 % about 50 minutes are left.
    const answers = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(10), importing(30), importing(50)],
      [minutes(0), minutes(10), minutes(30), minutes(50)],
    );
    expect(answers[3].waitSeconds).toBeGreaterThan(0.4 * 45 * 60);
    expect(answers[3].waitSeconds).toBeLessThanOrEqual(0.4 * 50 * 60);
  });

  test('a stall does not stretch the wait past what the last pace predicts: progress may resume any moment', () => {
    const steady = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(30), importing(60)],
      [minutes(0), minutes(30), minutes(60)],
    );
    const stalled = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(30), importing(60), importing(60), importing(60)],
      [minutes(0), minutes(30), minutes(60), minutes(75), minutes(120)],
    );
    const atSteady = steady[2].waitSeconds;
    expect(stalled.slice(3).every((a) => a.waitSeconds <= atSteady)).toBe(true);
  });

  test('a jump in progress brings the next poll close', () => {
    const answers = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(10), importing(20), importing(97)],
      [minutes(0), minutes(60), minutes(120), minutes(150)],
    );
    expect(answers[2].waitSeconds).toBeGreaterThan(1800);
    expect(answers[3].waitSeconds).toBeLessThanOrEqual(100);
  });

  test('progress that steps back a point is noise: the pace and the phase are kept', () => {
    const answers = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(40), importing(39)],
      [minutes(0), minutes(40), minutes(50)],
    );
    expect(answers[2].memory).toMatchObject({ peak: 40, since: minutes(0) });
  });

  test('progress that falls far, or a new attempt, starts the estimate again', () => {
    const dropped = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(80), importing(5)],
      [minutes(0), minutes(80), minutes(100)],
    );
    const retried = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(80), importing(81, { attemptNumber: 2 })],
      [minutes(0), minutes(80), minutes(100)],
    );
    for (const answers of [dropped, retried]) {
      expect(answers[2].memory.since).toBe(minutes(90));
      // One sample of the new attempt: look again within a tenth of the time since the last poll.
      expect(answers[2].waitSeconds).toBeLessThanOrEqual(120);
      expect(answers[2].waitSeconds).toBeGreaterThanOrEqual(45);
    }
  });

  test('REPROVISIONING is a phase without progress, timed from its own start', () => {
    const answers = run(
      [importing(0, { timeElapsedSeconds: 0 }), importing(50), { status: 'REPROVISIONING', attemptNumber: 2 }],
      [minutes(0), minutes(100), minutes(120)],
    );
    expect(answers[2].waitSeconds).toBe(600);
  });

  test.each(['ROLLING_BACK', 'CANCELLING'])('%s ends the import soon: poll at the shortest wait', (status) => {
    expect(
      waits(
        run(
          [importing(0, { timeElapsedSeconds: 0 }), importing(60), { status }],
          [minutes(0), minutes(60), minutes(200)],
        ),
      )[2],
    ).toBe(45);
  });

  test('a young phase is not trusted far ahead, however slow its start looks', () => {
    // 1 point in the first 4 minutes would predict hours; the wait stays within the 4 minutes watched.
    const answers = run([importing(0, { timeElapsedSeconds: 0 }), importing(1)], [minutes(0), minutes(4)]);
    expect(answers[1].waitSeconds).toBe(240);
  });

  test('waits stay within the bounds, and jitter only shortens them', () => {
    const config = { ...CONFIG, jitter: 0.5, maxWaitSeconds: 600 };
    const answer = progressAwareWait(config, {
      observation: { status: 'INITIALIZING', timeElapsedSeconds: 100_000, at: T0 },
      pollCount: 1,
      memory: {},
      random: () => 0.999,
    });
    expect(answer.waitSeconds).toBeGreaterThanOrEqual(300);
    expect(answer.waitSeconds).toBeLessThanOrEqual(600);
  });

  test('what it remembers stays small and survives a JSON round trip', () => {
    const [, second] = run([importing(0, { timeElapsedSeconds: 0 }), importing(10)], [minutes(0), minutes(10)]);
    expect(JSON.parse(JSON.stringify(second.memory))).toEqual(second.memory);
    expect(JSON.stringify(second.memory).length).toBeLessThan(160);
  });

  test('damaged memory is ignored rather than trusted', () => {
    const answer = progressAwareWait(CONFIG, {
      observation: { status: 'INITIALIZING', timeElapsedSeconds: 120, at: T0 },
      pollCount: 2,
      memory: { since: 'yesterday', peak: null, at: Number.NaN },
      random: () => 0,
    });
    expect(answer.waitSeconds).toBe(120);
  });
});
