import { CONTRACT_VERSION } from '../../../lib/poll-contract';
/**
 * The poll handler with the real AWS SDK client, over real HTTP, against the Neptune Analytics
 * stand-in on loopback: every status and every class of error.
 */
import { type NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import { MONITORING_FAILED_DETAIL_TYPE, STATUS_CHANGE_DETAIL_TYPE } from '../../../lib/events';
import type { PollerConfig } from '../../../lib/poller-config';
import { PollRequestTimeoutError } from '../../../lambda/poll/classify-error';
import { importTaskFetcher } from '../../../lambda/poll/fetch-import-task';
import { createNeptuneGraphClient } from '../../../lambda/shared/neptune-graph-client';
import { createPollHandler, InvalidPollerConfigError, type PollHandler } from '../../../lambda/poll/poll-handler';
import type { PollDecision, PollRequest, WatchState } from '../../../lambda/poll/contract';
import { SteppingClock } from '../../../local/clock';
import { eventSchemaViolations } from '../../../local/event-schema-validation';
import { NeptuneGraphStandIn, type StandInFault } from '../../../local/neptune-graph-standin';
import { silentLogger, standInClient } from '../../support/harness';

const CONFIG: PollerConfig = {
  timeoutSeconds: 86_400,
  polling: { kind: 'fixed', intervalSeconds: 60, jitter: 0 },
  errorRetry: { budgetSeconds: 900, initialIntervalSeconds: 2, maxIntervalSeconds: 300, backoffRate: 2 },
  emitStatusChanges: true,
  historyEventBudget: 20_000,
  contractVersion: CONTRACT_VERSION,
  executionTimeoutSeconds: 365 * 86_400,
  notFoundGraceSeconds: 0,
};

const ALL_STATUSES = [
  'INITIALIZING',
  'EXPORTING',
  'ANALYZING_DATA',
  'IMPORTING',
  'REPROVISIONING',
  'ROLLING_BACK',
  'SUCCEEDED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
  'DELETED',
];
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'DELETED']);

