/**
 * Compiles the construct library with jsii: `dist/` (JavaScript and declarations) and `.jsii`, the
 * assembly that jsii-pacmak turns into Python, Java, .NET and Go packages and jsii-docgen into
 * API.md. `dist/` is emptied first, so that a module removed from `lib/` leaves the package too.
 *
 * jsii warns that the devDependencies on aws-cdk-lib and constructs are above the floor of the peer
 * ranges; that warning is silenced. The repository's own app, tests and local runs use a newer CDK,
 * and the floor is checked otherwise: the package test installs the packed library against it with
 * CONSUMER_CDK_VERSION=2.269.0 CONSUMER_CONSTRUCTS_VERSION=10.5.1.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
try {
  execFileSync(
    process.execPath,
    [require.resolve('jsii/bin/jsii'), '--silence-warnings=metadata/missing-dev-dependency'],
    // jsii's report goes to stderr, so that the output of `npm pack --json`, which builds first, stays JSON.
    { cwd: ROOT, stdio: ['inherit', process.stderr.fd, 'inherit'] },
  );
} catch {
  // jsii has printed what failed.
  process.exitCode = 1;
}
