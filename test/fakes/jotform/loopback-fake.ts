/**
 * A tiny real HTTP server on 127.0.0.1:0 that the contract fakes of the form
 * sources share: it records every request, lets a test force the next N
 * answers to an error status (429 with `Retry-After`), and otherwise defers
 * to the system-specific handler.
 * @module
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

/** A reply from a handler. */
export interface FakeReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** The handle a test holds. */
export interface LoopbackFake {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
  /** Answer the next `n` requests with `status` (the system's own error body; 429 carries `Retry-After`). */
  failNext(status: number, n?: number): void;
}

/** Options of {@link startLoopbackFake}. */
export interface LoopbackOptions {
  readonly handle: (req: RecordedRequest) => FakeReply;
  readonly errorBody: (status: number) => unknown;
  /** `Retry-After` sent with forced 429s (seconds), default '2'. */
  readonly retryAfter?: string;
}

/** A fixture file without its `_` annotation keys (they are never wire data). */
export function loadFixture(path: string): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('_')).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(JSON.parse(readFileSync(path, 'utf8')));
}

/** Start the server. */
export async function startLoopbackFake(options: LoopbackOptions): Promise<LoopbackFake> {
  const requests: RecordedRequest[] = [];
  const forced: number[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(recorded);
    req.resume();
    req.on('end', () => {
      const status = forced.shift();
      const reply: FakeReply = status !== undefined
        ? { status, body: options.errorBody(status), headers: status === 429 ? { 'retry-after': options.retryAfter ?? '2' } : {} }
        : options.handle(recorded);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
    failNext: (status, n = 1) => {
      for (let i = 0; i < n; i++) forced.push(status);
    },
  };
}
