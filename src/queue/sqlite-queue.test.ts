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
