/**
 * Which occurrences open, repeat and resolve which incidents: the delivery
 * worker's events (a sink failing again and again, a submission rejected,
 * a job dead-lettered, a sink delivering again) and Meta's `flows` webhook
 * events (spec §6.5: status changes, threshold alerts ACTIVATED /
 * DEACTIVATED, version expiry). Pure: no I/O.
 * @module
 */
import type { FlowsEvent } from '../../whatsapp/webhook/flows-event.js';
import type { AlertSeverity } from '../../store/repos/alert-incident-repo.js';
import type { AlertFact, AlertMessage } from './alert-channel.js';

/** Incident kinds raised by Flowbridge. */
export const ALERT_KINDS = {
  /** A sink keeps failing (retries piling up, or a job dead-lettered); resolved when it delivers again. */
  deliveryOutage: 'delivery_outage',
  /** A sink refused a submission as invalid (permanent); keyed by sink and field. */
  deliveryRejected: 'delivery_rejected',
  /** Meta throttled or blocked a flow. */
  flowStatus: 'flow_status',
  /** A flow health threshold alert (error rate, latency, availability). */
  flowHealth: 'flow_health',
  /** A Flow JSON version about to expire, or another `flows` event. */
  flowNotice: 'flow_notice',
} as const;

/** One alert to raise: the message fields every channel shows, plus how the incident is kept. */
export interface AlertInput extends Pick<AlertMessage, 'kind' | 'subject' | 'severity' | 'title' | 'text' | 'facts'> {
  readonly field?: string | undefined;
  /** Remind about a still-open incident after this long (default: never). */
  readonly repeatAfterMs?: number | undefined;
}

/** An incident to resolve, with the recovery text. */
export interface ResolveInput {
  readonly kind: string;
  readonly subject: string;
  readonly title: string;
  readonly text: string;
}

/** What one `flows` event does. */
export interface FlowEventActions {
  readonly raise: readonly AlertInput[];
  readonly resolve: readonly ResolveInput[];
}

const fact = (label: string, value: string | number | undefined): AlertFact[] => (value === undefined || value === '' ? [] : [{ label, value: String(value) }]);

const HEALTH_EVENTS: Readonly<Record<string, { label: string; severity: AlertSeverity; metric: (e: FlowsEvent) => AlertFact[] }>> = {
  CLIENT_ERROR_RATE: { label: 'client error rate', severity: 'warning', metric: (e) => [...fact('Error rate', e.errorRate === undefined ? undefined : `${e.errorRate}%`), ...errorTypes(e)] },
  ENDPOINT_ERROR_RATE: { label: 'endpoint error rate', severity: 'critical', metric: (e) => [...fact('Error rate', e.errorRate === undefined ? undefined : `${e.errorRate}%`), ...errorTypes(e)] },
  ENDPOINT_LATENCY: { label: 'endpoint latency', severity: 'warning', metric: (e) => [...fact('p90 latency', e.p90Latency === undefined ? undefined : `${e.p90Latency} ms`), ...fact('p50 latency', e.p50Latency === undefined ? undefined : `${e.p50Latency} ms`), ...fact('Requests', e.requestsCount)] },
  ENDPOINT_AVAILABILITY: { label: 'endpoint availability', severity: 'critical', metric: (e) => fact('Availability', e.availability === undefined ? undefined : `${e.availability}%`) },
};

function errorTypes(e: FlowsEvent): AlertFact[] {
  const types = e.errors.map((x) => `${x.errorType ?? '?'}${x.errorCount === undefined ? '' : ` ×${x.errorCount}`}`);
  return fact('Errors', types.join(', '));
}

const thresholdText = (event: string, threshold: number | undefined): string =>
  threshold === undefined ? '' : event === 'ENDPOINT_LATENCY' ? ` (threshold ${threshold} ms)` : ` (threshold ${threshold}%)`;

/** Raise/resolve actions for one `flows` webhook event. */
export function flowEventActions(e: FlowsEvent, wabaId?: string): FlowEventActions {
  const flow = e.flowId ?? 'unknown flow';
  const common = [...fact('Flow', e.flowId), ...fact('WABA', wabaId), ...fact('Meta says', e.message)];
  const event = e.event ?? 'UNKNOWN';
  if (event === 'FLOW_STATUS_CHANGE') {
    const status = e.newStatus ?? 'UNKNOWN';
    const facts = [...common, ...fact('Status', `${e.oldStatus ?? '(new)'} → ${status}`), ...fact('Warning', e.warning)];
    const resolveStatus = (s: string): ResolveInput => ({ kind: ALERT_KINDS.flowStatus, subject: `${flow}:${s}`, title: `Flow ${flow} is no longer ${s}`, text: `Meta changed flow ${flow} from ${e.oldStatus ?? '?'} to ${status}.` });
    if (status === 'BLOCKED' || status === 'THROTTLED') {
      const blocked = status === 'BLOCKED';
      return {
        raise: [{
          kind: ALERT_KINDS.flowStatus, subject: `${flow}:${status}`, severity: blocked ? 'critical' : 'warning', facts,
          title: `Flow ${flow} is ${status}`,
          text: blocked
            ? `Meta blocked flow ${flow}: it can neither be sent nor opened. Fix the endpoint's errors (see the health alerts), then it recovers to THROTTLED and PUBLISHED.`
            : `Meta throttled flow ${flow}: at most 10 messages with it per hour. Check the endpoint's error rate, latency and availability.`,
        }],
        resolve: blocked ? [] : [resolveStatus('BLOCKED')],
      };
    }
    const cleared = status === 'PUBLISHED' || status === 'DEPRECATED' || status === 'DRAFT' ? [resolveStatus('BLOCKED'), resolveStatus('THROTTLED')] : [];
    const warning = e.warning === undefined ? [] : [{ kind: ALERT_KINDS.flowNotice, subject: `${flow}:status-warning`, severity: 'info' as const, facts, title: `Flow ${flow}: ${status}`, text: e.warning }];
    return { raise: warning, resolve: cleared };
  }
  // own keys only: an event named `toString` or `__proto__` is just an unknown event
  const health = Object.hasOwn(HEALTH_EVENTS, event) ? HEALTH_EVENTS[event] : undefined;
  if (health !== undefined) {
    const subject = `${flow}:${event}:${e.threshold ?? '-'}`;
    if (e.alertState === 'DEACTIVATED') {
      return { raise: [], resolve: [{ kind: ALERT_KINDS.flowHealth, subject, title: `Flow ${flow}: ${health.label} back within threshold${thresholdText(event, e.threshold)}`, text: e.message ?? `Meta reports the ${health.label} of flow ${flow} back within its threshold.` }] };
    }
    return {
      raise: [{
        kind: ALERT_KINDS.flowHealth, subject, severity: health.severity, facts: [...common, ...health.metric(e)],
        title: `Flow ${flow}: ${health.label} past threshold${thresholdText(event, e.threshold)}`,
        text: `Meta reports the ${health.label} of flow ${flow} past its threshold. Persisting problems get the flow THROTTLED, then BLOCKED. Check the endpoint's logs and GET /readyz.`,
      }],
      resolve: [],
    };
  }
  const text = e.warning ?? e.message ?? `Meta sent a ${event} event for flow ${flow}.`;
  const title = event === 'FLOW_VERSION_EXPIRY_WARNING' ? `Flow ${flow}: Flow JSON version about to expire` : `Flow ${flow}: ${event}`;
  return { raise: [{ kind: ALERT_KINDS.flowNotice, subject: `${flow}:${event}`, severity: 'info', facts: [...common, ...fact('Warning', e.warning)], title, text }], resolve: [] };
}
