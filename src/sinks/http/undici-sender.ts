/**
 * The production {@link HttpSender}: undici's `request()` over one shared
 * keep-alive `Agent`, without the Fetch machinery (Request/Response/Headers
 * objects, web streams, `AbortSignal.timeout`) that cost most of a delivery
 * attempt's CPU. Behaves as the fetch path did in what the sinks meet:
 * redirects followed (301/302 POST and 303 become GET, credentials dropped
 * across origins — undici's redirect interceptor) unless `manual`, where
 * fetch differs only at the edges (after 20 hops the last 3xx is returned
 * instead of a network error; a 300 is followed); `accept: *∕*`, `user-agent: node`
 * and a text content type for a string body when the caller sets none. The
 * deadline covers connecting, the answer and reading the body. A FormData
 * body (HubSpot file uploads) goes through `fetch`, which encodes multipart
 * exactly as the destinations' fakes expect.
 * @module
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { DEFAULT_TIMEOUT_MS, failedAttempt, fetchSender, type AttemptRequest, type AttemptResult, type HttpSender } from './http-sender.js';

/** Options of {@link createUndiciSender}. */
export interface UndiciSenderOptions {
  /** The connection pool; default a new keep-alive Agent. */
  readonly agent?: Dispatcher;
  /** Sends FormData bodies; default global fetch. */
  readonly fetch?: typeof fetch;
}

/** A sender that can also close its connections. */
export interface ClosableSender extends HttpSender {
  close(): Promise<void>;
}

/** Redirects followed, as many as fetch allows. */
const MAX_REDIRECTIONS = 20;

function withDefaults(req: AttemptRequest): Record<string, string> {
  const out: Record<string, string> = {};
  let accept = false;
  let agent = false;
  let type = false;
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    out[name] = value;
    const lower = name.toLowerCase();
    accept ||= lower === 'accept';
    agent ||= lower === 'user-agent';
    type ||= lower === 'content-type';
  }
  if (!accept) out['accept'] = '*/*';
  if (!agent) out['user-agent'] = 'node';
  if (!type && typeof req.body === 'string') out['content-type'] = 'text/plain;charset=UTF-8';
  return out;
}

const first = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));

let undici: typeof Undici | undefined;

/** undici, loaded at the first request rather than at every start of the server (about 40 ms of a built start-up). */
function loadUndici(): typeof Undici {
  return (undici ??= createRequire(import.meta.url)('undici') as typeof Undici);
}

/** Build a sender over undici `request()`; the connection pool is made at the first request. */
export function createUndiciSender(options: UndiciSenderOptions = {}): ClosableSender {
  let pool: { readonly agent: Dispatcher; readonly following: Dispatcher } | undefined;
  let closed = false;
  const formSender = fetchSender(options.fetch ?? globalThis.fetch);

  function dispatchers(): { readonly agent: Dispatcher; readonly following: Dispatcher } {
    if (pool !== undefined) return pool;
    if (closed) throw new Error('the connection pool is closed');
    const { Agent, interceptors } = loadUndici();
    const agent = options.agent ?? new Agent();
    pool = { agent, following: agent.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS })) };
    return pool;
  }

  async function send(req: AttemptRequest): Promise<AttemptResult> {
    if (req.body !== undefined && typeof req.body !== 'string') return formSender.send(req);
    // undici takes an EventEmitter as the abort signal: far cheaper to make than an AbortController.
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      const url = new URL(req.url);
      if (url.username !== '' || url.password !== '') throw new TypeError('A URL with credentials cannot be requested.');
      const { agent, following } = dispatchers();
      const res = await (req.redirect === 'manual' ? agent : following).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers: withDefaults(req),
        body: req.body ?? null,
        signal: abort,
      });
      const text = await res.body.text();
      const headers = res.headers;
      return { kind: 'response', status: res.statusCode, text, retryAfter: first(headers['retry-after']), header: (name) => first(headers[name.toLowerCase()]) };
    } catch (e) {
      return failedAttempt(e, req, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    send,
    async close() {
      closed = true;
      // A pool given by the caller is closed even when no request was ever sent through it.
      await (pool?.agent ?? options.agent)?.close();
    },
  };
}

let shared: ClosableSender | undefined;

/** The process-wide sender (one connection pool for every sink). */
export function sharedHttpSender(): HttpSender {
  shared ??= createUndiciSender();
  return shared;
}

/** Close the process-wide sender's connections (at shutdown); the next {@link sharedHttpSender} call opens a new pool. */
export async function closeSharedHttpSender(): Promise<void> {
  const closing = shared;
  shared = undefined;
  await closing?.close();
}
