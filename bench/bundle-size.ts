/**
 * The poll handler's bundle, as it deploys, beside the floor: a bundle holding only the Neptune
 * Analytics client and one GetImportTask call, built the same way. Size, and module load time
 * measured in fresh Node.js processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { quantile } from '../local/seeded-random';
import { bundleHandler, HANDLER_ENTRY_POINTS } from '../scripts/build-handlers';

/** One bundle's figures. */
export interface BundleFigures {
  readonly bytes: number;
  /** Median module load time, milliseconds. */
  readonly loadMilliseconds: number;
}

/** The handler's bundle and the floor's. */
export interface BundleComparison {
  readonly handler: BundleFigures;
  readonly floor: BundleFigures;
  readonly sizeRatio: number;
  readonly loadRatio: number;
}

function loadTimes(file: string, runs: number): number[] {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  return Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        encoding: 'utf8',
      }),
    ),
  );
}

/**
 * Builds both bundles into a temporary folder and measures them, alternating runs so that both
 * see the same machine. The load-time ratio is the median of the ratios of each pair of runs side
 * by side, after one pair to warm the file cache: a pause of the machine then weighs on both of a
 * pair, not on one median alone.
 */
export async function compareBundles(runs = 41): Promise<BundleComparison> {
  const dir = mkdtempSync(path.join(tmpdir(), 'poller-bundles-'));
  try {
    const floor = await bundleHandler(path.join(__dirname, 'floor-handler.ts'), path.join(dir, 'floor'));
    const handler = await bundleHandler(HANDLER_ENTRY_POINTS.poll, path.join(dir, 'poll'));
    const handlerTimes: number[] = [];
    const floorTimes: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const [handlerTime] = loadTimes(path.join(dir, 'poll', 'index.mjs'), 1);
      const [floorTime] = loadTimes(path.join(dir, 'floor', 'index.mjs'), 1);
      if (i === 0) continue;
      handlerTimes.push(handlerTime);
      floorTimes.push(floorTime);
      ratios.push(handlerTime / floorTime);
    }
    const figures = (bytes: number, times: number[]): BundleFigures => ({
      bytes,
      loadMilliseconds: Math.round(quantile(times, 0.5) * 10) / 10,
    });
    const result = { handler: figures(handler.bytes, handlerTimes), floor: figures(floor.bytes, floorTimes) };
    return {
      ...result,
      sizeRatio: Math.round((result.handler.bytes / result.floor.bytes) * 1000) / 1000,
      loadRatio: Math.round(quantile(ratios, 0.5) * 1000) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
