import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../../test/fakes/shared/loopback-server.js';
import { leadFlow, openPipelineStore, recordingQueue, webhookTo, type PipelineStore } from '../../../test/delivery-pipeline/pipeline-kit.js';
import { createSqliteQueue } from '../../queue/sqlite-queue.js';
import { defineSink, type SinkConnector } from '../../sinks/sink-connector.js';
import { webhookMessageId } from '../../sinks/webhook/webhook-sink.js';
import type { DeliveryJob } from '../../store/repos/delivery-repo.js';
import { createDeliveryWorker, type DeliveryEvent, type DeliveryWorker } from './worker.js';

const HOUR = 3_600_000;
let server: LoopbackServer;
let replyStatus = 200;
beforeAll(async () => {
  server = await startLoopbackServer({ handle: () => ({ status: replyStatus, body: replyStatus === 200 ? { ok: true } : { error: 'plan: "GOLD" is not an option' } }) });
});
afterAll(() => server.close());

/** A sink that fails the way a buggy connector does, or refuses naming a field. */
const scripted = (behaviour: 'throw' | 'field'): SinkConnector<unknown> =>
  defineSink<unknown>({
    id: `scripted-${behaviour}`, displayName: 'Scripted', settingsSchema: undefined as never,
    deliver: () => (behaviour === 'throw' ? Promise.reject(new TypeError('cannot read properties of undefined')) : Promise.resolve({ kind: 'permanent', reason: 'Value "GOLD" is not an option of Plan', field: 'plan_choice' })),
  });

