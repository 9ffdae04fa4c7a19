import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { prebuiltHandlerCode, type PrebuiltHandler } from './handler-code';

/** Log levels of the poller's functions. */
export enum PollerLogLevel {
  /** Every request and decision. */
  DEBUG = 'DEBUG',
  /** Each poll's answer and decision. */
  INFO = 'INFO',
  /** Failed polls and refused requests. */
  WARN = 'WARN',
  /** Only what needs a person. */
  ERROR = 'ERROR',
}

/** How one of the poller's functions is made. */
export interface PollerFunctionOptions {
  readonly handler: PrebuiltHandler;
  readonly description: string;
  readonly logGroup: logs.ILogGroup;
  readonly logLevel: PollerLogLevel;
  /** Value of `POWERTOOLS_SERVICE_NAME`: the poller's service name, unique per poller. */
  readonly serviceName: string;
  readonly environment?: Record<string, string>;
  /** Where Lambda keeps asynchronous invocations that failed after `retryAttempts`. */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Retries of a failed asynchronous invocation. @default 2 */
  readonly retryAttempts?: number;
  /** How long Lambda keeps an asynchronous invocation it could not run yet. @default - Lambda's own, 6 hours */
  readonly maxEventAge?: Duration;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
}

/** The Lambda runtime of the poller's functions (`npm run test:lambda-runtime` runs their bundles' tests on it). */
export const POLLER_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * One of the poller's functions: a prebuilt handler on Node.js 24 (arm64), with its own role
 * that may write only its own log group, and JSON logs. Not actively traced (Lambda's PassThrough
 * default) and no X-Ray permission: the handlers record no segments of their own (no Powertools
 * Tracer, no captured SDK clients), so active tracing would add only an invocation segment, which
 * the state machine's own trace shows as its poll task, for a `*` permission on every role.
 */
export function createPollerFunction(scope: Construct, id: string, options: PollerFunctionOptions): lambda.Function {
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: options.description,
  });
  options.logGroup.grantWrite(role);
  return new lambda.Function(scope, id, {
    description: options.description,
    runtime: POLLER_FUNCTION_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: prebuiltHandlerCode(options.handler),
    memorySize: 256,
    timeout: options.timeout ?? Duration.seconds(30),
    role,
    logGroup: options.logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel[options.logLevel],
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
    ...(options.deadLetterQueue === undefined ? {} : { deadLetterQueue: options.deadLetterQueue }),
    ...(options.retryAttempts === undefined && options.deadLetterQueue === undefined
      ? {}
      : { retryAttempts: options.retryAttempts ?? 2 }),
    ...(options.maxEventAge === undefined ? {} : { maxEventAge: options.maxEventAge }),
    environment: {
      POWERTOOLS_SERVICE_NAME: options.serviceName,
      POWERTOOLS_LOG_LEVEL: options.logLevel,
      ...options.environment,
    },
  });
}
