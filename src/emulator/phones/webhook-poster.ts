/**
 * Posts webhooks the way Meta does (spec §6.1; Meta, "Webhooks"): a JSON
 * body signed with the app secret in `X-Hub-Signature-256`, and on anything
 * but HTTP 200 (or a network error or timeout) a retry after an exponential
 * backoff. Meta keeps retrying for up to 7 days; the emulator's attempts and
 * delays are bounded and configurable so a run ends.
 * @module
 */
import type { HttpPost } from '../../core/runtime/endpoint/endpoint-client.js';
import { signBody } from '../../whatsapp/hub-signature.js';

/** Retry policy of {@link createWebhookPoster}. */
export interface WebhookRetryPolicy {
  /** Attempts in all, first one included (default 6). */
  readonly maxAttempts?: number;
  /** Delay before the first retry, ms (default 1,000); doubled each time. */
  readonly initialDelayMs?: number;
  /** Largest delay between attempts, ms (default 60,000). */
  readonly maxDelayMs?: number;
  /** Per-attempt timeout, ms (default 10,000). */
  readonly timeoutMs?: number;
}

/** Options of {@link createWebhookPoster}. */
export interface WebhookPosterOptions extends WebhookRetryPolicy {
  /** Where to post; read at each delivery, so it can be set after start. Undefined: deliveries are dropped (reported). */
  readonly url: () => string | undefined;
  /** The Meta app secret the receiver verifies with. */
  readonly appSecret: string;
  readonly post: HttpPost;
  /** Wait between attempts (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one delivery came to. */
export interface DeliveryReport {
  readonly ok: boolean;
  readonly attempts: number;
  /** HTTP status of each attempt; 0 for a network error or timeout. */
  readonly statuses: readonly number[];
  /** Why the last attempt failed, when `ok` is false. */
  readonly error?: string;
}

/** Delivers webhook bodies. */
export interface WebhookPoster {
  deliver(body: Readonly<Record<string, unknown>>): Promise<DeliveryReport>;
}

/** A real pause; phones take an injected one in tests. */
export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `retry` (1-based). */
export function backoffDelay(retry: number, policy: WebhookRetryPolicy): number {
  const initial = policy.initialDelayMs ?? 1000;
  return Math.min(policy.maxDelayMs ?? 60_000, initial * 2 ** (retry - 1));
}

/** Build a poster. */
export function createWebhookPoster(options: WebhookPosterOptions): WebhookPoster {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  return {
    async deliver(body) {
      const url = options.url();
      if (url === undefined) return { ok: false, attempts: 0, statuses: [], error: 'no webhook URL configured' };
      const raw = JSON.stringify(body);
      const headers = { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(raw, options.appSecret), 'User-Agent': 'facebookexternalua' };
      const statuses: number[] = [];
      let error = '';
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        if (attempt > 1) await sleep(backoffDelay(attempt - 1, options));
        try {
          const res = await options.post(url, raw, headers, timeoutMs);
          statuses.push(res.status);
          if (res.status === 200) return { ok: true, attempts: attempt, statuses };
          error = `HTTP ${res.status}`;
        } catch (err) {
          statuses.push(0);
          error = err instanceof Error ? err.message : String(err);
        }
      }
      return { ok: false, attempts: maxAttempts, statuses, error };
    },
  };
}

/** Result of {@link verifyCallbackUrl}. */
export type CallbackCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Meta's check of a callback URL when it is configured (spec §6.1): `GET`
 * with `hub.mode=subscribe`, a random `hub.challenge` and the
 * `hub.verify_token`; the URL must answer 200 with the challenge as the body.
 */
export async function verifyCallbackUrl(url: string, verifyToken: string, timeoutMs = 10_000): Promise<CallbackCheck> {
  const challenge = String(Math.floor(Math.random() * 1e9) + 1e9);
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.challenge', challenge);
  target.searchParams.set('hub.verify_token', verifyToken);
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    if (res.status !== 200) return { ok: false, reason: `the callback URL answered HTTP ${res.status} (is the verify token the same on both sides?)` };
    if (body.trim() !== challenge) return { ok: false, reason: 'the callback URL answered 200 but did not echo hub.challenge as its body' };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `the callback URL could not be reached: ${err instanceof Error ? err.message : String(err)}` };
  }
}
