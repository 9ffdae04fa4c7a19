/**
 * The poller's event contract in a form every jsii language can use: names as static constants,
 * patterns and the watch request as static methods (its enums are in `event-vocabulary.ts`). The
 * TypeScript contract itself, with the shape of each event's `detail`, is in `events.ts` (the
 * `neptune-import-poller/events` entry).
 */
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  importEndedPattern,
  importFailedPattern,
  importSucceededPattern,
  monitoringFailedPattern,
} from './event-patterns';
import {
  DEFAULT_EVENT_SOURCE,
  MONITORING_FAILED_DETAIL_TYPE,
  STATUS_CHANGE_DETAIL_TYPE,
  TERMINAL_IMPORT_STATUSES,
  UNSUCCESSFUL_IMPORT_STATUSES,
  WATCH_REQUEST_DETAIL_TYPE,
} from './events';
import { validateGraphIds } from './poller-props';
import { DEFAULT_WATCH_REQUEST_SOURCE, watchRequestEntry, type WatchRequestOptions } from './watch-request';

/** A PutEvents entry that asks a poller to watch an import task (field for field what the AWS SDKs' `PutEventsRequestEntry` takes). */
export interface WatchRequestPutEventsEntry {
  /** `Source` of the entry. */
  readonly source: string;
  /** `DetailType` of the entry: always `PollerEvents.WATCH_REQUEST_DETAIL_TYPE`. */
  readonly detailType: string;
  /** `Detail` of the entry: JSON with `taskId` and, when given, `graphId`, `rewatch` and `poller`. */
  readonly detail: string;
  /**
   * `EventBusName` of the entry.
   * @default - none: the default bus
   */
  readonly eventBusName?: string;
}

/**
 * Names of the poller's events, and the watch request a producer puts.
 *
 * The events' `detail` fields are described, with a JSON Schema each, in the package's `schemas/`
 * folder and in the schema registry each poller publishes (`PollerEventSchemas`).
 */
export class PollerEvents {
  /** `source` of the poller's events unless the construct is given another. */
  public static readonly DEFAULT_SOURCE = DEFAULT_EVENT_SOURCE;
  /** `detail-type` of the event put when an import task ends (and, with `emitStatusChanges`, whenever its status changes). */
  public static readonly STATUS_CHANGE_DETAIL_TYPE = STATUS_CHANGE_DETAIL_TYPE;
  /** `detail-type` of the event put when the poller gives up watching an import task. */
  public static readonly MONITORING_FAILED_DETAIL_TYPE = MONITORING_FAILED_DETAIL_TYPE;
  /** `detail-type` of the event any producer can put on the poller's bus to ask for a task to be watched. */
  public static readonly WATCH_REQUEST_DETAIL_TYPE = WATCH_REQUEST_DETAIL_TYPE;
  /** `source` a watch request built by {@link PollerEvents.watchRequestEntry} gets unless the producer names its own. */
  public static readonly DEFAULT_WATCH_REQUEST_SOURCE = DEFAULT_WATCH_REQUEST_SOURCE;
  /** Statuses after which an import task never changes again: SUCCEEDED, FAILED, CANCELLED and DELETED. */
  public static readonly TERMINAL_STATUSES: string[] = [...TERMINAL_IMPORT_STATUSES];
  /** Terminal statuses that mean the import did not complete: FAILED, CANCELLED and DELETED. */
  public static readonly UNSUCCESSFUL_STATUSES: string[] = [...UNSUCCESSFUL_IMPORT_STATUSES];

  /**
   * The PutEvents entry that asks a poller to watch `options.taskId`. Checks the ids first, so a
   * typo fails here (with a message that shows the value) rather than as a Monitoring Failed
   * event later.
   *
   * @param options the task, its graph, and the request's source and bus
   */
  public static watchRequestEntry(options: WatchRequestOptions): WatchRequestPutEventsEntry {
    const entry = watchRequestEntry(options);
    return {
      source: entry.Source,
      detailType: entry.DetailType,
      detail: entry.Detail,
      ...(entry.EventBusName === undefined ? {} : { eventBusName: entry.EventBusName }),
    };
  }

  private constructor() {}
}

/** Options of the patterns of {@link PollerEventPatterns}. */
export interface PollerEventPatternOptions {
  /**
   * `source` of the poller's events.
   * @default 'neptune-import-poller'
   */
  readonly source?: string;
  /**
   * Only events about imports into these graphs.
   * @default - every graph
   */
  readonly graphIds?: string[];
  /**
   * Only events of the poller with this state machine (its `stateMachine`): Step Functions adds the
   * state machine's ARN to the resources of every event the poller puts, so a rule with it tells
   * pollers of one source apart.
   * @default - events of every poller with this source
   */
  readonly stateMachine?: sfn.IStateMachine;
}

function ofPoller(pattern: events.EventPattern, options: PollerEventPatternOptions): events.EventPattern {
  return options.stateMachine === undefined
    ? pattern
    : { ...pattern, resources: [options.stateMachine.stateMachineArn] };
}

/**
 * Event patterns of the poller's events, for rules the poller does not make: on another bus, in
 * EventBridge Pipes, or with settings of your own. On a poller, its `on*` methods make these rules.
 */
export class PollerEventPatterns {
  /**
   * Imports that ended with SUCCEEDED.
   *
   * @param options the poller's event source and state machine, and the graphs
   */
  public static importSucceeded(options: PollerEventPatternOptions = {}): events.EventPattern {
    validateGraphIds(options.graphIds);
    return ofPoller(importSucceededPattern(options.source ?? DEFAULT_EVENT_SOURCE, options.graphIds), options);
  }

  /**
   * Imports that ended without succeeding: FAILED, CANCELLED or DELETED.
   *
   * @param options the poller's event source and state machine, and the graphs
   */
  public static importFailed(options: PollerEventPatternOptions = {}): events.EventPattern {
    validateGraphIds(options.graphIds);
    return ofPoller(importFailedPattern(options.source ?? DEFAULT_EVENT_SOURCE, options.graphIds), options);
  }

  /**
   * Every watch that ended, however: a terminal status, or a monitoring failure.
   *
   * @param options the poller's event source and state machine, and the graphs
   */
  public static importEnded(options: PollerEventPatternOptions = {}): events.EventPattern {
    validateGraphIds(options.graphIds);
    return ofPoller(importEndedPattern(options.source ?? DEFAULT_EVENT_SOURCE, options.graphIds), options);
  }

  /**
   * Watches the poller gave up on.
   *
   * @param options the poller's event source and state machine, and the graphs
   */
  public static monitoringFailed(options: PollerEventPatternOptions = {}): events.EventPattern {
    validateGraphIds(options.graphIds);
    return ofPoller(monitoringFailedPattern(options.source ?? DEFAULT_EVENT_SOURCE, options.graphIds), options);
  }

  private constructor() {}
}
