import { DEFAULT_SWEEP } from '../../bench/listing';
import { pollerSchedule } from '../../bench/schedules';
import { PollingStrategy } from '../../lib/polling-strategy';

const importing = { status: 'IMPORTING', progressPercentage: 10, attemptNumber: 1, ended: false };

describe('pollerSchedule', () => {
  test('GIVEN the sweep THEN each wait is parked with the status the poll saw', () => {
    const schedule = pollerSchedule('swept', '', PollingStrategy.progressAware(), DEFAULT_SWEEP).create(() => 0, 0);

    expect(schedule.next(1000, importing, 60)).toMatchObject({ parkedStatus: 'IMPORTING' });
  });

  test('GIVEN no sweep THEN the poller runs with the sweep off, and no wait is parked', () => {
    const schedule = pollerSchedule('plain', '', PollingStrategy.progressAware()).create(() => 0, 0);

    const step = schedule.next(1000, importing, 60);

    expect(step).toHaveProperty('waitSeconds');
    expect(step).not.toHaveProperty('parkedStatus');
  });
});
