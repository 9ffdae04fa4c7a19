import { sweepRunFromEvent } from '../../../lambda/sweep/sweep-request';
import { InvalidSweepSettingsError, sweepEnvironmentFrom } from '../../../lambda/sweep/sweep-settings';

const GRAPH = 'g-0123456789';
const scheduledEvent = {
  version: '0',
  id: 'e-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2025-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/sweep'],
  detail: {},
};

describe('sweepRunFromEvent', () => {
  test('a scheduled EventBridge event is a scheduled sweep of every graph', () => {
    expect(sweepRunFromEvent(scheduledEvent)).toEqual({ reason: 'schedule' });
  });

  test('a sweep request for one graph, from the start function', () => {
    expect(sweepRunFromEvent({ graphId: GRAPH, reason: 'api-call-without-task-id' })).toEqual({
      reason: 'api-call-without-task-id',
      graphId: GRAPH,
    });
  });

  test('a request without a reason runs as a scheduled sweep', () => {
    expect(sweepRunFromEvent({ graphId: GRAPH })).toEqual({ reason: 'schedule', graphId: GRAPH });
    expect(sweepRunFromEvent({ reason: 'because' })).toEqual({ reason: 'schedule' });
  });

  test.each([
    ['a malformed id', 'G-BAD', '"G-BAD"'],
    ['a number', 42, '42'],
    ['an object', { id: GRAPH }, `{"id":"${GRAPH}"}`],
    ['null', null, 'null'],
  ])('a graphId that is %s is rejected, shown, and the sweep covers every graph', (_, graphId, shown) => {
    expect(sweepRunFromEvent({ graphId, reason: 'api-call-without-task-id' })).toEqual({
      reason: 'api-call-without-task-id',
      rejectedGraphId: shown,
    });
  });

  test.each([
    ['null', null],
    ['a string', 'sweep'],
    ['an array', [GRAPH]],
  ])('an event that is %s runs as a scheduled sweep', (_, event) => {
    expect(sweepRunFromEvent(event)).toEqual({ reason: 'schedule' });
  });
});

describe('sweepEnvironmentFrom', () => {
  const required = { WATCH_TABLE_NAME: 'watches', STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:1:stateMachine:x' };

  test('defaults: 1,000 pages (its time bounds a sweep), discovery on, every graph, a wake only for a terminal status, a sweep a minute', () => {
    expect(sweepEnvironmentFrom(required)).toEqual({
      tableName: 'watches',
      stateMachineArn: required.STATE_MACHINE_ARN,
      settings: {
        maxPages: 1000,
        discovery: true,
        emitStatusChanges: false,
        intervalSeconds: 60,
        discoveryGraceSeconds: 300,
      },
    });
  });

  test('every setting given', () => {
    expect(
      sweepEnvironmentFrom({
        ...required,
        MAX_PAGES: '3',
        DISCOVERY: 'false',
        GRAPH_IDS: `${GRAPH}, g-abcdefghij`,
        EMIT_STATUS_CHANGES: 'true',
        SWEEP_INTERVAL_SECONDS: '300',
        DISCOVERY_GRACE_SECONDS: '0',
      }),
    ).toMatchObject({
      settings: {
        maxPages: 3,
        discovery: false,
        graphIds: [GRAPH, 'g-abcdefghij'],
        emitStatusChanges: true,
        intervalSeconds: 300,
        discoveryGraceSeconds: 0,
      },
    });
  });

  test.each([
    ['no table name', { STATE_MACHINE_ARN: 'arn' }, /WATCH_TABLE_NAME is not set/],
    ['no state machine', { WATCH_TABLE_NAME: 'watches' }, /STATE_MACHINE_ARN is not set/],
    ['MAX_PAGES 0', { ...required, MAX_PAGES: '0' }, /MAX_PAGES must be a whole number from 1 to 1000; got "0"/],
    ['MAX_PAGES 1.5', { ...required, MAX_PAGES: '1.5' }, /got "1.5"/],
    ['DISCOVERY yes', { ...required, DISCOVERY: 'yes' }, /DISCOVERY must be "true" or "false"; got "yes"/],
    ['a bad graph id', { ...required, GRAPH_IDS: `${GRAPH},G-BAD` }, /GRAPH_IDS must be graph ids.*"G-BAD"/],
    [
      'EMIT_STATUS_CHANGES 1',
      { ...required, EMIT_STATUS_CHANGES: '1' },
      /EMIT_STATUS_CHANGES must be "true" or "false"/,
    ],
    [
      'an interval of 30 s',
      { ...required, SWEEP_INTERVAL_SECONDS: '30' },
      /SWEEP_INTERVAL_SECONDS .* 60 to 3600; got "30"/,
    ],
  ])('fails when given %s', (_, env, message) => {
    expect(() => sweepEnvironmentFrom(env)).toThrow(InvalidSweepSettingsError);
    expect(() => sweepEnvironmentFrom(env)).toThrow(message);
  });
});
