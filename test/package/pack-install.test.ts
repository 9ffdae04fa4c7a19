/**
 * The package as a stranger gets it: `npm pack`, installed into a fresh CDK app that has only
 * aws-cdk-lib and constructs (from the npm cache, offline), compiled with strict TypeScript and
 * synthesized, with the README's snippet and with every prop set. No esbuild, no Docker.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const version = (name: string): string =>
  (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
/** The aws-cdk-lib the consumer app installs; CONSUMER_CDK_VERSION tries another, such as the lowest the peer range allows. */
const CDK_VERSION = process.env.CONSUMER_CDK_VERSION ?? version('aws-cdk-lib');
const CONSTRUCTS_VERSION = process.env.CONSUMER_CONSTRUCTS_VERSION ?? version('constructs');

const ALLOWED_FILES = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^dist\/[\w-]+\.(js|d\.ts)$/,
  /^assets\/lambda\/(poll|start)\/index\.mjs$/,
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
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NeptuneImportTaskPoller, PollerLogLevel, PollingStrategy, watchRequestEntry } from 'neptune-import-poller';

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
  pollErrorRetry: { maxAttempts: 5, initialInterval: Duration.seconds(1), maxInterval: Duration.minutes(1), backoffRate: 3 },
  emitStatusChanges: true,
  historyEventBudget: 10000,
  createAlarms: true,
  alarmActions: [new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Oncall'))],
  createDashboard: true,
  deadLetterQueue: new sqs.Queue(stack, 'Dlq', { encryption: sqs.QueueEncryption.SQS_MANAGED }),
  publishEventSchemas: true,
  logLevel: PollerLogLevel.DEBUG,
  logRetention: logs.RetentionDays.ONE_WEEK,
});
poller.onImportFailed('Failed');
poller.onImportEnded('Ended');
poller.onMonitoringFailed('GaveUp');
const entry: { Source: string; Detail: string } = watchRequestEntry({ taskId: 't-0123456789' });
void entry;
`;

describe('the npm package in a fresh CDK app', () => {
  let work: string;
  let app: string;
  let packedFiles: string[];

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'poller-package-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--pack-destination', work, '--json', '--silent'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed[0].files.map((file) => file.path);
    app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    execFileSync(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        path.join(work, packed[0].filename),
        `aws-cdk-lib@${CDK_VERSION}`,
        `constructs@${CONSTRUCTS_VERSION}`,
      ],
      { cwd: app, stdio: 'pipe' },
    );
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
  }, 240_000);

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

  function synthesize(
    file: string,
    source: string,
  ): {
    template: Record<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }>;
    outdir: string;
  } {
    writeFileSync(path.join(app, `${file}.ts`), source);
    run([path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app]);
    const outdir = path.join(work, `${file}.out`);
    run([path.join(app, 'out', `${file}.js`)], { PATH: process.env.PATH, CDK_OUTDIR: outdir });
    const templates = readdirSync(outdir).filter((name) => name.endsWith('.template.json'));
    return {
      template: Object.fromEntries(
        templates.map((name) => [name, JSON.parse(readFileSync(path.join(outdir, name), 'utf8'))]),
      ),
      outdir,
    };
  }

  test('the package holds the compiled library, its types, the prebuilt handlers, the schemas, README, LICENSE and CHANGELOG, and nothing else', () => {
    expect(packedFiles.filter((file) => !ALLOWED_FILES.some((allowed) => allowed.test(file)))).toEqual([]);
    for (const required of [
      'dist/index.js',
      'dist/index.d.ts',
      'assets/lambda/poll/index.mjs',
      'assets/lambda/start/index.mjs',
      'schemas/import-task-status-change.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
    ]) {
      expect(packedFiles).toContain(required);
    }
  });

  test('the install brings neither esbuild nor a bundler', () => {
    expect(existsSync(path.join(app, 'node_modules', 'esbuild'))).toBe(false);
    expect(readdirSync(path.join(app, 'node_modules')).sort()).toEqual([
      '.package-lock.json',
      '@aws-cdk',
      'aws-cdk-lib',
      'constructs',
      'neptune-import-poller',
    ]);
  });

  test("the README's snippet compiles under strict TypeScript and synthesizes a working poller", () => {
    const { template, outdir } = synthesize('readme', readmeSnippet());
    const [resources] = Object.values(template).map((t) => Object.values(t.Resources));
    const types = resources.map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(2);
    expect(types.filter((t) => t === 'AWS::Events::Rule')).toHaveLength(4);
    const handlerAssets = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && existsSync(path.join(outdir, name, 'index.mjs')),
    );
    expect(handlerAssets).toHaveLength(2);
  });

  test('every prop set compiles and synthesizes', () => {
    const { template } = synthesize('everyprop', EVERY_PROP_APP);
    const resources = Object.values(template['EveryProp.template.json'].Resources);
    const count = (type: string) => resources.filter((r) => r.Type === type).length;
    expect(count('AWS::CloudWatch::Dashboard')).toBe(1);
    expect(count('AWS::CloudWatch::Alarm')).toBe(8);
    expect(count('AWS::EventSchemas::Schema')).toBe(3);
    expect(count('AWS::Events::Rule')).toBe(5);
    expect(count('AWS::SQS::Queue')).toBe(1);
  });
});
