import { isGraphId } from '../../lib/identifiers';
import { SWEEP_REASONS, type SweepRequest } from '../../lib/sweep-contract';
import { isRecord } from '../shared/records';

/** Why a sweep runs. */
export type SweepReason = NonNullable<SweepRequest['reason']>;

/** A sweep to run, read from the function's event. */
export interface SweepRun {
  readonly reason: SweepReason;
  /** The one graph whose tasks discovery considers; every graph when absent. */
  readonly graphId?: string;
  /** A `graphId` the event held that is not a graph id, shown; the sweep then considers every graph. */
  readonly rejectedGraphId?: string;
}

const isSweepReason = (value: unknown): value is SweepReason =>
  typeof value === 'string' && (SWEEP_REASONS as readonly string[]).includes(value);

/**
 * Reads the sweep to run from a scheduled EventBridge event (a sweep of every graph) or a
 * {@link SweepRequest}. Anything may arrive here: what cannot be read runs as a scheduled sweep.
 */
export function sweepRunFromEvent(event: unknown): SweepRun {
  if (!isRecord(event) || 'detail-type' in event) return { reason: 'schedule' };
  const reason = isSweepReason(event.reason) ? event.reason : 'schedule';
  const { graphId } = event;
  if (graphId === undefined) return { reason };
  if (isGraphId(graphId)) return { reason, graphId };
  return { reason, rejectedGraphId: JSON.stringify(graphId)?.slice(0, 100) ?? typeof graphId };
}
