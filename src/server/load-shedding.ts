/**
 * Load shedding for the data-exchange endpoint: when too many endpoint
 * requests are already in flight, or the event loop is lagging, a new one is
 * answered `503` at once instead of being queued. WhatsApp's client gives up
 * after 10 s (Meta, "Implementing Endpoints for Flows", section "Endpoint
 * health"), and Meta throttles a flow whose endpoint is slow; a fast refusal
 * is retried by the user, a queued request that answers after the timeout is
 * wasted work that delays every request behind it.
 *
 * Only requests to the shed paths count and are refused: health checks and
 * webhooks keep being served (a load balancer must still see `/healthz`).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINT_PATH } from './flow-endpoint-route.js';
import { perInterval } from './per-interval.js';

/** Options of {@link registerLoadShedding}. */
export interface LoadSheddingOptions {
  /** Endpoint requests allowed in flight at once; one more is refused with 503 (default {@link DEFAULT_MAX_IN_FLIGHT}). */
  readonly maxInFlight?: number;
  /** Refuse while the last measured event-loop lag exceeds this, ms (default {@link DEFAULT_MAX_EVENT_LOOP_LAG_MS}; 0 disables). */
  readonly maxEventLoopLagMs?: number;
  /** How often the event-loop lag is sampled, ms (default 50). */
  readonly sampleIntervalMs?: number;
  /** Paths subject to shedding (default the endpoint path only). */
  readonly paths?: readonly string[];
  /** `Retry-After` seconds sent with the 503 (default 1). */
  readonly retryAfterSeconds?: number;
  /** At most one log line per this many ms while refusing, with the count (default 1000). */
  readonly logIntervalMs?: number;
}

/** Live counters, for tests, logs and `/readyz`-style probes. */
export interface LoadShedder {
  /** Endpoint requests currently being answered. */
  inFlight(): number;
  /** Requests refused with 503 since start. */
  shed(): number;
  /** Last measured event-loop lag, ms. */
  lagMs(): number;
}

/**
 * Default in-flight limit. One RSA-2048 private decrypt costs about 0.35 ms
 * on one core, so 128 admitted requests are about 45 ms of work (a few
 * times that on a busy machine): far from the 10 s client timeout, enough to
 * absorb bursts, and small enough that a refusal read behind them still
 * leaves at once. Higher limits were measured (bench:endpoint, concurrency
 * 1024) to delay the 503s themselves towards 1 s.
 */
export const DEFAULT_MAX_IN_FLIGHT = 128;

/** Default event-loop lag above which requests are refused, ms. */
export const DEFAULT_MAX_EVENT_LOOP_LAG_MS = 250;

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`load shedding: ${name} must be a non-negative integer`);
  return v;
}

/**
 * Add the shedding hooks to the root instance (hooks added outside
 * `register` apply to every route). The in-flight count is released when the
 * response closes, whether it finished or the client went away.
 * Requests beyond the limit that the server has not read yet (still in
 * socket buffers or the kernel's accept queue) cannot be seen; the listen
 * backlog bounds those.
 */
export function registerLoadShedding(app: FastifyInstance, options: LoadSheddingOptions = {}): LoadShedder {
  const maxInFlight = positiveInt(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT, 'maxInFlight');
  const maxLag = positiveInt(options.maxEventLoopLagMs, DEFAULT_MAX_EVENT_LOOP_LAG_MS, 'maxEventLoopLagMs');
  const interval = Math.max(1, positiveInt(options.sampleIntervalMs, 50, 'sampleIntervalMs'));
  const paths = new Set(options.paths ?? [ENDPOINT_PATH]);
  const retryAfter = String(positiveInt(options.retryAfterSeconds, 1, 'retryAfterSeconds'));
  const logInterval = positiveInt(options.logIntervalMs, 1000, 'logIntervalMs');
  let inFlight = 0;
  let shed = 0;
  let lag = 0;
  // One line per interval, not one per refusal: an overloaded server refusing 10,000 requests a second
  // spent part of its time writing their log lines, and an operator reads a count better than a flood.
  const shedLog = perInterval<undefined>(logInterval, (count) => {
    app.log.warn({ status: 503, shed: count, shedTotal: shed, inFlight, lagMs: Math.round(lag) }, 'flow endpoint requests shed: server overloaded');
  });

  let timer: NodeJS.Timeout | undefined;
  if (maxLag > 0) {
    let expected = performance.now() + interval;
    timer = setInterval(() => {
      const now = performance.now();
      lag = Math.max(0, now - expected);
      expected = now + interval;
    }, interval);
    timer.unref();
    app.addHook('onClose', (_instance, done) => { clearInterval(timer); done(); });
  }
  app.addHook('onClose', (_instance, done) => {
    shedLog.flush();
    done();
  });

  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (!paths.has(path)) { done(); return; }
    if (inFlight >= maxInFlight || (maxLag > 0 && lag > maxLag)) {
      shed += 1;
      shedLog.add(undefined);
      void reply.code(503).header('retry-after', retryAfter).header('cache-control', 'no-store').send();
      return;
    }
    inFlight += 1;
    let released = false;
    reply.raw.once('close', () => {
      if (!released) { released = true; inFlight -= 1; }
    });
    // Admitted work (parsing, AES, the handler; the RSA unwrap itself runs on a worker thread unless
    // rsaThreads is 0) waits for the check phase, so every request read in the same poll phase is
    // admitted or refused first: refusals go out at once instead of behind up to `maxInFlight` requests.
    setImmediate(done);
  });

  return { inFlight: () => inFlight, shed: () => shed, lagMs: () => lag };
}
