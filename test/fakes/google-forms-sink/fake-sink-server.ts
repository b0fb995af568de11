/**
 * The real HTTP server every sink contract fake runs on (127.0.0.1:0): it
 * reads each request whole, hands it to the destination's handler, keeps a
 * ledger of accepted writes, and can be told to fail the next requests the
 * way networks and destinations fail — a 5xx, a 429 with `Retry-After`, or a
 * "lost response" (the write is processed, then the connection is dropped
 * before any answer).
 * @module
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a handler answers; `body` objects are sent as JSON, strings as they are. */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A forced failure for the next request(s). */
export type FakeFailure =
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly retryAfter?: string }
  | { readonly kind: 'lost-response' }
  | { readonly kind: 'drop-before-processing' };

/** The handle a test holds. */
export interface FakeSinkServer<Entry> {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** Writes the destination accepted, in order (duplicates included: that is what the ledger counts). */
  readonly ledger: Entry[];
  /** Fail the next `n` requests (only those with `method`, when given). */
  failNext(failure: FakeFailure, n?: number, method?: string): void;
  close(): Promise<void>;
}

/** A handler: `accept` records a write in the ledger. */
export type FakeHandler<Entry> = (req: FakeRequest, accept: (entry: Entry) => void) => FakeResponse;

/** Start a fake around `handler`. */
export async function startFakeSinkServer<Entry>(handler: FakeHandler<Entry>): Promise<FakeSinkServer<Entry>> {
  const requests: FakeRequest[] = [];
  const ledger: Entry[] = [];
  const forced: Array<{ failure: FakeFailure; method?: string | undefined }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const at = forced.findIndex((f) => f.method === undefined || f.method === request.method);
      const failure = at >= 0 ? forced.splice(at, 1)[0]?.failure : undefined;
      if (failure?.kind === 'drop-before-processing') return void res.socket?.destroy();
      if (failure?.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'application/json', ...(failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {}) };
        res.writeHead(failure.status, headers);
        return void res.end(typeof failure.body === 'string' ? failure.body : JSON.stringify(failure.body ?? { error: 'forced failure' }));
      }
      let reply: FakeResponse;
      try {
        reply = handler(request, (e) => ledger.push(e));
      } catch (error) {
        reply = { status: 500, body: { error: String(error) } };
      }
      if (failure?.kind === 'lost-response') return void res.socket?.destroy();
      const text = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    ledger,
    failNext: (failure, n = 1, method) => {
      for (let i = 0; i < n; i++) forced.push({ failure, method });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** A fixture file without its `_` annotation keys (never wire data). */
export function loadSinkFixture(system: string, name: string): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('_')).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(JSON.parse(readFileSync(`/work/shared/fixtures/sinks/${system}/${name}`, 'utf8')));
}
