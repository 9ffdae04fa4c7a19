/**
 * A stand-in for the Step Functions API on loopback, speaking the AWS JSON 1.0 wire format of
 * `StartExecution`, `DescribeExecution`, `GetExecutionHistory`, `SendTaskSuccess`,
 * `SendTaskFailure` and `SendTaskHeartbeat`, in front of a {@link LocalPoller}: the start and
 * sweep functions' SDK clients talk to it over real HTTP, and its executions run locally.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ExecutionAlreadyExistsError,
  InvalidExecutionNameError,
  InvalidOutputError,
  InvalidTokenError,
  TaskDoesNotExistError,
  TaskTimedOutError,
  ValidationError,
  type LocalExecution,
  type LocalPoller,
} from './local-poller';

/** The errors of `SendTask*` the runner throws, which the stand-in answers by name. */
const TASK_TOKEN_ERRORS = [
  InvalidTokenError,
  TaskDoesNotExistError,
  TaskTimedOutError,
  InvalidOutputError,
  ValidationError,
] as const;

/** A StartExecution the stand-in received. */
export interface StartExecutionCall {
  readonly name: string;
  readonly input: string;
  /** `started`, `idempotent` (same name and input as a running execution) or the error type answered. */
  readonly result: string;
}

/** A SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat the stand-in received. */
export interface TaskTokenCall {
  readonly operation: 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat';
  readonly taskToken: string;
  /** `ok`, or the error type answered. */
  readonly result: string;
}

/** The Step Functions stand-in. */
export class StepFunctionsStandIn {
  /** Every StartExecution call, in order. */
  public readonly calls: StartExecutionCall[] = [];
  /** Every SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat call, in order. */
  public readonly taskTokenCalls: TaskTokenCall[] = [];
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
    return this.endpoint;
  }

  /** The endpoint URL, once started. */
  get endpoint(): string {
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
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      fail('SerializationException', 'The request body is not JSON');
      return;
    }
    switch (target) {
      case 'AWSStepFunctions.StartExecution':
        this.startExecution(request, answer, fail);
        return;
      case 'AWSStepFunctions.DescribeExecution':
      case 'AWSStepFunctions.GetExecutionHistory': {
        const execution = [...this.poller.executions.values()].find((e) => e.arn === request.executionArn);
        if (execution === undefined) {
          fail('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(request.executionArn)}'`);
        } else if (target === 'AWSStepFunctions.DescribeExecution') {
          answer(200, describe(execution));
        } else {
          answer(200, { events: historyPage(execution, request) });
        }
        return;
      }
      case 'AWSStepFunctions.SendTaskSuccess':
      case 'AWSStepFunctions.SendTaskFailure':
      case 'AWSStepFunctions.SendTaskHeartbeat':
        this.sendTask(target.slice('AWSStepFunctions.'.length) as TaskTokenCall['operation'], request, answer, fail);
        return;
      default:
        fail('UnknownOperationException', `The stand-in does not answer ${target || 'requests without X-Amz-Target'}`);
    }
  }

  /** Hands a task token's answer to the runner, and answers as Step Functions does. */
  private sendTask(
    operation: TaskTokenCall['operation'],
    request: Record<string, unknown>,
    answer: (status: number, payload: unknown) => void,
    fail: (type: string, message: string) => void,
  ): void {
    const { taskToken } = request;
    if (typeof taskToken !== 'string') {
      this.taskTokenCalls.push({ operation, taskToken: '', result: 'ValidationException' });
      fail(
        'ValidationException',
        "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint",
      );
      return;
    }
    const optionalText = (key: string): string | undefined => {
      const value = request[key];
      return typeof value === 'string' ? value : undefined;
    };
    try {
      if (operation === 'SendTaskSuccess') {
        const output = optionalText('output');
        if (output === undefined) {
          throw new ValidationError("1 validation error detected: Value null at 'output' failed to satisfy constraint");
        }
        this.poller.sendTaskSuccess(taskToken, output);
      } else if (operation === 'SendTaskFailure') {
        this.poller.sendTaskFailure(taskToken, optionalText('error'), optionalText('cause'));
      } else {
        this.poller.sendTaskHeartbeat(taskToken);
      }
    } catch (error) {
      if (!TASK_TOKEN_ERRORS.some((type) => error instanceof type)) throw error;
      const { name, message } = error as Error;
      this.taskTokenCalls.push({ operation, taskToken, result: name });
      fail(name, message);
      return;
    }
    this.taskTokenCalls.push({ operation, taskToken, result: 'ok' });
    answer(200, {});
  }

  private startExecution(
    request: { stateMachineArn?: unknown; name?: unknown; input?: unknown },
    answer: (status: number, payload: unknown) => void,
    fail: (type: string, message: string) => void,
  ): void {
    const name = typeof request.name === 'string' ? request.name : `unnamed-${Date.now()}`;
    const input = typeof request.input === 'string' ? request.input : '{}';
    if (request.stateMachineArn !== this.stateMachineArn) {
      this.calls.push({ name, input, result: 'StateMachineDoesNotExist' });
      fail('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(request.stateMachineArn)}'`);
      return;
    }
    const before = this.poller.executions.get(name);
    try {
      const execution = this.poller.startExecution(name, input);
      this.calls.push({ name, input, result: before === undefined ? 'started' : 'idempotent' });
      answer(200, { executionArn: execution.arn, startDate: Date.now() / 1000 });
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExistsError || error instanceof InvalidExecutionNameError)) throw error;
      this.calls.push({ name, input, result: error.name });
      fail(error.name, error.message);
    }
  }
}

/** `DescribeExecution`'s answer for a local execution. */
function describe(execution: LocalExecution): Record<string, unknown> {
  return {
    executionArn: execution.arn,
    name: execution.name,
    status: execution.status,
    input: execution.input,
    startDate: execution.startedAt / 1000,
    ...(execution.stoppedAt === undefined ? {} : { stopDate: execution.stoppedAt / 1000 }),
    ...(execution.status === 'SUCCEEDED' ? { output: JSON.stringify(execution.output) } : {}),
    ...(execution.error === undefined ? {} : { error: execution.error.name, cause: execution.error.message }),
  };
}

/** One page of `GetExecutionHistory`, with state names as `stateEnteredEventDetails` and `stateExitedEventDetails`. */
function historyPage(execution: LocalExecution, request: Record<string, unknown>): Record<string, unknown>[] {
  const events = execution.history.map((event, index) => ({
    id: index + 1,
    type: event.type,
    timestamp: execution.startedAt / 1000,
    ...(event.stateName === undefined
      ? {}
      : {
          [event.type.endsWith('Entered') ? 'stateEnteredEventDetails' : 'stateExitedEventDetails']: {
            name: event.stateName,
          },
        }),
  }));
  const ordered = request.reverseOrder === true ? events.reverse() : events;
  const limit = typeof request.maxResults === 'number' && request.maxResults > 0 ? request.maxResults : 100;
  return ordered.slice(0, Math.min(limit, 1000));
}
