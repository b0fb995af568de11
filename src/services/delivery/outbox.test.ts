import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadFlow, openPipelineStore, recordingQueue, webhookTo, type PipelineStore } from '../../../test/delivery-pipeline/pipeline-kit.js';

const sinks = [webhookTo('http://127.0.0.1:9/a', 'crm'), webhookTo('http://127.0.0.1:9/b', 'sheet'), webhookTo('http://127.0.0.1:9/c', 'audit')];

describe.each(['sqlite', 'postgres'] as const)('delivery outbox on %s', (dialect) => {
  let store: PipelineStore;
  beforeAll(async () => {
    store = await openPipelineStore(dialect, ['F1', 'F2', 'F3'].map((id) => leadFlow(sinks, id)).concat([leadFlow(sinks.slice(0, 1), 'HW', true), leadFlow([], 'NOSINK')]));
  });
  afterAll(() => store.close());

  it('stores the source-keyed answers, the form version and one job per sink, enqueued in the same transaction', async () => {
    const queue = recordingQueue();
    const id = await store.complete(store.outboxFor(queue), 'F1', 'ana@example.com');
    const record = await store.repo.getSubmission(id!);
    expect(JSON.parse(record!.answersJson!)).toEqual({ email: 'ana@example.com', plan_choice: 'PRO', utm_source: 'whatsapp' });
    expect(record!.formVersion).toBe('v-test-1');
    const jobs = await store.repo.listJobs({ submissionId: id! });
    expect(jobs.map((j) => [j.sinkName, j.sinkType, j.state, j.idempotencyKey]).sort()).toEqual([
      ['audit', 'webhook', 'pending', `${id}:audit`], ['crm', 'webhook', 'pending', `${id}:crm`], ['sheet', 'webhook', 'pending', `${id}:sheet`],
    ]);
    expect(queue.enqueued.sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it('keeps a hand-written flow\'s params minus flow_token as its answers', async () => {
    const id = await store.complete(store.outboxFor(recordingQueue()), 'HW', 'bo@example.com');
    const answers = JSON.parse((await store.repo.getSubmission(id!))!.answersJson!) as Record<string, unknown>;
    expect(answers).not.toHaveProperty('flow_token');
    expect(Object.values(answers)).toContain('bo@example.com');
  });

  it('rolls the completion back when enqueueing fails: no submission, no jobs, and the session can still complete', async () => {
    const session = await store.sessions.createSession({ flowId: 'F2', contactPhone: '447700900123' });
    const broken = store.outboxFor(recordingQueue(true));
    await expect(store.sessions.completeSession(session.flowToken, '{"flow_token":"t"}', broken.onCompleted)).rejects.toThrow('queue unavailable');
    expect(await store.sessions.getSubmission(session.flowToken)).toBeUndefined();
    expect(await store.repo.listJobs({ flowId: 'F2' })).toEqual([]);
    expect((await store.sessions.getSession(session.flowToken))?.status).toBe('open');
    const ok = await store.sessions.completeSession(session.flowToken, '{"flow_token":"t"}', store.outboxFor(recordingQueue()).onCompleted);
    expect(ok.created).toBe(true);
    expect(await store.repo.listJobs({ flowId: 'F2' })).toHaveLength(3);
  });

  it('gives 20 concurrent completions of one session one submission and one job set', async () => {
    const queue = recordingQueue();
    const outbox = store.outboxFor(queue);
    const session = await store.sessions.createSession({ flowId: 'F3', contactPhone: '447700900123' });
    const s = store;
    const results = await Promise.all(Array.from({ length: 20 }, () => s.sessions.completeSession(session.flowToken, '{"flow_token":"t"}', outbox.onCompleted)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created).every((r) => !r.created && r.reason === 'duplicate')).toBe(true);
    expect(await store.repo.listJobs({ flowId: 'F3' })).toHaveLength(3);
    expect(queue.enqueued).toHaveLength(3);
    // A later duplicate (Meta redelivering the nfm_reply) adds nothing either.
    expect((await store.sessions.completeSession(session.flowToken, '{"flow_token":"t"}', outbox.onCompleted)).created).toBe(false);
    expect(await store.repo.listJobs({ flowId: 'F3' })).toHaveLength(3);
  });

  it('creates no jobs for a flow without sinks or unknown to the catalogue, but keeps the answers', async () => {
    const outbox = store.outboxFor(recordingQueue());
    const a = await store.complete(outbox, 'NOSINK');
    const b = await store.complete(outbox, 'GONE');
    expect(await store.repo.listJobs({ submissionId: a! })).toEqual([]);
    expect(await store.repo.listJobs({ submissionId: b! })).toEqual([]);
    expect((await store.repo.getSubmission(a!))?.answersJson).toContain('PRO');
    expect((await store.repo.getSubmission(b!))?.formVersion).toBe('');
  });
});
