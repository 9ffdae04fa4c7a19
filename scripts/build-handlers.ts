/**
 * Bundles each Lambda handler into one minified ES module, the way it deploys: the AWS SDK
 * and Powertools are bundled (tree-shaken, from their ES module entry points) rather than
 * taken from the runtime.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import * as path from 'node:path';

/** Where the prebuilt handlers go; the construct deploys them from here. */
const HANDLERS_OUT_DIR = path.join(__dirname, '..', 'assets', 'lambda');

/** The handlers and their entry points. */
export const HANDLER_ENTRY_POINTS: Readonly<Record<string, string>> = {
  poll: path.join(__dirname, '..', 'lambda', 'poll', 'index.ts'),
  start: path.join(__dirname, '..', 'lambda', 'start', 'index.ts'),
  sweep: path.join(__dirname, '..', 'lambda', 'sweep', 'index.ts'),
};

/** esbuild settings of every bundle: the handlers, and any bundle measured beside them. */
const HANDLER_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  conditions: ['module', 'import'],
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
};

/** Bundles `entryPoint` to `<outDir>/index.mjs` and returns the bundle's size in bytes. */
export async function bundleHandler(
  entryPoint: string,
  outDir: string,
): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    ...HANDLER_BUILD_OPTIONS,
    entryPoints: [entryPoint],
    outfile: path.join(outDir, 'index.mjs'),
    metafile: true,
  });
  const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'));
  return { bytes: output?.[1].bytes ?? 0, metafile: result.metafile };
}

async function main(): Promise<void> {
  for (const [name, entryPoint] of Object.entries(HANDLER_ENTRY_POINTS)) {
    const { bytes } = await bundleHandler(entryPoint, path.join(HANDLERS_OUT_DIR, name));
    process.stderr.write(`built ${name} handler: ${(bytes / 1024).toFixed(1)} KiB\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
