import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import { Logger } from '@aws-lambda-powertools/logger';
import type { PollDecision } from '../../lambda/poll/contract';
import type { PollHandler } from '../../lambda/poll/poll-handler';
import type { NeptuneImportTaskPollerProps } from '../../lib/poller-props';
import {
  standInNeptuneClient,
  startStandInRun,
  type StandInRun,
  type StandInRunOptions,
} from '../../local/local-environment';
import { synthesizePoller, type SynthesizedPoller } from '../../local/synthesized-poller';

/**
 * A `wrapPollHandler` that records the poll function's decisions into `decisions`, as the real
 * handler makes them.
 */
export const recordDecisions =
  (decisions: PollDecision[]) =>
  (real: PollHandler): PollHandler =>
  async (event) => {
    const decision = await real(event);
    decisions.push(decision);
    return decision;
  };

/** A logger that prints nothing, for handlers under test. */
export const silentLogger = (): Logger => new Logger({ logLevel: 'SILENT' });

/** A Neptune Analytics client for the stand-in at `endpoint`, configured as the poll function's. */
export const standInClient = (endpoint: string): NeptuneGraphClient => standInNeptuneClient(endpoint);

const synthesisCache = new Map<string, SynthesizedPoller>();

const ROOT = path.join(__dirname, '..', '..');

/** Every file under `dir` (relative to the root), sorted. */
function filesUnder(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs
    .readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * A hash of everything a synthesis reads: the construct and the code it embeds, the handler
 * bundles it deploys, the reader of its template, and the locked dependency versions.
 */
const synthesisInputs = ((): string => {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder('lib'),
    ...filesUnder('lambda'),
    ...filesUnder(path.join('assets', 'lambda')),
    path.join('bin', 'neptune-import-poller-stack.ts'),
    path.join('local', 'synthesized-poller.ts'),
    'package-lock.json',
  ];
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
})();

/** Where syntheses are kept between test files and runs, by a hash of their inputs and props. */
const SYNTHESIS_CACHE_DIR = path.join(os.tmpdir(), 'neptune-import-poller-syntheses');

/**
 * Synthesizes the poller once per distinct props (props must be plain JSON values). Synthesis is a
 * function of its inputs, so a result is kept on disk under a hash of them and the props, for the
 * other test files and later runs: any change to the construct, the handlers or the dependencies
 * makes a new key.
 */
export function synthesizeOnce(props: NeptuneImportTaskPollerProps = {}): SynthesizedPoller {
  const key = JSON.stringify(props);
  let synthesized = synthesisCache.get(key);
  if (synthesized !== undefined) return synthesized;
  const file = path.join(
    SYNTHESIS_CACHE_DIR,
    `${createHash('sha256').update(synthesisInputs).update(key).digest('hex')}.json`,
  );
  try {
    synthesized = JSON.parse(fs.readFileSync(file, 'utf8')) as SynthesizedPoller;
  } catch {
    synthesized = synthesizePoller(props);
    fs.mkdirSync(SYNTHESIS_CACHE_DIR, { recursive: true });
    // Written whole, then renamed: a test file running beside this one reads all of it or nothing.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, JSON.stringify(synthesized));
    fs.renameSync(partial, file);
  }
  synthesisCache.set(key, synthesized);
  return synthesized;
}

/** A stand-in run with the synthesized poller, whose events are checked against their schemas when it stops. */
export interface Harness extends StandInRun {
  readonly synthesized: SynthesizedPoller;
}

/**
 * Starts a stand-in run for a test: silent logs, fixed random numbers, and the poller
 * synthesized once per distinct props.
 */
export async function startHarness(options: StandInRunOptions = {}): Promise<Harness> {
  const synthesized = options.synthesized ?? synthesizeOnce(options.props);
  const run = await startStandInRun({ logLevel: 'SILENT', random: () => 0.5, ...options, synthesized });
  return {
    ...run,
    synthesized,
    stop: async () => {
      await run.stop();
      expect(run.poller.schemaViolations).toEqual([]);
      expect(run.poller.undeliveredEnds).toEqual([]);
    },
  };
}
