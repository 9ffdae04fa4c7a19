/**
 * A fault on the wire: a loopback proxy in front of a stand-in (dynalite, the Step Functions or
 * Neptune Analytics stand-in) that passes every request through, except those of an operation
 * given a fault, which it answers itself as the AWS service answers a refused call: the HTTP
 * status, the error type in `x-amzn-errortype` and in the body's `__type`, and a message. The
 * AWS SDK clients of the start and sweep functions and the park task's integration meet the fault
 * over real HTTP, exactly as they would meet AWS's.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error answer of an AWS service. */
export interface ServiceFault {
  /** HTTP status: 400 for throttling and access errors of JSON services, 429 for REST ones, 500 or 503 for outages. */
  readonly status: number;
  /** The error type, such as `ThrottlingException` or `AccessDeniedException`. */
  readonly errorType: string;
  readonly message?: string;
}

/** When a fault holds: asked once per request of its operation; true answers with the fault. */
export type FaultWindow = () => boolean;

/** A window that holds for the first request only. */
export function onceWindow(): FaultWindow {
  let used = false;
  return () => {
    if (used) return false;
    used = true;
    return true;
  };
}

/** A window that holds while `now()` is before `until` (epoch milliseconds). */
export function untilWindow(now: () => number, until: number): FaultWindow {
  return () => now() < until;
}

/** A refusal the proxy answered. */
export interface RefusedCall {
  readonly operation: string;
  readonly errorType: string;
}

interface InjectedFault {
  readonly operation: string;
  readonly fault: ServiceFault;
  readonly window: FaultWindow;
}

/**
 * The operation a request calls: the part of `X-Amz-Target` after the dot for AWS JSON services
 * (`PutItem`, `SendTaskSuccess`), else the method and path without the query (`GET /importtasks`).
 */
export function operationOf(request: Pick<http.IncomingMessage, 'headers' | 'method' | 'url'>): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) return target.slice(target.lastIndexOf('.') + 1);
  return `${request.method ?? 'GET'} ${(request.url ?? '/').split('?')[0]}`;
}

/** A proxy on a free loopback port in front of `target`. */
export class FaultProxy {
  /** Every call the proxy refused, in order. */
  public readonly refused: RefusedCall[] = [];
  private readonly faults: InjectedFault[] = [];
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Answers requests of `operation` with `fault` while `window` holds; the first fault whose window holds wins. */
  inject(operation: string, fault: ServiceFault, window: FaultWindow): void {
    this.faults.push({ operation, fault, window });
  }

  /** Starts listening; resolves with the endpoint URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening and closes its connections. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const operation = operationOf(req);
    const injected = this.faults.find((f) => f.operation === operation && f.window());
    if (injected !== undefined) {
      // The request is read to its end first, so that the client's connection stays usable.
      req.resume();
      req.on('end', () => this.refuse(operation, injected.fault, res));
      return;
    }
    const upstream = http.request(
      `${this.target}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(upstream);
  }

  private refuse(operation: string, fault: ServiceFault, res: http.ServerResponse): void {
    this.refused.push({ operation, errorType: fault.errorType });
    const body = JSON.stringify({
      __type: fault.errorType,
      message: fault.message ?? `${fault.errorType} (injected into ${operation})`,
    });
    res.writeHead(fault.status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': fault.errorType,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }
}
