/**
 * The handle the form-source contract fakes (Jotform, Tally, Formbricks,
 * SurveyMonkey) expose: the shared loopback server with a status-only
 * `failNext` whose bodies are the system's own error envelope.
 * @module
 */
import { loadFixture } from '../shared/fixture-loader.js';
import { startLoopbackServer, type LoopbackReply, type LoopbackRequest } from '../shared/loopback-server.js';

export { loadFixture };

/** One request as the fake saw it. */
export type RecordedRequest = LoopbackRequest;

/** A reply from a handler. */
export type FakeReply = LoopbackReply;

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

/** Start the server. */
export async function startLoopbackFake(options: LoopbackOptions): Promise<LoopbackFake> {
  const server = await startLoopbackServer({ handle: options.handle });
  return {
    url: server.url,
    requests: server.requests,
    close: () => server.close(),
    failNext: (status, n = 1) => {
      const retryAfter = status === 429 ? (options.retryAfter ?? '2') : undefined;
      server.failNext({ kind: 'status', status, body: options.errorBody(status), retryAfter }, n);
    },
  };
}
