/**
 * The construct library in the other CDK languages: the jsii assembly holds the whole public API,
 * jsii-pacmak turns the packed package into Python, Java, .NET and Go sources, the Python ones
 * byte-compile, and API.md is what jsii-docgen makes of the assembly.
 *
 * The library is built once per `npm test`, before the tests (`pretest`); this suite reads that
 * build and packs it without building again (`npm pack --ignore-scripts`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ASSEMBLY, ROOT, assertLibraryBuilt } from './built-library';

const run = promisify(execFile);

/** Quiets the notice jsii-pacmak and jsii-docgen print on Node.js 20, which is past its end of life. */
const JSII_ENV = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

interface Assembly {
  name: string;
  targets: Record<string, Record<string, unknown>>;
  types: Record<string, { kind: string; name: string }>;
}

/** Every type of the jsii API, by kind. A change of the public API changes this list. */
const JSII_API = {
  class: [
    'NeptuneImportTaskPoller',
    'NeptuneImportTaskPollerBase',
    'PollerAlarms',
    'PollerDashboard',
    'PollerEventPatterns',
    'PollerEventSchemas',
    'PollerEvents',
    'PollerMetrics',
    'PollingStrategy',
  ],
  enum: ['ImportTaskStatus', 'MonitoringFailureReason', 'PollerLogLevel', 'TriggerNotStartedReason'],
  interface: [
    'ExponentialPollingOptions',
    'FixedPollingOptions',
    'INeptuneImportTaskPoller',
    'ImportEventRuleOptions',
    'ImportTaskSweepOptions',
    'NeptuneImportTaskPollerAttributes',
    'NeptuneImportTaskPollerProps',
    'PollErrorRetryOptions',
    'PollerAlarmThreshold',
    'PollerAlarmThresholds',
    'PollerAlarmsProps',
    'PollerDashboardProps',
    'PollerEventPatternOptions',
    'PollerEventSchemasProps',
    'ProgressAwarePollingOptions',
    'WatchRequestOptions',
    'WatchRequestPutEventsEntry',
  ],
};

/** Runtime exports of the main entry that jsii languages do not see, each for a reason of its own. */
const TYPESCRIPT_ONLY = {
  // jsii cannot carry a subclass of Error; other languages get the message in their jsii error.
  PollerPropsValidationError: 'error class',
};

