/**
 * The rules the construct makes for its events, matched, with EventBridge's pattern semantics,
 * against the events the poller really put in local runs.
 */
import { App, Stack, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import {
  importEndedPattern,
  importFailedPattern,
  importSucceededPattern,
  monitoringFailedPattern,
} from '../../lib/event-patterns';
import { NeptuneImportTaskPoller } from '../../lib/main';
import { watchRequestPattern } from '../../lib/trigger-patterns';
import { InvalidWatchRequestError, watchRequestEntry } from '../../lib/watch-request';
import { eventFromEntry, matchesEventPattern, rulePatternOf } from '../../local/event-pattern';
import { simpleTimeline } from '../../local/import-timeline';
import type { PublishedEvent } from '../../local/local-poller';
import { startHarness, synthesizeOnce } from '../support/harness';

describe("rules for the poller's events", () => {
  let events: PublishedEvent[];
  const outcomeOf = (event: PublishedEvent): string => String(event.Detail.status ?? event.Detail.reason);

  beforeAll(async () => {
    const harness = await startHarness({ synthesized: synthesizeOnce({ emitStatusChanges: true }) });
    const imports = [
      { graphId: 'g-aaaaaaaaaa', timeline: simpleTimeline(1800) },
      { graphId: 'g-bbbbbbbbbb', timeline: simpleTimeline(1800) },
      { graphId: 'g-aaaaaaaaaa', timeline: simpleTimeline(900, { status: 'FAILED', statusReason: 'bad' }) },
      { graphId: 'g-aaaaaaaaaa', timeline: simpleTimeline(900, { status: 'CANCELLED' }) },
      { graphId: 'g-bbbbbbbbbb', timeline: simpleTimeline(900, { status: 'DELETED' }) },
    ];
    // One after the other, each started when its watch starts: a stepping clock serves one watch at a time.
    for (const started of imports) {
      const task = harness.standIn.addTask(started);
      await harness.poller.watch({ taskId: task.taskId });
    }
    await harness.poller.watch({ taskId: 't-0000000000', graphId: 'g-aaaaaaaaaa' });
    events = harness.poller.events;
    await harness.stop();
  });

  const matching = (pattern: object) =>
    events
      .filter((event) => matchesEventPattern(rulePatternOf(pattern), eventFromEntry(event)))
      .map(outcomeOf)
      .sort();

  test('the local runs put progress events and six terminal events', () => {
    expect(events.filter((e) => e.Detail.terminal === false).length).toBeGreaterThan(6);
    expect(
      events
        .filter((e) => e.Detail.terminal === true)
        .map(outcomeOf)
        .sort(),
    ).toEqual(['CANCELLED', 'DELETED', 'FAILED', 'SUCCEEDED', 'SUCCEEDED', 'TASK_NOT_FOUND']);
  });

  test('onImportSucceeded takes the terminal SUCCEEDED events only', () => {
    expect(matching(importSucceededPattern('neptune-import-poller'))).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  test('onImportFailed takes FAILED, CANCELLED and DELETED', () => {
    expect(matching(importFailedPattern('neptune-import-poller'))).toEqual(['CANCELLED', 'DELETED', 'FAILED']);
  });

  test('onImportEnded takes every terminal event, monitoring failures included, and no progress event', () => {
    expect(matching(importEndedPattern('neptune-import-poller'))).toEqual([
      'CANCELLED',
      'DELETED',
      'FAILED',
      'SUCCEEDED',
      'SUCCEEDED',
      'TASK_NOT_FOUND',
    ]);
  });

  test('onMonitoringFailed takes the monitoring failures', () => {
    expect(matching(monitoringFailedPattern('neptune-import-poller'))).toEqual(['TASK_NOT_FOUND']);
  });

  test('graph ids narrow each rule to those graphs', () => {
    expect(matching(importSucceededPattern('neptune-import-poller', ['g-aaaaaaaaaa']))).toEqual(['SUCCEEDED']);
    expect(matching(importFailedPattern('neptune-import-poller', ['g-aaaaaaaaaa']))).toEqual(['CANCELLED', 'FAILED']);
    expect(matching(importEndedPattern('neptune-import-poller', ['g-bbbbbbbbbb']))).toEqual(['DELETED', 'SUCCEEDED']);
    expect(matching(monitoringFailedPattern('neptune-import-poller', ['g-bbbbbbbbbb']))).toEqual([]);
  });

  test('another source matches nothing', () => {
    expect(matching(importEndedPattern('com.example.other'))).toEqual([]);
  });
});

describe('the rule methods', () => {
  test("each makes a rule on the poller's bus, with the target and the pattern above", () => {
    const stack = new Stack(new App(), 'Consumer');
    const poller = new NeptuneImportTaskPoller(stack, 'Poller', { eventSource: 'com.example.imports' });
    const queue = new sqs.Queue(stack, 'Inbox');
    poller.onImportSucceeded('Succeeded', { target: new targets.SqsQueue(queue), graphIds: ['g-0123456789'] });
    poller.onImportFailed('Failed');
    poller.onImportEnded('Ended', { description: 'every end' });
    poller.onMonitoringFailed('Gave', { ruleName: 'poller-gave-up' });

    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map((r) => r.Properties);
    // Each rule hears this poller's events only: Step Functions puts its state machine's ARN in their resources.
    const ofThisPoller = (pattern: Parameters<typeof rulePatternOf>[0]) => ({
      ...rulePatternOf(pattern),
      resources: [{ Ref: stack.getLogicalId(poller.stateMachine.node.defaultChild as CfnResource) }],
    });
    expect(rules).toContainEqual(
      expect.objectContaining({
        EventPattern: ofThisPoller(importSucceededPattern('com.example.imports', ['g-0123456789'])),
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^Inbox/), 'Arn'] } })],
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ EventPattern: ofThisPoller(importFailedPattern('com.example.imports')) }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        Description: 'every end',
        EventPattern: ofThisPoller(importEndedPattern('com.example.imports')),
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ Name: 'poller-gave-up' }));
  });
});

