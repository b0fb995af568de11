/**
 * A webhook consumer as the sink fakes model it: checks the content type and
 * the signature (401 when wrong, as consumers are told to), validates the
 * payload (400 with the problems), and keeps a ledger of accepted events
 * so tests can count duplicates by event id.
 * @module
 */
import { startFakeHttpServer, type FakeRequest, type FakeServer } from './fake-http-server.js';

/** One accepted event. */
export interface LedgerEntry {
  readonly eventId: string;
  readonly payload: Record<string, unknown>;
  readonly headers: FakeRequest['headers'];
}

/** What makes one consumer different from another. */
export interface ReceiverRules {
  /** An error when the signature is wrong or missing. */
  verify(req: FakeRequest): string | undefined;
  /** Problems with the payload (empty when acceptable). */
  validate(payload: Record<string, unknown>): string[];
  /** The id a consumer dedupes on. */
  eventId(payload: Record<string, unknown>, req: FakeRequest): string;
}

/** A running receiver. */
export interface SignedReceiver extends FakeServer {
  readonly ledger: LedgerEntry[];
  /** Distinct event ids accepted. */
  uniqueEvents(): number;
}

/** Start a receiver on 127.0.0.1:0. */
export async function startSignedReceiver(rules: ReceiverRules): Promise<SignedReceiver> {
  const ledger: LedgerEntry[] = [];
  const server = await startFakeHttpServer((req) => {
    if (req.method !== 'POST') return { status: 405, body: { error: 'method not allowed' } };
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return { status: 415, body: { error: 'expected application/json' } };
    const bad = rules.verify(req);
    if (bad !== undefined) return { status: 401, body: { error: bad } };
    let payload: unknown;
    try {
      payload = JSON.parse(req.body);
    } catch {
      return { status: 400, body: { error: 'body is not JSON' } };
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { status: 400, body: { error: 'body is not a JSON object' } };
    const p = payload as Record<string, unknown>;
    const problems = rules.validate(p);
    if (problems.length > 0) return { status: 400, body: { error: problems.join('; ') } };
    ledger.push({ eventId: rules.eventId(p, req), payload: p, headers: req.headers });
    return { status: 200, body: { ok: true } };
  });
  return { ...server, ledger, uniqueEvents: () => new Set(ledger.map((e) => e.eventId)).size };
}
