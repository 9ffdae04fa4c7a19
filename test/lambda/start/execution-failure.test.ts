import {
  failedExecutionFromDetail,
  respondToFailure,
  type FailedExecution,
} from '../../../lambda/start/execution-failure';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:Poller:t-0123456789';
const failed = (overrides: Partial<FailedExecution> = {}): FailedExecution => ({
  executionArn: ARN,
  executionName: 't-0123456789',
  status: 'FAILED',
  error: 'States.DataLimitExceeded',
  cause: 'too big',
  input: { taskId: 't-0123456789' },
  ...overrides,
});

describe('the backstop of failed executions', () => {
  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'GIVEN a status change to %s THEN it describes a failed execution',
    (status) => {
      expect(
        failedExecutionFromDetail({
          executionArn: ARN,
          name: 't-0123456789',
          status,
          input: '{"taskId":"t-0123456789"}',
        }),
      ).toEqual({
        executionArn: ARN,
        executionName: 't-0123456789',
        status,
        error: null,
        cause: null,
        input: { taskId: 't-0123456789' },
      });
    },
  );

  test.each([['SUCCEEDED'], ['RUNNING']])('GIVEN a status change to %s THEN there is nothing to report', (status) => {
    expect(failedExecutionFromDetail({ executionArn: ARN, name: 't-0123456789', status })).toBeUndefined();
  });

  test('GIVEN an input too large to carry THEN the report goes without it, and the error is cut to 1,000 characters', () => {
    const described = failedExecutionFromDetail({
      executionArn: ARN,
      name: 't-0123456789',
      status: 'FAILED',
      input: JSON.stringify({ big: 'x'.repeat(100_000) }),
      cause: 'c'.repeat(5_000),
    });
    expect(described?.input).toBeNull();
    expect(described?.cause).toHaveLength(1_000);
  });

  test('GIVEN an execution that failed before its terminal event THEN one backstop execution, named after it, reports it', () => {
    const response = respondToFailure(failed(), [
      { type: 'ExecutionFailed' },
      { type: 'TaskFailed' },
      { type: 'TaskStateEntered', stateName: 'PublishOutcome' },
    ]);
    expect(response).toEqual({ kind: 'report', executionName: 't-0123456789-backstop', input: expect.any(String) });
    expect(JSON.parse(response.kind === 'report' ? response.input : '{}')).toEqual({
      backstop: {
        executionName: 't-0123456789',
        executionArn: ARN,
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: 'too big',
        input: { taskId: 't-0123456789' },
      },
    });
  });

  test.each([
    ['put its terminal event', 'PublishOutcome'],
    ['handed the watch to a continued execution', 'ContinueInNewExecution'],
  ])('GIVEN an execution that %s before it failed THEN nothing is reported', (_, state) => {
    expect(
      respondToFailure(failed(), [{ type: 'ExecutionAborted' }, { type: 'TaskStateExited', stateName: state }]).kind,
    ).toBe('nothing');
  });

  test('GIVEN an execution aborted after EventBridge took its terminal event but before the state exited THEN nothing is reported', () => {
    const newestFirst = [
      { type: 'ExecutionAborted' },
      { type: 'TaskSucceeded' },
      { type: 'TaskSubmitted' },
      { type: 'TaskFailed' },
      { type: 'TaskStarted' },
      { type: 'TaskScheduled' },
      { type: 'TaskStateEntered', stateName: 'PublishOutcome' },
      { type: 'ChoiceStateExited', stateName: 'RouteDecision' },
    ];
    expect(respondToFailure(failed({ status: 'ABORTED' }), newestFirst).kind).toBe('nothing');
  });

  test('GIVEN an execution whose poll succeeded but whose terminal event failed THEN it is reported', () => {
    const newestFirst = [
      { type: 'ExecutionFailed' },
      { type: 'TaskFailed' },
      { type: 'TaskStarted' },
      { type: 'TaskScheduled' },
      { type: 'TaskStateEntered', stateName: 'PublishOutcome' },
      { type: 'ChoiceStateExited', stateName: 'RouteDecision' },
      { type: 'ChoiceStateEntered', stateName: 'RouteDecision' },
      { type: 'TaskStateExited', stateName: 'PollImportTask' },
      { type: 'LambdaFunctionSucceeded' },
    ];
    expect(respondToFailure(failed(), newestFirst).kind).toBe('report');
  });

  test('GIVEN a backstop execution that failed THEN no backstop of the backstop is started', () => {
    expect(respondToFailure(failed({ executionName: 't-0123456789-backstop' }), []).kind).toBe('nothing');
  });
});
