/**
 * What happens to a job after one attempt: delivered, failed (the sink
 * refused: its own message and field are kept), another attempt after an
 * exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter": sleep = random(0, min(cap, base · 2^n))) that never
 * comes sooner than the destination's Retry-After, or dead once the attempt
 * or age budget is spent. Pure: the clock and the random source are inputs.
 * @module
 */
import type { DeliveryOutcome } from '../../sinks/sink-connector.js';
import type { DeliveryJob, FinishAttempt } from '../../store/repos/delivery-repo.js';

/** The budgets and backoff shape. */
export interface RetryPolicy {
  /** Attempts per generation before `dead` (config `deliveryMaxAttempts`). */
  readonly maxAttempts: number;
  /** Age of a still-failing job before `dead` (config `deliveryMaxAgeHours`, in ms). */
  readonly maxAgeMs: number;
  /** First backoff ceiling; default 1 s. */
  readonly baseMs?: number;
  /** Largest backoff ceiling; default 1 hour. */
  readonly capMs?: number;
  /** Longest Retry-After honoured as given; default 24 hours. */
  readonly maxRetryAfterMs?: number;
}

/** The backoff before attempt `attempts + 1`, with full jitter, at least `retryAfterMs`. */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const base = policy.baseMs ?? 1000;
  const cap = policy.capMs ?? 60 * 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  const jittered = Math.floor(Math.max(0, Math.min(1, random())) * ceiling);
  const after = retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs < 0 ? 0 : Math.min(retryAfterMs, policy.maxRetryAfterMs ?? 24 * 60 * 60_000);
  return Math.max(jittered, after);
}

/** The job's next state after `outcome` (everything but `startedAt`). */
export function decideNext(job: DeliveryJob, outcome: DeliveryOutcome, policy: RetryPolicy, now: Date, random: () => number): Omit<FinishAttempt, 'startedAt'> {
  switch (outcome.kind) {
    case 'delivered':
      return { state: 'delivered', outcome: 'delivered', externalId: outcome.externalId, reason: outcome.note };
    case 'permanent':
      return { state: 'failed', outcome: 'permanent', reason: outcome.reason, field: outcome.field };
    case 'retry': {
      const base = { outcome: 'retry' as const, reason: outcome.reason, retryAfterMs: outcome.retryAfterMs };
      const budgetEnd = job.budgetFrom.getTime() + policy.maxAgeMs;
      if (job.attempts >= policy.maxAttempts || now.getTime() >= budgetEnd) return { ...base, state: 'dead' };
      // The last attempt is pulled in to the budget's end, but never earlier than Retry-After allows.
      const honoured = now.getTime() + backoffMs(job.attempts, policy, () => 0, outcome.retryAfterMs);
      const next = Math.min(now.getTime() + backoffMs(job.attempts, policy, random, outcome.retryAfterMs), Math.max(budgetEnd, honoured));
      return { ...base, state: 'pending', nextAttemptAt: new Date(next) };
    }
  }
}
