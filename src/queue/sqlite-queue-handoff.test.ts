/**
 * The embedded queue's in-transaction claims under interleavings a real
 * SQLite connection produces only by timing: a stub repository holds each
 * statement until the test lets it go.
 */
import type { Transaction } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { Database } from '../store/database.js';
import type { DeliveryJob, DeliveryRepo } from '../store/repos/delivery-repo.js';
import { createSqliteQueue } from './sqlite-queue.js';

type Repo = Pick<DeliveryRepo, 'claimDue' | 'nextWakeAt' | 'claimInTransaction' | 'leaseOwners'>;
const trx = {} as Transaction<Database>;

function job(id: string, leaseOwner: string): DeliveryJob {
  return { id, leaseOwner, attempts: 1, state: 'running', nextAttemptAt: new Date(0) } as unknown as DeliveryJob;
}

function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

function stubRepo(overrides: Partial<Repo>): Repo {
  return {
    claimDue: () => Promise.resolve([]),
    nextWakeAt: () => Promise.resolve(undefined),
    claimInTransaction: () => Promise.resolve([]),
    leaseOwners: () => Promise.resolve(new Map()),
    ...overrides,
  };
}

describe('SQLite queue: claims made in callers\u2019 transactions', () => {
  it('never runs more than `concurrency` jobs when the poller and a transaction claim at the same time', async () => {
    const pollerHeld = gate<void>();
    let polls = 0;
    let inTransaction = 0;
    const repo = stubRepo({
      claimDue: async (_w, n) => {
        if (++polls > 1) return [];
        await pollerHeld.promise; // waits behind the caller's open transaction
        return Array.from({ length: n }, (_, i) => job(`p${i}`, 'poller'));
      },
      claimInTransaction: (_t, ids) => {
        inTransaction += ids.length;
        return Promise.resolve(ids.map((id) => job(id, 'trx')));
      },
      leaseOwners: (ids) => Promise.resolve(new Map(ids.map((id) => [id, 'trx']))),
    });
    let active = 0;
    let peak = 0;
    const release = gate<void>();
    const queue = createSqliteQueue({ repo, idlePollMs: 5 });
    await queue.start(async () => {
      active++;
      peak = Math.max(peak, active);
      await release.promise;
      active--;
    }, { concurrency: 4 });
    await vi.waitFor(() => expect(polls).toBe(1));
    await queue.enqueue(trx, ['t0', 't1', 't2', 't3'].map((id) => ({ id, runAt: new Date(0) })));
    pollerHeld.open();
    await new Promise((r) => setTimeout(r, 30));
    expect(peak).toBe(4);
    expect(inTransaction).toBe(0);
    release.open();
    await queue.stop();
  });

  it('runs a job claimed again by a later transaction while the earlier claim was being read back', async () => {
    const firstRead = gate<void>();
    let reads = 0;
    const repo = stubRepo({
      claimInTransaction: (_t, ids) => Promise.resolve(ids.map((id) => job(id, `owner-${reads === 0 ? 1 : 2}`))),
      leaseOwners: async (ids) => {
        if (++reads === 1) await firstRead.promise;
        return new Map(ids.map((id) => [id, 'owner-2']));
      },
    });
    const ran: string[] = [];
    const queue = createSqliteQueue({ repo, idlePollMs: 5 });
    await queue.start((j) => { ran.push(`${j.id}/${j.leaseOwner}`); return Promise.resolve(); }, { concurrency: 4 });
    await queue.enqueue(trx, [{ id: 'A', runAt: new Date(0) }]); // claim 1; its transaction then rolls back
    await vi.waitFor(() => expect(reads).toBe(1));
    await queue.enqueue(trx, [{ id: 'A', runAt: new Date(0) }]); // written again alone: claim 2 commits
    firstRead.open();
    await vi.waitFor(() => expect(ran).toEqual(['A/owner-2']));
    await queue.stop();
    expect(ran).toEqual(['A/owner-2']);
  });

  it('stop() waits for a claim still being made and runs the job it took', async () => {
    const claimHeld = gate<void>();
    const repo = stubRepo({
      claimInTransaction: async (_t, ids) => {
        await claimHeld.promise;
        return ids.map((id) => job(id, 'mine'));
      },
      leaseOwners: (ids) => Promise.resolve(new Map(ids.map((id) => [id, 'mine']))),
    });
    const ran: string[] = [];
    const queue = createSqliteQueue({ repo, idlePollMs: 5 });
    await queue.start((j) => { ran.push(j.id); return Promise.resolve(); }, { concurrency: 2 });
    const enqueued = queue.enqueue(trx, [{ id: 'B', runAt: new Date(0) }]);
    const stopped = queue.stop();
    await new Promise((r) => setTimeout(r, 20)); // the poll loop has ended; the claim is still being made
    claimHeld.open();
    await Promise.all([enqueued, stopped]);
    expect(ran).toEqual(['B']);
  });

  it('keeps claims whose read-back failed and reads them again', async () => {
    let reads = 0;
    const errors: unknown[] = [];
    const repo = stubRepo({
      claimInTransaction: (_t, ids) => Promise.resolve(ids.map((id) => job(id, 'mine'))),
      leaseOwners: (ids) => (++reads === 1 ? Promise.reject(new Error('database is locked')) : Promise.resolve(new Map(ids.map((id) => [id, 'mine'])))),
    });
    const ran: string[] = [];
    const queue = createSqliteQueue({ repo, idlePollMs: 5, onError: (e) => errors.push(e) });
    await queue.start((j) => { ran.push(j.id); return Promise.resolve(); }, { concurrency: 2 });
    await queue.enqueue(trx, [{ id: 'C', runAt: new Date(0) }]);
    await vi.waitFor(() => expect(ran).toEqual(['C']));
    await queue.stop();
    expect(reads).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['database is locked']);
  });
});
