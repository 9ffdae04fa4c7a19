/**
 * The bundles that deploy (assets/lambda/<name>/index.mjs), loaded by Node.js as Lambda loads
 * them, in a process of their own.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { prebuiltHandlerDir } from '../../lib/handler-code';

const CONTEXT =
  '{ awsRequestId: "req-1", functionName: "f", functionVersion: "1", invokedFunctionArn: "arn", memoryLimitInMB: "256", getRemainingTimeInMillis: () => 1000 }';

function invokeBundle(name: 'poll' | 'start', event: unknown, env: Record<string, string> = {}): unknown {
  const file = path.join(prebuiltHandlerDir(name), 'index.mjs');
  const script = `import(${JSON.stringify(file)}).then(async (m) => { const out = await m.handler(${JSON.stringify(event)}, ${CONTEXT}); process.stdout.write('RESULT' + JSON.stringify(out)); })`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...env,
    },
    encoding: 'utf8',
    // A handler that throws prints its minified source on stderr; the thrown error carries it instead.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(stdout.slice(stdout.indexOf('RESULT') + 'RESULT'.length));
}

describe('the deployed bundles', () => {
  test('the poll bundle refuses a malformed task id without a request', () => {
    const config = {
      timeoutSeconds: 3600,
      polling: { kind: 'fixed', intervalSeconds: 60, jitter: 0 },
      errorRetry: { maxAttempts: 3, initialIntervalSeconds: 2, maxIntervalSeconds: 60, backoffRate: 2 },
      emitStatusChanges: false,
      historyEventBudget: 20000,
    };
    expect(invokeBundle('poll', { config, input: { taskId: 'nope' } })).toMatchObject({
      action: 'FINISH',
      event: {
        detailType: 'Neptune Analytics Import Task Monitoring Failed',
        detail: { reason: 'INVALID_REQUEST', taskId: 'nope' },
      },
    });
  });

  test('the start bundle ignores an API call that starts no import', () => {
    expect(
      invokeBundle(
        'start',
        { 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'GetImportTask' } },
        { STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:x' },
      ),
    ).toEqual({ outcome: 'ignored', reason: 'API call "GetImportTask" does not start an import task' });
  });

  test('the start bundle throws a watch request that names no task, for Lambda to retry and keep', () => {
    expect(() =>
      invokeBundle(
        'start',
        { 'detail-type': 'Neptune Analytics Import Task Watch Requested', detail: {} },
        { STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:x' },
      ),
    ).toThrow(/\[MalformedTriggerError\]: The watch-request event carries no detail\.taskId/);
  });
});
