import type { NeptuneGraphClient } from '@aws-sdk/client-neptune-graph';
import { Logger } from '@aws-lambda-powertools/logger';
import type { NeptuneImportTaskPollerProps } from '../../lib';
import { SteppingClock, type LocalClock } from '../../local/clock';
import { createLocalPoller, standInNeptuneClient } from '../../local/local-environment';
import type { LocalPoller } from '../../local/local-poller';
import { NeptuneGraphStandIn, type NeptuneGraphStandInOptions } from '../../local/neptune-graph-standin';
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

/** A stand-in and the synthesized poller running against it, on one clock. */
export interface Harness {
  readonly clock: LocalClock;
  readonly standIn: NeptuneGraphStandIn;
  readonly poller: LocalPoller;
  readonly synthesized: SynthesizedPoller;
  stop(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly synthesized?: SynthesizedPoller;
  readonly clock?: LocalClock;
  readonly standIn?: Omit<NeptuneGraphStandInOptions, 'now'>;
  readonly putEventsVerdict?: (entry: Record<string, unknown>) => string | undefined;
  readonly random?: () => number;
}

/** Starts a stand-in and a local poller against it; a stepping clock by default, so waits take no real time. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = options.clock ?? new SteppingClock();
  const standIn = new NeptuneGraphStandIn({ ...options.standIn, now: () => clock.now() });
  const endpoint = await standIn.start();
  const synthesized = options.synthesized ?? synthesizeOnce();
  const poller = createLocalPoller({
    clock,
    synthesized,
    neptuneClient: standInClient(endpoint),
    logLevel: 'SILENT',
    random: options.random ?? (() => 0.5),
    ...(options.putEventsVerdict === undefined ? {} : { putEventsVerdict: options.putEventsVerdict }),
  });
  return {
    clock,
    standIn,
    poller,
    synthesized,
    stop: async () => {
      await standIn.stop();
      expect(poller.schemaViolations).toEqual([]);
    },
  };
}
