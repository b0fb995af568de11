/**
 * Turns finished attempts into the events alerting subscribes to, and keeps
 * what "recovered" needs: per (flow, sink), whether the last attempt this
 * process saw failed retryably (a permanent refusal of one submission is
 * about its data, not the sink's availability, and changes nothing here). A success is a recovery when that sink was failing,
 * when the job itself had failed before, or when it is the first success on
 * that sink since start (a restart during an outage must still close it);
 * subscribers treat `recovered` as "resolve the incident if one is open".
 * @module
 */
import type { DeliveryJob } from '../../store/repos/delivery-repo.js';

/** What happened to a job. */
export type DeliveryEventKind = 'delivered' | 'retrying' | 'permanent' | 'dead' | 'recovered';

/** One event, emitted after its state is committed. */
export interface DeliveryEvent {
  readonly kind: DeliveryEventKind;
  /** The job as it is now. */
  readonly job: DeliveryJob;
  /** The sink's own message (permanent), the last error (dead, retrying). */
  readonly reason?: string | undefined;
  /** Source key of the field a permanent failure names. */
  readonly field?: string | undefined;
  readonly sinkName: string;
  readonly flowId: string;
}

/** See the module comment. */
export function createSinkHealth(): { observe(job: DeliveryJob, reason?: string, field?: string): DeliveryEvent[] } {
  const failing = new Map<string, boolean>();
  return {
    observe(job, reason, field) {
      const key = `${job.flowId}\u0000${job.sinkName}`;
      const base = { job, sinkName: job.sinkName, flowId: job.flowId };
      switch (job.state) {
        case 'delivered': {
          const wasFailing = failing.get(key);
          failing.set(key, false);
          const recovered = wasFailing !== false || job.attempts > 1;
          return recovered ? [{ ...base, kind: 'recovered' }, { ...base, kind: 'delivered' }] : [{ ...base, kind: 'delivered' }];
        }
        case 'failed':
          // A refused submission says nothing about the sink being up: it does not open or close an outage.
          return [{ ...base, kind: 'permanent', reason, field }];
        case 'dead':
          failing.set(key, true);
          return [{ ...base, kind: 'dead', reason }];
        case 'pending':
          failing.set(key, true);
          return [{ ...base, kind: 'retrying', reason }];
        case 'running':
          return [];
      }
    },
  };
}
