/**
 * The delivery worker's events as incidents (issue 6 §4):
 * - a sink failing again and again (`retrying` at or past
 *   `outageAfterAttempts`) or a job entering dead letter opens the sink's
 *   `delivery_outage` incident — one alert however many jobs fail;
 * - `recovered` (and `delivered` while this process knows the incident is
 *   open) resolves it — one recovery notice, which names the dead letters
 *   to replay;
 * - `permanent` (the sink refused a submission) opens a
 *   `delivery_rejected` incident per (sink, field), naming the sink's own
 *   message and the field, with an hourly reminder while rejections go on.
 * Pure: no I/O.
 * @module
 */
import type { DeliveryJob } from '../../store/repos/delivery-tables.js';
import type { AlertFact } from './alert-channel.js';
import { ALERT_KINDS, type AlertInput, type ResolveInput } from './alert-rules.js';

/** The worker event, as `src/services/delivery/worker.ts` emits it (only what alerts read). */
export interface DeliveryAlertEvent {
  readonly kind: 'delivered' | 'retrying' | 'permanent' | 'dead' | 'recovered';
  readonly job: Pick<DeliveryJob, 'id' | 'submissionId' | 'attempts' | 'sinkType' | 'generation'> & Partial<Pick<DeliveryJob, 'nextAttemptAt'>>;
  readonly reason?: string | undefined;
  readonly field?: string | undefined;
  readonly sinkName: string;
  readonly flowId: string;
}

/** Thresholds of delivery alerts. */
export interface DeliveryAlertOptions {
  /** A job retrying at this attempt or later opens the sink's outage (default 3). */
  readonly outageAfterAttempts: number;
  /** Reminder interval of an open rejection incident (default 60 min). */
  readonly rejectionRepeatMs: number;
}

/** What one worker event does. */
export interface DeliveryEventActions {
  readonly raise: readonly AlertInput[];
  readonly resolve: readonly ResolveInput[];
}

const none: DeliveryEventActions = { raise: [], resolve: [] };

function jobFacts(e: DeliveryAlertEvent): AlertFact[] {
  return [
    { label: 'Sink', value: `${e.sinkName} (${e.job.sinkType})` },
    { label: 'Flow', value: e.flowId },
    { label: 'Submission', value: e.job.submissionId },
    { label: 'Job', value: e.job.id },
    { label: 'Attempts', value: String(e.job.attempts) },
  ];
}

/** Raise/resolve actions for one worker event; `outageOpen(sink)` says whether this process knows the sink's outage is open. */
export function deliveryEventActions(e: DeliveryAlertEvent, options: DeliveryAlertOptions, outageOpen: (sinkName: string) => boolean): DeliveryEventActions {
  const sink = e.sinkName;
  const reason = e.reason ?? 'no reason given';
  switch (e.kind) {
    case 'delivered':
      return outageOpen(sink) ? { raise: [], resolve: [recovery(sink)] } : none;
    case 'recovered':
      return { raise: [], resolve: [recovery(sink)] };
    case 'retrying': {
      if (e.job.attempts < options.outageAfterAttempts) return none;
      const next = e.job.nextAttemptAt === undefined ? '' : ` Next attempt at ${e.job.nextAttemptAt.toISOString()}.`;
      return {
        raise: [{
          kind: ALERT_KINDS.deliveryOutage, subject: sink, severity: 'critical', facts: [...jobFacts(e), { label: 'Last error', value: reason }],
          title: `Deliveries to ${sink} are failing`,
          text: `Sink ${sink} keeps failing: ${reason}. Deliveries are retried with backoff; nothing is dropped. You get one notice when it delivers again.${next}`,
        }],
        resolve: [],
      };
    }
    case 'dead':
      return {
        raise: [{
          kind: ALERT_KINDS.deliveryOutage, subject: sink, severity: 'critical', facts: [...jobFacts(e), { label: 'Last error', value: reason }],
          title: `Delivery to ${sink} moved to dead letter`,
          text: `Submission ${e.job.submissionId} could not be delivered to ${sink} within its attempt/age budget: ${reason}. After fixing the cause: flowbridge deliveries retry ${e.job.id} (or replay a time range with flowbridge deliveries replay --from … --to … --sink ${sink}).`,
        }],
        resolve: [],
      };
    case 'permanent': {
      const field = e.field;
      const where = field === undefined ? '' : ` on field "${field}"`;
      return {
        raise: [{
          kind: ALERT_KINDS.deliveryRejected, subject: `${sink}:${field ?? '-'}`, severity: 'warning', field, repeatAfterMs: options.rejectionRepeatMs,
          facts: [...jobFacts(e), ...(field === undefined ? [] : [{ label: 'Field', value: field }]), { label: 'Sink says', value: reason }],
          title: `${sink} rejected a submission${where}`,
          text: `${sink} refused submission ${e.job.submissionId}${where}: ${reason}. It will not be retried by itself: fix the mapping or the form, then run flowbridge deliveries retry ${e.job.id} (or replay the affected time range).`,
        }],
        resolve: [],
      };
    }
  }
}

function recovery(sink: string): ResolveInput {
  return {
    kind: ALERT_KINDS.deliveryOutage, subject: sink,
    title: `Deliveries to ${sink} recovered`,
    text: `Sink ${sink} is delivering again; retried jobs go out by themselves. Jobs that reached dead letter meanwhile need a replay: flowbridge deliveries list --state dead --sink ${sink}.`,
  };
}
