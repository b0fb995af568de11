/**
 * One call to HubSpot's CRM, Files or Associations API with the bearer
 * token, a timeout, and HubSpot's error envelope turned into an outcome;
 * and association type ids looked up, never hard-coded: custom-object type
 * ids are portal specific (HubSpot "Associations v4": `GET
 * /crm/v4/associations/{fromType}/{toType}/labels`). The unlabeled type is
 * the one with `label: null`; a configured label picks a labeled one.
 * @module
 */
import { hubspotOutcome } from '../hubspot-forms/hubspot-error.js';
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';
import { parseJson } from '../webhook/send-attempt.js';
import { senderOf } from '../http/http-sender.js';
import type { HubspotCrmSettings } from './crm-settings.js';

/** A successful answer (parsed JSON body) or the outcome to stop with. */
export type CrmResult = { readonly ok: true; readonly status: number; readonly body: unknown; readonly text: string } | { readonly ok: false; readonly status?: number; readonly text?: string; readonly outcome: DeliveryOutcome };

/** Call `method path` with a JSON body (object) or a multipart form. */
export async function crmRequest(ctx: DeliveryContext<HubspotCrmSettings>, method: string, path: string, body?: unknown): Promise<CrmResult> {
  const s = ctx.settings;
  const isForm = body instanceof FormData;
  const res = await senderOf(ctx).send({
    method,
    url: `${s.baseUrl.replace(/\/$/, '')}${path}`,
    headers: { authorization: `Bearer ${s.token}`, ...(body === undefined || isForm ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: isForm ? body : JSON.stringify(body) }),
    ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }),
  });
  if (res.kind === 'failed') return { ok: false, outcome: res.outcome };
  const outcome = hubspotOutcome(res.status, res.text, res.retryAfter, ctx.now());
  if (outcome.kind !== 'delivered') return { ok: false, status: res.status, text: res.text, outcome };
  return { ok: true, status: res.status, body: parseJson(res.text), text: res.text };
}

/** `obj[key]` of an unknown JSON object. */
export function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** An id HubSpot returned (string or number). */
export function idOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** One association type as the create calls take it. */
export interface AssociationType {
  readonly associationCategory: string;
  readonly associationTypeId: number;
}

/** The type from `fromType` to `toType` with `label` (null = unlabeled), or the outcome to stop with. */
export async function associationType(ctx: DeliveryContext<HubspotCrmSettings>, fromType: string, toType: string, label: string | null): Promise<{ ok: true; type: AssociationType } | { ok: false; outcome: DeliveryOutcome }> {
  const res = await crmRequest(ctx, 'GET', `/crm/v4/associations/${encodeURIComponent(fromType)}/${encodeURIComponent(toType)}/labels`);
  if (!res.ok) return res;
  const results = field(res.body, 'results');
  const list: unknown[] = Array.isArray(results) ? (results as unknown[]) : [];
  const wanted = (x: unknown): boolean => (label === null ? field(x, 'label') === null || field(x, 'label') === undefined || field(x, 'label') === '' : field(x, 'label') === label);
  const hit = list.find((x) => wanted(x) && typeof field(x, 'typeId') === 'number');
  if (hit === undefined) {
    const what = label === null ? 'an unlabeled association type' : `an association labelled '${label}'`;
    return { ok: false, outcome: { kind: 'permanent', reason: `HubSpot has no ${what} from ${fromType} to ${toType}.` } };
  }
  const category = field(hit, 'category');
  return { ok: true, type: { associationCategory: typeof category === 'string' ? category : 'USER_DEFINED', associationTypeId: field(hit, 'typeId') as number } };
}
