/**
 * Every AWS call a poller makes at run time is allowed, in every configuration of the matrix, and
 * calls nothing of it needs are refused: each call, with its concrete resource ARN and request
 * context, evaluated by `@cloud-copilot/iam-simulate` against the synthesized template's identity
 * policies, key policy, queue policy and function permissions.
 */
import type { Stack } from 'aws-cdk-lib';
import { ACCOUNT, CONFIGURATIONS, newApp, REGION, type PollerUnderTest } from './configurations';
import { describeCall, PolicySimulator, type RuntimeCall } from './policy-simulation';
import { pollerCalls, type PollerCalls } from './runtime-calls';
import { ResolvedTemplate, type TemplateJson } from './template-resolver';

interface PollerEvaluation {
  readonly under: PollerUnderTest;
  readonly calls: PollerCalls;
  readonly simulator: PolicySimulator;
}

const evaluations = new Map<string, PollerEvaluation[]>();

beforeAll(() => {
  for (const configuration of CONFIGURATIONS) {
    const app = newApp();
    const pollers = configuration.build(app);
    const assembly = app.synth();
    const templates = new Map<Stack, ResolvedTemplate>();
    evaluations.set(
      configuration.name,
      pollers.map((under) => {
        let template = templates.get(under.stack);
        if (template === undefined) {
          const json = assembly.getStackByName(under.stack.stackName).template as TemplateJson;
          template = new ResolvedTemplate(json, { stackName: under.stack.stackName, account: ACCOUNT, region: REGION });
          templates.set(under.stack, template);
        }
        return { under, calls: pollerCalls(under, template), simulator: new PolicySimulator(template) };
      }),
    );
  }
});

/** The calls of `select` whose decision is not `expected`, each with the decision. */
async function decidedOtherwise(
  name: string,
  select: (calls: PollerCalls) => RuntimeCall[],
  expected: (decision: string) => boolean,
): Promise<string[]> {
  const wrong: string[] = [];
  for (const { calls, simulator } of evaluations.get(name)!) {
    for (const call of select(calls)) {
      const decision = await simulator.decide(call);
      if (!expected(decision)) wrong.push(`${describeCall(call)} → ${decision}`);
    }
  }
  return wrong;
}

describe.each(CONFIGURATIONS.map((configuration) => configuration.name))('GIVEN the configuration "%s"', (name) => {
  test('THEN every call the poller makes at run time is allowed', async () => {
    const calls = evaluations.get(name)!.flatMap(({ calls: { needed } }) => needed);
    expect(calls.length).toBeGreaterThanOrEqual(20);
    expect(
      await decidedOtherwise(
        name,
        ({ needed }) => needed,
        (decision) => decision === 'Allowed',
      ),
    ).toEqual([]);
  });

  test('THEN calls nothing of the poller needs are refused', async () => {
    expect(evaluations.get(name)!.flatMap(({ calls: { refused } }) => refused).length).toBeGreaterThanOrEqual(10);
    expect(
      await decidedOtherwise(
        name,
        ({ refused }) => refused,
        (decision) => decision !== 'Allowed',
      ),
    ).toEqual([]);
  });
});
