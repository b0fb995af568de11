/**
 * The handle the webhook-style sink fakes (HubSpot, signed receivers)
 * expose: the shared loopback server with `%xx`-decoded paths, HubSpot-like
 * `{message}` error bodies, and failures addressed either to the next N
 * requests or to one request by index.
 * @module
 */
import { startLoopbackServer, type LoopbackFailure, type LoopbackReply, type LoopbackRequest } from '../shared/loopback-server.js';

/** A request as the handler sees it. */
export type FakeRequest = LoopbackRequest;

/** What the handler answers. */
export type FakeResponse = LoopbackReply;

/** A scripted failure: a status answered without processing, or `lose` (processed, then the connection dropped). */
export type FakeFailure = { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly retryAfter?: string } | { readonly kind: 'lose' };

/** A running fake. */
export interface FakeServer {
  readonly url: string;
  /** Every request received, in order (method and path). */
  readonly requests: Array<{ method: string; path: string }>;
  /** The next `n` requests fail this way. */
  failNext(n: number, failure: FakeFailure): void;
  /** The request with this 0-based index (counted from the start) fails this way. */
  failRequest(index: number, failure: FakeFailure): void;
  close(): Promise<void>;
}

const toLoopback = (failure: FakeFailure): LoopbackFailure => (failure.kind === 'lose' ? { kind: 'lost-response' } : failure);

/** Start a fake answering with `handler`. */
export async function startFakeHttpServer(handler: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>): Promise<FakeServer> {
  const server = await startLoopbackServer({
    handle: handler,
    decodePath: true,
    failureBody: () => ({ message: 'Internal error' }),
    onCrash: (e) => ({ status: 500, body: { message: e instanceof Error ? e.message : 'fake crashed' } }),
  });
  return {
    url: server.url,
    requests: server.requests,
    failNext: (n, failure) => server.failNext(toLoopback(failure), n),
    failRequest: (index, failure) => server.failRequest(index, toLoopback(failure)),
    close: () => server.close().catch(() => undefined),
  };
}