describe('poll handler against the stand-in over HTTP', () => {
  let standIn: NeptuneGraphStandIn;
  let clock: SteppingClock;
  let client: NeptuneGraphClient;
  let handler: PollHandler;
  let taskId: string;

  beforeEach(async () => {
    clock = new SteppingClock();
    standIn = new NeptuneGraphStandIn({ now: () => clock.now() });
    client = standInClient(await standIn.start());
    handler = createPollHandler({
      fetchImportTask: importTaskFetcher(client),
      now: () => clock.now(),
      random: () => 0.5,
      logger: silentLogger(),
      publishMetrics: () => undefined,
    });
    taskId = standIn.addTask({
      timeline: { phases: [{ status: 'IMPORTING', seconds: 3600 }], outcome: { status: 'SUCCEEDED' } },
    }).taskId;
  });
  afterEach(async () => {
    client.destroy();
    await standIn.stop();
  });

  /** What the state machine sends for `input`, in an execution named after the task. */
  const request = (input: unknown): PollRequest => ({
    config: CONFIG,
    input,
    executionName: taskId,
    executionStartTime: new Date(clock.now()).toISOString(),
  });

  /** One poll; any event the decision carries must conform to its shipped schema. */
  const pollOnce = async (input: unknown = { taskId }): Promise<PollDecision> => {
    const decision = await handler(request(input));
    const event = decision.action === 'CONTINUE' || decision.action === 'HANDED_OVER' ? undefined : decision.event;
    if (event !== undefined) expect(eventSchemaViolations(event.detailType, event.detail)).toEqual([]);
    return decision;
  };

  describe('GIVEN each status the service reports', () => {
    test.each(ALL_STATUSES)(
      'WHEN GetImportTask answers %s THEN the decision matches whether it is terminal',
      async (status) => {
        standIn.injectFaults(taskId, { kind: 'edit', edit: (answer) => ({ ...answer, status }) });

        const decision = await pollOnce();

        expect(standIn.pollsOf(taskId)).toHaveLength(1);
        if (TERMINAL.has(status)) {
          expect(decision).toMatchObject({
            action: 'FINISH',
            event: { detailType: STATUS_CHANGE_DETAIL_TYPE, detail: { status, terminal: true, pollCount: 1 } },
          });
        } else {
          expect(decision).toMatchObject({
            action: 'WAIT',
            waitSeconds: 60,
            watch: { taskId, lastStatus: status, pollCount: 1 },
            event: { detailType: STATUS_CHANGE_DETAIL_TYPE, detail: { status, terminal: false, previousStatus: null } },
          });
        }
      },
    );

    test('WHEN the status did not change since the last poll THEN no event is asked for', async () => {
      const first = await pollOnce();
      clock.advance(60);

      const second = await pollOnce(first);

      expect(second).toMatchObject({ action: 'WAIT', watch: { pollCount: 2, lastStatus: 'IMPORTING' } });
      expect('event' in second).toBe(false);
    });

    test('WHEN the answer has fields this code does not know THEN they reach the event unchanged', async () => {
      standIn.injectFaults(taskId, {
        kind: 'edit',
        edit: (answer) => ({
          ...answer,
          status: 'SUCCEEDED',
          replicaCount: 3,
          importOptions: { neptune: { preserveEdgeIds: true } },
        }),
      });

      const decision = await pollOnce();

      expect(decision).toMatchObject({
        action: 'FINISH',
        event: { detail: { importTask: { importOptions: { neptune: { preserveEdgeIds: true } } } } },
      });
    });
  });

  describe('GIVEN errors that end the watch when they outlast the retry budget', () => {
    test('WHEN it answers 404 and the config has no not-found grace THEN TASK_NOT_FOUND at once', async () => {
      standIn.injectFaults(taskId, { kind: 'error', status: 404, errorType: 'ResourceNotFoundException' });

      const decision = await pollOnce();

      expect(decision).toMatchObject({
        action: 'FINISH',
        event: { detail: { reason: 'TASK_NOT_FOUND', terminal: true, pollCount: 1, taskId } },
      });
    });

    test.each<[string, StandInFault]>([
      ['ACCESS_DENIED', { kind: 'error', status: 403, errorType: 'AccessDeniedException' }],
      ['ACCESS_DENIED', { kind: 'error', status: 403, errorType: 'UnrecognizedClientException' }],
      ['ACCESS_DENIED', { kind: 'error', status: 403, body: 'Forbidden', contentType: 'text/plain' }],
      ['INVALID_REQUEST', { kind: 'error', status: 400, errorType: 'ValidationException' }],
      ['INVALID_REQUEST', { kind: 'error', status: 409, errorType: 'ConflictException' }],
    ])(
      'WHEN it answers %s-class error %j THEN it is retried, and the same error after the budget ends the watch with that reason',
      async (reason, fault) => {
        standIn.injectFaults(taskId, fault, fault);

        const first = await pollOnce();
        expect(first).toMatchObject({ action: 'WAIT', watch: { consecutiveErrors: 1, pollCount: 1 } });
        clock.advance(CONFIG.errorRetry.budgetSeconds);
        const decision = await pollOnce(first);

        expect(decision).toMatchObject({
          action: 'FINISH',
          event: {
            detailType: MONITORING_FAILED_DETAIL_TYPE,
            detail: { reason, terminal: true, pollCount: 2, taskId },
          },
        });
      },
    );
  });

  describe('GIVEN faults that may pass', () => {
    test.each<[string, StandInFault]>([
      ['429 ThrottlingException', { kind: 'error', status: 429, errorType: 'ThrottlingException' }],
      ['500 InternalServerException', { kind: 'error', status: 500, errorType: 'InternalServerException' }],
      ['502 with no body', { kind: 'error', status: 502, body: '' }],
      ['503 with an HTML page', { kind: 'error', status: 503, body: '<html>busy</html>', contentType: 'text/html' }],
      ['a dropped connection', { kind: 'reset' }],
      ['a body that is not JSON', { kind: 'raw', body: '{"taskId": ' }],
      ['an empty body', { kind: 'raw', body: '' }],
      ['an answer without a status', { kind: 'edit', edit: ({ status: _status, ...rest }) => rest }],
      ['an answer for another task', { kind: 'edit', edit: (answer) => ({ ...answer, taskId: 't-someoneelse' }) }],
      ['an answer that is an array', { kind: 'raw', body: '[1,2,3]' }],
    ])('WHEN it meets %s THEN it waits to retry, counts the failure, and sends one request', async (_name, fault) => {
      standIn.injectFaults(taskId, fault);

      const decision = await pollOnce();

      expect(decision).toMatchObject({
        action: 'WAIT',
        watch: { consecutiveErrors: 1, pollCount: 1, lastStatus: null },
      });
      expect(decision.action === 'WAIT' && decision.waitSeconds).toBeLessThanOrEqual(2);
      expect(standIn.pollsOf(taskId)).toHaveLength(1);
    });

    test('WHEN the server accepts the connection and never answers THEN the SDK request timeout cuts it, not the call deadline', async () => {
      standIn.injectFaults(taskId, { kind: 'hang' }, { kind: 'hang' });

      await expect(importTaskFetcher(client)(taskId)).rejects.toMatchObject({ name: 'TimeoutError' });
      const decision = await pollOnce();

      expect(decision).toMatchObject({ action: 'WAIT', watch: { consecutiveErrors: 1 } });
    });

    test('WHEN the answer stalls half-way through its body THEN the call deadline cuts it', async () => {
      const callTimeoutMs = 1_000;
      const quick = createPollHandler({
        fetchImportTask: importTaskFetcher(client, callTimeoutMs),
        now: () => clock.now(),
        random: () => 0.5,
        logger: silentLogger(),
        publishMetrics: () => undefined,
      });
      standIn.injectFaults(taskId, { kind: 'stall-body' }, { kind: 'stall-body' });

      await expect(importTaskFetcher(client, callTimeoutMs)(taskId)).rejects.toBeInstanceOf(PollRequestTimeoutError);
      const decision = await quick(request({ taskId }));

      expect(decision).toMatchObject({ action: 'WAIT', watch: { consecutiveErrors: 1 } });
    });

    test('WHEN nothing listens at the endpoint THEN connection refusals are retried too', async () => {
      const closed = createPollHandler({
        fetchImportTask: importTaskFetcher(standInClient('http://127.0.0.1:9')),
        now: () => clock.now(),
        random: () => 0.5,
        logger: silentLogger(),
        publishMetrics: () => undefined,
      });

      const decision = await closed(request({ taskId }));

      expect(decision).toMatchObject({ action: 'WAIT', watch: { consecutiveErrors: 1 } });
    });

    test('WHEN a success follows failures THEN the failure count starts again', async () => {
      standIn.injectFaults(taskId, { kind: 'error', status: 500, errorType: 'InternalServerException' });
      const failed = await pollOnce();
      clock.advance(2);

      const recovered = await pollOnce(failed);

      expect(recovered).toMatchObject({
        action: 'WAIT',
        waitSeconds: 60,
        watch: { consecutiveErrors: 0, pollCount: 2 },
      });
    });
  });

  test('GIVEN the deployed client settings THEN one attempt per call, so the state machine owns retries', async () => {
    const deployed = createNeptuneGraphClient();
    try {
      expect(await deployed.config.maxAttempts()).toBe(1);
    } finally {
      deployed.destroy();
    }
  });

  test('GIVEN a payload without the config THEN it fails with InvalidPollerConfigError and sends nothing', async () => {
    await expect(handler({ input: { taskId } } as never)).rejects.toBeInstanceOf(InvalidPollerConfigError);
    expect(standIn.requests).toHaveLength(0);
  });

  test('GIVEN a continued watch THEN it polls on from the carried state', async () => {
    const watch: WatchState = {
      contractVersion: CONTRACT_VERSION,
      watchName: taskId,
      taskId,
      graphId: null,
      watchStartedAt: clock.now() - 3_600_000,
      deadline: clock.now() + 3_600_000,
      pollCount: 40,
      consecutiveErrors: 0,
      lastStatus: 'IMPORTING',
      generation: 2,
      historyEvents: 1,
      strategyMemory: {},
    };

    const decision = await pollOnce({ watch });

    expect(decision).toMatchObject({ action: 'WAIT', watch: { pollCount: 41, generation: 2, historyEvents: 10 } });
  });
});
