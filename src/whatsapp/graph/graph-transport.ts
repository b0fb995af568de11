/**
 * One HTTP call to the Graph API or to a provider mirroring the Cloud API
 * (360dialog style): URL building, authentication, request bodies (JSON,
 * url-encoded or multipart form fields, spec §7: "Bodies are form fields;
 * arrays are JSON-encoded strings") and the error envelope. Network failures
 * and timeouts become retryable {@link GraphError}s with HTTP status 0; a
 * 2xx reply of another shape than documented is a non-retryable one
 * ({@link readReply}).
 * @module
 */
import type { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { GraphError, graphErrorFromResponse } from './graph-error.js';

/** A secret or its plain value (the config's `Secret` has `reveal()`). */
export type TokenSource = string | { reveal(): string };

/** How requests reach Meta. */
export interface GraphTransportOptions {
  /** e.g. `https://graph.facebook.com`, or the emulator's URL. */
  readonly baseUrl: string;
  /** e.g. `v23.0`; ignored by the 360dialog-style transport, which has no version segment. */
  readonly version: string;
  /** Bearer token (meta) or API key (360dialog-style). */
  readonly accessToken: TokenSource;
  /** `meta` (default): `Authorization: Bearer`. `360dialog-style`: an API-key header, no version segment, phone-scoped paths without the phone number id. */
  readonly transport?: 'meta' | '360dialog-style';
  /** Header carrying the key for `360dialog-style`; default `D360-API-KEY`. */
  readonly apiKeyHeader?: string;
  readonly fetch?: typeof fetch;
  /** Per-call timeout; default 30 s. */
  readonly timeoutMs?: number;
}

/** Body of a call. */
export type GraphBody =
  | { readonly json: unknown }
  | { readonly form: Readonly<Record<string, string | undefined>> }
  | { readonly multipart: FormData };

/** One call. */
export interface GraphCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path after the version segment, e.g. `123/assets`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: GraphBody;
}

/** What {@link createGraphTransport} returns. */
export interface GraphTransport {
  /** The parsed JSON reply of a 2xx answer; rejects with {@link GraphError} otherwise. */
  call(request: GraphCall): Promise<unknown>;
  /** Raw bytes of an absolute URL (media download), authenticated like every call. */
  download(url: string): Promise<{ bytes: Uint8Array; contentType: string | undefined }>;
  /** The path of a phone-number-scoped edge, e.g. `123/messages`, or `messages` for 360dialog style. */
  phonePath(phoneNumberId: string, edge: string): string;
}

function reveal(token: TokenSource): string {
  return typeof token === 'string' ? token : token.reveal();
}

function encodeBody(body: GraphBody | undefined): { body?: string | FormData; contentType?: string } {
  if (body === undefined) return {};
  if ('json' in body) return { body: JSON.stringify(body.json), contentType: 'application/json' };
  if ('form' in body) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(body.form)) if (v !== undefined) params.append(k, v);
    return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  // fetch sets the multipart boundary itself.
  return { body: body.multipart };
}

/** Build the transport. */
export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const doFetch = options.fetch ?? globalThis.fetch;
  const kind = options.transport ?? 'meta';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new AppError('USAGE_INVALID', `Graph API base URL must be an http(s) URL, got "${options.baseUrl}"`);
  const prefix = kind === 'meta' ? `${base}/${options.version}` : base;

  const authHeaders = (): Record<string, string> =>
    kind === 'meta' ? { authorization: `Bearer ${reveal(options.accessToken)}` } : { [options.apiKeyHeader ?? 'D360-API-KEY']: reveal(options.accessToken) };

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      throw new GraphError({ httpStatus: 0, message: timedOut ? `Graph API call timed out after ${timeoutMs} ms` : `Graph API unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
    }
  }

  return {
    async call(request) {
      const url = new URL(`${prefix}/${request.path.replace(/^\/+/, '')}`);
      for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      const { body, contentType } = encodeBody(request.body);
      const headers: Record<string, string> = { ...authHeaders(), accept: 'application/json' };
      if (contentType) headers['content-type'] = contentType;
      const res = await send(url.toString(), { method: request.method, headers, ...(body !== undefined && { body }) });
      const text = await res.text();
      if (!res.ok) throw graphErrorFromResponse(res.status, text, res.headers.get('retry-after'));
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new GraphError({ httpStatus: res.status, message: `Graph API answered HTTP ${res.status} with a body that is not JSON`, cause });
      }
    },
    async download(url) {
      const res = await send(url, { method: 'GET', headers: authHeaders() });
      if (!res.ok) throw graphErrorFromResponse(res.status, await res.text(), res.headers.get('retry-after'));
      return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? undefined };
    },
    phonePath(phoneNumberId, edge) {
      return kind === 'meta' ? `${phoneNumberId}/${edge}` : edge;
    },
  };
}

/** Parse `value` with `schema` or throw a GraphError naming the call. */
export function readReply<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape';
  throw new GraphError({ httpStatus: 200, message: `Graph API reply to ${what} is not of the documented shape (${where})` });
}

/** What the per-area API modules share. */
export interface GraphContext {
  readonly transport: GraphTransport;
  readonly wabaId: string | undefined;
  readonly phoneNumberId: string | undefined;
}

/** The WABA or phone number id a call needs, or a usage error saying which option is missing. */
export function requireId(value: string | undefined, option: 'wabaId' | 'phoneNumberId'): string {
  if (value === undefined || value === '') throw new AppError('USAGE_INVALID', `this Graph API call needs the ${option} option of createGraphClient`);
  return value;
}
