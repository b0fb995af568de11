/**
 * Events of the `flows` webhook field (Meta, "Flows webhooks"; spec §6.5):
 * a flow's status changed (e.g. THROTTLED or BLOCKED because its endpoint
 * is failing), endpoint error rate, latency or availability crossed a
 * threshold, the client error rate rose, or a Flow JSON version is about
 * to expire. Each one becomes an alert for the operator.
 * @module
 */
import { type JsonObject } from '../../core/flow/json.js';
import { num, objects, text } from './read.js';

/** The documented event names; others are kept verbatim. */
export type KnownFlowsEventName =
  | 'FLOW_STATUS_CHANGE'
  | 'CLIENT_ERROR_RATE'
  | 'ENDPOINT_ERROR_RATE'
  | 'ENDPOINT_LATENCY'
  | 'ENDPOINT_AVAILABILITY'
  | 'FLOW_VERSION_EXPIRY_WARNING';

/** One `errors[]` entry of an error-rate event. */
export interface FlowsErrorBreakdown {
  /** Normalised: lower case, `-` → `_` (examples and the code table disagree, spec §6.5 and §8.17). */
  readonly errorType: string | undefined;
  readonly errorRate: number | undefined;
  readonly errorCount: number | undefined;
}

/** A parsed `flows` event: the common fields plus every documented per-event field. */
export interface FlowsEvent {
  readonly event: KnownFlowsEventName | (string & {}) | undefined;
  readonly message: string | undefined;
  readonly flowId: string | undefined;
  /** FLOW_STATUS_CHANGE: absent on creation. */
  readonly oldStatus: string | undefined;
  /** FLOW_STATUS_CHANGE: DRAFT, PUBLISHED, DEPRECATED, BLOCKED or THROTTLED. */
  readonly newStatus: string | undefined;
  /** FLOW_STATUS_CHANGE / FLOW_VERSION_EXPIRY_WARNING. */
  readonly warning: string | undefined;
  /** `ACTIVATED` or `DEACTIVATED` for threshold alerts. */
  readonly alertState: string | undefined;
  readonly threshold: number | undefined;
  readonly errorRate: number | undefined;
  readonly errors: readonly FlowsErrorBreakdown[];
  readonly p50Latency: number | undefined;
  readonly p90Latency: number | undefined;
  readonly requestsCount: number | undefined;
  readonly availability: number | undefined;
}

/** Normalise an `error_type` for matching against the documented codes (spec §6.5). */
export function normaliseErrorType(errorType: string): string {
  return errorType.trim().toLowerCase().replace(/-/g, '_');
}

/** Parse a `flows` change value; never throws. */
export function parseFlowsEvent(value: JsonObject): FlowsEvent {
  return {
    event: text(value, 'event'),
    message: text(value, 'message'),
    flowId: text(value, 'flow_id') ?? numericId(value, 'flow_id'),
    oldStatus: text(value, 'old_status'),
    newStatus: text(value, 'new_status'),
    warning: text(value, 'warning'),
    alertState: text(value, 'alert_state'),
    threshold: num(value, 'threshold'),
    errorRate: num(value, 'error_rate'),
    errors: objects(value, 'errors').map((e) => {
      const type = text(e, 'error_type');
      return { errorType: type === undefined ? undefined : normaliseErrorType(type), errorRate: num(e, 'error_rate'), errorCount: num(e, 'error_count') };
    }),
    p50Latency: num(value, 'p50_latency'),
    p90Latency: num(value, 'p90_latency'),
    requestsCount: num(value, 'requests_count'),
    availability: num(value, 'availability'),
  };
}

function numericId(value: JsonObject, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined;
}
