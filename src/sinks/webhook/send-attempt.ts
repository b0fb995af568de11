/**
 * One HTTP attempt as every sink makes it, through the context's sender
 * (`../http/http-sender.ts`: a timeout on the request, network failures
 * turned into `retry`, the response read once as text), and a signed
 * webhook's answer classified in the consumer's own words. Request headers
 * (which carry tokens and signatures) never appear in what this returns.
 * @module
 */
import { z } from 'zod';
import { senderOf } from '../http/http-sender.js';
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';

export { DEFAULT_TIMEOUT_MS, senderOf, type AttemptFailure, type AttemptRequest, type AttemptResponse, type AttemptResult } from '../http/http-sender.js';

/**
 * Settings of every signed-webhook sink (generic Standard Webhooks, Typeform- and Tally-shaped): the
 * consumer's URL (https in production), the secret it verifies signatures with (`whsec_<base64>` for
 * Standard Webhooks, the product's webhook secret otherwise), and an optional per-request timeout.
 */
export const signedWebhookSettings = z.object({
  url: z.url(),
  secret: z.string().min(1),
  timeoutMs: z.number().int().positive().optional(),
});

/** See {@link signedWebhookSettings}. */
export type SignedWebhookSettings = z.infer<typeof signedWebhookSettings>;

/** Parse a JSON body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Retry-After as milliseconds: delta seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const h = header.trim();
  if (/^\d+$/.test(h)) return Number(h) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Longest part of a consumer's error body kept in a reason. */
const MAX_REASON = 300;

/** The consumer's own words, shortened. */
function consumerMessage(status: number, text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  const head = t.length > MAX_REASON ? `${t.slice(0, MAX_REASON)}…` : t;
  return head === '' ? `HTTP ${status}` : `HTTP ${status}: ${head}`;
}

/** Outcome of one consumer answer. */
export function webhookOutcome(status: number, text: string, retryAfter: string | null, now: Date): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const reason = consumerMessage(status, text);
  if (status === 429 || status === 408 || status >= 500) {
    const ms = retryAfterMs(retryAfter, now);
    return ms === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: ms };
  }
  return { kind: 'permanent', reason };
}

/** POST a signed JSON body to a consumer and classify the answer. */
export async function postWebhook(ctx: DeliveryContext<unknown>, url: string, headers: Record<string, string>, body: string, timeoutMs?: number): Promise<DeliveryOutcome> {
  const res = await senderOf(ctx).send({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  if (res.kind === 'failed') return res.outcome;
  return webhookOutcome(res.status, res.text, res.retryAfter, ctx.now());
}
