/**
 * A stand-in for the Step Functions API on loopback, speaking the AWS JSON 1.0 wire format of
 * `StartExecution`, in front of a {@link LocalPoller}: the start function's SDK client talks to
 * it over real HTTP, and its executions run locally.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionAlreadyExistsError, type LocalPoller } from './local-poller';

/** A StartExecution the stand-in received. */
export interface StartExecutionCall {
  readonly name: string;
  readonly input: string;
  /** `started`, `idempotent` (same name and input as a running execution) or the error type answered. */
  readonly result: string;
}

/** The Step Functions stand-in. */
export class StepFunctionsStandIn {
  /** Every StartExecution call, in order. */
  public readonly calls: StartExecutionCall[] = [];
  private readonly server: http.Server;

  constructor(
    private readonly poller: LocalPoller,
    private readonly stateMachineArn: string,
  ) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        this.handle(String(req.headers['x-amz-target'] ?? ''), Buffer.concat(chunks).toString('utf8'), res),
      );
    });
  }

  /** Starts listening on a free loopback port; resolves with the endpoint URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(target: string, body: string, res: http.ServerResponse): void {
    const answer = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(payload));
    };
    const fail = (type: string, message: string): void => answer(400, { __type: type, message });
    if (target !== 'AWSStepFunctions.StartExecution') {
      fail('UnknownOperationException', `The stand-in answers StartExecution only; got ${target || 'no X-Amz-Target'}`);
      return;
    }
    let request: { stateMachineArn?: string; name?: string; input?: string };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      fail('SerializationException', 'The request body is not JSON');
      return;
    }
    const name = request.name ?? `unnamed-${Date.now()}`;
    const input = request.input ?? '{}';
    if (request.stateMachineArn !== this.stateMachineArn) {
      this.calls.push({ name, input, result: 'StateMachineDoesNotExist' });
      fail('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
      return;
    }
    const before = this.poller.executions.get(name);
    try {
      const execution = this.poller.startExecution(name, input);
      this.calls.push({ name, input, result: before === undefined ? 'started' : 'idempotent' });
      answer(200, { executionArn: execution.arn, startDate: Date.now() / 1000 });
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExistsError)) throw error;
      this.calls.push({ name, input, result: 'ExecutionAlreadyExists' });
      fail('ExecutionAlreadyExists', error.message);
    }
  }
}
