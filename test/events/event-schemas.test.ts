/** The shipped JSON Schemas of the event details, and the guard that checks every event of a local run against them. */
import Ajv from 'ajv-draft-04';
import { eventEnvelopeSchema, EVENT_SCHEMA_FILES } from '../../lib/event-schemas';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE, WATCH_REQUEST_DETAIL_TYPE } from '../../lib/events';
import { watchRequestEntry } from '../../lib/watch-request';
import { eventFromEntry } from '../../local/event-pattern';
import { eventSchemaViolations } from '../../local/event-schema-validation';
import { simpleTimeline } from '../../local/import-timeline';
import { LocalPoller } from '../../local/local-poller';
import { SteppingClock } from '../../local/clock';
import { startHarness, synthesizeOnce, type Harness } from '../support/harness';

const validStatusChange = {
  taskId: 't-0123456789',
  graphId: 'g-0123456789',
  status: 'SUCCEEDED',
  previousStatus: 'IMPORTING',
  terminal: true,
  statusReason: null,
  attemptNumber: 1,
  progressPercentage: 100,
  pollCount: 12,
  watchStartedAt: '2026-01-01T00:00:00.000Z',
  observedAt: '2026-01-01T02:00:00.000Z',
  followsMonitoringFailure: false,
  importTask: {
    taskId: 't-0123456789',
    status: 'SUCCEEDED',
    importTaskDetails: { status: 'SUCCEEDED', progressPercentage: 100 },
  },
  truncatedFields: [],
};

describe('the shipped schemas', () => {
  test.each(Object.keys(EVENT_SCHEMA_FILES))(
    '%s: the detail schema and the registry envelope compile as strict JSON Schema draft 4',
    (detailType) => {
      const ajv = new Ajv({ strict: true });
      expect(() => ajv.compile(eventEnvelopeSchema(detailType, 'com.example'))).not.toThrow();
    },
  );

  test('a conforming detail passes; each kind of breach is named', () => {
    expect(eventSchemaViolations(STATUS_CHANGE_DETAIL_TYPE, validStatusChange)).toEqual([]);
    expect(eventSchemaViolations(STATUS_CHANGE_DETAIL_TYPE, { ...validStatusChange, taskId: 'T-1' })).toEqual([
      '/taskId must match pattern "^t-[a-z0-9]{10}$"',
    ]);
    expect(eventSchemaViolations(STATUS_CHANGE_DETAIL_TYPE, { ...validStatusChange, surprise: 1 })).toEqual([
      '(detail) must NOT have additional properties',
    ]);
    const { pollCount: _p, ...withoutPolls } = validStatusChange;
    expect(eventSchemaViolations(STATUS_CHANGE_DETAIL_TYPE, withoutPolls)).toEqual([
      "(detail) must have required property 'pollCount'",
    ]);
    expect(
      eventSchemaViolations(MONITORING_FAILED_DETAIL_TYPE, {
        taskId: null,
        graphId: null,
        terminal: true,
        reason: 'GAVE_UP',
        message: 'x',
        lastStatus: null,
        pollCount: 0,
        watchStartedAt: '2026-01-01T00:00:00Z',
        observedAt: '2026-01-01T00:00:00Z',
        followsMonitoringFailure: false,
        error: null,
      }),
    ).toEqual(['/reason must be equal to one of the allowed values']);
  });

  test('the watch-request helper builds details that conform', () => {
    const entry = watchRequestEntry({ taskId: 't-0123456789', graphId: 'g-0123456789', rewatch: true });
    expect(JSON.parse(entry.Detail)).toHaveProperty('rewatch', true);
    expect(eventSchemaViolations(WATCH_REQUEST_DETAIL_TYPE, JSON.parse(entry.Detail))).toEqual([]);
    expect(eventSchemaViolations(WATCH_REQUEST_DETAIL_TYPE, { taskId: 't-0123456789', rewatch: 'yes' })).toEqual([
      '/rewatch must be boolean',
    ]);
  });
});

describe('events of a local run', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  test('GIVEN every kind of terminal outcome THEN each event conforms, envelope included', async () => {
    harness = await startHarness({ synthesized: synthesizeOnce({ emitStatusChanges: true }) });
    const ok = harness.standIn.addTask({ timeline: simpleTimeline(3600) });
    await harness.poller.watch({ taskId: ok.taskId });
    const failed = harness.standIn.addTask({
      timeline: simpleTimeline(600, { status: 'FAILED', statusReason: 'no', errorDetails: 'e'.repeat(300_000) }),
    });
    await harness.poller.watch({ taskId: failed.taskId });
    await harness.poller.watch({ taskId: 't-0000000000' });
    await harness.poller.watch({ taskId: 'bad' });

    const ajv = new Ajv({ strict: true });
    const events = harness.poller.events;
    expect(events.length).toBeGreaterThanOrEqual(8);
    for (const event of events) {
      const envelope = ajv.compile(eventEnvelopeSchema(event.DetailType, 'neptune-import-poller'));
      expect([event.DetailType, envelope(eventFromEntry(event)), envelope.errors]).toEqual([
        event.DetailType,
        true,
        null,
      ]);
    }
    expect(events.find((e) => e.Detail.taskId === failed.taskId && e.Detail.terminal)?.Detail.truncatedFields).toEqual([
      'importTask.importTaskDetails.errorDetails',
    ]);
  });

  test('GIVEN a decision whose event breaks the schema THEN the execution fails and the breach is recorded', async () => {
    const clock = new SteppingClock();
    const poller = new LocalPoller({
      synthesized: synthesizeOnce(),
      clock,
      pollHandler: () =>
        Promise.resolve({
          action: 'FINISH',
          event: { detailType: STATUS_CHANGE_DETAIL_TYPE, detail: { taskId: 't-0123456789' } },
        }),
    });

    const { executions, events } = await poller.watch({ taskId: 't-0123456789' });

    expect(events).toEqual([]);
    expect(executions[0]).toMatchObject({ status: 'FAILED', error: { name: 'EventSchemaViolation' } });
    expect(poller.schemaViolations).toHaveLength(1);
    expect(poller.schemaViolations[0]).toContain("must have required property 'status'");
  });
});
