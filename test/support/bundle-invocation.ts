/**
 * Runs a deployed handler bundle (assets/lambda/<name>/index.mjs) as Lambda loads it: an ES module
 * in a Node.js process of its own, with placeholder credentials, its answer and its
 * embedded-metric-format documents read back from stdout.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { prebuiltHandlerDir, type PrebuiltHandler } from '../../lib/handler-code';
import { POLLER_FUNCTION_RUNTIME } from '../../lib/poller-function';

/** What one invocation of a bundle gave. */
export interface BundleInvocation {
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  /** The embedded-metric-format documents written to stdout. */
  readonly metrics: ReadonlyArray<Record<string, unknown>>;
}

/**
 * The Node.js that runs the bundles: this one, or the one `LAMBDA_RUNTIME_NODE` names, so that
 * `npm run test:lambda-runtime` runs the same tests on Node.js 24, the functions' Lambda runtime.
 */
const BUNDLE_NODE = bundleNode(process.env.LAMBDA_RUNTIME_NODE);

/** `named`, once checked to be the Node.js major version the functions deploy with; this Node.js without it. */
function bundleNode(named: string | undefined): string {
  if (named === undefined) return process.execPath;
  if (named.trim() === '') {
    throw new Error('LAMBDA_RUNTIME_NODE is empty: `npx -p node@24` found no Node.js (is the npm registry reachable?)');
  }
  const deployed = /^nodejs(\d+)\.x$/.exec(POLLER_FUNCTION_RUNTIME.name)?.[1];
  const version = execFileSync(named, ['--version'], { encoding: 'utf8' }).trim();
  if (deployed === undefined || !version.startsWith(`v${deployed}.`)) {
    throw new Error(
      `LAMBDA_RUNTIME_NODE runs Node.js ${version}; the functions deploy on ${POLLER_FUNCTION_RUNTIME.name}`,
    );
  }
  return named;
}

/**
 * Invokes the `name` bundle's handler with `event` and a Lambda context whose
 * `getRemainingTimeInMillis` answers `remainingTimeMs`; `env` adds to a minimal environment.
 */
export async function invokeBundle(
  name: PrebuiltHandler,
  event: unknown,
  env: Record<string, string>,
  remainingTimeMs = 60_000,
): Promise<BundleInvocation> {
  const file = path.join(prebuiltHandlerDir(name), 'index.mjs');
  const context = `{ awsRequestId: "req-1", functionName: "f", functionVersion: "1", invokedFunctionArn: "arn", memoryLimitInMB: "256", getRemainingTimeInMillis: () => ${remainingTimeMs} }`;
  const script = `import(${JSON.stringify(file)}).then((m) => m.handler(${JSON.stringify(event)}, ${context})).then(
    (out) => process.stdout.write('\\nRESULT' + JSON.stringify(out) + '\\n'),
    (error) => process.stdout.write('\\nERROR' + JSON.stringify({ name: error.name, message: error.message }) + '\\n'),
  )`;
  const { stdout } = await promisify(execFile)(BUNDLE_NODE, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_SERVICE_NAME: 'poller-under-test',
      ...env,
    },
    encoding: 'utf8',
  });
  const lines = stdout.split('\n');
  const tagged = (tag: string): unknown => {
    const line = lines.find((candidate) => candidate.startsWith(tag));
    return line === undefined ? undefined : JSON.parse(line.slice(tag.length));
  };
  return {
    result: tagged('RESULT'),
    error: tagged('ERROR') as BundleInvocation['error'],
    metrics: lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
