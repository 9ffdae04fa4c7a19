/**
 * Integration test on a real account, with @aws-cdk/integ-tests-alpha: deploys the poller,
 * starts a watch of a task that does not exist and expects its Monitoring Failed outcome; given
 * `-c importTaskId=t-…`, also watches that real import and expects its terminal event.
 *
 *   npx integ-runner --app "node --import tsx {filePath}" --update-on-failed                     # deploy, assert, destroy
 *   npx integ-runner --app "node --import tsx {filePath}" --update-on-failed --context importTaskId=t-0123456789
 *
 * `npm test` checks the committed snapshot offline, without deploying.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { NeptuneImportTaskPoller } from '../lib/main';

const app = new App();
const stack = new Stack(app, 'NeptuneImportPollerInteg');
const poller = new NeptuneImportTaskPoller(stack, 'Poller', { startOnApiCalls: false });
const integ = new IntegTest(app, 'NeptuneImportPollerIntegTest', { testCases: [stack] });

const missing = integ.assertions.awsApiCall('SFN', 'startExecution', {
  stateMachineArn: poller.stateMachine.stateMachineArn,
  name: 'integ-missing-task',
  input: JSON.stringify({ taskId: 't-nosuchtsk0' }),
});
missing.next(
  integ.assertions
    .awsApiCall('SFN', 'describeExecution', { executionArn: missing.getAttString('executionArn') })
    .expect(
      ExpectedResult.objectLike({
        status: 'SUCCEEDED',
        output: Match.stringLikeRegexp('"reason":"TASK_NOT_FOUND"'),
      }),
    )
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) }),
);

const importTaskId: unknown = app.node.tryGetContext('importTaskId');
if (typeof importTaskId === 'string' && importTaskId !== '') {
  const real = integ.assertions.awsApiCall('SFN', 'startExecution', {
    stateMachineArn: poller.stateMachine.stateMachineArn,
    name: `integ-${importTaskId}`,
    input: JSON.stringify({ taskId: importTaskId }),
  });
  real.next(
    integ.assertions
      .awsApiCall('SFN', 'describeExecution', { executionArn: real.getAttString('executionArn') })
      .expect(
        ExpectedResult.objectLike({
          status: 'SUCCEEDED',
          output: Match.stringLikeRegexp('"detailType":"Neptune Analytics Import Task Status Change".*"terminal":true'),
        }),
      )
      .waitForAssertions({ totalTimeout: Duration.hours(12), interval: Duration.minutes(5) }),
  );
}

app.synth();