describe('delivery worker (SQLite, injected clock)', () => {
  let store: PipelineStore;
  let clock: Date;
  let events: DeliveryEvent[];
  let worker: DeliveryWorker;
  let random = 0.5;

  async function setUp(config: { deliveryMaxAttempts?: number; deliveryMaxAgeHours?: number } = {}, sinks = [webhookTo(server.url)]): Promise<string> {
    clock = new Date('2026-06-01T00:00:00.000Z');
    store = await openPipelineStore('sqlite', [leadFlow(sinks)], { now: () => clock });
    events = [];
    const queue = createSqliteQueue({ repo: store.repo, now: () => clock });
    worker = createDeliveryWorker({
      repo: store.repo, queue, catalogue: store.catalogue, now: () => clock, random: () => random,
      config: { deliveryMaxAttempts: config.deliveryMaxAttempts ?? 25, deliveryMaxAgeHours: config.deliveryMaxAgeHours ?? 72, deliveryConcurrency: 4 },
      backoff: { baseMs: 1000, capMs: HOUR },
      onEvent: (e) => void events.push(e),
    });
    const id = await store.complete(store.outboxFor(recordingQueue()));
    server.requests.length = 0;
    replyStatus = 200;
    return id!;
  }
  /** Claim what is due now and run it, as the queue would. */
  async function runDue(): Promise<DeliveryJob[]> {
    const jobs = await store.repo.claimDue('test', 10, 60_000);
    for (const job of jobs) await worker.handle(job);
    return jobs;
  }
  const tick = (ms: number): void => void (clock = new Date(clock.getTime() + ms));
  const only = async (): Promise<DeliveryJob> => (await store.repo.listJobs())[0]!;
  afterEach(() => store.close());

  it('delivers the frozen answers with the stable idempotency key and reports delivered', async () => {
    const id = await setUp();
    await runDue();
    const job = await only();
    expect(job).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['webhook-id']).toBe(webhookMessageId(`${id}:hook`));
    expect(JSON.parse(server.requests[0]!.body).data.answers).toEqual({ email: 'ana@example.com', plan_choice: 'PRO', utm_source: 'whatsapp' });
    expect(events.map((e) => e.kind)).toContain('delivered');
    expect((await store.repo.listAttempts(job.id)).map((a) => a.outcome)).toEqual(['delivered']);
  });

  it('backs off exponentially with full jitter, never sooner than Retry-After, then recovers', async () => {
    await setUp();
    random = 0;
    server.failNext({ kind: 'status', status: 503, retryAfter: '120' });
    await runDue();
    let job = await only();
    expect(job).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('HTTP 503') });
    expect(job.nextAttemptAt.getTime() - clock.getTime()).toBe(120_000);
    expect(events.map((e) => e.kind)).toEqual(['retrying']);

    tick(119_999);
    expect(await runDue()).toEqual([]);
    random = 0.999;
    server.failNext({ kind: 'status', status: 503 });
    tick(1);
    await runDue();
    job = await only();
    // Attempt 2 without Retry-After: random × min(cap, base · 2^(2-1)).
    expect(job.nextAttemptAt.getTime() - clock.getTime()).toBe(Math.floor(0.999 * 2000));
    tick(2000);
    await runDue();
    expect(await only()).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(events.map((e) => e.kind)).toEqual(['retrying', 'retrying', 'recovered', 'delivered']);
    expect(new Set(server.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const attempts = await store.repo.listAttempts(job.id);
    expect(attempts.map((a) => [a.n, a.outcome, a.retryAfterMs])).toEqual([[1, 'retry', 120_000], [2, 'retry', null], [3, 'delivered', null]]);
  });

  it('marks a refused submission failed with the destination\'s own message and no retry', async () => {
    await setUp();
    replyStatus = 400;
    await runDue();
    tick(10 * HOUR);
    await runDue();
    const job = await only();
    expect(job.state).toBe('failed');
    expect(job.lastError).toContain('plan: \\"GOLD\\" is not an option');
    expect(server.requests).toHaveLength(1);
    expect(events.map((e) => [e.kind, e.sinkName, e.flowId])).toEqual([['permanent', 'hook', 'F1']]);
  });

  it('keeps the field a permanent refusal names', async () => {
    await setUp({}, [{ name: 'crm', connector: scripted('field'), settings: {} }]);
    await runDue();
    expect(await only()).toMatchObject({ state: 'failed', lastField: 'plan_choice', lastError: 'Value "GOLD" is not an option of Plan' });
    expect(events[0]).toMatchObject({ kind: 'permanent', field: 'plan_choice', reason: 'Value "GOLD" is not an option of Plan', sinkName: 'crm' });
  });

  it('turns a throwing sink into a retry carrying the message', async () => {
    await setUp({}, [{ name: 'buggy', connector: scripted('throw'), settings: {} }]);
    await runDue();
    expect(await only()).toMatchObject({ state: 'pending', lastError: expect.stringContaining('cannot read properties of undefined') });
    expect(events[0]?.kind).toBe('retrying');
  });

  it('dead-letters after the attempt budget', async () => {
    await setUp({ deliveryMaxAttempts: 3 });
    replyStatus = 503;
    for (let i = 0; i < 5; i++) {
      await runDue();
      tick(HOUR);
    }
    const job = await only();
    expect(job).toMatchObject({ state: 'dead', attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => e.kind)).toEqual(['retrying', 'retrying', 'dead']);
    expect(events[2]?.reason).toContain('HTTP 503');
  });

  it('dead-letters a job whose attempts keep dying with the process, without calling the sink again', async () => {
    await setUp({ deliveryMaxAttempts: 2 });
    for (let i = 0; i < 2; i++) {
      await store.repo.claimDue('doomed', 10, 60_000);
      tick(60_001);
    }
    await runDue();
    expect(await only()).toMatchObject({ state: 'dead', attempts: 3, lastError: expect.stringContaining('never finished') });
    expect(server.requests).toHaveLength(0);
    expect(events.map((e) => e.kind)).toEqual(['dead']);
  });

  it('dead-letters after the age budget, honouring Retry-After for the last attempt', async () => {
    await setUp({ deliveryMaxAgeHours: 1 });
    random = 0.5;
    server.failNext({ kind: 'status', status: 429, retryAfter: '7200' });
    await runDue();
    const first = await only();
    expect(first.nextAttemptAt.getTime() - clock.getTime()).toBe(7_200_000);
    tick(7_200_000);
    replyStatus = 503;
    await runDue();
    expect(await only()).toMatchObject({ state: 'dead', attempts: 2 });
    expect(events.map((e) => e.kind)).toEqual(['retrying', 'dead']);
  });

  it('runs a job again after a crash left it running: the lease expires and the sink sees the same key', async () => {
    const id = await setUp();
    // A worker claims the job, sends the request, and dies before recording anything.
    const [claimed] = await store.repo.claimDue('crashed', 10, 60_000);
    await webhookTo(server.url).connector.deliver({ settings: webhookTo(server.url).settings, idempotencyKey: claimed!.idempotencyKey, progress: { get: () => Promise.resolve(undefined), set: () => Promise.resolve() }, fetch, now: () => clock }, {
      id: id, flowToken: 't', form: leadFlow([]).form!, answers: {}, files: [], contact: { phone: '1' }, submittedAt: clock.toISOString(),
    });
    expect(await runDue()).toEqual([]);
    tick(60_001);
    await runDue();
    expect(await only()).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(server.requests.map((r) => r.headers['webhook-id'])).toEqual([webhookMessageId(`${id}:hook`), webhookMessageId(`${id}:hook`)]);
  });
});

