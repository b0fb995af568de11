/**
 * One HTTP attempt as every sink makes it: a timeout on the request, network
 * failures turned into `retry` (the delivery pipeline backs off), and the
 * response read once as text so the sink can classify it in the
 * destination's own words. Request headers (which carry tokens and
 * signatures) never appear in what this returns.
 * @module
 */
import { z } from 'zod';
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';

/** Default time an attempt may take before it counts as a network failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

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

/** What came back from the destination. */
export interface AttemptResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
}

/** The request never produced a response: the outcome to report. */
export interface AttemptFailure {
  readonly kind: 'failed';
  readonly outcome: DeliveryOutcome;
}

/** A request to send; `body` as the destination must receive it. */
export interface AttemptRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | FormData;
  readonly timeoutMs?: number;
}

/** The error's own text without anything from the request (no URL query, no headers). */
function networkReason(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'The destination did not answer in time.';
    const cause = (e as { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
    return `Network error${code ? ` (${code})` : ''}: ${e.message}`;
  }
  return 'Network error.';
}

/** Send once; never throws for a network problem (that becomes `retry`). */
export async function sendAttempt(fetchImpl: typeof fetch, req: AttemptRequest): Promise<AttemptResponse | AttemptFailure> {
  try {
    const res = await fetchImpl(req.url, {
      method: req.method,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    const text = await res.text();
    return { kind: 'response', status: res.status, text, retryAfter: res.headers.get('retry-after') };
  } catch (e) {
    return { kind: 'failed', outcome: { kind: 'retry', reason: networkReason(e) } };
  }
}

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
  const res = await sendAttempt(ctx.fetch, {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  if (res.kind === 'failed') return res.outcome;
  return webhookOutcome(res.status, res.text, res.retryAfter, ctx.now());
}
