/**
 * The runtime's data-exchange client: encrypts a request as WhatsApp does,
 * POSTs it through an injected transport and reacts to the answer the way
 * the WhatsApp client does (spec §2.6, §2.8; Meta, "Implementing Endpoints
 * for Flows" and "Error codes"): 421 → re-fetch the business public key and
 * retry once; 427 → token invalid, with the business's `error_msg` if any;
 * 432 → signature rejected; 10 s timeout. I/O and crypto are injected, so this
 * stays pure and browser-safe.
 * @module
 */
import { isObject } from '../../flow/json.js';
import type { FlowCrypto } from './flow-crypto.js';
import { endpointFailure, interpretReply, type EndpointReply, type EndpointRequest } from './endpoint-reply.js';

export type { EndpointReply, EndpointRequest } from './endpoint-reply.js';

/**
 * POST `body` to `url` with `headers`; resolve with the status and body text
 * whatever the status. Reject on network failure; on timeout reject with an
 * error named `TimeoutError` or `AbortError`.
 */
export type HttpPost = (
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<{ status: number; text: string }>;

/** Sends requests to one flow endpoint. */
export interface EndpointClient {
  send(request: EndpointRequest): Promise<EndpointReply>;
}

/** WhatsApp's client timeout per endpoint request (spec §2.8, `timeout_error`). */
export const DEFAULT_ENDPOINT_TIMEOUT_MS = 10_000;

/** Options of {@link createEndpointClient}. */
export interface EndpointClientOptions {
  url: string;
  /** The business public key (SPKI PEM), or a function fetching it (called again after a 421). */
  publicKeyPem: string | (() => Promise<string>);
  crypto: FlowCrypto;
  post: HttpPost;
  timeoutMs?: number;
  /** Produce the `X-Hub-Signature-256` value for the raw body (spec §2.7); no header when absent. */
  sign?: (rawBody: string) => Promise<string>;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Resolve with `promise` or reject with a TimeoutError after `ms`, whichever is first. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no response within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Marker: the endpoint answered 421, the caller decides whether to retry. */
const RETRY = Symbol('retry-after-421');

/** Create a client for one endpoint. */
export function createEndpointClient(opts: EndpointClientOptions): EndpointClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_ENDPOINT_TIMEOUT_MS;
  const source = opts.publicKeyPem;
  let cachedKey: Promise<string> | undefined;

  function publicKey(refetch: boolean): Promise<string> {
    if (typeof source === 'string') return Promise.resolve(source);
    if (refetch || !cachedKey) {
      const key = source();
      cachedKey = key;
      void key.catch(() => {
        if (cachedKey === key) cachedKey = undefined;
      });
    }
    return cachedKey;
  }

  async function tokenInvalid(text: string, session: Parameters<FlowCrypto['decryptResponse']>[1]): Promise<EndpointReply> {
    let body: unknown;
    try {
      body = await opts.crypto.decryptResponse(text.trim(), session);
    } catch {
      try {
        body = JSON.parse(text) as unknown; // the docs show a plain JSON body (spec §2.6, unconfirmed)
      } catch {
        body = undefined;
      }
    }
    const msg = isObject(body) && typeof body.error_msg === 'string' && body.error_msg !== '' ? body.error_msg : undefined;
    const detail = msg === undefined ? 'endpoint answered 427 (flow token invalid or expired)' : `endpoint answered 427: ${msg}`;
    return endpointFailure('token-invalid', detail, msg === undefined ? { status: 427 } : { status: 427, userMessage: msg });
  }

  async function attempt(request: EndpointRequest, refetch: boolean): Promise<EndpointReply | typeof RETRY> {
    let pem: string;
    try {
      pem = await publicKey(refetch);
    } catch (err) {
      return endpointFailure('key-refetch-failed', `could not fetch the business public key: ${message(err)}`);
    }
    let encrypted: Awaited<ReturnType<FlowCrypto['encryptRequest']>>;
    try {
      encrypted = await opts.crypto.encryptRequest(request, pem);
    } catch (err) {
      return endpointFailure('key-refetch-failed', `the business public key is unusable: ${message(err)}`);
    }
    const rawBody = JSON.stringify(encrypted.body);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    let res: { status: number; text: string };
    try {
      if (opts.sign) headers['X-Hub-Signature-256'] = await opts.sign(rawBody);
      res = await withTimeout(opts.post(opts.url, rawBody, headers, timeoutMs), timeoutMs);
    } catch (err) {
      return isTimeout(err)
        ? endpointFailure('timeout', `no response within ${timeoutMs} ms`)
        : endpointFailure('network', `request failed: ${message(err)}`);
    }
    switch (res.status) {
      case 200:
        break;
      case 421:
        return RETRY;
      case 427:
        return tokenInvalid(res.text, encrypted.session);
      case 432:
        return endpointFailure('signature-rejected', 'endpoint answered 432 (request signature check failed)', { status: 432 });
      default:
        return endpointFailure('http-status', `endpoint answered HTTP ${res.status}`, { status: res.status });
    }
    let body: unknown;
    try {
      body = await opts.crypto.decryptResponse(res.text.trim(), encrypted.session);
    } catch (err) {
      return endpointFailure('garbage', `reply could not be decrypted: ${message(err)}`, { status: 200 });
    }
    return interpretReply(request, body);
  }

  return {
    async send(request) {
      const first = await attempt(request, false);
      if (first !== RETRY) return first;
      const second = await attempt(request, true);
      if (second !== RETRY) return second;
      return endpointFailure(
        'key-refetch-failed',
        'endpoint answered 421 twice: it cannot decrypt requests made with the current public key (business-decryption-error)',
        { status: 421 },
      );
    },
  };
}
