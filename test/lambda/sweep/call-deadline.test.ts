/**
 * Whole-call deadlines of the sweep's AWS calls: against a loopback server that sends an answer's
 * headers and then stalls, each call fails at its deadline with a named error, where the SDK's own
 * timeouts (which end at the headers) would wait until Lambda ended the invocation.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { createStepFunctionsClient } from '../../../lambda/shared/step-functions-client';
import {
  createDynamoDbClient,
  createSweepNeptuneGraphClient,
  deploymentTimeReader,
  importTaskEndReader,
  importTaskLister,
  itemCreator,
  parkedWatchScanner,
  staleTokenClearer,
  sweepIoFromClients,
  taskSuccessSender,
  watchItemReader,
} from '../../../lambda/sweep/aws-clients';
import { callWithinDeadline, SweepCallDeadlineError } from '../../../lambda/sweep/call-deadline';
import { LOCAL_CLIENT_CONFIG, STATE_MACHINE_ARN } from './sweep-standins';

const DEADLINE_MS = 200;

describe('callWithinDeadline', () => {
  test('GIVEN a call that never ends THEN it fails at the deadline with SweepCallDeadlineError, and its signal aborts', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();

    const call = callWithinDeadline('NeverEnds', DEADLINE_MS, (options) => {
      signal = options.abortSignal;
      return new Promise<never>(() => undefined);
    });

    await expect(call).rejects.toThrow(
      new SweepCallDeadlineError(`NeverEnds took longer than ${DEADLINE_MS} ms, retries included`),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(signal?.aborted).toBe(true);
  });

  test('GIVEN a call that ends in time THEN its answer, and its signal is not aborted', async () => {
    let signal: AbortSignal | undefined;
    const answer = await callWithinDeadline('Quick', DEADLINE_MS, (options) => {
      signal = options.abortSignal;
      return Promise.resolve(42);
    });
    expect(answer).toBe(42);
    expect(signal?.aborted).toBe(false);
  });

  test('GIVEN a call that fails in time THEN its own error, as it was', async () => {
    const failure = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    await expect(callWithinDeadline('Denied', DEADLINE_MS, () => Promise.reject(failure))).rejects.toBe(failure);
  });
});

describe('every AWS call of the sweep, against a server that stalls after the headers', () => {
  let server: http.Server;
  let endpoint: string;
  let requests: string[];
  let closed: number;

  beforeEach(async () => {
    requests = [];
    closed = 0;
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}`.trim());
      req.socket.on('close', () => (closed += 1));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"tasks":[');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const config = () => ({ ...LOCAL_CLIENT_CONFIG, endpoint });
  type Call = () => Promise<unknown>;
  const cases: [string, string, (clients: ReturnType<typeof clientsOf>) => Call][] = [
    ['ListImportTasks', 'ListImportTasks', (c) => () => importTaskLister(c.neptune, DEADLINE_MS)(undefined)],
    [
      'GetImportTask',
      'GetImportTask of t-0000000001',
      (c) => () => importTaskEndReader(c.neptune, DEADLINE_MS)('t-0000000001'),
    ],
    ['DescribeTable', 'DescribeTable', (c) => () => deploymentTimeReader(c.dynamoDb, 'w', DEADLINE_MS)()],
    [
      'BatchGetItem',
      'BatchGetItem',
      (c) => () => watchItemReader(c.dynamoDb, 'w', undefined, DEADLINE_MS)(['t-0000000001']),
    ],
    ['Scan', 'Scan of the parked watches', (c) => () => parkedWatchScanner(c.dynamoDb, 'w', DEADLINE_MS)()],
    ['PutItem', 'PutItem', (c) => () => itemCreator(c.dynamoDb, 'w', DEADLINE_MS)({ taskId: 't-0000000001' })],
    ['UpdateItem', 'UpdateItem', (c) => () => staleTokenClearer(c.dynamoDb, 'w', DEADLINE_MS)('t-0000000001', 'x')],
    ['SendTaskSuccess', 'SendTaskSuccess', (c) => () => taskSuccessSender(c.sfn, DEADLINE_MS)('x', '{}')],
    [
      'StartExecution, through the discovered-watch starter',
      'StartExecution',
      (c) => () =>
        sweepIoFromClients({
          neptuneGraph: c.neptune,
          dynamoDb: c.dynamoDb,
          stepFunctions: c.sfn,
          tableName: 'w',
          stateMachineArn: STATE_MACHINE_ARN,
          logger: new Logger({ logLevel: 'SILENT' }),
          callDeadlineMs: DEADLINE_MS,
        }).startWatch({ taskId: 't-0000000001', status: 'IMPORTING' }),
    ],
  ];

  function clientsOf() {
    return {
      neptune: createSweepNeptuneGraphClient(config()),
      dynamoDb: createDynamoDbClient(config()),
      sfn: createStepFunctionsClient(config()),
    };
  }

  test.each(cases)('%s fails within its deadline with SweepCallDeadlineError', async (_, what, callOf) => {
    const clients = clientsOf();
    const started = Date.now();
    try {
      const error = await callOf(clients)().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(SweepCallDeadlineError);
      expect(error).toMatchObject({ name: 'SweepCallDeadlineError', message: expect.stringContaining(what) });
      expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
      expect(elapsed).toBeLessThan(DEADLINE_MS + 1_000);
      // The headers came, then nothing: one request, no retry after the deadline.
      expect(requests).toHaveLength(1);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  });

  test('the stalled request is aborted: its connection is closed at the deadline, not left open', async () => {
    const clients = clientsOf();
    try {
      await expect(importTaskLister(clients.neptune, DEADLINE_MS)(undefined)).rejects.toThrow(SweepCallDeadlineError);
      for (let waited = 0; closed === 0 && waited < 100; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(closed).toBe(1);
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  });
});
