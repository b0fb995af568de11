/**
 * The HTTP plumbing every sink fake shares: a real node:http server on
 * 127.0.0.1:0, the raw request handed to a contract handler, and scripted
 * failures for the next N requests — a status (5xx, 429 with Retry-After)
 * answered without processing, or a "lost response": processed (the ledger
 * records the write) and then the connection dropped before any answer.
 * @module
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the handler sees it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly raw: Buffer;
  readonly text: string;
}

/** What the handler answers. */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A scripted failure. */
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

/** Start a fake answering with `handler`. */
export async function startFakeHttpServer(handler: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>): Promise<FakeServer> {
  const failures: FakeFailure[] = [];
  const byIndex = new Map<number, FakeFailure>();
  const requests: Array<{ method: string; path: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://fake');
        const fr: FakeRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, raw, text: raw.toString('utf8') };
        const failure = byIndex.get(requests.length) ?? failures.shift();
        requests.push({ method: fr.method, path: fr.path });
        if (failure?.kind === 'status') {
          res.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter }) });
          res.end(JSON.stringify(failure.body ?? { message: 'Internal error' }));
          return;
        }
        let answer: FakeResponse;
        try {
          answer = await handler(fr);
        } catch (e) {
          answer = { status: 500, body: { message: e instanceof Error ? e.message : 'fake crashed' } };
        }
        if (failure?.kind === 'lose') {
          req.socket.destroy();
          return;
        }
        const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(n, failure) {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    failRequest(index, failure) {
      byIndex.set(index, failure);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
