/**
 * The construct library as `npm run build` compiles it with jsii: `dist/` and the assembly `.jsii`.
 * `npm test` builds it once, before the tests; the tests that read it check that it is current.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The repository's root. */
export const ROOT = path.join(__dirname, '..', '..');

/** The jsii assembly. */
export const ASSEMBLY = path.join(ROOT, '.jsii');

/** What the build reads: the library's sources, the package's manifest and the compiler's settings. */
function buildInputs(): string[] {
  const lib = path.join(ROOT, 'lib');
  return [
    ...readdirSync(lib, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(lib, file)),
    path.join(ROOT, 'package.json'),
    path.join(ROOT, 'tsconfig.build.json'),
  ];
}

/** Fails, saying what to run, unless the library was built after the last change of what the build reads. */
export function assertLibraryBuilt(): void {
  const rebuild = 'run `npm run build` (`npm test` runs it first)';
  if (!existsSync(ASSEMBLY)) throw new Error(`The library is not built: ${rebuild}.`);
  const built = statSync(ASSEMBLY).mtimeMs;
  const changed = buildInputs().filter((file) => statSync(file).mtimeMs > built);
  if (changed.length > 0) {
    throw new Error(
      `The library was built before the last change of ${changed.map((file) => path.relative(ROOT, file)).join(', ')}: ${rebuild}.`,
    );
  }
}
