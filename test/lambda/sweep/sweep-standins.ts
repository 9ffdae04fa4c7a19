/**
 * A loopback stand-in the sweep's SDK clients and its deployed bundle talk to over real HTTP: a
 * minimal Step Functions that answers `SendTaskSuccess`, `StartExecution` and `DescribeExecution`
 * in the AWS JSON 1.0 protocol; and how the Neptune Analytics stand-in is made to answer for an
 * ended task as the service does. The watch table is local/'s (`startLocalWatchTable`).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timelineSeconds } from '../../../local/import-timeline';
import type { NeptuneGraphStandIn, StandInTask } from '../../../local/neptune-graph-standin';

/** Credentials and region every stand-in client uses. */
export const LOCAL_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/** ARN of the state machine the stand-in runs executions of. */
export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:poller';

/** A running loopback server and how to stop it. */
export interface LoopbackServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function listen(server: http.Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Makes the stand-in answer the next `GetImportTask` of `task` as the service answers for an
 * ended task: its elapsed time stops at its end, where the stand-in's goes on counting.
 */
export function answerAsEnded(standIn: NeptuneGraphStandIn, task: StandInTask): void {
  standIn.injectFaults(task.taskId, {
    kind: 'edit',
    edit: (answer) => {
      const details = answer.importTaskDetails as Record<string, number>;
      const ran = Math.min(details.timeElapsedSeconds, timelineSeconds(task.timeline));
      return { ...answer, importTaskDetails: { ...details, timeElapsedSeconds: ran } };
    },
  });
}

/** A call the Step Functions stand-in answered. */
export interface StepFunctionsCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
  /** `ok`, or the error type answered. */
  readonly result: string;
}

/** A minimal Step Functions: task tokens that are waiting, and executions that run. */
export class TaskTokenStandIn {
  /** Every call, in order. */
  public readonly calls: StepFunctionsCall[] = [];
  /** Tokens of waiting tasks: `SendTaskSuccess` with any other answers `TaskTimedOut`. */
  public readonly waitingTokens = new Set<string>();
  /** Names of executions that exist (all running). */
  public readonly executions = new Set<string>();
  /** Errors `StartExecution` answers for a name, one per call, before it starts the execution. */
  public readonly startFailures = new Map<string, string[]>();
  /** Errors `SendTaskSuccess` answers for a token, however often it is sent. */
  public readonly refusedTokens = new Map<string, string>();
  /** Runs when `SendTaskSuccess` arrives for a stale token, before the answer. */
  public onStaleToken: (token: string) => Promise<void> = () => Promise.resolve();
  private readonly server: http.Server;

  constructor(private readonly stateMachineArn = STATE_MACHINE_ARN) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        void this.handle(target, body).then(({ status, payload, result }) => {
          this.calls.push({ target, body, result });
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify(payload));
        });
      });
    });
  }

  /** Starts listening on a free loopback port. */
  start(): Promise<LoopbackServer> {
    return listen(this.server);
  }

  /** Calls of one operation, such as `SendTaskSuccess`. */
  callsOf(operation: string): StepFunctionsCall[] {
    return this.calls.filter((call) => call.target === `AWSStepFunctions.${operation}`);
  }

  private async handle(
    target: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; payload: unknown; result: string }> {
    const ok = (payload: unknown) => ({ status: 200, payload, result: 'ok' });
    const fail = (type: string) => ({
      status: 400,
      payload: { __type: type, message: `${type} (stand-in)` },
      result: type,
    });
    const executionArn = (name: string) => `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    switch (target) {
      case 'AWSStepFunctions.SendTaskSuccess': {
        const token = String(body.taskToken);
        const refusal = this.refusedTokens.get(token);
        if (refusal !== undefined) return fail(refusal);
        if (!this.waitingTokens.delete(token)) {
          await this.onStaleToken(token);
          return fail('TaskTimedOut');
        }
        return ok({});
      }
      case 'AWSStepFunctions.StartExecution': {
        const name = String(body.name);
        const failure = this.startFailures.get(name)?.shift();
        if (failure !== undefined) return fail(failure);
        if (this.executions.has(name)) return fail('ExecutionAlreadyExists');
        this.executions.add(name);
        return ok({ executionArn: executionArn(name), startDate: Date.now() / 1000 });
      }
      case 'AWSStepFunctions.DescribeExecution': {
        const name = String(body.executionArn).split(':').pop() ?? '';
        if (!this.executions.has(name)) return fail('ExecutionDoesNotExist');
        return ok({
          executionArn: body.executionArn,
          stateMachineArn: this.stateMachineArn,
          name,
          status: 'RUNNING',
          startDate: Date.now() / 1000,
        });
      }
      default:
        return fail('UnknownOperationException');
    }
  }
}
