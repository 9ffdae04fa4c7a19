/**
 * What joins the state machine and the poll function: the actions the function decides and the
 * paths at which the state machine reads its decisions. Defined once, read by both sides; no
 * dependency on aws-cdk-lib.
 */

/**
 * Version of this contract. Each definition invokes the published version of the poll function it
 * was deployed with, so a definition's config always meets the function of its own release. A
 * watch state crosses releases: continued into a new execution, it is read by the next release's
 * function. So every watch state carries the version that wrote it, and a function reads its own
 * version and the one before; a state of any other version, or a config of another version, ends
 * the watch with a Monitoring Failed event that says so instead of being misread. Raise it with
 * any change either side could misread, and keep reading the version before.
 *
 * - 4: the poll step invokes a published version of the function; every config carries
 *   `contractVersion`, `executionTimeoutSeconds` and `notFoundGraceSeconds`, and every watch
 *   state its `contractVersion` and `watchName`.
 * - 3: a parking WAIT decision carries `parkFailedWaitSeconds`; the retry config has a time budget.
 */
export const CONTRACT_VERSION = 4;

/** The oldest contract version of a watch state this release reads: the release before. */
export const OLDEST_READ_WATCH_VERSION = CONTRACT_VERSION - 1;

/**
 * Attempts after the first that the park task makes when its put is throttled or fails on the
 * service's side, before the watch waits in a plain Wait state instead; each costs history events
 * that the poll function accounts for.
 */
export const PARK_PUT_RETRIES = 3;

/**
 * Longest wait of a watch whose park task could not write its item: the sweep cannot wake that
 * wait, so it is kept short enough for the watch to see an end about as soon as the sweep would.
 */
export const PARK_FAILED_MAX_WAIT_SECONDS = 60;

/** The poll function's decisions, as the state machine's Choice state routes them. */
export const POLL_ACTIONS = {
  /** Wait `waitSeconds`, then poll again; put `event` first when there is one. */
  wait: 'WAIT',
  /** Put `event`, the terminal one, and end. */
  finish: 'FINISH',
  /** Start a new execution named `executionName` with `input`, and end this one. */
  continue: 'CONTINUE',
  /**
   * Put `watchRequest`, a watch request for the task, and end: an execution started directly
   * under a name of its own hands its task to the start function, as any producer would.
   */
  handedOver: 'HANDED_OVER',
} as const;

/** Key under which the state machine hands a poll step's caught error to the poll function. */
export const POLL_FAILURE_KEY = 'pollFailure';

/** Where the state machine reads each part of a decision (and the caught error), as JSONPath. */
export const DECISION_PATHS = {
  action: '$.action',
  event: '$.event',
  eventDetail: '$.event.detail',
  eventDetailType: '$.event.detailType',
  waitSeconds: '$.waitSeconds',
  parkFailedWaitSeconds: '$.parkFailedWaitSeconds',
  executionName: '$.executionName',
  watchRequest: '$.watchRequest',
  continuedWatch: '$.input.watch',
  pollFailure: `$.${POLL_FAILURE_KEY}`,
} as const;
