import { CONTRACT_VERSION } from '../../../lib/poll-contract';
/**
 * Property test: whatever `GetImportTask` answers or throws (huge strings in every field, deep
 * nesting, long arrays, wrong types), every poll decision is JSON well under Step Functions'
 * payload limit, its watch state is small, its event matches its schema, and a terminal answer
 * still ends the watch with its terminal event.
 */
import type { PollDecision } from '../../../lambda/poll/contract';
import { MAX_DETAIL_BYTES } from '../../../lambda/poll/fit-event-detail';
import { STATUS_PATTERN } from '../../../lambda/poll/import-task-snapshot';
import { createPollHandler } from '../../../lambda/poll/poll-handler';
import { STATUS_CHANGE_DETAIL_TYPE, TERMINAL_IMPORT_STATUSES } from '../../../lib/events';
import { isGraphId } from '../../../lib/identifiers';
import { pollerConfigOf } from '../../../lib/neptune-import-task-poller';
import { eventSchemaViolations } from '../../../local/event-schema-validation';
import { seededRandom } from '../../../local/seeded-random';
import { silentLogger } from '../../support/harness';
import { depthOf, nested } from '../../support/deep-json';

/** Step Functions' limit on a state's input or output. */
const STATE_LIMIT_BYTES = 256 * 1024;
/**
 * What the state machine may add to a decision: a caught error under `pollFailure` (its Cause is
 * at most 32 KiB) when the next poll fails for good, and the config the poll payload wraps it in.
 */
const WRAPPING_MARGIN_BYTES = 36 * 1024;
/** A watch state is a few hundred bytes; this is its ceiling whatever was answered. */
const MAX_WATCH_BYTES = 2_000;

const TASK_ID = 't-0123456789';
const NOW = Date.UTC(2026, 5, 1);
const STATUSES = ['INITIALIZING', 'ANALYZING_DATA', 'IMPORTING', 'ROLLING_BACK', ...TERMINAL_IMPORT_STATUSES];

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Draws hostile values from a seeded generator. */
class HostileValues {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** Anything at all, or, with probability `fair`, `plausible`. */
  value(plausible: unknown, fair = 0.3): unknown {
    if (this.chance(fair)) return plausible;
    const makers: (() => unknown)[] = [
      () => 'x'.repeat(300_000),
      () => '😀é'.repeat(100_000),
      () => '\u0001"\\'.repeat(100_000),
      () => nested(10_000, false),
      () => nested(10_000, true),
      () => Array.from({ length: 20_000 }, (_, i) => i),
      () => Array.from({ length: 200 }, () => 'y'.repeat(2_000)),
      () => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
      () => ({ ['n'.repeat(100_000)]: 'long name' }),
      () => ({ inner: { more: 'z'.repeat(250_000) }, list: [nested(50, false)] }),
      () => this.pick([0, -1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, true, false, null]),
      () => this.pick([new Date(0), new Date(Number.NaN)]),
      () => BigInt(42),
    ];
    return this.pick(makers)();
  }

  status(): unknown {
    if (this.chance(0.15)) return this.value('IMPORTING', 0);
    const status = this.pick(STATUSES);
    return this.chance(0.2) ? ` ${status.toLowerCase()} ` : status;
  }

  answer(): Record<string, unknown> {
    const answer: Record<string, unknown> = {
      taskId: this.chance(0.9) ? TASK_ID : this.value(TASK_ID, 0),
      status: this.status(),
      graphId: this.value('g-0123456789'),
      source: this.value('s3://bucket/data/'),
      format: this.value('CSV'),
      parquetType: this.value('COLUMNAR'),
      roleArn: this.value('arn:aws:iam::123456789012:role/Import'),
      statusReason: this.value('Import failed'),
      attemptNumber: this.value(1),
      importOptions: this.value({
        neptune: { s3ExportPath: 's3://bucket/export/', preserveDefaultVertexLabels: true },
      }),
      importTaskDetails: this.chance(0.2)
        ? this.value({})
        : {
            status: this.value('IMPORTING'),
            startTime: this.value(new Date(NOW - 60_000)),
            timeElapsedSeconds: this.value(60),
            progressPercentage: this.value(40),
            errorCount: this.value(0),
            errorDetails: this.value('row 1: bad'),
            statementCount: this.value(1000),
            dictionaryEntryCount: this.value(100),
            [`future${Math.floor(this.random() * 10)}`]: this.value('new'),
          },
      $metadata: { httpStatusCode: 200 },
    };
    for (let extra = Math.floor(this.random() * 4); extra > 0; extra--) {
      answer[this.pick(['$unknown', 'replicaCount', 'futureField', 'x'.repeat(300)])] = this.value('extra', 0);
    }
    return answer;
  }

