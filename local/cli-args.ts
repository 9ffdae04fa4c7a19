import { parseArgs } from 'node:util';

/** What `npm run local` was asked to do. */
export interface LocalRunArgs {
  readonly taskId: string;
  readonly graphId?: string;
  readonly timeoutSeconds?: number;
  readonly timeScale: number;
  readonly emitStatusChanges: boolean;
  /** Whether the sweep runs beside the watch (the poller's default), or the poller is synthesized without it. */
  readonly sweep: boolean;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

/** The usage text of `npm run local`. */
export const LOCAL_USAGE = `Usage: npm run local -- --task-id <t-…> [options]

Watches one Neptune Analytics import task with the poller's own state machine, run locally,
against the endpoint the AWS SDK resolves (your account, or AWS_ENDPOINT_URL_NEPTUNE_GRAPH).
As deployed by default, the sweep runs beside the watch, on the same clock: every minute it lists
the import tasks (ListImportTasks) and wakes the watch when its task ended (with
--emit-status-changes, when its status changed); it wakes only this watch and starts no other. Each event the poller would put is printed to stdout as one
JSON line; logs go to stderr.

Options:
  --task-id <id>          the import task to watch (t- and ten lower-case letters or digits)
  --graph-id <id>         the task's graph, if known
  --timeout <n>s|m|h|d    monitoring timeout (default: the construct's, 7d)
  --time-scale <factor>   share of each wait actually waited, above 0 and at most 1; deadlines and the
                          sweep's period run on the same compressed clock (0.001: a minute's wait
                          lasts 60 ms; default 1)
  --emit-status-changes   also print an event on every status change
  --no-sweep              run the poller without the sweep (sweep: { enabled: false }): each wait is
                          a plain Wait state, its length chosen by the progress-aware polling; far
                          quicker for a long --timeout at a tiny --time-scale (a sweep a minute)
  --log-level <level>     DEBUG, INFO, WARN, ERROR or SILENT (default INFO)
  --help                  this text

Exit status: 0 when the watch ends with a Status Change event, 2 when it ends with a
Monitoring Failed event, 3 when the execution failed, 1 for a usage error.`;

/** A command-line mistake; the message says what to write instead. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `90s`, `15m`, `6h`, `2d` into seconds. */
export function parseDurationSeconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `--timeout takes a number and a unit (s, m, h or d), like 90s, 15m, 6h or 2d; got ${JSON.stringify(text)}`,
    );
  const seconds = Math.round(Number(match[1]) * UNIT_SECONDS[match[2]]);
  if (seconds < 60 || seconds > 365 * 86_400) {
    throw new UsageError(`--timeout must be from 1 minute (60s) to 365 days (365d); got ${text}`);
  }
  return seconds;
}

/** Parses the arguments of `npm run local`; throws {@link UsageError} on mistakes, returns undefined for --help. */
export function parseLocalRunArgs(argv: readonly string[]): LocalRunArgs | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'task-id': { type: 'string' },
        'graph-id': { type: 'string' },
        timeout: { type: 'string' },
        'time-scale': { type: 'string' },
        'emit-status-changes': { type: 'boolean' },
        'no-sweep': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const taskId = values['task-id'];
  if (typeof taskId !== 'string' || taskId === '')
    throw new UsageError('--task-id is required, like --task-id t-0123456789');
  const scaleText = values['time-scale'];
  const timeScale = scaleText === undefined ? 1 : Number(scaleText);
  if (!(Number.isFinite(timeScale) && timeScale > 0 && timeScale <= 1)) {
    throw new UsageError(
      `--time-scale takes a number above 0 and at most 1, like 0.001; got ${JSON.stringify(scaleText)}`,
    );
  }
  const logLevel = String(values['log-level'] ?? 'INFO').toUpperCase();
  if (!['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'].includes(logLevel)) {
    throw new UsageError(
      `--log-level takes DEBUG, INFO, WARN, ERROR or SILENT; got ${JSON.stringify(values['log-level'])}`,
    );
  }
  return {
    taskId,
    ...(typeof values['graph-id'] === 'string' ? { graphId: values['graph-id'] } : {}),
    ...(typeof values.timeout === 'string' ? { timeoutSeconds: parseDurationSeconds(values.timeout) } : {}),
    timeScale,
    emitStatusChanges: values['emit-status-changes'] === true,
    sweep: values['no-sweep'] !== true,
    logLevel: logLevel as LocalRunArgs['logLevel'],
  };
}
