/**
 * A synthesized template as CloudFormation would deploy it in one account and region: references,
 * attributes, joins, substitutions and pseudo parameters resolved to the concrete names and ARNs
 * the resources would get. A resource without a physical name is given `<stack>-<logical id>`, as
 * CloudFormation gives it a generated one.
 */

type Json = unknown;

/** A resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}

/** A template. */
export interface TemplateJson {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: Json }>;
}

/** Where the template is deployed. */
export interface Deployment {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
}

/** The property holding the physical name of a resource, by type, for the types that have one. */
const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::EventSchemas::Registry': 'RegistryName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
};

/** Resolves the values of one template deployed as `deployment`. */
export class ResolvedTemplate {
  private readonly partition = 'aws';

  constructor(
    public readonly template: TemplateJson,
    public readonly deployment: Deployment,
  ) {}

  /** Logical ids of the resources of `type`. */
  public idsOf(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id]) => id);
  }

  /** The resource named by `logicalId`; throws when there is none. */
  public resource(logicalId: string): TemplateResource {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new Error(`No resource ${logicalId} in ${this.deployment.stackName}`);
    return resource;
  }

  /** The physical name the resource `logicalId` gets. */
  public physicalName(logicalId: string): string {
    return this.givenName(logicalId) ?? `${this.deployment.stackName}-${logicalId}`;
  }

  /** The physical name the template gives the resource `logicalId`; undefined when CloudFormation makes one up. */
  public givenName(logicalId: string): string | undefined {
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTIES[resource.Type];
    const given = property === undefined ? undefined : resource.Properties?.[property];
    return given === undefined ? undefined : this.resolveString(given);
  }

  /** `value` with every intrinsic function resolved. */
  public resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, Json>);
    if (entries.length === 1) {
      const [[fn, args]] = entries;
      switch (fn) {
        case 'Ref':
          return this.ref(args as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = typeof args === 'string' ? args.split('.') : (args as [string, string]);
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = args as [string, Json[]];
          return parts.map((part) => this.resolveString(part)).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = args as [number | string, Json];
          return (this.resolve(list) as Json[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, text] = args as [string, Json];
          return this.resolveString(text).split(separator);
        }
        case 'Fn::Sub':
          return this.substitute(args);
        default:
          if (fn.startsWith('Fn::')) throw new Error(`The resolver does not know ${fn}`);
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item)]));
  }

  /** `value` resolved, which must be a string. */
  public resolveString(value: Json): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new Error(`Not a string: ${JSON.stringify(value)}`);
    return resolved;
  }

  /** What `Ref` of `name` gives. */
  public ref(name: string): string {
    const { account, region, stackName } = this.deployment;
    switch (name) {
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return account;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${region}:${account}:stack/${stackName}/0f6a9a30-cf2a-11ef-9d1e-0affe0ee6a5f`;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
    }
    const { Type } = this.resource(name);
    switch (Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return this.getAtt(name, 'Arn');
      case 'AWS::SQS::Queue':
        return this.getAtt(name, 'QueueUrl');
      case 'AWS::KMS::Key':
        return `key-${name.toLowerCase()}`;
      // A published version's Ref is its ARN: the function's, and the version's number (the first here).
      case 'AWS::Lambda::Version': {
        const { account, region } = this.deployment;
        const functionName = this.resolveString(this.resource(name).Properties?.FunctionName);
        return `arn:${this.partition}:lambda:${region}:${account}:function:${functionName}:1`;
      }
      default:
        return this.physicalName(name);
    }
  }

  /** What `Fn::GetAtt` of `logicalId` and `attribute` gives. */
  public getAtt(logicalId: string, attribute: string): string {
    const { account, region } = this.deployment;
    const { Type, Properties } = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    const arn = (service: string, resource: string, inRegion = true) =>
      `arn:${this.partition}:${service}:${inRegion ? region : ''}:${account}:${resource}`;
    const known: Record<string, Record<string, () => string>> = {
      'AWS::IAM::Role': {
        Arn: () => arn('iam', `role/${name}`, false),
        RoleId: () => `AROA${logicalId.toUpperCase()}`,
      },
      'AWS::Lambda::Function': { Arn: () => arn('lambda', `function:${name}`) },
      'AWS::StepFunctions::StateMachine': { Arn: () => arn('states', `stateMachine:${name}`), Name: () => name },
      'AWS::SQS::Queue': {
        Arn: () => arn('sqs', name),
        QueueName: () => name,
        QueueUrl: () => `https://sqs.${region}.amazonaws.com/${account}/${name}`,
      },
      'AWS::DynamoDB::Table': { Arn: () => arn('dynamodb', `table/${name}`) },
      'AWS::Events::EventBus': { Arn: () => arn('events', `event-bus/${name}`), Name: () => name },
      'AWS::Events::Rule': {
        Arn: () => {
          const bus = Properties?.EventBusName === undefined ? 'default' : this.resolveString(Properties.EventBusName);
          const busName = bus.includes('/') ? bus.slice(bus.lastIndexOf('/') + 1) : bus;
          return arn('events', busName === 'default' ? `rule/${name}` : `rule/${busName}/${name}`);
        },
      },
      'AWS::KMS::Key': { Arn: () => arn('kms', `key/${this.ref(logicalId)}`), KeyId: () => this.ref(logicalId) },
      'AWS::Logs::LogGroup': { Arn: () => arn('logs', `log-group:${name}:*`) },
      'AWS::EventSchemas::Registry': {
        RegistryArn: () => arn('schemas', `registry/${name}`),
        RegistryName: () => name,
      },
      'AWS::SNS::Topic': { Arn: () => arn('sns', name), TopicName: () => name },
    };
    const value = known[Type]?.[attribute];
    if (value === undefined) throw new Error(`The resolver does not know ${Type}.${attribute}`);
    return value();
  }

  private substitute(args: Json): string {
    const [text, variables] = typeof args === 'string' ? [args, {}] : (args as [string, Record<string, Json>]);
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, expression: string) => {
      if (expression in variables) return this.resolveString(variables[expression]);
      const [id, attribute] = expression.split('.');
      return attribute === undefined ? this.ref(id) : this.getAtt(id, attribute);
    });
  }
}
