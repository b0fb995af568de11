import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { leadFlow, openPipelineStore, recordingQueue, webhookTo, type PipelineStore } from '../../test/delivery-pipeline/pipeline-kit.js';
import type { DeliveryJob } from '../store/repos/delivery-repo.js';
import { createSqliteQueue } from './sqlite-queue.js';
import { createWakeSignal } from './wake-signal.js';

describe('SQLite delivery queue', () => {
  let store: PipelineStore;
  beforeAll(async () => {
    store = await openPipelineStore('sqlite', [leadFlow([webhookTo('http://127.0.0.1:9/x', 'a'), webhookTo('http://127.0.0.1:9/y', 'b')])]);
  });
  afterAll(() => store.close());

  it('hands every due job to the handler once, never more than `concurrency` at a time, and survives handler and claim errors', async () => {
    const outbox = store.outboxFor(recordingQueue());
    for (let i = 0; i < 15; i++) await store.complete(outbox);
    let active = 0;
    let peak = 0;
    const seen: string[] = [];
    const errors: unknown[] = [];
    let failClaim = true;
    const repo = {
      claimDue: (w: string, n: number, l: number) => {
        if (failClaim) {
          failClaim = false;
          return Promise.reject(new Error('database is locked'));
        }
        return store.repo.claimDue(w, n, l);
      },
      nextWakeAt: () => store.repo.nextWakeAt(),
      claimInTransaction: (...args: Parameters<typeof store.repo.claimInTransaction>) => store.repo.claimInTransaction(...args),
      leaseOwners: (ids: readonly string[]) => store.repo.leaseOwners(ids),
    };
    const queue = createSqliteQueue({ repo, idlePollMs: 20, onError: (e) => errors.push(e) });
    await queue.start(async (job: DeliveryJob) => {
      active++;
      peak = Math.max(peak, active);
      seen.push(job.id);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      if (seen.length === 3) throw new Error('handler bug');
      await store.repo.finishAttempt(job, { state: 'delivered', outcome: 'delivered', startedAt: new Date() });
    }, { concurrency: 3 });
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(30), { timeout: 5000, interval: 10 });
    await queue.stop();
    expect(peak).toBeLessThanOrEqual(3);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toHaveLength(30);
    expect(errors.map((e) => (e as Error).message)).toEqual(['database is locked', 'handler bug']);
  });

  it('claims jobs in the transaction that creates them and hands over only those whose transaction committed', async () => {
    const handed: DeliveryJob[] = [];
    // The poller finds nothing: only the in-transaction claims can reach the handler.
    const repo = {
      claimDue: () => Promise.resolve([]),
      nextWakeAt: () => Promise.resolve(undefined),
      claimInTransaction: (...args: Parameters<typeof store.repo.claimInTransaction>) => store.repo.claimInTransaction(...args),
      leaseOwners: (ids: readonly string[]) => store.repo.leaseOwners(ids),
    };
    const queue = createSqliteQueue({ repo, idlePollMs: 20 });
    await queue.start(async (job) => {
      handed.push(job);
      await store.repo.finishAttempt(job, { state: 'delivered', outcome: 'delivered', startedAt: new Date() });
    }, { concurrency: 8 });
    const outbox = store.outboxFor(queue);
    const committed = await store.complete(outbox);
    // A completion whose transaction fails after the outbox hook claimed its jobs.
    const rolledBack = store.outboxFor({
      notify: () => queue.notify(),
      enqueue: async (trx, jobs) => {
        await queue.enqueue(trx, jobs);
        throw new Error('later step failed');
      },
    });
    await expect(store.complete(rolledBack)).rejects.toThrow('later step failed');
    await vi.waitFor(() => expect(handed).toHaveLength(2), { timeout: 5000, interval: 10 });
    await new Promise((r) => setTimeout(r, 60));
    await queue.stop();
    expect(handed).toHaveLength(2);
    expect(handed.every((j) => j.submissionId === committed && j.state === 'running' && j.attempts === 1)).toBe(true);
    expect(new Set(handed.map((j) => j.sinkName))).toEqual(new Set(['a', 'b']));
    const jobs = await store.repo.listJobs({ submissionId: committed! });
    expect(jobs.map((j) => j.state)).toEqual(['delivered', 'delivered']);
  });

  it('claims in a transaction no more jobs than it has free slots; the poller takes the rest', async () => {
    let active = 0;
    let peak = 0;
    const seen = new Set<string>();
    const queue = createSqliteQueue({ repo: store.repo, idlePollMs: 20 });
    await queue.start(async (job) => {
      active++;
      peak = Math.max(peak, active);
      seen.add(job.id);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      await store.repo.finishAttempt(job, { state: 'delivered', outcome: 'delivered', startedAt: new Date() });
    }, { concurrency: 1 });
    const outbox = store.outboxFor(queue);
    const ids = [await store.complete(outbox), await store.complete(outbox), await store.complete(outbox)];
    await vi.waitFor(() => expect(seen.size).toBe(6), { timeout: 5000, interval: 10 });
    await queue.stop();
    expect(peak).toBe(1);
    for (const id of ids) expect((await store.repo.listJobs({ submissionId: id! })).map((j) => [j.state, j.attempts])).toEqual([['delivered', 1], ['delivered', 1]]);
  });

  it('wake signal: a fire with nobody waiting is kept for the next wait', async () => {
    const wake = createWakeSignal();
    wake.fire();
    await wake.wait(60_000);
    const waiting = wake.wait(60_000);
    wake.fire();
    await waiting;
    expect(true).toBe(true);
  });
});
