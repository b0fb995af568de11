/**
 * The two sending limits Meta enforces per phone number (spec §7.6, §7.7;
 * Meta, "Throughput"): messages per second across all recipients (130429),
 * and the pair rate to one recipient (131056, one message per 6 s). Both are
 * checked before a send is accepted and charged only when it is.
 * @module
 */

/** Sliding one-second window: at most `mps` accepted sends in any 1,000 ms. */
export class ThroughputWindow {
  readonly #times: number[] = [];

  constructor(readonly mps: number) {}

  /** True when one more send at `now` stays within the limit. */
  allows(now: number): boolean {
    while (this.#times.length > 0 && this.#times[0]! <= now - 1000) this.#times.shift();
    return this.#times.length < this.mps;
  }

  record(now: number): void {
    this.#times.push(now);
  }
}

/** Pair limit as a token bucket: `burst` sends at once, then one per `intervalMs`. */
export class PairLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly intervalMs: number, readonly burst: number) {}

  #refill(key: string, now: number): { tokens: number; at: number } {
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    const gained = Math.floor((now - b.at) / this.intervalMs);
    if (gained > 0) {
      b.tokens = Math.min(this.burst, b.tokens + gained);
      b.at = b.tokens === this.burst ? now : b.at + gained * this.intervalMs;
    }
    this.#buckets.set(key, b);
    return b;
  }

  /** True when `key` may receive one more message at `now`. */
  allows(key: string, now: number): boolean {
    return this.#refill(key, now).tokens >= 1;
  }

  record(key: string, now: number): void {
    const b = this.#refill(key, now);
    if (b.tokens === this.burst) b.at = now;
    b.tokens -= 1;
  }
}
