/**
 * The package as a stranger gets it: `npm pack`, the tarball installed with npm into a fresh CDK
 * app (offline), compiled with strict TypeScript and synthesized, with the README's snippet, with
 * every prop set, and with a team's stack that uses a poller of another stack from its attributes;
 * and a producer's script that uses only the light entry `neptune-import-poller/events`, which
 * loads no aws-cdk-lib. No esbuild, no Docker.
 *
 * The package is packed from the library `npm test` builds once, before the tests (`pretest`):
 * `npm pack --ignore-scripts` does not build it again.
 *
 * The package has no dependencies, only the peers aws-cdk-lib and constructs. npm installs the
 * tarball without resolving peers (`--legacy-peer-deps`), so the install needs nothing from the
 * registry, not even the package documents `npm ci` leaves out of the cache; the app then gets its
 * peers as links to this project's own installed aws-cdk-lib and constructs, and the test checks
 * their versions against the package's peer ranges itself.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { assertLibraryBuilt, ROOT } from '../jsii/built-library';
import { relativeLinks } from '../support/markdown-links';

const PEERS = ['aws-cdk-lib', 'constructs'];
/**
 * Another aws-cdk-lib or constructs for the app, such as the lowest the peer ranges allow. These
 * are installed with npm offline, so the npm cache must hold them and their dependencies first:
 * `npm install --no-save aws-cdk-lib@2.269.0 constructs@10.5.1` once, with the registry, in any
 * scratch directory (`npm cache add` is not enough: it leaves out the dependencies). Unset, the app
 * links this project's own.
 */
const CDK_VERSION = process.env.CONSUMER_CDK_VERSION;
const CONSTRUCTS_VERSION = process.env.CONSUMER_CONSTRUCTS_VERSION;