  error(): unknown {
    return this.pick<() => unknown>([
      () =>
        Object.assign(new Error(String(this.value('boom', 0.5)).slice(0, 400_000)), {
          name: this.pick(['ThrottlingException', 'InternalServerException', 'N'.repeat(300_000)]),
          $metadata: { httpStatusCode: this.pick([400, 403, 404, 429, 500, 503]) },
        }),
      () => ({ name: this.value('X', 0), message: this.value('m', 0), $metadata: { httpStatusCode: 404 } }),
      () => nested(10_000, false),
      () => 'x'.repeat(300_000),
      () => undefined,
    ])();
  }
}

/** Whether `answer` carries a terminal status the poll function must accept. */
function terminalStatusOf(answer: Record<string, unknown>): string | undefined {
  const { status, taskId } = answer;
  if (typeof status !== 'string' || (taskId !== undefined && taskId !== TASK_ID)) return undefined;
  const read = status.trim().toUpperCase();
  return STATUS_PATTERN.test(read) && TERMINAL_IMPORT_STATUSES.includes(read) ? read : undefined;
}

/** The ways `decision` breaks the properties; empty when it keeps them all. */
function problemsOf(decision: PollDecision, answer: Record<string, unknown> | undefined): string[] {
  const problems: string[] = [];
  const total = bytes(decision);
  if (total >= STATE_LIMIT_BYTES - WRAPPING_MARGIN_BYTES) problems.push(`the decision is ${total} bytes`);
  if (depthOf(decision) > 20) problems.push(`the decision nests ${depthOf(decision)} levels`);
  const watch =
    decision.action === 'WAIT' ? decision.watch : decision.action === 'CONTINUE' ? decision.input.watch : undefined;
  if (watch !== undefined) {
    if (bytes(watch) > MAX_WATCH_BYTES) problems.push(`the watch state is ${bytes(watch)} bytes`);
    if (watch.graphId !== null && !isGraphId(watch.graphId)) problems.push('the watch holds a malformed graph id');
    if (watch.lastStatus !== null && !STATUS_PATTERN.test(watch.lastStatus)) problems.push('the watch holds no status');
  }
  const event = decision.action === 'CONTINUE' || decision.action === 'HANDED_OVER' ? undefined : decision.event;
  if (event !== undefined) {
    if (bytes(event.detail) > MAX_DETAIL_BYTES) problems.push(`the event detail is ${bytes(event.detail)} bytes`);
    problems.push(...eventSchemaViolations(event.detailType, event.detail));
  }
  const terminal = answer === undefined ? undefined : terminalStatusOf(answer);
  if (
    terminal !== undefined &&
    (decision.action !== 'FINISH' ||
      decision.event.detailType !== STATUS_CHANGE_DETAIL_TYPE ||
      decision.event.detail.status !== terminal)
  ) {
    problems.push(`a ${terminal} answer did not end the watch with its Status Change event`);
  }
  return problems;
}

describe('poll decisions, whatever GetImportTask answers', () => {
  const config = pollerConfigOf({ emitStatusChanges: true });
  const CASES = 150;

  test(`GIVEN ${CASES} seeded hostile answers and errors THEN every decision keeps the properties`, async () => {
    const problems: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const values = new HostileValues(seed);
      const answer = values.chance(0.8) ? values.answer() : undefined;
      const thrown = answer === undefined ? values.error() : undefined;
      const poll = createPollHandler({
        // The client may throw anything, an Error or not: the poll function must cope with all of it.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        fetchImportTask: () => (answer === undefined ? Promise.reject(thrown) : Promise.resolve(answer)),
        now: () => NOW,
        random: seededRandom(seed),
        logger: silentLogger(),
        publishMetrics: () => undefined,
      });
      const input = values.chance(0.5)
        ? { taskId: TASK_ID }
        : {
            action: 'WAIT',
            waitSeconds: 60,
            watch: {
              contractVersion: CONTRACT_VERSION,
              watchName: TASK_ID,
              taskId: TASK_ID,
              graphId: null,
              watchStartedAt: NOW - values.pick([10_000, 3_600_000]),
              deadline: NOW + 86_400_000,
              pollCount: 3,
              consecutiveErrors: 1,
              notFoundPolls: 0,
              lastStatus: values.pick([null, 'IMPORTING']),
              generation: 0,
              historyEvents: 40,
              strategyMemory: {},
            },
          };

      try {
        const decision = await poll({
          config,
          input,
          executionName: TASK_ID,
          executionStartTime: new Date(NOW).toISOString(),
        });
        problems.push(...problemsOf(decision, answer).map((problem) => `seed ${seed}: ${problem}`));
      } catch (error) {
        problems.push(`seed ${seed}: the poll function threw ${String(error).slice(0, 200)}`);
      }
    }

    expect(problems).toEqual([]);
  });
});
