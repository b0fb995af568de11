/**
 * The handle the form-source contract fakes with their own error envelopes
 * (Google Forms, HubSpot, Typeform) expose: the shared loopback server,
 * requests recorded with a plain-object query, and a status-only
 * `failNext` whose 429 carries `Retry-After`.
 * @module
 */
import { startLoopbackServer, type LoopbackReply, type LoopbackRequest } from './loopback-server.js';

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

/** The running fake. */
export interface SourceFake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Answer the next `n` requests with `status` (429 carries `Retry-After: retryAfter`). */
  failNext(status: number, n?: number, retryAfter?: string): void;
}

/** How a system plugs in: its handler, its error body for a forced status, its defaults. */
export interface SourceFakeOptions {
  readonly handle: (req: LoopbackRequest) => LoopbackReply;
  readonly failureBody: (status: number) => unknown;
  readonly contentType: string;
  /** `Retry-After` of forced 429s when the test names none. */
  readonly retryAfter: string;
}

/** A JSON reply (a shorthand for handlers). */
export const reply = (status: number, body: unknown, headers: Record<string, string> = {}): LoopbackReply => ({ status, body, headers });

/** Start a source fake. */
export async function startSourceFake(options: SourceFakeOptions): Promise<SourceFake> {
  const requests: RecordedRequest[] = [];
  const server = await startLoopbackServer({
    handle: options.handle,
    contentType: options.contentType,
    onRequest: (r) => requests.push({ method: r.method, path: r.path, query: Object.fromEntries(r.query), headers: r.headers }),
  });
  return {
    url: server.url,
    requests,
    close: () => server.close(),
    failNext(status, n = 1, retryAfter = options.retryAfter) {
      server.failNext({ kind: 'status', status, body: options.failureBody(status), retryAfter: status === 429 ? retryAfter : undefined }, n);
    },
  };
}
