/**
 * A stand-in for the Neptune Analytics control plane on loopback: a real HTTP server speaking
 * the REST-JSON wire format of `GetImportTask`, `StartImportTask` and `ListImportTasks`, with
 * scripted imports, injectable faults and an optional request-rate limit answered with 429.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { importStateAt, simpleTimeline, timelineSeconds, type ImportTimeline } from './import-timeline';

/** Something the stand-in does instead of answering normally. */
export type StandInFault =
  /** An error answer: status code, `x-amzn-ErrorType` and a JSON message (or a raw body). */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly errorType?: string;
      readonly message?: string;
      readonly body?: string;
      readonly contentType?: string;
    }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' }
  /** Drops the connection without answering. */
  | { readonly kind: 'reset' }
  /** Answers 200 with this body, as is. */
  | { readonly kind: 'raw'; readonly body: string; readonly status?: number; readonly contentType?: string }
  /** Sends the headers and part of the body, then stalls. */
  | { readonly kind: 'stall-body' }
  /** Answers normally, with the answer passed through `edit` first. */
  | { readonly kind: 'edit'; readonly edit: (answer: Record<string, unknown>) => unknown };

/** One request the stand-in received. */
export interface StandInRequest {
  /** Epoch ms on the stand-in's clock. */
  readonly at: number;
  /** Real epoch ms. */
  readonly realAt: number;
  readonly method: string;
  readonly path: string;
  readonly taskId?: string;
  /** Status answered; 0 when the connection was dropped or left hanging. */
  readonly status: number;
  readonly fault?: StandInFault['kind'] | 'rate-limited';
}

/** A scripted import task. */
export interface StandInTask {
  readonly taskId: string;
  readonly graphId: string;
  readonly timeline: ImportTimeline;
  /** Epoch ms on the stand-in's clock. */
  readonly startedAt: number;
  readonly source: string;
  readonly format: string;
  readonly roleArn: string;
}

/**
 * The order `ListImportTasks` lists the tasks in, which AWS does not document: oldest first (the
 * order they were added), newest first, or a fixed order that looks random (by a hash of the id).
 */
export type ListingOrder = 'oldest-first' | 'newest-first' | 'random';

/** Options of the stand-in. */
export interface NeptuneGraphStandInOptions {
  /**
   * The order of the listing.
   * @default 'oldest-first'
   */
  readonly listingOrder?: ListingOrder;
  /** Epoch ms now, on the clock the imports follow. */
  readonly now?: () => number;
  /** Requests per second, on the stand-in's clock, answered before answering 429 `ThrottlingException`. */
  readonly maxRequestsPerSecond?: number;
  /** Timeline of an import started through `StartImportTask`, from the request's body. */
  readonly timelineForStartedImport?: (request: Record<string, unknown>) => ImportTimeline;
}

const IMPORT_TASK_PATH = /^\/importtasks\/([^/?]+)$/;
const START_IMPORT_PATH = /^\/graphs\/([^/?]+)\/importtasks$/;
const LIST_IMPORT_TASKS_PATH = '/importtasks';
/** Where faults for `ListImportTasks` wait: no task id has this form. */
const LIST_FAULTS_KEY = '#ListImportTasks';
/** `ListImportTasks`' largest page, which is also its page when the request names none. */
const MAX_LIST_RESULTS = 100;

