import { isGraphId } from '../../lib/identifiers';

/** The function was deployed with settings the construct does not write. */
export class InvalidSweepSettingsError extends Error {
  override readonly name = 'InvalidSweepSettingsError';
}

/** Pages one sweep reads unless told otherwise. */
export const DEFAULT_MAX_PAGES = 10;
/** Most pages the construct lets one sweep read. */
const MAX_MAX_PAGES = 100;

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

function discoveryOf(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidSweepSettingsError(`DISCOVERY must be "true" or "false"; got "${value}"`);
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
 * Reads `WATCH_TABLE_NAME`, `STATE_MACHINE_ARN`, `MAX_PAGES` (default 10), `DISCOVERY`
 * (`true` or `false`, default `true`) and `GRAPH_IDS` (comma-separated, optional); throws
 * {@link InvalidSweepSettingsError} for a value the construct would not write.
 */
export function sweepEnvironmentFrom(env: Readonly<Record<string, string | undefined>>): SweepEnvironment {
  const graphIds = graphIdsOf(env.GRAPH_IDS);
  return {
    tableName: required(env, 'WATCH_TABLE_NAME'),
    stateMachineArn: required(env, 'STATE_MACHINE_ARN'),
    settings: {
      maxPages: maxPagesOf(env.MAX_PAGES),
      discovery: discoveryOf(env.DISCOVERY),
      ...(graphIds === undefined ? {} : { graphIds }),
    },
  };
}
