/**
 * HubSpot's error envelopes as delivery outcomes, in HubSpot's own words:
 * the submission API's `errors[].message` ("Error in 'fields.email'. Invalid
 * email address") and the CRM's `VALIDATION_ERROR` whose message embeds a
 * JSON list naming the property (`name`) — HubSpot docs "Error handling",
 * Forms v3 "Submit data". 429 and 5xx are retried, honouring Retry-After.
 * @module
 */
import type { DeliveryOutcome } from '../sink-connector.js';
import { parseJson, retryAfterMs } from '../webhook/send-attempt.js';

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The field a submission error names (`Error in 'fields.<name>'`); other errors name `context.*` or `legalConsentOptions`. */
function submitField(message: string): string | undefined {
  return /^Error in 'fields\.([^']+)'/.exec(message)?.[1];
}

/** The property list inside a CRM validation message, if any. */
function crmDetails(message: string): Array<{ message: string; name?: string }> {
  const start = message.indexOf('[');
  if (start < 0) return [];
  const list = parseJson(message.slice(start));
  if (!Array.isArray(list)) return [];
  return list.map(rec).flatMap((d) => {
    const m = str(d.message);
    return m === undefined ? [] : [{ message: m, ...(str(d.name) === undefined ? {} : { name: str(d.name) }) }];
  });
}

/** HubSpot's own explanation and the field it names, from an error body. */
export function hubspotErrorMessage(status: number, text: string): { reason: string; field?: string } {
  const body = rec(parseJson(text));
  const errors = Array.isArray(body.errors) ? body.errors.map(rec) : [];
  const submitErrors = errors.map((e) => str(e.message)).filter((m): m is string => m !== undefined && m.startsWith("Error in '"));
  if (submitErrors.length > 0) {
    const field = submitErrors.map(submitField).find((f) => f !== undefined);
    return { reason: submitErrors.join(' '), ...(field === undefined ? {} : { field }) };
  }
  const message = str(body.message);
  if (message !== undefined) {
    const details = crmDetails(message);
    const first = details[0];
    if (first) return { reason: details.map((d) => d.message).join(' '), ...(first.name === undefined ? {} : { field: first.name }) };
    const extra = errors.map((e) => str(e.message)).filter((m): m is string => m !== undefined && m !== message);
    return { reason: [message, ...extra].join(' ') };
  }
  const t = text.trim();
  return { reason: t === '' ? `HTTP ${status}` : `HTTP ${status}: ${t.slice(0, 300)}` };
}

/** Without Retry-After, the rate-limit window HubSpot names (`policyName`) tells how long to wait. */
function policyWaitMs(text: string): number | undefined {
  const policy = str(rec(parseJson(text)).policyName);
  if (policy === 'SECONDLY') return 1000;
  if (policy === 'TEN_SECONDLY_ROLLING') return 10_000;
  return undefined;
}

/** Classify a HubSpot answer: 2xx delivered, 429/5xx/408 retry, other 4xx permanent. */
export function hubspotOutcome(status: number, text: string, retryAfter: string | null, now: Date): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const { reason, field } = hubspotErrorMessage(status, text);
  if (status === 429 || status === 408 || status >= 500) {
    const ms = retryAfterMs(retryAfter, now) ?? (status === 429 ? policyWaitMs(text) : undefined);
    return ms === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: ms };
  }
  return field === undefined ? { kind: 'permanent', reason } : { kind: 'permanent', reason, field };
}
