/**
 * Synthesizes a configuration as `cdk synth` does it for a user who runs both lines of cdk-nag:
 * cdk-nag 3's AwsSolutions checks as a validation plugin, cdk-nag 2's as an aspect (with a logger
 * that records what it found and what it let through), and CloudFormation's schema validation as
 * errors, the check cdk.json turns on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Aspects, Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AwsSolutionsChecks as AwsSolutionsChecksV2,
  type INagLogger,
  type NagLoggerNonComplianceData,
  type NagLoggerSuppressedData,
} from 'cdk-nag-v2';
import { newApp, type Configuration, type PollerUnderTest } from './configurations';
import { ResolvedTemplate, type TemplateJson } from './template-resolver';
import { ACCOUNT, REGION } from './configurations';

/** A finding of cdk-nag 2: its rule, its finding, and the resource's path. */
export interface NagFinding {
  readonly rule: string;
  readonly finding: string;
  readonly path: string;
}

/** What cdk-nag 2 reported. */
export class NagV2Findings implements INagLogger {
  public readonly nonCompliant: NagFinding[] = [];
  public readonly suppressed: NagFinding[] = [];
  public readonly errors: string[] = [];

  private static finding(data: NagLoggerNonComplianceData): NagFinding {
    return { rule: data.ruleId, finding: data.findingId, path: data.resource.node.path };
  }

  public onNonCompliance(data: NagLoggerNonComplianceData): void {
    this.nonCompliant.push(NagV2Findings.finding(data));
  }
  public onSuppressed(data: NagLoggerSuppressedData): void {
    this.suppressed.push(NagV2Findings.finding(data));
  }
  public onError(data: { ruleId: string; errorMessage: string }): void {
    this.errors.push(`${data.ruleId}: ${data.errorMessage}`);
  }
  public onCompliance(): void {}
  public onSuppressedError(): void {}
  public onNotApplicable(): void {}
}

/** A violation in the validation report: the plugin, its rule and the resources. */
export interface ReportedViolation {
  readonly plugin: string;
  readonly rule: string;
  readonly resources: string[];
}

/** A configuration, synthesized. */
export interface SynthesizedConfiguration {
  readonly pollers: PollerUnderTest[];
  /** The error the synthesis failed with, if any. */
  readonly error?: unknown;
  /** The validation report's violations; undefined when no validation ran (no report). */
  readonly violations?: ReportedViolation[];
  readonly nagV2: NagV2Findings;
  /** Each stack's template, resolved as deployed in {@link ACCOUNT} and {@link REGION}. */
  readonly templates: Map<Stack, ResolvedTemplate>;
}

/** The context that makes CloudFormation's schema validation fail the synthesis. */
const VALIDATE_AS_ERRORS = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/**
 * Synthesizes `configuration` into `outdir`, after `change` (for a control that must fail). The
 * caller turns CloudFormation's schema validation on (`CDK_VALIDATION` unset).
 */
export function synthesize(
  configuration: Configuration,
  outdir: string,
  change: (pollers: PollerUnderTest[]) => void = () => {},
): SynthesizedConfiguration {
  const app: App = newApp(outdir, VALIDATE_AS_ERRORS);
  const pollers = configuration.build(app);
  change(pollers);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const nagV2 = new NagV2Findings();
  Aspects.of(app).add(new AwsSolutionsChecksV2({ reports: false, additionalLoggers: [nagV2] }));
  let error: unknown;
  try {
    app.synth();
  } catch (thrown) {
    error = thrown;
  }
  const templates = new Map<Stack, ResolvedTemplate>();
  for (const stack of new Set(pollers.map((p) => p.stack))) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, stack.templateFile), 'utf8')) as TemplateJson;
    templates.set(
      stack,
      new ResolvedTemplate(template, { stackName: stack.stackName, account: ACCOUNT, region: REGION }),
    );
  }
  return {
    pollers,
    ...(error === undefined ? {} : { error }),
    violations: reportedViolations(outdir),
    nagV2,
    templates,
  };
}

function reportedViolations(outdir: string): ReportedViolation[] | undefined {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((violation) => ({
      plugin: plugin.pluginName,
      rule: violation.ruleName,
      resources: violation.violatingConstructs.map((construct) => construct.constructPath),
    })),
  );
}
