/**
 * The send rate of a broadcast: a token bucket at the configured messages
 * per second (a burst of at most `burstMs` worth of tokens, so sends are
 * spread over the second and a late timer is caught up), guarded by a sliding one-second window that
 * guarantees Meta never counts more than the configured rate in any
 * second, whatever the network does:
 *
 * Meta stamps a send at some instant σ between our sending it (s) and our
 * reading its answer (e). A slot is therefore held from s until e + 1 s; a
 * new send is allowed only while fewer than `rate` slots are held. Any
 * window of one second at Meta that holds k sends contains, besides the
 * last one sent, k − 1 earlier sends whose σ — hence e — lies within a
 * second before that last send's s: all still held when it was allowed, so
 * k − 1 < rate. The price is the round-trip time per second (about 1 % at
 * 10 ms).
 *
 * 130429 (throughput reached) halves the rate at most once a second; it then
 * recovers linearly to the configured rate over `recoveryMs`.
 * @module
 */

/** Time source; tests use a virtual one. */
export interface Clock {
  /** Milliseconds since the epoch (comparable with Meta's timestamps). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Options of {@link SendRateLimiter}. */
export interface RateLimiterOptions {
  /** Messages per second; never exceeded in any one-second window. */
  readonly rate: number;
  readonly clock?: Clock;
  /**
   * Largest burst, as milliseconds' worth of the rate (default 200 ms, at least one message): a
   * timer that fires late (a busy event loop) is caught up instead of losing the time.
   */
  readonly burstMs?: number;
  /** Time to climb back from a halved rate (default 10 s). */
  readonly recoveryMs?: number;
  /** Lowest rate 130429 can push it to (default 1 mps, or `rate` when lower). */
  readonly minRate?: number;
}

/** A granted send: call {@link Permit.done} once its answer has been read (success or failure). */
export interface Permit {
  done(): void;
}

const WINDOW_MS = 1000;

/** Rate limiter of one sender; see the module comment. `acquire` calls are served one at a time, in order. */
export class SendRateLimiter {
  readonly #rate: number;
  readonly #clock: Clock;
  readonly #burstMs: number;
  readonly #recoveryMs: number;
  readonly #minRate: number;
  /** Sends allowed in any window: the whole-number part of the rate, at least one. */
  readonly #windowCap: number;
  #tokens = 1;
  #refilledAt: number;
  #inFlight = 0;
  /** Answer times of finished sends still held (ascending). */
  readonly #held: number[] = [];
  #reducedTo: number | undefined;
  #reducedAt = -Infinity;
  #completion: { promise: Promise<void>; resolve: () => void } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: RateLimiterOptions) {
    if (!(options.rate > 0) || !Number.isFinite(options.rate)) throw new RangeError(`rate must be a positive number of messages per second, got ${options.rate}`);
    this.#rate = options.rate;
    this.#clock = options.clock ?? systemClock;
    this.#burstMs = options.burstMs ?? 200;
    this.#recoveryMs = options.recoveryMs ?? 10_000;
    this.#minRate = Math.min(options.minRate ?? 1, options.rate);
    this.#windowCap = Math.max(1, Math.floor(options.rate));
    this.#refilledAt = this.#clock.now();
  }

  /** The rate now (lower than configured after a 130429, recovering). */
  get currentRate(): number {
    return this.#currentRate(this.#clock.now());
  }

  /** Sends started and not yet answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Wait until one more send is allowed. */
  acquire(): Promise<Permit> {
    const next = this.#queue.then(() => this.#acquire());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Meta answered 130429: halve the rate (at most once a second). */
  slowDown(): void {
    const now = this.#clock.now();
    if (now - this.#reducedAt < WINDOW_MS) return;
    this.#reducedTo = Math.max(this.#minRate, this.#currentRate(now) / 2);
    this.#reducedAt = now;
  }

  #currentRate(now: number): number {
    if (this.#reducedTo === undefined) return this.#rate;
    const progress = (now - this.#reducedAt) / this.#recoveryMs;
    if (progress >= 1) {
      this.#reducedTo = undefined;
      return this.#rate;
    }
    return this.#reducedTo + (this.#rate - this.#reducedTo) * progress;
  }

  async #acquire(): Promise<Permit> {
    for (;;) {
      const now = this.#clock.now();
      const rate = this.#currentRate(now);
      const capacity = Math.max(1, (rate * this.#burstMs) / 1000);
      this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#refilledAt) * rate) / 1000);
      this.#refilledAt = now;
      while (this.#held.length > 0 && this.#held[0]! <= now - WINDOW_MS) this.#held.shift();
      const windowFull = this.#inFlight + this.#held.length >= this.#windowCap;
      if (!windowFull && this.#tokens >= 1) {
        this.#tokens -= 1;
        this.#inFlight += 1;
        let released = false;
        return { done: () => { if (!released) { released = true; this.#release(); } } };
      }
      if (windowFull && this.#held.length === 0) {
        await this.#nextCompletion();
        continue;
      }
      const tokenWait = this.#tokens >= 1 ? 0 : ((1 - this.#tokens) * 1000) / rate;
      const windowWait = windowFull ? this.#held[0]! + WINDOW_MS - now + 1 : 0;
      await this.#clock.sleep(Math.max(1, Math.ceil(Math.max(tokenWait, windowWait))));
    }
  }

  #release(): void {
    this.#inFlight -= 1;
    const now = this.#clock.now();
    // keep the list sorted even if the clock stepped back
    this.#held.push(Math.max(now, this.#held.at(-1) ?? now));
    const waiter = this.#completion;
    this.#completion = undefined;
    waiter?.resolve();
  }

  #nextCompletion(): Promise<void> {
    if (this.#completion === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => { resolve = r; });
      this.#completion = { promise, resolve };
    }
    return this.#completion.promise;
  }
}