interface Manifest {
  version: string;
  scripts?: Record<string, string>;
  exports?: Record<string, unknown>;
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  author?: { name?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
  peerDependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** Runs npm, failing with what it printed. */
function npm(args: string[], cwd: string, hint = ''): string {
  try {
    return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}${hint}`, { cause: error });
  }
}

/** Whether `version` is in `range`, for the `^major.minor.patch` ranges (major above 0) the peers use. */
function satisfiesCaret(version: string, range: string): boolean {
  const wanted = /^\^([1-9]\d*)\.(\d+)\.(\d+)$/.exec(range);
  const found = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!wanted || !found) throw new Error(`Cannot check ${version} against ${range}: the test knows only ^1.2.3 ranges`);
  const [major, minor, patch] = wanted.slice(1).map(Number);
  const [foundMajor, foundMinor, foundPatch] = found.slice(1).map(Number);
  return foundMajor === major && (foundMinor > minor || (foundMinor === minor && foundPatch >= patch));
}

/** All the files under `dir`, relative to it, with `/` between folders. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

const ALLOWED_FILES = [
  /^package\.json$/,
  /^\.jsii$/,
  /^README\.md$/,
  /^API\.md$/,
  /^docs\/[\w-]+\.(md|svg)$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^dist\/[\w-]+\.(js|d\.ts)$/,
  /^assets\/lambda\/(poll|start|sweep)\/index\.mjs$/,
  /^schemas\/[\w-]+\.json$/,
];

/** The README's "Use it in your CDK app" snippet, exactly as printed. */
function readmeSnippet(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your CDK app'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('The README has no ts block under "Use it in your CDK app"');
  return match[1];
}

const EVERY_PROP_APP = `
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NeptuneImportTaskPoller, PollerLogLevel, PollingStrategy } from 'neptune-import-poller';
import { watchRequestEntry } from 'neptune-import-poller/events';

const app = new App();
const stack = new Stack(app, 'EveryProp');
const poller = new NeptuneImportTaskPoller(stack, 'Poller', {
  eventBus: new events.EventBus(stack, 'Bus'),
  eventSource: 'com.example.imports',
  graphIds: ['g-0123456789'],
  startOnApiCalls: true,
  startOnWatchRequests: true,
  pollingStrategy: PollingStrategy.progressAware({ minWait: Duration.seconds(30), maxWait: Duration.minutes(30), approachFactor: 0.3, idleFactor: 1, jitter: 0.2 }),
  monitoringTimeout: Duration.days(2),
  pollErrorRetry: { budget: Duration.minutes(20), initialInterval: Duration.seconds(1), maxInterval: Duration.minutes(1), backoffRate: 3 },
  emitStatusChanges: true,
  historyEventBudget: 10000,
  createAlarms: true,
  alarmActions: [new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Oncall'))],
  alarmThresholds: { executionsThrottled: { threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 2 } },
  createDashboard: true,
  deadLetterQueue: new sqs.Queue(stack, 'Dlq', { encryption: sqs.QueueEncryption.SQS_MANAGED }),
  publishEventSchemas: true,
  logLevel: PollerLogLevel.DEBUG,
  logRetention: logs.RetentionDays.ONE_WEEK,
  logRemovalPolicy: RemovalPolicy.DESTROY,
  notFoundGrace: Duration.minutes(2),
  sweep: { enabled: true, interval: Duration.minutes(2), maxPages: 20, discovery: true },
});
poller.onImportFailed('Failed');
poller.onImportEnded('Ended');
poller.onMonitoringFailed('GaveUp');
const entry: { Source: string; Detail: string } = watchRequestEntry({ taskId: 't-0123456789' });
void entry;
`;

/**
 * A team's stack that hears the imports of a poller of another stack from its attributes, with a
 * dashboard of its own and a rule made with the patterns; names come from the jsii-friendly API.
 */
const CONSUMER_APP = `
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  ImportTaskStatus,
  MonitoringFailureReason,
  NeptuneImportTaskPoller,
  PollerEventPatterns,
  PollerDashboard,
  PollerEvents,
  PollerMetrics,
  type INeptuneImportTaskPoller,
} from 'neptune-import-poller';

const app = new App();
const env = { account: '111122223333', region: 'eu-west-1' };
const platform = new Stack(app, 'DataPlatform', { env });
const owned = new NeptuneImportTaskPoller(platform, 'ImportPoller', { eventBus: new events.EventBus(platform, 'Bus') });
const ownDashboard = new cloudwatch.Dashboard(platform, 'Imports', { defaultInterval: Duration.days(7) });
ownDashboard.addWidgets(...owned.widgets());

const team = new Stack(app, 'GraphViews', { env });
const poller: INeptuneImportTaskPoller = NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes(team, 'Poller', {
  eventBus: events.EventBus.fromEventBusArn(team, 'Bus', 'arn:aws:events:eu-west-1:111122223333:event-bus/data-platform'),
  stateMachine: sfn.StateMachine.fromStateMachineArn(team, 'Machine', 'arn:aws:states:eu-west-1:111122223333:stateMachine:Poller'),
  serviceName: owned.serviceName,
});
const inbox = new sqs.Queue(team, 'Inbox');
poller.onImportEnded('ImportsEnded', { target: new targets.SqsQueue(inbox), graphIds: ['g-0123456789'] });
poller.grantPutWatchRequests(new iam.Role(team, 'Loader', { assumedBy: new iam.AccountRootPrincipal() }));
new cloudwatch.Alarm(team, 'GaveUp', { metric: poller.metricMonitoringFailures(), threshold: 1, evaluationPeriods: 1 });
new PollerDashboard(team, 'PollerDashboard', { poller });
new events.Rule(team, 'Failed', {
  eventBus: poller.eventBus,
  eventPattern: PollerEventPatterns.importFailed({ source: poller.eventSource }),
  targets: [new targets.SqsQueue(inbox)],
});
const named: string[] = [
  PollerEvents.STATUS_CHANGE_DETAIL_TYPE,
  PollerMetrics.WATCHES_ENDED,
  ImportTaskStatus.SUCCEEDED,
  MonitoringFailureReason.TIMED_OUT,
];
void named;
`;

/** The consumer apps compiled and synthesized, by file name. */
const APPS = { readme: readmeSnippet(), everyprop: EVERY_PROP_APP, consumer: CONSUMER_APP };

/** Packages the documentation's examples use besides the peers: linked from this project, as the docs tell users to install them. */
const EXAMPLE_PACKAGES = ['@aws-sdk/client-eventbridge'];

/** Every TypeScript example of the README and the docs, by a file name that says where it is. */
function documentationExamples(): Record<string, string> {
  const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).map((name) => path.join('docs', name))];
  const examples: Record<string, string> = {};
  for (const page of pages.filter((name) => name.endsWith('.md'))) {
    const text = readFileSync(path.join(ROOT, page), 'utf8');
    let index = 0;
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      index += 1;
      const name = `example-${page.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${index}`;
      // Each example is a module of its own, as a file pasted into an app would be.
      examples[name] = /^(import|export) /m.test(match[1]) ? match[1] : `${match[1]}\nexport {};\n`;
    }
  }
  return examples;
}
const EXAMPLES = documentationExamples();

/**
 * A loader's module that builds a watch request and reads an event, with the light entry only;
 * compiled on its own, with Node.js 16 module resolution (the package's `exports` map), then loaded.
 */
const PRODUCER_SCRIPT = `
import {
  MONITORING_FAILED_DETAIL_TYPE,
  STATUS_CHANGE_DETAIL_TYPE,
  TERMINAL_IMPORT_STATUSES,
  isTaskId,
  watchRequestEntry,
  type ImportTaskMonitoringFailedDetail,
  type ImportTaskStatusChangeDetail,
  type WatchRequestEntry,
} from 'neptune-import-poller/events';

const entry: WatchRequestEntry = watchRequestEntry({ taskId: 't-0123456789', eventBusName: 'data-platform' });
function describe(detailType: string, detail: ImportTaskStatusChangeDetail | ImportTaskMonitoringFailedDetail): string {
  if (detailType === MONITORING_FAILED_DETAIL_TYPE) return (detail as ImportTaskMonitoringFailedDetail).reason;
  const change = detail as ImportTaskStatusChangeDetail;
  return detailType === STATUS_CHANGE_DETAIL_TYPE && TERMINAL_IMPORT_STATUSES.includes(change.status) ? change.status : 'running';
}
export const result = {
  entry,
  valid: isTaskId('t-0123456789'),
  described: describe(STATUS_CHANGE_DETAIL_TYPE, { status: 'SUCCEEDED' } as ImportTaskStatusChangeDetail),
};
`;

/** Every name the main entry declares, types included. A change of the public API changes this list. */
const MAIN_ENTRY_EXPORTS = [
  'ExponentialPollingOptions',
  'FixedPollingOptions',
  'INeptuneImportTaskPoller',
  'ImportEventRuleOptions',
  'ImportTaskStatus',
  'ImportTaskSweepOptions',
  'MonitoringFailureReason',
  'NeptuneImportTaskPoller',
  'NeptuneImportTaskPollerAttributes',
  'NeptuneImportTaskPollerBase',
  'NeptuneImportTaskPollerProps',
  'PollErrorRetryOptions',
  'PollerAlarmThreshold',
  'PollerAlarmThresholds',
  'PollerAlarms',
  'PollerAlarmsProps',
  'PollerDashboard',
  'PollerDashboardProps',
  'PollerEventPatternOptions',
  'PollerEventPatterns',
  'PollerEventSchemas',
  'PollerEventSchemasProps',
  'PollerEvents',
  'PollerLogLevel',
  'PollerMetrics',
  'PollerPropsValidationError',
  'PollingStrategy',
  'ProgressAwarePollingOptions',
  'TriggerNotStartedReason',
  'WatchRequestOptions',
  'WatchRequestPutEventsEntry',
];

/** Every name the light entry declares, types included. */
const EVENTS_ENTRY_EXPORTS = [
  'DEFAULT_EVENT_SOURCE',
  'DEFAULT_WATCH_REQUEST_SOURCE',
  'ImportTaskDetailsSnapshot',
  'ImportTaskMonitoringFailedDetail',
  'ImportTaskSnapshot',
  'ImportTaskStatusChangeDetail',
  'ImportTaskWatchRequestDetail',
  'InvalidWatchRequestError',
  'MONITORING_FAILED_DETAIL_TYPE',
  'MONITORING_FAILURE_REASONS',
  'MonitoringFailureReason',
  'PollerEventDetailBase',
  'STATUS_CHANGE_DETAIL_TYPE',
  'TERMINAL_IMPORT_STATUSES',
  'UNSUCCESSFUL_IMPORT_STATUSES',
  'WATCH_REQUEST_DETAIL_TYPE',
  'WatchRequestEntry',
  'WatchRequestOptions',
  'isGraphId',
  'isTaskId',
  'watchRequestEntry',
];

/** The names `declarations` (a .d.ts of the installed package) exports, types included, read by the TypeScript compiler. */
function declaredExports(dist: string, declarations: string): string[] {
  const files = readdirSync(dist)
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => path.join(dist, file));
  // The package's own declarations only: aws-cdk-lib's are not needed to list names.
  const program = ts.createProgram(files, { noResolve: true, noLib: true, types: [] });
  const module = program.getTypeChecker().getSymbolAtLocation(program.getSourceFile(path.join(dist, declarations))!);
  return program
    .getTypeChecker()
    .getExportsOfModule(module!)
    .map((symbol) => symbol.name)
    .sort();
}

describe('the npm package in a fresh CDK app', () => {
  let work: string;
  let app: string;
  /** What the compiler printed for the consumer apps; empty when they compiled. */
  let compilerOutput: string;
  /** What the compiler printed for the producer's script; empty when it compiled. */
  let producerCompilerOutput: string;
  let installed: string;
  let packedFiles: string[];

  beforeAll(() => {
    assertLibraryBuilt();
    work = mkdtempSync(path.join(tmpdir(), 'poller-package-'));
    const packed = JSON.parse(
      npm(['pack', '--ignore-scripts', '--pack-destination', work, '--json', '--silent'], ROOT),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    packedFiles = packed[0].files.map((file) => file.path);

    /** Where the app's aws-cdk-lib and constructs link to. */
    let peerSource = path.join(ROOT, 'node_modules');
    if (CDK_VERSION !== undefined || CONSTRUCTS_VERSION !== undefined) {
      const peers = path.join(work, 'peers');
      mkdirSync(peers);
      writeFileSync(
        path.join(peers, 'package.json'),
        JSON.stringify({ name: 'peers', version: '1.0.0', private: true }),
      );
      const wanted = [
        `aws-cdk-lib@${CDK_VERSION ?? manifest(path.join(peerSource, 'aws-cdk-lib')).version}`,
        `constructs@${CONSTRUCTS_VERSION ?? manifest(path.join(peerSource, 'constructs')).version}`,
      ];
      npm(
        ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...wanted],
        peers,
        `\nThe npm cache must hold ${wanted.join(' and ')} and their dependencies: \`npm install --no-save ${wanted.join(' ')}\`, with the registry, in a scratch directory puts them there.`,
      );
      peerSource = path.join(peers, 'node_modules');
    }

