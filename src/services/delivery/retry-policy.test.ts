import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeliveryJob } from '../../store/repos/delivery-repo.js';
import { backoffMs, decideNext, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 10, maxAgeMs: 72 * 3_600_000, baseMs: 1000, capMs: 3_600_000 };
const t0 = new Date('2026-06-01T00:00:00.000Z');
const job = (attempts: number, budgetFrom = t0): DeliveryJob => ({
  id: 'j', submissionId: 's', flowId: 'F', sinkName: 'k', sinkType: 'webhook', generation: 0, idempotencyKey: 's:k', state: 'running', attempts,
  nextAttemptAt: t0, leaseOwner: 'w/1', leaseUntil: t0, lastError: null, lastField: null, externalId: null, budgetFrom, createdAt: t0, updatedAt: t0, deliveredAt: null,
});

describe('retry policy', () => {
  it('backoff stays within [Retry-After, max(cap, Retry-After)] and its ceiling never shrinks with attempts', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 0, max: 10 * 86_400_000 }), { nil: undefined }), (n, r, after) => {
      const ms = backoffMs(n, policy, () => r, after);
      const honoured = after === undefined ? 0 : Math.min(after, 24 * 3_600_000);
      expect(ms).toBeGreaterThanOrEqual(honoured);
      expect(ms).toBeLessThanOrEqual(Math.max(policy.capMs!, honoured));
      expect(backoffMs(n + 1, policy, () => 1, undefined)).toBeGreaterThanOrEqual(backoffMs(n, policy, () => 1, undefined));
    }));
  });

  it('never schedules a retry before now nor after the age budget unless Retry-After demands it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 71 * 3_600_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 0, max: 86_400_000 }), { nil: undefined }), (n, elapsed, r, after) => {
      const now = new Date(t0.getTime() + elapsed);
      const next = decideNext(job(n), { kind: 'retry', reason: 'x', ...(after === undefined ? {} : { retryAfterMs: after }) }, policy, now, () => r);
      expect(next.state).toBe('pending');
      const at = next.nextAttemptAt!.getTime();
      expect(at).toBeGreaterThanOrEqual(now.getTime() + (after ?? 0));
      if (after === undefined || now.getTime() + after <= t0.getTime() + policy.maxAgeMs) expect(at).toBeLessThanOrEqual(t0.getTime() + policy.maxAgeMs);
    }));
  });

  it('maps outcomes to states and spends the budgets', () => {
    expect(decideNext(job(1), { kind: 'delivered', externalId: 'X' }, policy, t0, Math.random)).toMatchObject({ state: 'delivered', externalId: 'X' });
    expect(decideNext(job(1), { kind: 'permanent', reason: 'bad', field: 'f' }, policy, t0, Math.random)).toMatchObject({ state: 'failed', reason: 'bad', field: 'f' });
    expect(decideNext(job(10), { kind: 'retry', reason: 'r' }, policy, t0, Math.random).state).toBe('dead');
    expect(decideNext(job(2), { kind: 'retry', reason: 'r' }, policy, new Date(t0.getTime() + policy.maxAgeMs), Math.random).state).toBe('dead');
  });
});
