/**
 * What consumers of a poller use, whether the poller is defined in their stack or imported from its
 * attributes: rules for its events, grants to start watches, and its metrics.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import {
  importEndedPattern,
  importFailedPattern,
  importSucceededPattern,
  monitoringFailedPattern,
} from './event-patterns';
import { WATCH_REQUEST_DETAIL_TYPE } from './events';
import { PollerMetrics, TriggerNotStartedReason } from './poller-metric-names';
import { validateGraphIds } from './poller-props';
import { PollerPropsValidationError } from './validation';

/** Options of the rules a poller makes for its events. */
export interface ImportEventRuleOptions extends events.OnEventOptions {
  /**
   * Only events about imports into these graphs; each must be a graph id (`g-…`).
   * @default - every graph
   */
  readonly graphIds?: string[];
}

/** What identifies a poller defined elsewhere, in another stack or app. */
export interface NeptuneImportTaskPollerAttributes {
  /** The bus the poller puts its events on (its `eventBus`). */
  readonly eventBus: events.IEventBus;
  /**
   * The `source` of the poller's events (its `eventSource`).
   * @default 'neptune-import-poller'
   */
  readonly eventSource?: string;
  /** The poller's state machine (its `stateMachine`), which `grantStartWatching` grants. */
  readonly stateMachine: sfn.IStateMachine;
  /**
   * The poller's `serviceName`: the `service` dimension of its custom metrics.
   * @default - none: the metric methods throw
   */
  readonly serviceName?: string;
}

/** What the entries of one `PutEvents` request may carry, as conditions of a grant. */
export interface PutEventsConditionsOptions {
  /** The only `source` the entries may have. @default - any */
  readonly sources?: string[];
  /** The only `detail-type` values the entries may have. */
  readonly detailTypes: string[];
}

/**
 * Conditions of a `PutEvents` grant that let every entry of a request through only with one of
 * these sources and detail-types. IAM sees the values of all entries of a request at once (the
 * keys are multivalued): `ForAllValues` checks each, `Null` refuses a request that has none.
 */
export function putEventsConditions(options: PutEventsConditionsOptions): Record<string, Record<string, unknown>> {
  const values: Record<string, string[]> = {
    ...(options.sources === undefined ? {} : { 'events:source': options.sources }),
    'events:detail-type': options.detailTypes,
  };
  return {
    'ForAllValues:StringEquals': values,
    Null: Object.fromEntries(Object.keys(values).map((key) => [key, 'false'])),
  };
}

/** A Neptune Analytics import task poller, defined in this stack or imported. */
export interface INeptuneImportTaskPoller extends IConstruct {
  /** The bus the poller's events are put on. */
  readonly eventBus: events.IEventBus;
  /** The `source` of the poller's events. */
  readonly eventSource: string;
  /** The state machine that watches one task per execution. */
  readonly stateMachine: sfn.IStateMachine;

  /**
   * A rule on the poller's bus for imports that ended with SUCCEEDED.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  onImportSucceeded(id: string, options?: ImportEventRuleOptions): events.Rule;
  /**
   * A rule on the poller's bus for imports that ended without succeeding: FAILED, CANCELLED or DELETED.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  onImportFailed(id: string, options?: ImportEventRuleOptions): events.Rule;
  /**
   * A rule on the poller's bus for every watch that ended: a terminal status or a monitoring failure.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  onImportEnded(id: string, options?: ImportEventRuleOptions): events.Rule;
  /**
   * A rule on the poller's bus for watches the poller gave up on.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  onMonitoringFailed(id: string, options?: ImportEventRuleOptions): events.Rule;

  /**
   * Lets `grantee` start watches by starting executions of the state machine directly.
   *
   * @param grantee the principal the grant is added to
   */
  grantStartWatching(grantee: iam.IGrantable): iam.Grant;
  /**
   * Lets `grantee` put watch requests on the poller's bus, and no other event.
   *
   * @param grantee the principal the grant is added to
   */
  grantPutWatchRequests(grantee: iam.IGrantable): iam.Grant;

