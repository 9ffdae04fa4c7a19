/**
 * `npm test` runs the linter beside Jest. Whatever git ignores (build output; dist-jsii/, where `npm run package`
 * writes the packages of every language, bundled handlers included, and where the jsii suite once unpacked the
 * package while the linter ran) must be skipped, or the linter fails on whatever happens to be there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** ESLint's own answer, from the project's config, on whether each path is ignored. */
function ignoredByEslint(paths: readonly string[]): Record<string, boolean> {
  const script = [
    "import { ESLint } from 'eslint';",
    'const paths = JSON.parse(process.argv[1]);',
    'const eslint = new ESLint();',
    'const answers = await Promise.all(paths.map((p) => eslint.isPathIgnored(p)));',
    'process.stdout.write(JSON.stringify(Object.fromEntries(paths.map((p, i) => [p, answers[i]]))));',
  ].join('\n');
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(paths)], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as Record<string, boolean>;
}

/** The directories .gitignore names (entries ending in a slash). */
function gitignoredDirectories(): string[] {
  return readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !line.startsWith('#') && !line.startsWith('!'));
}

describe('GIVEN the linter that npm test runs beside Jest', () => {
  test('WHEN dist-jsii/ holds an unpacked package and its bundles THEN the linter skips every file there', () => {
    const scratch = [
      'dist-jsii/check-AbC123/package/assets/lambda/poll/index.mjs',
      'dist-jsii/check-AbC123/package/lib/main.ts',
      'dist-jsii/check-AbC123/bindings/python/setup.py',
    ];
    expect(gitignoredDirectories()).toContain('dist-jsii/');
    const answers = ignoredByEslint(scratch);
    expect(answers).toEqual(Object.fromEntries(scratch.map((p) => [p, true])));
  });

  test('WHEN git ignores a directory THEN the linter ignores the TypeScript in it, and still lints the sources', () => {
    const ignoredDirectories = gitignoredDirectories();
    expect(ignoredDirectories.length).toBeGreaterThanOrEqual(5);
    const insideIgnored = ignoredDirectories.map((dir) => `${dir}scratch/file.ts`);
    const sources = [
      'lib/main.ts',
      'lambda/poll/poll-handler.ts',
      'test/package/lint-scope.test.ts',
      'local/run-local.ts',
    ];
    const answers = ignoredByEslint([...insideIgnored, ...sources]);
    expect(answers).toEqual({
      ...Object.fromEntries(insideIgnored.map((p) => [p, true])),
      ...Object.fromEntries(sources.map((p) => [p, false])),
    });
  });
});