    app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    npm(
      [
        'install',
        '--offline',
        '--legacy-peer-deps',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        path.join(work, packed[0].filename),
      ],
      app,
    );
    installed = path.join(app, 'node_modules', 'neptune-import-poller');
    // After the install, which would remove links it did not make.
    for (const peer of PEERS) {
      symlinkSync(path.join(peerSource, peer), path.join(app, 'node_modules', peer), 'dir');
    }
    for (const example of EXAMPLE_PACKAGES) {
      mkdirSync(path.dirname(path.join(app, 'node_modules', example)), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', example), path.join(app, 'node_modules', example), 'dir');
    }
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          outDir: 'out',
          types: [],
        },
        include: ['*.ts'],
      }),
    );
    // The apps compile in one run of the compiler; each test then checks its own file's errors.
    for (const [file, source] of Object.entries({ ...APPS, ...EXAMPLES })) {
      writeFileSync(path.join(app, `${file}.ts`), source);
    }
    compilerOutput = compile(app);
    // The producer's script compiles on its own, as a project that has no aws-cdk-lib would.
    const producer = path.join(app, 'producer');
    mkdirSync(producer);
    writeFileSync(
      path.join(producer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          skipLibCheck: false,
          outDir: 'out',
          types: [],
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(path.join(producer, 'producer.ts'), PRODUCER_SCRIPT);
    producerCompilerOutput = compile(producer);
  }, 240_000);

  /** Compiles the project in `dir`; returns what the compiler printed, empty when it compiled. */
  function compile(dir: string): string {
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
        cwd: dir,
        stdio: 'pipe',
        encoding: 'utf8',
      });
      return '';
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    }
  }

  /** What `script` prints as JSON, run by Node.js in the app. */
  function printed(script: string): unknown {
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' })) as unknown;
  }

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Runs a command, failing with what it printed. */
  function run(args: string[], env?: NodeJS.ProcessEnv): void {
    try {
      execFileSync(process.execPath, args, {
        cwd: app,
        stdio: 'pipe',
        encoding: 'utf8',
        ...(env === undefined ? {} : { env }),
      });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`, { cause: error });
    }
  }

  test.each(Object.keys(EXAMPLES))('the documentation example %s compiles under strict TypeScript', (file) => {
    expect(Object.keys(EXAMPLES).length).toBeGreaterThanOrEqual(4);
    expect(compilerOutput.split('\n').filter((line) => line.startsWith(`${file}.ts(`))).toEqual([]);
  });

  function synthesize(file: keyof typeof APPS): {
    template: Record<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>;
    outdir: string;
  } {
    expect(compilerOutput.split('\n').filter((line) => line.startsWith(`${file}.ts(`))).toEqual([]);
    const outdir = path.join(work, `${file}.out`);
    // CloudFormation's schema validation is checked once, in test/lib/cloudformation-validation.test.ts.
    run([path.join(app, 'out', `${file}.js`)], { PATH: process.env.PATH, CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' });
    const templates = readdirSync(outdir).filter((name) => name.endsWith('.template.json'));
    return {
      template: Object.fromEntries(
        templates.map((name) => [name, JSON.parse(readFileSync(path.join(outdir, name), 'utf8'))]),
      ),
      outdir,
    };
  }

  test('the package holds the compiled library, its types, its jsii assembly, the prebuilt handlers, the schemas, the README, API.md, docs/, LICENSE and CHANGELOG, and nothing else', () => {
    expect(packedFiles.filter((file) => !ALLOWED_FILES.some((allowed) => allowed.test(file)))).toEqual([]);
    for (const required of [
      '.jsii',
      'dist/main.js',
      'dist/main.d.ts',
      'dist/events-entry.js',
      'dist/events-entry.d.ts',
      'assets/lambda/poll/index.mjs',
      'assets/lambda/start/index.mjs',
      'assets/lambda/sweep/index.mjs',
      'schemas/import-task-status-change.json',
      'README.md',
      'API.md',
      'docs/configuration.md',
      'docs/benchmark-latency-vs-polls.svg',
      'LICENSE',
      'CHANGELOG.md',
    ]) {
      expect(packedFiles).toContain(required);
    }
  });

  test('every relative link of the Markdown in the package points to a file in the package, for readers of an installed copy', () => {
    const pages = packedFiles.filter((file) => file.endsWith('.md'));
    expect(pages.length).toBeGreaterThanOrEqual(10);
    const outside = pages.flatMap((page) =>
      relativeLinks(page, readFileSync(path.join(ROOT, page), 'utf8'))
        .filter((link) => !packedFiles.includes(link.file))
        .map((link) => `${page}:${link.line}: ${link.target}`),
    );
    expect(outside).toEqual([]);
  });

  test("the package leaves out this repository's app: its deployable stack lives in bin/, beside the app", () => {
    expect(packedFiles.filter((file) => /^(bin\/|dist\/(index|neptune-import-poller-stack)\.)/.test(file))).toEqual([]);
    expect(existsSync(path.join(ROOT, 'bin', 'neptune-import-poller-stack.ts'))).toBe(true);
  });

  test('the manifest has its entries in an exports map, says where the project lives, and runs nothing on install', () => {
    const installedManifest = manifest(installed);
    expect(installedManifest.exports).toEqual({
      '.': { types: './dist/main.d.ts', default: './dist/main.js' },
      './events': { types: './dist/events-entry.d.ts', default: './dist/events-entry.js' },
      './schemas/*.json': './schemas/*.json',
      './package.json': './package.json',
      './.jsii': './.jsii',
    });
    expect(installedManifest.repository?.url).toContain('github.com/neptune-import-poller/neptune-import-poller');
    expect(installedManifest.homepage).toMatch(/^https:\/\/github\.com\/neptune-import-poller\/neptune-import-poller/);
    expect(installedManifest.bugs?.url).toBe('https://github.com/neptune-import-poller/neptune-import-poller/issues');
    expect(installedManifest.author?.name).toBeTruthy();
    // Scripts npm would run when a project installs the package: none may be left from development.
    const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(Object.keys(installedManifest.scripts ?? {}).filter((name) => installScripts.includes(name))).toEqual([]);
  });

  test("an installed copy packs again without this repository's development tools, as jsii-pacmak packs it", () => {
    // Into a copy: packing writes the tarball beside the manifest, and the install must stay as npm extracted it.
    const copy = mkdtempSync(path.join(tmpdir(), 'poller-repack-'));
    try {
      execFileSync('cp', ['-R', installed, path.join(copy, 'package')]);
      const [packed] = JSON.parse(
        execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', copy], {
          cwd: path.join(copy, 'package'),
          encoding: 'utf8',
        }),
      ) as { files: { path: string }[] }[];
      expect(packed.files.map((file) => file.path).sort()).toEqual([...packedFiles].sort());
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('the main entry declares the construct library and nothing else', () => {
    expect(declaredExports(path.join(installed, 'dist'), 'main.d.ts')).toEqual(MAIN_ENTRY_EXPORTS);
    const values = printed("process.stdout.write(JSON.stringify(Object.keys(require('neptune-import-poller'))))");
    expect(MAIN_ENTRY_EXPORTS).toEqual(expect.arrayContaining(values as string[]));
  });

  test('the light entry declares the events, the watch request and the id checks, and nothing else', () => {
    expect(declaredExports(path.join(installed, 'dist'), 'events-entry.d.ts')).toEqual(EVENTS_ENTRY_EXPORTS);
  });

  test('the light entry loads no module of aws-cdk-lib or constructs, where the main entry loads aws-cdk-lib', () => {
    const peersLoadedBy = (entry: string) =>
      (
        printed(
          `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`,
        ) as string[]
      ).filter((file) => /[\\/](aws-cdk-lib|constructs)[\\/]/.test(file));
    expect(peersLoadedBy('neptune-import-poller/events')).toEqual([]);
    expect(peersLoadedBy('neptune-import-poller').length).toBeGreaterThan(0);
  });

  test("the schemas are reachable through the exports map, and the library's inner modules are not", () => {
    const resolved = printed(
      "process.stdout.write(JSON.stringify(require.resolve('neptune-import-poller/schemas/import-task-status-change.json')))",
    );
    expect(resolved).toBe(path.join(realpathSync(installed), 'schemas', 'import-task-status-change.json'));
    expect(() =>
      execFileSync(process.execPath, ['-e', "require('neptune-import-poller/dist/poller-props.js')"], {
        cwd: app,
        stdio: 'pipe',
      }),
    ).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test("a producer's script compiles with the light entry alone, under Node.js 16 module resolution, and builds a watch request", () => {
    expect(producerCompilerOutput).toBe('');
    const result = printed(
      "const p = require('./producer/out/producer.js'); process.stdout.write(JSON.stringify({ ...p.result, loaded: Object.keys(require.cache) }))",
    ) as { entry: unknown; valid: boolean; described: string; loaded: string[] };
    expect(result.entry).toEqual({
      Source: 'neptune-import-poller.watch-request',
      DetailType: 'Neptune Analytics Import Task Watch Requested',
      Detail: '{"taskId":"t-0123456789"}',
      EventBusName: 'data-platform',
    });
    expect(result.valid).toBe(true);
    expect(result.described).toBe('SUCCEEDED');
    expect(result.loaded.filter((file) => /[\\/](aws-cdk-lib|constructs)[\\/]/.test(file))).toEqual([]);
  });

  test('the app holds the package as npm extracted it from the tarball, not a link to this project', () => {
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(lstatSync(installed).isDirectory()).toBe(true);
    expect(path.relative(realpathSync(ROOT), realpathSync(installed)).startsWith('..')).toBe(true);
    expect(filesUnder(installed).sort()).toEqual([...packedFiles].sort());
    expect(manifest(installed).version).toBe(manifest(ROOT).version);
  });

  test('the install brings neither esbuild nor a bundler: the package has peers and no dependencies', () => {
    const installedManifest = manifest(installed);
    expect(installedManifest.dependencies ?? {}).toEqual({});
    expect(installedManifest.optionalDependencies ?? {}).toEqual({});
    expect(installedManifest.bundleDependencies ?? installedManifest.bundledDependencies).toBeUndefined();
    expect(Object.keys(installedManifest.peerDependencies ?? {}).sort()).toEqual(PEERS);
    expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules', 'esbuild'))).toBe(false);
    const scopes = new Set(EXAMPLE_PACKAGES.map((name) => name.split('/')[0]));
    const entries = readdirSync(path.join(app, 'node_modules')).filter(
      (name) => !name.startsWith('.') && !scopes.has(name),
    );
    // Besides what npm installed, only the links this test made: the peers, and the examples' own packages.
    expect(entries.sort()).toEqual([...PEERS, 'neptune-import-poller'].sort());
    for (const linked of [...PEERS, ...EXAMPLE_PACKAGES]) {
      expect(lstatSync(path.join(app, 'node_modules', linked)).isSymbolicLink()).toBe(true);
    }
  });

  test("the app's aws-cdk-lib and constructs are in the package's peer ranges", () => {
    const ranges = manifest(installed).peerDependencies ?? {};
    const versions = Object.fromEntries(
      PEERS.map((peer) => [peer, manifest(path.join(app, 'node_modules', peer)).version]),
    );
    if (CDK_VERSION !== undefined) expect(versions['aws-cdk-lib']).toBe(CDK_VERSION);
    if (CONSTRUCTS_VERSION !== undefined) expect(versions.constructs).toBe(CONSTRUCTS_VERSION);
    const outOfRange = PEERS.filter((peer) => !satisfiesCaret(versions[peer], ranges[peer] ?? '')).map(
      (peer) => `${peer}@${versions[peer]} is not in ${ranges[peer]}`,
    );
    expect(outOfRange).toEqual([]);
  });

  test("the README's snippet compiles under strict TypeScript and synthesizes a working poller", () => {
    const { template, outdir } = synthesize('readme');
    const [resources] = Object.values(template).map((t) => Object.values(t.Resources));
    const types = resources.map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(3);
    // Two for the snippet's consumers, three triggers, and the sweep's schedule.
    expect(types.filter((t) => t === 'AWS::Events::Rule')).toHaveLength(6);
    expect(types.filter((t) => t === 'AWS::DynamoDB::Table')).toHaveLength(1);
    const handlerAssets = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && existsSync(path.join(outdir, name, 'index.mjs')),
    );
    expect(handlerAssets).toHaveLength(3);
  });

  test('every prop set compiles and synthesizes', () => {
    const { template } = synthesize('everyprop');
    const resources = Object.values(template['EveryProp.template.json'].Resources);
    const count = (type: string) => resources.filter((r) => r.Type === type).length;
    expect(count('AWS::CloudWatch::Dashboard')).toBe(1);
    expect(count('AWS::CloudWatch::Alarm')).toBe(16);
    expect(count('AWS::EventSchemas::Schema')).toBe(3);
    expect(count('AWS::Events::Rule')).toBe(7);
    expect(
      resources.filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties?.ScheduleExpression),
    ).toContain('rate(2 minutes)');
    expect(count('AWS::SQS::Queue')).toBe(1);
  });

  test("a team's stack compiles and synthesizes with a poller of another stack, imported from its attributes", () => {
    const { template } = synthesize('consumer');
    const platform = Object.values(template['DataPlatform.template.json'].Resources);
    const team = Object.values(template['GraphViews.template.json'].Resources);
    const ofType = (resources: typeof team, type: string) => resources.filter((r) => r.Type === type);
    // The poller's dashboard of its widgets, on a dashboard of the platform's own.
    expect(ofType(platform, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    // The rule of onImportEnded and the rule of the pattern, both on the poller's bus.
    expect(ofType(team, 'AWS::Events::Rule').map((r) => r.Properties?.EventBusName)).toEqual([
      'data-platform',
      'data-platform',
    ]);
    expect(ofType(team, 'AWS::CloudWatch::Alarm')).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Namespace: 'NeptuneImportPoller',
          MetricName: 'MonitoringFailures',
          Dimensions: [{ Name: 'service', Value: expect.stringMatching(/^DataPlatform-ImportPoller-/) }],
        }),
      }),
    ]);
    expect(ofType(team, 'AWS::StepFunctions::StateMachine')).toEqual([]);
    // A dashboard of the imported poller: its custom metrics and its executions.
    const [dashboard] = ofType(team, 'AWS::CloudWatch::Dashboard');
    expect(JSON.stringify(dashboard.Properties?.DashboardBody)).toContain('Executions');
  });
});
