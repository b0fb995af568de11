/**
 * The load generator (child process of `bench/endpoint.bench.ts`, so it never
 * shares the server's event loop): closed-loop clients, each on its own
 * keep-alive connection (bench/endpoint-client.ts: pre-serialised requests,
 * `Content-Length` answers), replaying a pool of pre-encrypted, pre-signed requests
 * (the client's RSA cost stays out of the measurement; each server decrypt
 * is still real, as every request carries its own wrapped AES key).
 *
 * Protocol: the parent sends {@link LoadJob}s one at a time; the child answers
 * each with a {@link LoadResult}.
 * @module
 */
import { Connection, serialiseRequest } from './endpoint-client.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One pre-built request. */
export interface PreparedRequest {
  readonly payload: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** One measured run. */
export interface LoadJob {
  readonly url: string;
  readonly concurrency: number;
  /** Stop starting requests after this long… */
  readonly durationMs: number;
  /** …or after this many, whichever comes first. */
  readonly maxRequests: number;
  readonly requests: readonly PreparedRequest[];
  /** A 200 slower than this counts as late (not "answered in time"). */
  readonly deadlineMs: number;
  /** A request still unanswered after this is counted as hanging and abandoned. */
  readonly hangMs: number;
  /** Count an empty 200 as answered (webhook acknowledgements); default: a 200 must carry base64. */
  readonly emptyOk?: boolean;
}

/** What a run measured; latencies in ms. */
export interface LoadResult {
  readonly sent: number;
  /** 200 with a non-empty base64 body within `deadlineMs`. */
  readonly ok: number;
  readonly late: number;
  readonly shed: number;
  /** Slowest 503, ms from the TCP connection being up (a refusal must be immediate once the server sees the request). */
  readonly shedMaxMs: number;
  /** New connections that waited more than 900 ms to be accepted (listen backlog overflow: the kernel drops the SYN, the client retries after 1 s). */
  readonly slowConnects: number;
  /** Late 200s that were late only because of such a connection wait. */
  readonly lateFromConnect: number;
  readonly otherStatus: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly hanging: number;
  readonly elapsedMs: number;
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Slowest answer (any status) on a connection opened for it, and on a reused keep-alive connection, ms after the request was written (a new connection: after connect). */
  readonly slowestOnNew: number;
  readonly slowestOnReused: number;
  /** The generator's own event-loop delay during the run (max, ms): a late answer may be the generator's lateness, not the server's. */
  readonly generatorLagMaxMs: number;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

type Outcome = { kind: 'answer'; status: number; body: string; connectMs: number; fresh: boolean } | { kind: 'error' } | { kind: 'hang' };

/** One closed-loop client: its own keep-alive connection, a new one after a failure or a `connection: close`. */
function createClient(target: URL, hangMs: number): { send: (request: Buffer) => Promise<Outcome>; close: () => void } {
  let conn: Connection | undefined;
  const send = (request: Buffer): Promise<Outcome> => new Promise((resolve) => {
    const t0 = performance.now();
    const fresh = conn === undefined || !conn.usable;
    if (fresh) conn = new Connection(target);
    const used = conn!;
    let settled = false;
    const timer = setTimeout(() => { settled = true; used.destroy(); resolve({ kind: 'hang' }); }, hangMs);
    used.send(request).then(
      ({ status, body }) => {
        if (settled) return;
        clearTimeout(timer);
        resolve({ kind: 'answer', status, body, fresh, connectMs: fresh ? used.connectedAt - t0 : 0 });
      },
      () => {
        if (settled) return;
        clearTimeout(timer);
        used.destroy();
        resolve({ kind: 'error' });
      },
    );
  });
  return { send, close: () => conn?.destroy() };
}

/** Run one job. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url);
  const serialised = job.requests.map((r) => serialiseRequest(target, r.headers, r.payload));
  const latencies = new Float64Array(job.maxRequests);
  let sent = 0; let ok = 0; let late = 0; let shed = 0; let shedMaxMs = 0; let errors = 0; let hanging = 0; let answered = 0; let slowConnects = 0; let lateFromConnect = 0; let slowestOnNew = 0; let slowestOnReused = 0;
  const otherStatus: Record<string, number> = {};
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const start = performance.now();
  const stopAt = start + job.durationMs;
  const clients: { close: () => void }[] = [];
  async function client(): Promise<void> {
    const { send, close } = createClient(target, job.hangMs);
    clients.push({ close });
    while (sent < job.maxRequests && performance.now() < stopAt) {
      const prepared = serialised[sent % serialised.length];
      if (prepared === undefined) return;
      sent += 1;
      const t0 = performance.now();
      const outcome = await send(prepared);
      const ms = performance.now() - t0;
      if (outcome.kind === 'hang') { hanging += 1; continue; }
      if (outcome.kind === 'error') { errors += 1; continue; }
      latencies[answered++] = ms;
      if (outcome.fresh) slowestOnNew = Math.max(slowestOnNew, ms - outcome.connectMs);
      else slowestOnReused = Math.max(slowestOnReused, ms);
      if (outcome.connectMs > 900) slowConnects += 1;
      if (outcome.status === 200 && (job.emptyOk === true || (outcome.body.length > 0 && BASE64.test(outcome.body)))) {
        if (ms <= job.deadlineMs) ok += 1;
        else { late += 1; if (ms - outcome.connectMs <= job.deadlineMs) lateFromConnect += 1; }
      } else if (outcome.status === 503) {
        shed += 1;
        shedMaxMs = Math.max(shedMaxMs, ms - outcome.connectMs);
      } else {
        otherStatus[String(outcome.status)] = (otherStatus[String(outcome.status)] ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, () => client()));
  const elapsedMs = performance.now() - start;
  loopDelay.disable();
  for (const c of clients) c.close();
  const sorted = latencies.subarray(0, answered).sort();
  return {
    sent, ok, late, shed, shedMaxMs, slowConnects, lateFromConnect, otherStatus, errors, hanging, elapsedMs,
    reqPerSec: (ok + late) / (elapsedMs / 1000),
    p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100),
    generatorLagMaxMs: loopDelay.max / 1e6, slowestOnNew, slowestOnReused,
  };
}

if (process.send !== undefined) {
  process.on('message', (message: unknown) => {
    if (message === 'exit') process.exit(0);
    runLoad(message as LoadJob).then(
      (result) => process.send?.(result),
      (err: unknown) => process.send?.({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.send('ready');
}
