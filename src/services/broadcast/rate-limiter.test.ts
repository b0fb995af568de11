import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SendRateLimiter, type Clock, type Permit } from './rate-limiter.js';

/** Virtual time; `sleep` jumps and lets due answers arrive. */
function simulation() {
  let t = 1_000_000;
  const due: Array<{ at: number; permit: Permit }> = [];
  const deliver = () => {
    due.sort((a, b) => a.at - b.at);
    while (due.length > 0 && due[0]!.at <= t) due.shift()!.permit.done();
  };
  const clock: Clock = { now: () => t, sleep: (ms) => { t += ms; deliver(); return Promise.resolve(); } };
  return {
    clock,
    now: () => t,
    answerAt: (at: number, permit: Permit) => due.push({ at, permit }),
    /** Nothing but an answer can unblock the limiter: jump to the next one. */
    jump: () => {
      if (due.length === 0) return false;
      due.sort((a, b) => a.at - b.at);
      t = Math.max(t, due[0]!.at);
      deliver();
      return true;
    },
  };
}

const tick = () => new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)));

/** Acquire with the simulation moving time when the limiter waits for an answer. */
async function acquire(sim: ReturnType<typeof simulation>, limiter: SendRateLimiter): Promise<Permit> {
  const pending = limiter.acquire();
  for (;;) {
    const permit = await Promise.race([pending, tick()]);
    if (permit !== undefined) return permit;
    if (!sim.jump()) throw new Error('limiter stuck with nothing in flight');
  }
}

describe('SendRateLimiter', () => {
  it('never lets Meta count more than the rate in any second, whatever the latencies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 150 }), async (rate, sends) => {
        const sim = simulation();
        const limiter = new SendRateLimiter({ rate, clock: sim.clock });
        const stamps: number[] = [];
        for (const [latency, where] of sends) {
          const permit = await acquire(sim, limiter);
          const sentAt = sim.now();
          // Meta stamps the send anywhere between our sending and our reading the answer
          stamps.push(sentAt + Math.floor(latency * where));
          sim.answerAt(sentAt + latency, permit);
        }
        stamps.sort((a, b) => a - b);
        for (let hi = 0, lo = 0; hi < stamps.length; hi++) {
          while (stamps[lo]! <= stamps[hi]! - 1000) lo++;
          expect(hi - lo + 1).toBeLessThanOrEqual(Math.floor(rate));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('spreads sends over the second instead of bursting the whole rate at once', async () => {
    const sim = simulation();
    const limiter = new SendRateLimiter({ rate: 100, clock: sim.clock });
    const start = sim.now();
    for (let i = 0; i < 50; i++) (await acquire(sim, limiter)).done();
    // 200 ms of burst (20 messages) at most, then 10 ms per message
    expect(sim.now() - start).toBeGreaterThanOrEqual(300);
  });

  it('halves the rate on 130429 at most once a second and recovers linearly', () => {
    const sim = simulation();
    const limiter = new SendRateLimiter({ rate: 100, clock: sim.clock, recoveryMs: 10_000 });
    limiter.slowDown();
    limiter.slowDown();
    expect(limiter.currentRate).toBe(50);
    void sim.clock.sleep(5000);
    expect(limiter.currentRate).toBe(75);
    limiter.slowDown();
    expect(limiter.currentRate).toBe(37.5);
    void sim.clock.sleep(10_000);
    expect(limiter.currentRate).toBe(100);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new SendRateLimiter({ rate: 0 })).toThrow(/positive/);
    expect(() => new SendRateLimiter({ rate: Number.NaN })).toThrow(/positive/);
  });
});