describe('watchRequestEntry', () => {
  test('builds the PutEvents entry the watch-request rule takes', () => {
    const entry = watchRequestEntry({
      taskId: 't-0123456789',
      graphId: 'g-0123456789',
      source: 'com.example.loader',
      eventBusName: 'imports',
    });

    expect(entry).toEqual({
      Source: 'com.example.loader',
      DetailType: 'Neptune Analytics Import Task Watch Requested',
      Detail: '{"taskId":"t-0123456789","graphId":"g-0123456789"}',
      EventBusName: 'imports',
    });
    const event = eventFromEntry({ ...entry, Detail: JSON.parse(entry.Detail) });
    expect(matchesEventPattern(rulePatternOf(watchRequestPattern()), event)).toBe(true);
    expect(matchesEventPattern(rulePatternOf(watchRequestPattern(['g-0123456789'])), event)).toBe(true);
  });

  test('asks to watch an announced task again only when rewatch is true', () => {
    expect(JSON.parse(watchRequestEntry({ taskId: 't-0123456789', rewatch: true }).Detail)).toEqual({
      taskId: 't-0123456789',
      rewatch: true,
    });
    expect(JSON.parse(watchRequestEntry({ taskId: 't-0123456789', rewatch: false }).Detail)).toEqual({
      taskId: 't-0123456789',
    });
  });

  test.each([
    [{ taskId: 'T-0123456789' }, /taskId must be t- and ten lower-case letters or digits; got "T-0123456789"/],
    [{ taskId: 't-0123456789', graphId: 'graph' }, /graphId .* got "graph"/],
  ])('fails when given %j', (options, message) => {
    expect(() => watchRequestEntry(options)).toThrow(InvalidWatchRequestError);
    expect(() => watchRequestEntry(options)).toThrow(message);
  });
});
