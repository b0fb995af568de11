/**
 * The one real HTTP server every contract fake (sources and sinks) runs on:
 * node:http on 127.0.0.1:0, every request read whole and recorded, and
 * scripted failures the way networks and APIs fail — a status answered
 * without processing (5xx, 429 with `Retry-After`), a "lost response" (the
 * request is processed, then the connection dropped before any answer) or a
 * drop before processing. The system-specific fakes only supply a handler.
 * @module
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface LoopbackRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly body: string;
}

/** What a handler answers: objects go out as JSON, strings as they are, `undefined` as an empty body. */
export interface LoopbackReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A scripted failure of one request. */
export type LoopbackFailure =
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly retryAfter?: string | undefined }
  | { readonly kind: 'lost-response' }
  | { readonly kind: 'drop-before-processing' };

/** How a fake plugs into the server. */
export interface LoopbackServerOptions {
  readonly handle: (req: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>;
  /** Decode `%xx` in the recorded path (default false: the path as sent). */
  readonly decodePath?: boolean;
  /** `content-type` of replies unless the reply sets its own (default `application/json`). */
  readonly contentType?: string;
  /** Body of a forced status failure that names none. */
  readonly failureBody?: (status: number) => unknown;
  /** Called with every request as it is recorded (failed ones included), for fakes that keep their own view of them. */
  readonly onRequest?: (req: LoopbackRequest) => void;
  /** Reply when the handler throws (default 500 `{error}`). */
  readonly onCrash?: (error: unknown) => LoopbackReply;
}

/** The handle a test (or a system fake) holds. */
export interface LoopbackServer {
  readonly url: string;
  /** Every request received, in order, failed ones included. */
  readonly requests: LoopbackRequest[];
  /** Fail the next `n` requests (only those with `method`, when given). */
  failNext(failure: LoopbackFailure, n?: number, method?: string): void;
  /** Fail the request with this 0-based index (counted from the start). */
  failRequest(index: number, failure: LoopbackFailure): void;
  close(): Promise<void>;
}

const serialise = (body: unknown): string => (body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));

/** Start a fake around `options.handle`. */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const requests: LoopbackRequest[] = [];
  const queued: Array<{ failure: LoopbackFailure; method?: string | undefined }> = [];
  const byIndex = new Map<number, LoopbackFailure>();
  const contentType = options.contentType ?? 'application/json';
  const takeFailure = (index: number, method: string): LoopbackFailure | undefined => {
    const indexed = byIndex.get(index);
    if (indexed !== undefined) return indexed;
    const at = queued.findIndex((f) => f.method === undefined || f.method === method);
    return at >= 0 ? queued.splice(at, 1)[0]?.failure : undefined;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const path = options.decodePath === true ? decodeURIComponent(url.pathname) : url.pathname;
        const request: LoopbackRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, raw, body: raw.toString('utf8') };
        const failure = takeFailure(requests.length, request.method);
        requests.push(request);
        options.onRequest?.(request);
        if (failure?.kind === 'drop-before-processing') return void req.socket.destroy();
        if (failure?.kind === 'status') {
          const body = failure.body ?? options.failureBody?.(failure.status) ?? { error: 'forced failure' };
          res.writeHead(failure.status, { 'content-type': contentType, ...(failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter }) });
          return void res.end(serialise(body));
        }
        let reply: LoopbackReply;
        try {
          reply = await options.handle(request);
        } catch (error) {
          reply = options.onCrash?.(error) ?? { status: 500, body: { error: String(error) } };
        }
        if (failure?.kind === 'lost-response') return void req.socket.destroy();
        res.writeHead(reply.status, { 'content-type': contentType, ...reply.headers });
        res.end(serialise(reply.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (failure, n = 1, method) => {
      for (let i = 0; i < n; i++) queued.push({ failure, method });
    },
    failRequest: (index, failure) => void byIndex.set(index, failure),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