describe('delivery worker on the SQLite queue (real time)', () => {
  it('picks up a job left running by a crashed process after a restart, and stops gracefully', async () => {
    const store = await openPipelineStore('sqlite', [leadFlow([webhookTo(server.url)])]);
    try {
      replyStatus = 200;
      const id = await store.complete(store.outboxFor(recordingQueue()));
      await store.repo.claimDue('crashed-process', 10, 150);
      server.requests.length = 0;
      // "Restart": a fresh handle on the same file, a new queue and worker.
      const reopened = store.test.reopen();
      const { createDeliveryRepo } = await import('../../store/repos/delivery-repo.js');
      const repo = createDeliveryRepo(reopened.db);
      const queue = createSqliteQueue({ repo, idlePollMs: 50 });
      const worker = createDeliveryWorker({ repo, queue, catalogue: store.catalogue, config: { deliveryMaxAttempts: 5, deliveryMaxAgeHours: 1, deliveryConcurrency: 2 } });
      await worker.start();
      await vi.waitFor(async () => expect((await repo.listJobs())[0]?.state).toBe('delivered'), { timeout: 5000, interval: 25 });
      await worker.stop();
      expect(server.requests.map((r) => r.headers['webhook-id'])).toEqual([webhookMessageId(`${id}:hook`)]);
      expect((await repo.listJobs())[0]?.attempts).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('finishes the attempt in flight when stopped', async () => {
    let release: () => void = () => undefined;
    const slow = await startLoopbackServer({ handle: () => new Promise((resolve) => { release = () => resolve({ status: 200, body: {} }); }) });
    const store = await openPipelineStore('sqlite', [leadFlow([webhookTo(slow.url)])]);
    try {
      const queue = createSqliteQueue({ repo: store.repo, idlePollMs: 20 });
      const worker = createDeliveryWorker({ repo: store.repo, queue, catalogue: store.catalogue, config: { deliveryMaxAttempts: 5, deliveryMaxAgeHours: 1, deliveryConcurrency: 2 } });
      await worker.start();
      await store.complete(store.outboxFor(queue));
      await vi.waitFor(() => expect(slow.requests).toHaveLength(1), { timeout: 5000, interval: 10 });
      let stopped = false;
      const stopping = worker.stop().then(() => void (stopped = true));
      await new Promise((r) => setTimeout(r, 30));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect((await store.repo.listJobs())[0]?.state).toBe('delivered');
    } finally {
      await store.close();
      await slow.close();
    }
  });
});
