/**
 * Synthesizes the integration test app (test/integ.poller.ts) and writes, or checks, its snapshot
 * in test/integ.poller.ts.snapshot/, the layout integ-runner uses. Asset hashes are compared
 * loosely: a handler change alone does not make the snapshot stale.
 *
 *   npm run integ:snapshot            # rewrite the snapshot
 *   (the test suite checks it)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The integration test app. */
const INTEG_APP = path.join(__dirname, '..', 'test', 'integ.poller.ts');
/** Its committed snapshot. */
export const INTEG_SNAPSHOT_DIR = `${INTEG_APP}.snapshot`;

const ASSET_HASH = /[0-9a-f]{64}/g;
/** integ-tests salts its assertions with the time of synthesis, so that they run on every deployment. */
const SALT = /"salt": ?"\d+"/g;

/** Synthesizes the integration test app into a fresh folder; returns the folder. */
export function synthesizeIntegApp(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'integ-'));
  execFileSync(process.execPath, ['--import', 'tsx', INTEG_APP], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: 'pipe',
  });
  return outdir;
}

/** The templates in `dir`, by file name, asset hashes replaced by a placeholder. */
export function normalizedTemplates(dir: string): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.template.json'))
      .sort()
      .map((name) => [
        name,
        JSON.parse(
          readFileSync(path.join(dir, name), 'utf8').replace(ASSET_HASH, 'ASSET_HASH').replace(SALT, '"salt":"SALT"'),
        ) as unknown,
      ]),
  );
}

/** The test cases integ-runner would deploy from the integ manifest in `dir`: stacks and assertion stack of each. */
export function integTestCases(dir: string): unknown {
  return (JSON.parse(readFileSync(path.join(dir, 'integ.json'), 'utf8')) as { testCases?: unknown }).testCases;
}

function writeSnapshot(): void {
  const outdir = synthesizeIntegApp();
  try {
    rmSync(INTEG_SNAPSHOT_DIR, { recursive: true, force: true });
    mkdirSync(INTEG_SNAPSHOT_DIR);
    for (const name of readdirSync(outdir).filter(
      (n) => n.endsWith('.template.json') || n === 'integ.json' || n === 'manifest.json',
    )) {
      copyFileSync(path.join(outdir, name), path.join(INTEG_SNAPSHOT_DIR, name));
    }
    process.stderr.write(`wrote ${INTEG_SNAPSHOT_DIR}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) writeSnapshot();
