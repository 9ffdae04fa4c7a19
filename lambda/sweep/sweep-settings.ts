import { isGraphId } from '../../lib/identifiers';
import { DEFAULT_SWEEP_MAX_PAGES } from '../../lib/sweep-contract';

/** The function was deployed with settings the construct does not write. */
export class InvalidSweepSettingsError extends Error {
  override readonly name = 'InvalidSweepSettingsError';
}

/** Pages one sweep reads unless told otherwise. */
export const DEFAULT_MAX_PAGES = DEFAULT_SWEEP_MAX_PAGES;
/** Most pages the construct lets one sweep read. */
const MAX_MAX_PAGES = 100;
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

function maxPagesOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MAX_PAGES;
  const pages = Number(value);
  if (!Number.isInteger(pages) || pages < 1 || pages > MAX_MAX_PAGES) {
    throw new InvalidSweepSettingsError(`MAX_PAGES must be a whole number from 1 to ${MAX_MAX_PAGES}; got "${value}"`);
  }
  return pages;
}

function flagOf(name: string, value: string | undefined, absent: boolean): boolean {
  if (value === undefined || value === '') return absent;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidSweepSettingsError(`${name} must be "true" or "false"; got "${value}"`);
}

function graceOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_DISCOVERY_GRACE_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new InvalidSweepSettingsError(
      `DISCOVERY_GRACE_SECONDS must be a whole number from 0 to 3600; got "${value}"`,
    );
  }
  return seconds;
}

function intervalOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_INTERVAL_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 3600) {
    throw new InvalidSweepSettingsError(
      `SWEEP_INTERVAL_SECONDS must be a whole number from 60 to 3600; got "${value}"`,
    );
  }
  return seconds;
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
 * Reads `WATCH_TABLE_NAME`, `STATE_MACHINE_ARN`, `MAX_PAGES` (default 20), `DISCOVERY`
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
      maxPages: maxPagesOf(env.MAX_PAGES),
      discovery: flagOf('DISCOVERY', env.DISCOVERY, true),
      ...(graphIds === undefined ? {} : { graphIds }),
      emitStatusChanges: flagOf('EMIT_STATUS_CHANGES', env.EMIT_STATUS_CHANGES, false),
      intervalSeconds: intervalOf(env.SWEEP_INTERVAL_SECONDS),
      discoveryGraceSeconds: graceOf(env.DISCOVERY_GRACE_SECONDS),
    },
  };
}