/** All the files under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('GIVEN the library built with jsii', () => {
  let assembly: Assembly;
  let work = '';
  let bindings = '';
  let apiReference = '';
  let tablet: { snippets: Record<string, { didCompile?: boolean; translations: Record<string, { source: string }> }> };

  beforeAll(async () => {
    assertLibraryBuilt();
    assembly = JSON.parse(readFileSync(ASSEMBLY, 'utf8')) as Assembly;
    // Outside the repository, so that nothing the linter or jsii-docgen reads appears under it; the link lets
    // jsii-pacmak and jsii-rosetta find aws-cdk-lib's and constructs' assemblies from the unpacked package.
    work = mkdtempSync(path.join(tmpdir(), 'poller-jsii-'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    const [{ filename }] = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--silent', '--pack-destination', work], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    execFileSync('tar', ['-xzf', path.join(work, filename), '-C', work]);
    bindings = path.join(work, 'bindings');
    const pacmak = run(
      process.execPath,
      [
        require.resolve('jsii-pacmak/bin/jsii-pacmak'),
        path.join(work, 'package'),
        '--code-only',
        '--no-fingerprint',
        '--no-npmignore',
        '--pack-command',
        'npm pack --ignore-scripts',
        '--outdir',
        bindings,
      ],
      { cwd: ROOT, env: JSII_ENV },
    );
    const docgen = run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'api-docs.ts'), '--print'], {
      cwd: ROOT,
      env: JSII_ENV,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The README's examples, as the assembly carries them, compiled and translated; --strict fails on one that does not compile.
    const rosetta = run(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'jsii-rosetta', 'bin', 'jsii-rosetta'),
        'extract',
        '--strict',
        '--compile',
        '--output',
        path.join(work, 'tablet.json'),
        path.join(work, 'package'),
      ],
      { cwd: ROOT, env: JSII_ENV },
    );
    const [, docs] = await Promise.all([pacmak, docgen, rosetta]);
    apiReference = docs.stdout;
    tablet = JSON.parse(readFileSync(path.join(work, 'tablet.json'), 'utf8')) as typeof tablet;
  }, 180_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  test('THEN the assembly holds the public API: these classes, enums and structs, and nothing else', () => {
    const byKind: Record<string, string[]> = {};
    for (const [fqn, type] of Object.entries(assembly.types)) {
      expect(fqn).toBe(`neptune-import-poller.${type.name}`);
      (byKind[type.kind] ??= []).push(type.name);
    }
    for (const names of Object.values(byKind)) names.sort();
    expect(byKind).toEqual(JSII_API);
  });

  test('THEN every value the main entry exports reaches the other languages, but for the TypeScript-only error class', async () => {
    // Functions and constants are what jsii would drop silently; here they would show as missing types.
    const exported = Object.keys((await import(path.join(ROOT, 'dist', 'main.js'))) as object);
    const inAssembly = new Set(Object.values(assembly.types).map((type) => type.name));
    expect(exported.filter((name) => !inAssembly.has(name)).sort()).toEqual(Object.keys(TYPESCRIPT_ONLY));
  });

  test('THEN the assembly names the package of each language', () => {
    expect(assembly.targets).toMatchObject({
      python: { distName: 'neptune-import-poller', module: 'neptune_import_poller' },
      java: { package: 'io.github.neptuneimportpoller' },
      dotnet: { namespace: 'NeptuneImportPoller' },
      go: { moduleName: 'github.com/neptune-import-poller/neptune-import-poller-go' },
    });
  });

  test('THEN jsii-pacmak makes the Python package neptune_import_poller from the packed package, and Python 3 byte-compiles it', () => {
    const python = path.join(bindings, 'python');
    const modules = filesUnder(path.join(python, 'src'))
      .filter((file) => file.endsWith('__init__.py'))
      .map((file) => path.dirname(file).split(path.sep).join('.'))
      .sort();
    expect(modules).toEqual(['neptune_import_poller', 'neptune_import_poller._jsii']);
    expect(readdirSync(path.join(python, 'src', 'neptune_import_poller', '_jsii'))).toContain(
      `neptune-import-poller@${(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}.jsii.tgz`,
    );
    const init = readFileSync(path.join(python, 'src', 'neptune_import_poller', '__init__.py'), 'utf8');
    for (const name of [
      'NeptuneImportTaskPoller',
      'INeptuneImportTaskPoller',
      'PollerEvents',
      'MonitoringFailureReason',
    ]) {
      expect(init).toContain(`class ${name}(`);
    }
    execFileSync('python3', ['-m', 'compileall', '-q', path.join(python, 'src')], { stdio: 'pipe' });
  });

  test('THEN jsii-pacmak makes the Java, .NET and Go sources of the construct', () => {
    for (const source of [
      'java/src/main/java/io/github/neptuneimportpoller/NeptuneImportTaskPoller.java',
      'dotnet/NeptuneImportPoller/NeptuneImportPoller/NeptuneImportTaskPoller.cs',
      'go/neptuneimportpoller/NeptuneImportTaskPoller.go',
    ]) {
      expect(existsSync(path.join(bindings, source))).toBe(true);
    }
  });

  test('THEN jsii-rosetta compiles every TypeScript example of the README and translates it to Python', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```ts\n/g)].length;
    const snippets = Object.values(tablet.snippets);
    expect(examples).toBeGreaterThanOrEqual(2);
    expect(snippets).toHaveLength(examples);
    for (const snippet of snippets) {
      expect(snippet.didCompile).toBe(true);
      expect(snippet.translations.python.source).toMatch(/NeptuneImportTaskPoller\(/);
    }
  });

  test('THEN API.md is what jsii-docgen makes of the assembly (after a change of the API, run `npm run docgen`)', () => {
    expect(apiReference).toEqual(readFileSync(path.join(ROOT, 'API.md'), 'utf8'));
  });
});
