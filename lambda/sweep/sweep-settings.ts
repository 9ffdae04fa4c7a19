import { isGraphId } from '../../lib/identifiers';
import { DEFAULT_SWEEP_MAX_PAGES, MAX_SWEEP_MAX_PAGES } from '../../lib/sweep-contract';

/** The function was deployed with settings the construct does not write. */
export class InvalidSweepSettingsError extends Error {
  override readonly name = 'InvalidSweepSettingsError';
}

/** Pages one sweep reads unless told otherwise. */
export const DEFAULT_MAX_PAGES = DEFAULT_SWEEP_MAX_PAGES;
/**
 * Seconds an active task nobody watches is left to its trigger after a sweep first lists it:
 * CloudTrail delivers the record that starts its watch within about five minutes. A watch the
 * sweep started first would leave the trigger to find it running.
 */
export const DEFAULT_DISCOVERY_GRACE_SECONDS = 300;

/** Seconds between two scheduled sweeps unless told otherwise: the construct's default interval. */
export const DEFAULT_INTERVAL_SECONDS = 60;

/** How a sweep runs, from the function's environment. */
export interface SweepSettings {
  /** `ListImportTasks` pages of 100 tasks one sweep reads at most. */
  readonly maxPages: number;
  /** Start watches for listed tasks nobody watches. */
  readonly discovery: boolean;
  /**
   * Graphs whose tasks discovery may watch.
   * @default - every graph
   */
  readonly graphIds?: readonly string[];
  /**
   * Whether the watches put an event on every status change. Off, only a terminal status is
   * worth a wake: any other change would cost a poll and tell no one anything.
   * @default false
   */
  readonly emitStatusChanges?: boolean;
  /**
   * Seconds between two scheduled sweeps, as the schedule runs them.
   * @default DEFAULT_INTERVAL_SECONDS
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds an active task nobody watches is left to its trigger before discovery starts a watch.
   * @default DEFAULT_DISCOVERY_GRACE_SECONDS
   */
  readonly discoveryGraceSeconds?: number;
}

/** The sweep function's environment, read. */
export interface SweepEnvironment {
  readonly tableName: string;
  readonly stateMachineArn: string;
  readonly settings: SweepSettings;
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new InvalidSweepSettingsError(`${name} is not set: the function must be deployed by NeptuneImportTaskPoller`);
  }
  return value;
}

function flagOf(name: string, value: string | undefined, absent: boolean): boolean {
  if (value === undefined || value === '') return absent;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidSweepSettingsError(`${name} must be "true" or "false"; got "${value}"`);
}

/** `value`, the setting `name`, as a whole number from `min` to `max`; `absent` when it is not set. */
function wholeNumberOf(name: string, value: string | undefined, absent: number, min: number, max: number): number {
  if (value === undefined || value === '') return absent;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new InvalidSweepSettingsError(`${name} must be a whole number from ${min} to ${max}; got "${value}"`);
  }
  return number;
}

function graphIdsOf(value: string | undefined): readonly string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const graphIds = value.split(',').map((graphId) => graphId.trim());
  const invalid = graphIds.filter((graphId) => !isGraphId(graphId));
  if (invalid.length > 0) {
    throw new InvalidSweepSettingsError(
      `GRAPH_IDS must be graph ids (g- and ten lower-case letters or digits), separated by commas; got ${JSON.stringify(invalid)}`,
    );
  }
  return graphIds;
}

/**
 * Reads `WATCH_TABLE_NAME`, `STATE_MACHINE_ARN`, `MAX_PAGES` (default 1000), `DISCOVERY`
 * (`true` or `false`, default `true`), `GRAPH_IDS` (comma-separated, optional),
 * `EMIT_STATUS_CHANGES` (`true` or `false`, default `false`: only a terminal status wakes a
 * watch), `SWEEP_INTERVAL_SECONDS` (default 60) and `DISCOVERY_GRACE_SECONDS` (default 300); throws {@link InvalidSweepSettingsError}
 * for a value the construct would not write.
 */
export function sweepEnvironmentFrom(env: Readonly<Record<string, string | undefined>>): SweepEnvironment {
  const graphIds = graphIdsOf(env.GRAPH_IDS);
  return {
    tableName: required(env, 'WATCH_TABLE_NAME'),
    stateMachineArn: required(env, 'STATE_MACHINE_ARN'),
    settings: {
      maxPages: wholeNumberOf('MAX_PAGES', env.MAX_PAGES, DEFAULT_MAX_PAGES, 1, MAX_SWEEP_MAX_PAGES),
      discovery: flagOf('DISCOVERY', env.DISCOVERY, true),
      ...(graphIds === undefined ? {} : { graphIds }),
      emitStatusChanges: flagOf('EMIT_STATUS_CHANGES', env.EMIT_STATUS_CHANGES, false),
      intervalSeconds: wholeNumberOf(
        'SWEEP_INTERVAL_SECONDS',
        env.SWEEP_INTERVAL_SECONDS,
        DEFAULT_INTERVAL_SECONDS,
        60,
        3600,
      ),
      discoveryGraceSeconds: wholeNumberOf(
        'DISCOVERY_GRACE_SECONDS',
        env.DISCOVERY_GRACE_SECONDS,
        DEFAULT_DISCOVERY_GRACE_SECONDS,
        0,
        3600,
      ),
    },
  };
}