  /**
   * A custom metric of this poller (see `PollerMetrics`), summed over five minutes unless told otherwise.
   *
   * @param metricName the metric's name, such as `PollerMetrics.POLLS`
   * @param props statistic, period, label and further dimensions
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** `GetImportTask` requests sent. */
  metricPolls(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Watches that ended, with their one terminal event. */
  metricWatchesEnded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Watches that ended with a Monitoring Failed event. */
  metricMonitoringFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Triggers that claimed an import task but named none readable; each is kept in the dead-letter queue. */
  metricMalformedTriggers(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Executions that ended without their terminal event, reported with a `POLLER_FAILED` Monitoring Failed event. */
  metricWatchFailuresReported(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** The imports' own elapsed time when their terminal status was seen, in seconds (p90 over an hour unless told otherwise). */
  metricImportDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The rules, grants and metrics every poller offers: the base of `NeptuneImportTaskPoller` and of
 * the pollers `NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes()` returns.
 */
export abstract class NeptuneImportTaskPollerBase extends Construct implements INeptuneImportTaskPoller {
  /** The bus the poller's events are put on. */
  public abstract readonly eventBus: events.IEventBus;
  /** The `source` of the poller's events. */
  public abstract readonly eventSource: string;
  /** The state machine that watches one task per execution. */
  public abstract readonly stateMachine: sfn.IStateMachine;

  /**
   * Value of the `service` dimension of the poller's custom metrics; undefined for a poller
   * imported without it.
   *
   * @internal
   */
  protected abstract _metricsServiceName(): string | undefined;

  /**
   * A custom metric of this poller (see `PollerMetrics`), summed over five minutes unless told otherwise.
   *
   * @param metricName the metric's name, such as `PollerMetrics.POLLS`
   * @param props statistic, period, label and further dimensions
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    const serviceName = this._metricsServiceName();
    if (serviceName === undefined) {
      throw new PollerPropsValidationError(
        `The poller ${this.node.path} was imported without serviceName, which its metrics need as their "service" dimension; ` +
          "pass the poller's serviceName to NeptuneImportTaskPoller.fromNeptuneImportTaskPollerAttributes().",
      );
    }
    return new cloudwatch.Metric({
      namespace: PollerMetrics.NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
      dimensionsMap: { [PollerMetrics.SERVICE_DIMENSION]: serviceName, ...props.dimensionsMap },
    });
  }

  /** `GetImportTask` requests sent. */
  public metricPolls(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PollerMetrics.POLLS, props);
  }

  /** Watches that ended, with their one terminal event. */
  public metricWatchesEnded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PollerMetrics.WATCHES_ENDED, props);
  }

  /** Watches that ended with a Monitoring Failed event. */
  public metricMonitoringFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PollerMetrics.MONITORING_FAILURES, props);
  }

  /** Triggers that claimed an import task but named none readable; each is kept in the dead-letter queue. */
  public metricMalformedTriggers(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(PollerMetrics.TRIGGERS_NOT_STARTED_BY_REASON, {
      ...props,
      dimensionsMap: { [PollerMetrics.REASON_DIMENSION]: TriggerNotStartedReason.MALFORMED, ...props.dimensionsMap },
    });
  }

  /** Executions that ended without their terminal event, reported with a `POLLER_FAILED` Monitoring Failed event. */
  public metricWatchFailuresReported(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PollerMetrics.WATCH_FAILURES_REPORTED, props);
  }

  /** The imports' own elapsed time when their terminal status was seen, in seconds (p90 over an hour unless told otherwise). */
  public metricImportDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(PollerMetrics.IMPORT_DURATION, { statistic: 'p90', period: Duration.hours(1), ...props });
  }

  /**
   * A rule on the poller's bus for imports that ended with SUCCEEDED.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  public onImportSucceeded(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, importSucceededPattern(this.eventSource, options.graphIds), options);
  }

  /**
   * A rule on the poller's bus for imports that ended without succeeding: FAILED, CANCELLED or DELETED.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  public onImportFailed(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, importFailedPattern(this.eventSource, options.graphIds), options);
  }

  /**
   * A rule on the poller's bus for every watch that ended: a terminal status or a monitoring failure.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  public onImportEnded(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, importEndedPattern(this.eventSource, options.graphIds), options);
  }

  /**
   * A rule on the poller's bus for watches the poller gave up on.
   *
   * @param id id of the rule, a child of the poller
   * @param options the rule's target, name and description, graphs, and pattern of its own
   */
  public onMonitoringFailed(id: string, options: ImportEventRuleOptions = {}): events.Rule {
    return this.ruleFor(id, monitoringFailedPattern(this.eventSource, options.graphIds), options);
  }

  /**
   * Lets `grantee` start watches by starting executions of the state machine directly.
   *
   * @param grantee the principal the grant is added to
   */
  public grantStartWatching(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * Lets `grantee` put watch requests on the poller's bus, and nothing else: the grant is limited
   * to the watch-request detail-type, so a producer cannot forge the poller's own events.
   *
   * @param grantee the principal the grant is added to
   */
  public grantPutWatchRequests(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.eventBus.eventBusArn],
      conditions: putEventsConditions({ detailTypes: [WATCH_REQUEST_DETAIL_TYPE] }),
    });
  }

  /**
   * A rule on the poller's bus, a child of the poller, for `pattern`. `options.eventPattern` is
   * merged into it as `Rule.addEventPattern` merges: a field it adds narrows the rule, values it
   * lists for a field the pattern has already are added to that field's.
   */
  private ruleFor(id: string, pattern: events.EventPattern, options: ImportEventRuleOptions): events.Rule {
    validateGraphIds(options.graphIds);
    const rule = new events.Rule(this, id, {
      eventBus: this.eventBus,
      // Step Functions adds the state machine's ARN to the resources of every event its executions put:
      // the rule hears this poller only, whatever other poller puts events of the same source on the bus.
      eventPattern: { ...pattern, resources: [this.stateMachine.stateMachineArn] },
      ...(options.ruleName === undefined ? {} : { ruleName: options.ruleName }),
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.crossStackScope === undefined ? {} : { crossStackScope: options.crossStackScope }),
    });
    if (options.eventPattern !== undefined) rule.addEventPattern(options.eventPattern);
    if (options.target !== undefined) rule.addTarget(options.target);
    return rule;
  }
}