/** A random id in the service's format: prefix and ten lower-case letters or digits. */
function randomNeptuneId(prefix: 't' | 'g'): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}-${Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** The Neptune Analytics stand-in. */
export class NeptuneGraphStandIn {
  /** Every request received, in order. */
  public readonly requests: StandInRequest[] = [];
  private readonly tasks = new Map<string, StandInTask>();
  private readonly faults = new Map<string, StandInFault[]>();
  private readonly lastingFaults = new Map<string, { readonly until: number; readonly fault: StandInFault }[]>();
  private readonly notStarted = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private readonly recentRequestTimes: number[] = [];
  private readonly server: http.Server;
  private readonly now: () => number;

  constructor(private readonly options: NeptuneGraphStandInOptions = {}) {
    this.now = options.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening on a free loopback port; resolves with the endpoint URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.endpoint;
  }

  /** The endpoint URL, once started. */
  get endpoint(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Stops listening and drops every connection, hanging ones included. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Adds a scripted import task; returns it. With `startOnFirstPoll`, the import starts when it
   * is first asked about, so that a watch started later still sees it from its beginning.
   */
  addTask(
    task: Partial<StandInTask> & { readonly timeline: ImportTimeline; readonly startOnFirstPoll?: boolean },
  ): StandInTask {
    const full: StandInTask = {
      taskId: task.taskId ?? randomNeptuneId('t'),
      graphId: task.graphId ?? randomNeptuneId('g'),
      startedAt: task.startedAt ?? this.now(),
      source: task.source ?? 's3://example-bucket/graph-data/',
      format: task.format ?? 'CSV',
      roleArn: task.roleArn ?? 'arn:aws:iam::123456789012:role/NeptuneImport',
      timeline: task.timeline,
    };
    this.tasks.set(full.taskId, full);
    if (task.startOnFirstPoll === true) this.notStarted.add(full.taskId);
    return full;
  }

  /** Makes the next requests for `taskId` meet `faults`, one each, in order. */
  injectFaults(taskId: string, ...faults: StandInFault[]): void {
    this.faults.set(taskId, [...(this.faults.get(taskId) ?? []), ...faults]);
  }

  /**
   * Makes every request for `taskId` meet `fault` until `until` (epoch ms on the stand-in's clock),
   * after the faults queued by {@link injectFaults}: a fault that lasts, rather than one per request.
   */
  injectFaultUntil(taskId: string, until: number, fault: StandInFault): void {
    this.lastingFaults.set(taskId, [...(this.lastingFaults.get(taskId) ?? []), { until, fault }]);
  }

  /** Makes the next `ListImportTasks` requests meet `faults`, one each, in order. */
  injectListFaults(...faults: StandInFault[]): void {
    this.injectFaults(LIST_FAULTS_KEY, ...faults);
  }

  /** `ListImportTasks` requests received. */
  listRequests(): StandInRequest[] {
    return this.requests.filter((request) => request.method === 'GET' && request.path === LIST_IMPORT_TASKS_PATH);
  }

  /** `GetImportTask` requests received for `taskId`. */
  pollsOf(taskId: string): StandInRequest[] {
    return this.requests.filter((request) => request.taskId === taskId && request.method === 'GET');
  }

  /** The `GetImportTask` answer for `task` now. */
  answerFor(task: StandInTask): Record<string, unknown> {
    const elapsed = Math.max(0, (this.now() - task.startedAt) / 1000);
    const state = importStateAt(task.timeline, elapsed);
    return {
      graphId: task.graphId,
      taskId: task.taskId,
      source: task.source,
      format: task.format,
      roleArn: task.roleArn,
      status: state.status,
      importTaskDetails: {
        status: state.status,
        startTime: Math.floor(task.startedAt / 1000),
        // Seconds it ran: up to now while it runs, up to its end once ended.
        timeElapsedSeconds: Math.floor(Math.min(elapsed, timelineSeconds(task.timeline))),
        progressPercentage: state.progressPercentage,
        errorCount: state.outcome?.errorCount ?? 0,
        ...(state.outcome?.errorDetails === undefined ? {} : { errorDetails: state.outcome.errorDetails }),
        statementCount: Math.floor(state.progressPercentage * 1000),
        dictionaryEntryCount: Math.floor(state.progressPercentage * 100),
      },
      attemptNumber: state.attemptNumber,
      ...(state.outcome?.statusReason === undefined ? {} : { statusReason: state.outcome.statusReason }),
    };
  }

  /** Task ids in the order of a random listing, by a hash of each id; undefined until first listed. */
  private randomOrder: string[] | undefined;

  /** Every task, in the order the listing shows them. */
  listedTasks(): StandInTask[] {
    const added = [...this.tasks.values()];
    switch (this.options.listingOrder ?? 'oldest-first') {
      case 'oldest-first':
        return added;
      case 'newest-first':
        return added.reverse();
      case 'random': {
        // Tasks are only ever added (a task that starts is replaced under its id): the order holds while the count does.
        if (this.randomOrder?.length !== added.length) {
          this.randomOrder = added
            .map((task) => ({ taskId: task.taskId, key: createHash('sha256').update(task.taskId).digest('hex') }))
            .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
            .map(({ taskId }) => taskId);
        }
        return this.randomOrder.map((taskId) => this.tasks.get(taskId)!);
      }
    }
  }

  /**
   * One page of the `ListImportTasks` answer over every task, in the listing's order, each with
   * the status `GetImportTask` would report now (a task that starts on its first poll has not
   * started); undefined for a page size or token the service would refuse.
   */
  listPage(maxResults: number, nextToken: string | undefined): Record<string, unknown> | undefined {
    const offset = nextToken === undefined ? 0 : Number(nextToken);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_LIST_RESULTS) return undefined;
    if (!Number.isInteger(offset) || offset < 0) return undefined;
    const all = this.listedTasks();
    const tasks = all.slice(offset, offset + maxResults).map((task) => ({
      taskId: task.taskId,
      graphId: task.graphId,
      status: this.notStarted.has(task.taskId)
        ? importStateAt(task.timeline, 0).status
        : (this.answerFor(task).status as string),
      source: task.source,
      format: task.format,
      roleArn: task.roleArn,
    }));
    const next = offset + maxResults;
    return { tasks, ...(next < all.length ? { nextToken: String(next) } : {}) };
  }

  private rateLimited(realAt: number): boolean {
    const limit = this.options.maxRequestsPerSecond;
    if (limit === undefined) return false;
    while (this.recentRequestTimes.length > 0 && this.recentRequestTimes[0] <= realAt - 1000)
      this.recentRequestTimes.shift();
    if (this.recentRequestTimes.length >= limit) return true;
    this.recentRequestTimes.push(realAt);
    return false;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const realAt = Date.now();
    const at = this.now();
    const [path, query = ''] = (req.url ?? '/').split('?');
    const method = req.method ?? 'GET';
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    const log = (entry: Omit<StandInRequest, 'at' | 'realAt' | 'method' | 'path'>): void => {
      this.requests.push({ at, realAt, method, path, ...entry });
    };
    const json = (status: number, payload: unknown, errorType?: string): void => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': randomBytes(8).toString('hex'),
        ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
      });
      res.end(JSON.stringify(payload));
    };

    const getMatch = IMPORT_TASK_PATH.exec(path);
    const startMatch = START_IMPORT_PATH.exec(path);
    const taskId = getMatch ? decodeURIComponent(getMatch[1]) : undefined;
    const listing = method === 'GET' && path === LIST_IMPORT_TASKS_PATH;
    const faultKey = listing ? LIST_FAULTS_KEY : taskId;

    if (this.rateLimited(at)) {
      log({ taskId, status: 429, fault: 'rate-limited' });
      json(429, { message: 'Rate exceeded' }, 'ThrottlingException');
      return;
    }
    const fault =
      faultKey === undefined
        ? undefined
        : (this.faults.get(faultKey)?.shift() ??
          this.lastingFaults.get(faultKey)?.find((lasting) => at < lasting.until)?.fault);
    if (fault !== undefined && fault.kind !== 'edit') {
      this.applyFault(fault, res, (status) => log({ taskId, status, fault: fault.kind }));
      return;
    }

    if (method === 'GET' && taskId !== undefined) {
      if (this.notStarted.delete(taskId)) {
        const waiting = this.tasks.get(taskId);
        if (waiting !== undefined) this.tasks.set(taskId, { ...waiting, startedAt: at });
      }
      const task = this.tasks.get(taskId);
      if (task === undefined) {
        log({ taskId, status: 404 });
        json(404, { message: `Import task ${taskId} not found` }, 'ResourceNotFoundException');
        return;
      }
      const answer = this.answerFor(task);
      log({ taskId, status: 200, ...(fault === undefined ? {} : { fault: fault.kind }) });
      json(200, fault?.kind === 'edit' ? fault.edit(answer) : answer);
      return;
    }
    if (listing) {
      const params = new URLSearchParams(query);
      const maxResults = params.get('maxResults');
      const page = this.listPage(
        maxResults === null ? MAX_LIST_RESULTS : Number(maxResults),
        params.get('nextToken') ?? undefined,
      );
      if (page === undefined) {
        log({ status: 400 });
        json(
          400,
          { message: 'maxResults must be 1 to 100 and nextToken one this service gave' },
          'ValidationException',
        );
        return;
      }
      log({ status: 200, ...(fault === undefined ? {} : { fault: fault.kind }) });
      json(200, fault?.kind === 'edit' ? fault.edit(page) : page);
      return;
    }
    if (method === 'POST' && startMatch) {
      const graphId = decodeURIComponent(startMatch[1]);
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        log({ status: 400 });
        json(400, { message: 'The request body is not JSON', reason: 'BAD_REQUEST' }, 'ValidationException');
        return;
      }
      const task = this.addTask({
        graphId,
        source: typeof request.source === 'string' ? request.source : undefined,
        format: typeof request.format === 'string' ? request.format : undefined,
        roleArn: typeof request.roleArn === 'string' ? request.roleArn : undefined,
        timeline: this.options.timelineForStartedImport?.(request) ?? simpleTimeline(600),
      });
      log({ taskId: task.taskId, status: 201 });
      json(201, {
        graphId: task.graphId,
        taskId: task.taskId,
        source: task.source,
        format: task.format,
        roleArn: task.roleArn,
        status: 'INITIALIZING',
      });
      return;
    }
    log({ taskId, status: 404 });
    json(404, { message: `No route for ${method} ${path}` }, 'UnknownOperationException');
  }

  private applyFault(fault: StandInFault, res: http.ServerResponse, log: (status: number) => void): void {
    switch (fault.kind) {
      case 'error':
        log(fault.status);
        res.writeHead(fault.status, {
          'content-type': fault.contentType ?? 'application/json',
          ...(fault.errorType === undefined ? {} : { 'x-amzn-errortype': fault.errorType }),
        });
        res.end(
          fault.body ?? JSON.stringify({ message: fault.message ?? `Injected ${fault.errorType ?? fault.status}` }),
        );
        return;
      case 'hang':
        log(0);
        return;
      case 'reset':
        log(0);
        res.socket?.destroy();
        return;
      case 'raw':
        log(fault.status ?? 200);
        res.writeHead(fault.status ?? 200, { 'content-type': fault.contentType ?? 'application/json' });
        res.end(fault.body);
        return;
      case 'stall-body':
        log(200);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"taskId":"');
        return;
      case 'edit':
        return;
    }
  }
}
