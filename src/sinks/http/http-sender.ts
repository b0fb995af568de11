/**
 * The one HTTP request a sink makes per step, behind a small interface so
 * the transport can be chosen by whoever builds the delivery context: the
 * lean undici client in production (`undici-sender.ts`), or an adapter over
 * any `fetch` function (tests, callers that inject `fetch`). Both give the
 * same contract: a timeout counted as a network failure, network failures
 * turned into `retry`, the response body read fully as text, and no request
 * header or URL query ever in a reason.
 * @module
 */
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';

/** Default time an attempt may take before it counts as a network failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** The reason of an attempt that ran out of time. */
export const TIMEOUT_REASON = 'The destination did not answer in time.';

/** A request to send; `body` as the destination must receive it. */
export interface AttemptRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | FormData;
  readonly timeoutMs?: number;
  /** `follow` (the default, as fetch does) or `manual`: a 3xx is returned as it is. */
  readonly redirect?: 'follow' | 'manual';
}

/** What came back from the destination. */
export interface AttemptResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
  /** A response header (case-insensitive), or null. */
  header(name: string): string | null;
}

/** The request never produced a response: the outcome to report. */
export interface AttemptFailure {
  readonly kind: 'failed';
  readonly outcome: DeliveryOutcome;
}

/** Either way an attempt can end. */
export type AttemptResult = AttemptResponse | AttemptFailure;

/** Sends one request; never throws for a network problem (that becomes `retry`). */
export interface HttpSender {
  send(req: AttemptRequest): Promise<AttemptResult>;
}

/** The URL as it may appear in a reason: no query, no fragment, no credentials. */
function shownUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.search === '' && u.hash === '' && u.username === '' && u.password === '' ? undefined : `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Headers whose values describe the body, never a credential: left readable in a reason. */
const PLAIN_HEADERS = new Set(['content-type', 'accept', 'user-agent', 'content-length']);

/**
 * The error's own text, naming its code (`ECONNREFUSED`, `UND_ERR_SOCKET`…)
 * and nothing from the request: no header value (fetch quotes a value it
 * refuses), and the URL only without its query. `timedOut` is the caller's
 * own deadline having fired.
 */
export function networkReason(e: unknown, req: Pick<AttemptRequest, 'url' | 'headers'>, timedOut = false): string {
  if (timedOut || (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))) return TIMEOUT_REASON;
  if (!(e instanceof Error)) return 'Network error.';
  const codeOf = (x: unknown): string | undefined => (typeof x === 'object' && x !== null && 'code' in x && typeof x.code === 'string' ? x.code : undefined);
  const code = codeOf(e) ?? codeOf((e as { cause?: unknown }).cause);
  const safe = shownUrl(req.url);
  let message = safe === undefined ? e.message : e.message.split(req.url).join(safe);
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (value !== '' && !PLAIN_HEADERS.has(name.toLowerCase())) message = message.split(value).join('[redacted]');
  }
  return `Network error${code ? ` (${code})` : ''}: ${message}`;
}

/** The failure of an attempt that produced no response. */
export function failedAttempt(e: unknown, req: AttemptRequest, timedOut = false): AttemptFailure {
  return { kind: 'failed', outcome: { kind: 'retry', reason: networkReason(e, req, timedOut) } };
}

/** The retry outcome of a request to `destination` that got no answer (`Jotform could not be reached: …`). */
export function unreachable(destination: string, failure: AttemptFailure): DeliveryOutcome {
  const reason = failure.outcome.kind === 'delivered' ? 'no answer' : failure.outcome.reason;
  return { kind: 'retry', reason: `${destination} could not be reached: ${reason}` };
}

/** A sender over any `fetch` function (global fetch or a test's). */
export function fetchSender(fetchImpl: typeof fetch): HttpSender {
  return {
    async send(req) {
      try {
        const res = await fetchImpl(req.url, {
          method: req.method,
          ...(req.headers ? { headers: req.headers } : {}),
          ...(req.body === undefined ? {} : { body: req.body }),
          ...(req.redirect === 'manual' ? { redirect: 'manual' as const } : {}),
          signal: AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
        const text = await res.text();
        return { kind: 'response', status: res.status, text, retryAfter: res.headers.get('retry-after'), header: (name) => res.headers.get(name) };
      } catch (e) {
        return failedAttempt(e, req);
      }
    },
  };
}

const adapters = new WeakMap<typeof fetch, HttpSender>();

/** The context's sender: its own, or an adapter over its `fetch`. */
export function senderOf(ctx: Pick<DeliveryContext<unknown>, 'http' | 'fetch'>): HttpSender {
  if (ctx.http !== undefined) return ctx.http;
  let adapter = adapters.get(ctx.fetch);
  if (adapter === undefined) {
    adapter = fetchSender(ctx.fetch);
    adapters.set(ctx.fetch, adapter);
  }
  return adapter;
}
