/**
 * The configurations the documentation offers, each as a CDK app a user would write: a fresh
 * `cdk init` app's feature flags, stacks with and without an `env`, and the props that change what
 * the poller deploys (the sweep, a customer-managed key with the construct's dead-letter queue or
 * the user's own, the user's own bus, graphIds, several pollers in one account). Each test file
 * synthesizes each configuration once.
 */
import { App, Stack, type Environment } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { NeptuneImportPollerStack } from '../../bin/neptune-import-poller-stack';
import { NeptuneImportTaskPoller, type NeptuneImportTaskPollerProps } from '../../lib/main';
import { MAX_GRAPH_IDS } from '../../lib/trigger-patterns';

/** The account and region of every configuration, whether its stacks name them or not. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
const ENV: Environment = { account: ACCOUNT, region: REGION };

/** A poller of a configuration, with what the configuration gave it. */
export interface PollerUnderTest {
  readonly poller: NeptuneImportTaskPoller;
  readonly stack: Stack;
  /** The key given as `encryptionKey`, if any. */
  readonly key?: kms.Key;
  /** Whether the dead-letter queue is the user's own. */
  readonly ownDeadLetterQueue: boolean;
}

/** A configuration, built in an app of its own. */
export interface Configuration {
  readonly name: string;
  /** Builds the configuration's stacks in `app`. */
  build(app: App): PollerUnderTest[];
}

/** Graph ids, as many as asked. */
export function graphIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `g-${String(i).padStart(10, '0')}`);
}

/** One stack, `env` or not, with one poller of `props` (a function of the stack, for props that are constructs). */
function onePoller(
  name: string,
  withEnv: boolean,
  props: (stack: Stack) => NeptuneImportTaskPollerProps & { encryptionKey?: kms.Key } = () => ({}),
): Configuration {
  return {
    name,
    build(app) {
      const stack = new Stack(app, 'DataPlatform', withEnv ? { env: ENV } : {});
      const given = props(stack);
      const poller = new NeptuneImportTaskPoller(stack, 'ImportPoller', given);
      // Rules of a consumer: their patterns count towards the limits as the poller's own do.
      poller.onImportFailed('ImportsFailed', { ...(given.graphIds === undefined ? {} : { graphIds: given.graphIds }) });
      return [
        {
          poller,
          stack,
          ...(given.encryptionKey === undefined ? {} : { key: given.encryptionKey }),
          ownDeadLetterQueue: given.deadLetterQueue !== undefined,
        },
      ];
    },
  };
}

const key = (stack: Stack) => new kms.Key(stack, 'Key', { enableKeyRotation: true });
const ownQueue = (stack: Stack) =>
  new sqs.Queue(stack, 'TeamDeadLetters', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });

/** Every configuration of the matrix. */
export const CONFIGURATIONS: readonly Configuration[] = [
  onePoller('defaults, no env', false),
  onePoller('defaults, env', true),
  onePoller('no sweep', true, () => ({ sweep: { enabled: false } })),
  onePoller('key, sweep', true, (stack) => ({ encryptionKey: key(stack) })),
  onePoller('key, no sweep', true, (stack) => ({ encryptionKey: key(stack), sweep: { enabled: false } })),
  onePoller('key, own dead-letter queue', true, (stack) => ({
    encryptionKey: key(stack),
    deadLetterQueue: ownQueue(stack),
  })),
  onePoller('key, own dead-letter queue, no sweep, no env', false, (stack) => ({
    encryptionKey: key(stack),
    deadLetterQueue: ownQueue(stack),
    sweep: { enabled: false },
  })),
  onePoller('own bus and source', true, (stack) => ({
    eventBus: new events.EventBus(stack, 'DataPlatformBus', { eventBusName: 'data-platform' }),
    eventSource: 'com.example.imports',
  })),
  onePoller('one graph', true, () => ({ graphIds: graphIds(1) })),
  onePoller(`${MAX_GRAPH_IDS} graphs, the most`, true, () => ({ graphIds: graphIds(MAX_GRAPH_IDS) })),
  {
    name: 'two pollers, one stack',
    build(app) {
      const stack = new Stack(app, 'DataPlatform', { env: ENV });
      return ['TeamAPoller', 'TeamBPoller'].map((id) => {
        const poller = new NeptuneImportTaskPoller(stack, id);
        poller.onImportEnded('ImportsEnded');
        return { poller, stack, ownDeadLetterQueue: false };
      });
    },
  },
  {
    name: 'two pollers, two stacks of one account',
    build(app) {
      return ['Staging', 'Production'].map((id) => {
        const stack = new Stack(app, `DataPlatform${id}`, { env: ENV });
        const poller = new NeptuneImportTaskPoller(stack, 'ImportPoller');
        poller.onImportEnded('ImportsEnded');
        return { poller, stack, ownDeadLetterQueue: false };
      });
    },
  },
  {
    name: "this repository's app, with its context values",
    build(app) {
      app.node.setContext('eventBusName', 'data-platform');
      app.node.setContext('eventSource', 'com.example.imports');
      app.node.setContext('graphIds', 'g-0123456789,g-abcdefghij');
      app.node.setContext('emitStatusChanges', 'true');
      const stack = new NeptuneImportPollerStack(app, 'NeptuneImportPoller', { env: ENV });
      return [{ poller: stack.poller, stack, ownDeadLetterQueue: false }];
    },
  },
];

/** An app as `cdk init` makes it: the feature flags it writes into cdk.json, as context. */
export function newApp(outdir?: string, context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...context },
    ...(outdir === undefined ? {} : { outdir }),
  });
}
