/**
 * The HTTP client sources (and later sinks) use: a base URL, auth headers,
 * JSON in and out, a timeout, and retries of 429/503 with exponential backoff
 * that honours `Retry-After`. Errors carry the outside system's own message.
 * @module
 */
import { AppError } from '../core/errors.js';

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly headers?: Record<string, string>;
  /** Per-attempt timeout, ms (default 20 000). */
  readonly timeoutMs?: number;
  /** Retries after a 429/503/network error (default 4). */
  readonly maxRetries?: number;
  /** First backoff, ms (default 500); doubled each retry, with full jitter. */
  readonly baseDelayMs?: number;
  /** Upper bound of one wait, ms (default 30 000). */
  readonly maxDelayMs?: number;
  /** Turns a system's error body into its message (default: the body text). */
  readonly errorMessage?: (status: number, body: unknown) => string;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof fetch;
}

export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface HttpClient {
  get<T = unknown>(path: string, query?: Record<string, string | number | undefined>): Promise<HttpResponse<T>>;
  request<T = unknown>(method: string, path: string, init?: { query?: Record<string, string | number | undefined>; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> }): Promise<HttpResponse<T>>;
}

/** Seconds or an HTTP date in `Retry-After`, as ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json') || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Create a client bound to one system. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRetries ?? 4;
  const base = options.baseUrl.replace(/\/+$/, '');
  const describe = options.errorMessage ?? ((_s: number, b: unknown) => (typeof b === 'string' ? b : JSON.stringify(b)));

  async function request<T>(method: string, path: string, init: Parameters<HttpClient['request']>[2] = {}): Promise<HttpResponse<T>> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...init.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    } else if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
      } catch (cause) {
        if (attempt < maxRetries) {
          await sleep(backoff(attempt, undefined));
          continue;
        }
        throw new AppError('ENDPOINT_FAILED', `${method} ${url.origin}${url.pathname} failed: ${(cause as Error).message}`, { cause });
      }
      const parsed = parseBody(await response.text(), response.headers.get('content-type'));
      if ((response.status === 429 || response.status === 503) && attempt < maxRetries) {
        await sleep(backoff(attempt, retryAfterMs(response.headers.get('retry-after'))));
        continue;
      }
      if (response.status >= 400) {
        const status = response.status === 401 || response.status === 403 ? 'USAGE_INVALID' : 'ENDPOINT_FAILED';
        throw new AppError(status, `${url.host} answered ${response.status}: ${describe(response.status, parsed)}`, {
          status: response.status,
          details: { status: response.status, body: parsed },
        });
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    }
  }

  function backoff(attempt: number, hinted: number | undefined): number {
    const cap = options.maxDelayMs ?? 30_000;
    if (hinted !== undefined) return Math.min(hinted, cap);
    const ceiling = Math.min(cap, (options.baseDelayMs ?? 500) * 2 ** attempt);
    return Math.floor(Math.random() * ceiling);
  }

  return { request, get: (path, query) => request('GET', path, { query }) };
}
