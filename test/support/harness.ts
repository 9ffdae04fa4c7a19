import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import { Logger } from '@aws-lambda-powertools/logger';
import type { NeptuneImportTaskPollerProps } from '../../lib';
import {
  standInNeptuneClient,
  startStandInRun,
  type StandInRun,
  type StandInRunOptions,
} from '../../local/local-environment';
import { synthesizePoller, type SynthesizedPoller } from '../../local/synthesized-poller';

/** A logger that prints nothing, for handlers under test. */
export const silentLogger = (): Logger => new Logger({ logLevel: 'SILENT' });

/** A Neptune Analytics client for the stand-in at `endpoint`, configured as the poll function's. */
export const standInClient = (endpoint: string): NeptuneGraphClient => standInNeptuneClient(endpoint);

const synthesisCache = new Map<string, SynthesizedPoller>();

/** Synthesizes the poller once per distinct props (props must be plain JSON values). */
export function synthesizeOnce(props: NeptuneImportTaskPollerProps = {}): SynthesizedPoller {
  const key = JSON.stringify(props);
  let synthesized = synthesisCache.get(key);
  if (synthesized === undefined) {
    synthesized = synthesizePoller(props);
    synthesisCache.set(key, synthesized);
  }
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
