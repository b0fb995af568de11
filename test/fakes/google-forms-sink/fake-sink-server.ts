/**
 * The handle every sink contract fake exposes: the shared loopback server
 * plus a ledger of the writes the destination accepted, so tests can count
 * duplicates after forced failures (5xx, 429 with `Retry-After`, a "lost
 * response", a drop before processing).
 * @module
 */
import { loadFixture } from '../shared/fixture-loader.js';
import { startLoopbackServer, type LoopbackFailure, type LoopbackReply, type LoopbackRequest } from '../shared/loopback-server.js';

/** One request as the fake received it. */
export type FakeRequest = LoopbackRequest;

/** What a handler answers; `body` objects are sent as JSON, strings as they are (as HTML). */
export type FakeResponse = LoopbackReply;

/** A forced failure for the next request(s). */
export type FakeFailure = LoopbackFailure;

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
  const ledger: Entry[] = [];
  const server = await startLoopbackServer({
    handle: (req) => {
      const reply = handler(req, (e) => ledger.push(e));
      return typeof reply.body === 'string' ? { ...reply, headers: { 'content-type': 'text/html; charset=utf-8', ...reply.headers } } : reply;
    },
  });
  return { url: server.url, requests: server.requests, ledger, failNext: (failure, n, method) => server.failNext(failure, n, method), close: () => server.close() };
}

/** A sink fixture file without its `_` annotation keys (never wire data). */
export function loadSinkFixture(system: string, name: string): unknown {
  return loadFixture(`/work/shared/fixtures/sinks/${system}/${name}`);
}
