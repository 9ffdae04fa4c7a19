/**
 * Names of the poller's states. Executions, alarms and dashboards refer to them, and the start
 * function reads them in failed executions' histories; no dependency on aws-cdk-lib.
 */
/** Names of the states; stable, since they are part of every execution's history. */
export const POLLER_STATE_NAMES = {
  poll: 'PollImportTask',
  route: 'RouteDecision',
  publishStatusChange: 'PublishStatusChange',
  wait: 'WaitBeforeNextPoll',
  parkedWait: 'WaitUntilDueOrWoken',
  parkFailedWait: 'WaitAfterParkFailed',
  publishOutcome: 'PublishOutcome',
  continueAsNew: 'ContinueInNewExecution',
  describePollFailure: 'DescribePollFailure',
  watched: 'Watched',
  continued: 'Continued',
  putWatchRequest: 'PutWatchRequest',
  handedOver: 'HandedOver',
  unknownDecision: 'UnknownDecision',
} as const;
