import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../test/fakes/shared/loopback-server.js';
import { leadFlow, openPipelineStore, webhookTo, type PipelineStore } from '../../test/delivery-pipeline/pipeline-kit.js';
import { createDeliveryWorker } from '../services/delivery/worker.js';
import { testPostgresUrl } from '../store/open-test-database.js';
import { createDeliveryRepo, type DeliveryJob } from '../store/repos/delivery-repo.js';
import { createPgBossQueue, startPgBoss } from './pgboss-queue.js';

const QUEUE = 'flowbridge-delivery';

describe('pg-boss delivery queue', () => {
  let server: LoopbackServer;
  let store: PipelineStore;
  const bosses: PgBoss[] = [];
  const newBoss = async (): Promise<PgBoss> => {
    const boss = await startPgBoss(testPostgresUrl, { schema: store.test.location });
    bosses.push(boss);
    return boss;
  };

  beforeAll(async () => {
    // The sink answers slowly, so concurrent runs of one job would overlap and be seen.
    server = await startLoopbackServer({ handle: async () => { await new Promise((r) => setTimeout(r, 5)); return { status: 200, body: {} }; } });
    store = await openPipelineStore('postgres', [leadFlow([webhookTo(server.url, 'a'), webhookTo(server.url, 'b')])]);
  });
  afterAll(async () => {
    for (const boss of bosses) await boss.stop({ graceful: false, wait: true, close: true });
    await store.close();
    await server.close();
  });

  it('sends the pg-boss job inside the completion transaction: a rollback leaves no job behind', async () => {
    const boss = await newBoss();
    const queue = createPgBossQueue({ boss, repo: store.repo });
    const session = await store.sessions.createSession({ flowId: 'F1', contactPhone: '447700900123' });
    const outbox = store.outboxFor(queue);
    await expect(store.sessions.completeSession(session.flowToken, '{"flow_token":"t"}', async (trx, done) => {
      await outbox.onCompleted(trx, done);
      throw new Error('crash after enqueue');
    })).rejects.toThrow('crash after enqueue');
    expect(await boss.getQueueSize(QUEUE)).toBe(0);
    await store.sessions.completeSession(session.flowToken, '{"flow_token":"t"}', outbox.onCompleted);
    expect(await boss.getQueueSize(QUEUE)).toBe(2);
  });

  it('shares the work between two processes without ever running one job twice at once', async () => {
    const running = new Set<string>();
    const overlaps: string[] = [];
    const runs = new Map<string, number>();
    const processes = await Promise.all([0, 1].map(async (i) => {
      const handle = store.test.reopen();
      const repo = createDeliveryRepo(handle.db);
      const queue = createPgBossQueue({ boss: await newBoss(), repo, workerId: `p${i}`, pollingIntervalSeconds: 0.5 });
      // Observe every run: the queue's handler wraps the worker's.
      const observed = { ...queue, start: (h: (job: DeliveryJob) => Promise<void>, o: { concurrency: number }) => queue.start(async (job) => {
        if (running.has(job.id)) overlaps.push(job.id);
        running.add(job.id);
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        try {
          await h(job);
        } finally {
          running.delete(job.id);
        }
      }, o) };
      return { worker: createDeliveryWorker({ repo, queue: observed, catalogue: store.catalogue, config: { deliveryMaxAttempts: 5, deliveryMaxAgeHours: 1, deliveryConcurrency: 4 } }), queue };
    }));
    const outbox = store.outboxFor(processes[0]!.queue);
    for (let i = 0; i < 20; i++) await store.complete(outbox, 'F1', `p${i}@example.com`);
    // A stray duplicate pg-boss job for every row must be a no-op.
    const all = await store.repo.listJobs({ limit: 1000 });
    await store.test.store.db.transaction().execute((trx) => processes[1]!.queue.enqueue(trx, all.map((j) => ({ id: j.id, runAt: new Date() }))));
    await Promise.all(processes.map((p) => p.worker.start()));
    await vi.waitFor(async () => expect((await store.repo.countByState()).delivered).toBe(all.length), { timeout: 20_000, interval: 100 });
    await Promise.all(processes.map((p) => p.worker.stop()));
    expect(overlaps).toEqual([]);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const keys = server.requests.map((r) => String(r.headers['webhook-id']));
    expect(keys).toHaveLength(all.length);
    expect(new Set(keys).size).toBe(all.length);
  });

  it('re-sends a job whose process died mid-attempt once its lease is over', async () => {
    const boss = await newBoss();
    const repo = createDeliveryRepo(store.test.store.db);
    const queue = createPgBossQueue({ boss, repo, sweepIntervalMs: 100, strandedGraceMs: 1000, pollingIntervalSeconds: 0.5 });
    const id = await store.complete(store.outboxFor(queue));
    // Simulate the crash: claim with a short lease and drop the pg-boss jobs that carried them.
    await repo.claimDue('dead-process', 10, 100);
    await boss.purgeQueue(QUEUE);
    expect(await boss.getQueueSize(QUEUE)).toBe(0);
    const worker = createDeliveryWorker({ repo, queue: createPgBossQueue({ boss, repo, sweepIntervalMs: 100, strandedGraceMs: 1000, pollingIntervalSeconds: 0.5 }), catalogue: store.catalogue, config: { deliveryMaxAttempts: 5, deliveryMaxAgeHours: 1, deliveryConcurrency: 2 } });
    await worker.start();
    await vi.waitFor(async () => expect((await repo.listJobs({ submissionId: id! })).map((j) => j.state)).toEqual(['delivered', 'delivered']), { timeout: 10_000, interval: 100 });
    await worker.stop();
    expect((await repo.listJobs({ submissionId: id! })).map((j) => j.attempts)).toEqual([2, 2]);
  });

  it('re-sends a job again when the process that took its re-send died too, within the same grace slot', async () => {
    const boss = await newBoss();
    const repo = createDeliveryRepo(store.test.store.db);
    await boss.purgeQueue(QUEUE);
    // A grace slot of a minute: both strandings below fall in one slot.
    const options = { boss, repo, sweepIntervalMs: 60_000, strandedGraceMs: 60_000, pollingIntervalSeconds: 0.5 };
    const id = await store.complete(store.outboxFor(createPgBossQueue(options)));
    await repo.claimDue('dead-process-1', 10, 100);
    await boss.purgeQueue(QUEUE);
    await new Promise((r) => setTimeout(r, 150));
    // A second process re-sends the stranded rows, takes them and dies mid-attempt (its handler never finishes one).
    const taken: string[] = [];
    const second = createPgBossQueue({ ...options, workerId: 'dead-process-2', leaseMs: 100 });
    await second.start((job) => { taken.push(job.id); return Promise.resolve(); }, { concurrency: 2 });
    await vi.waitFor(() => expect(taken).toHaveLength(2), { timeout: 10_000, interval: 50 });
    await second.stop();
    await new Promise((r) => setTimeout(r, 150));
    // A third process sweeps the same rows, stranded again: they are re-sent and delivered, not held until the next slot.
    const worker = createDeliveryWorker({ repo, queue: createPgBossQueue(options), catalogue: store.catalogue, config: { deliveryMaxAttempts: 5, deliveryMaxAgeHours: 1, deliveryConcurrency: 2 } });
    await worker.start();
    try {
      await vi.waitFor(async () => expect((await repo.listJobs({ submissionId: id! })).map((j) => j.state)).toEqual(['delivered', 'delivered']), { timeout: 10_000, interval: 100 });
    } finally {
      await worker.stop();
    }
    expect((await repo.listJobs({ submissionId: id! })).map((j) => j.attempts)).toEqual([3, 3]);
  });
});
