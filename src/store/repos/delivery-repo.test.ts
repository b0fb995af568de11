import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createSessionRepo, type SessionRepo } from './session-repo.js';
import { createDeliveryRepo, idempotencyKeyFor, type DeliveryJob, type DeliveryRepo } from './delivery-repo.js';

describe.each(['sqlite', 'postgres'] as const)('delivery repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: DeliveryRepo;
  let sessions: SessionRepo;
  let clock = new Date('2026-06-01T00:00:00.000Z');
  const now = (): Date => clock;
  const tick = (ms: number): void => void (clock = new Date(clock.getTime() + ms));

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createDeliveryRepo(test.store.db, { now });
    sessions = createSessionRepo(test.store.db, { now });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  /** A completed session whose hook freezes answers and inserts jobs for `sinks`. */
  async function submit(sinks: readonly string[], flowId = 'F1'): Promise<{ submissionId: string; jobs: DeliveryJob[] }> {
    const session = await sessions.createSession({ flowId, contactPhone: '447700900123', entryPoint: 'qr' });
    let jobs: DeliveryJob[] = [];
    const result = await sessions.completeSession(session.flowToken, '{"flow_token":"x","email":"a@b.c"}', async (trx, [done]) => {
      if (done === undefined) throw new Error('no submission');
      await repo.storeAnswers(trx, [{ submissionId: done.submissionId, answersJson: '{"email":"a@b.c"}', formVersion: 'v1' }]);
      jobs = await repo.insertJobs(trx, sinks.map((sinkName) => ({ submissionId: done.submissionId, flowId, sinkName, sinkType: 'webhook' })));
    });
    if (!result.created) throw new Error('not created');
    return { submissionId: result.submissionId, jobs };
  }

  it('creates pending jobs with the documented idempotency key and refuses a second job for the same sink', async () => {
    const { submissionId, jobs } = await submit(['hubspot', 'sheet']);
    expect(jobs.map((j) => [j.sinkName, j.state, j.attempts, j.generation, j.idempotencyKey])).toEqual([
      ['hubspot', 'pending', 0, 0, `${submissionId}:hubspot`],
      ['sheet', 'pending', 0, 0, `${submissionId}:sheet`],
    ]);
    const again = await test.store.db.transaction().execute((trx) => repo.insertJobs(trx, [{ submissionId, flowId: 'F1', sinkName: 'hubspot', sinkType: 'webhook' }]));
    expect(again).toEqual([]);
    const record = await repo.getSubmission(submissionId);
    expect(record).toMatchObject({ flowId: 'F1', contactPhone: '447700900123', entryPoint: 'qr', answersJson: '{"email":"a@b.c"}', formVersion: 'v1' });
    expect(await repo.listJobs({ submissionId })).toHaveLength(2);
  });

  it('claims due jobs once, records attempts, and fences a finish by the claim token', async () => {
    const { jobs } = await submit(['a']);
    const job = jobs[0]!;
    const [claimed] = (await repo.claimDue('w1', 100, 60_000)).filter((j) => j.id === job.id);
    expect(claimed).toMatchObject({ state: 'running', attempts: 1 });
    expect(claimed!.leaseOwner).toMatch(/^w1\//);
    expect((await repo.claimDue('w2', 100, 60_000)).some((j) => j.id === job.id)).toBe(false);
    expect((await repo.claimByIds([job.id], 'w2', 60_000))[0]).toBeUndefined();

    // The lease runs out: another worker takes it over; the first one's late finish changes nothing.
    tick(61_000);
    const taken = (await repo.claimByIds([job.id], 'w2', 60_000))[0];
    expect(taken).toMatchObject({ state: 'running', attempts: 2, idempotencyKey: job.idempotencyKey });
    expect(await repo.finishAttempt(claimed!, { state: 'delivered', outcome: 'delivered', startedAt: clock })).toBe(false);
    tick(1000);
    expect(await repo.finishAttempt(taken!, { state: 'pending', outcome: 'retry', reason: 'HTTP 503', retryAfterMs: 5000, nextAttemptAt: new Date(clock.getTime() + 5000), startedAt: clock })).toBe(true);
    const after = await repo.getJob(job.id);
    expect(after).toMatchObject({ state: 'pending', attempts: 2, lastError: 'HTTP 503', leaseOwner: null });
    expect((await repo.claimByIds([job.id], 'w3', 60_000))[0]).toBeUndefined();
    expect((await repo.nextWakeAt())?.getTime()).toBeLessThanOrEqual(clock.getTime() + 5000);
    tick(5000);
    const third = (await repo.claimByIds([job.id], 'w3', 60_000))[0];
    expect(await repo.finishAttempt(third!, { state: 'failed', outcome: 'permanent', reason: 'Invalid option for "plan"', field: 'plan', startedAt: clock })).toBe(true);
    expect(await repo.getJob(job.id)).toMatchObject({ state: 'failed', lastError: 'Invalid option for "plan"', lastField: 'plan' });
    const attempts = await repo.listAttempts(job.id);
    expect(attempts.map((a) => [a.n, a.outcome, a.reason, a.field, a.retryAfterMs, a.worker])).toEqual([
      [2, 'retry', 'HTTP 503', null, 5000, 'w2'],
      [3, 'permanent', 'Invalid option for "plan"', 'plan', null, 'w3'],
    ]);
  });

  it('finishes a batch in one go, fenced per job: a lost claim changes nothing of its job', async () => {
    const { jobs } = await submit(['f1', 'f2', 'f3']);
    const claimed = await repo.claimByIds(jobs.map((j) => j.id), 'w1', 60_000);
    const byId = new Map(claimed.map((j) => [j.id, j]));
    const [a, b, c] = jobs.map((j) => byId.get(j.id)!) as [DeliveryJob, DeliveryJob, DeliveryJob];
    const stale = { ...b, leaseOwner: 'w0/someone-else' };
    const flags = await repo.finishAttempts([
      { job: a, finish: { state: 'delivered', outcome: 'delivered', externalId: 'EXT-A', startedAt: clock } },
      { job: stale, finish: { state: 'delivered', outcome: 'delivered', startedAt: clock } },
      { job: c, finish: { state: 'failed', outcome: 'permanent', reason: 'Invalid option "x" for plan', field: 'plan', startedAt: clock } },
    ]);
    expect(flags).toEqual([true, false, true]);
    expect(await repo.getJob(a.id)).toMatchObject({ state: 'delivered', externalId: 'EXT-A', leaseOwner: null });
    expect(await repo.getJob(b.id)).toMatchObject({ state: 'running', leaseOwner: b.leaseOwner });
    expect(await repo.getJob(c.id)).toMatchObject({ state: 'failed', lastError: 'Invalid option "x" for plan', lastField: 'plan' });
    expect((await repo.listAttempts(a.id)).map((x) => x.outcome)).toEqual(['delivered']);
    expect(await repo.listAttempts(b.id)).toEqual([]);
    expect((await repo.listAttempts(c.id)).map((x) => [x.outcome, x.field])).toEqual([['permanent', 'plan']]);
  });

  it('claims a batch of ids in one call: due and expired ones, not running or finished ones', async () => {
    const { jobs } = await submit(['b1', 'b2', 'b3', 'b4']);
    const [due, running, expired, delivered] = jobs as [DeliveryJob, DeliveryJob, DeliveryJob, DeliveryJob];
    const early = (await repo.claimByIds([running.id, expired.id, delivered.id], 'w1', 60_000));
    expect(early.map((j) => j.id).sort()).toEqual([running.id, expired.id, delivered.id].sort());
    const finished = early.find((j) => j.id === delivered.id)!;
    expect(await repo.finishAttempt(finished, { state: 'delivered', outcome: 'delivered', startedAt: clock })).toBe(true);
    tick(30_000);
    expect(await repo.extendLease(early.find((j) => j.id === running.id)!, 60_000)).toBe(true);
    tick(31_000);
    // due: pending; running: lease renewed, still held; expired: lease ran out; delivered: finished.
    const batch = await repo.claimByIds([due.id, running.id, expired.id, delivered.id, 'no-such-job'], 'w2', 60_000);
    expect(batch.map((j) => [j.id, j.attempts]).sort()).toEqual([[due.id, 1], [expired.id, 2]].sort());
    expect(batch.every((j) => j.state === 'running' && j.leaseOwner?.startsWith('w2/'))).toBe(true);
    expect(await repo.claimByIds([], 'w2', 60_000)).toEqual([]);
  });

  it('keeps a renewed claim past its first lease and refuses renewal to a lost claim', async () => {
    const { jobs } = await submit(['renew']);
    const claimed = (await repo.claimByIds([jobs[0]!.id], 'w1', 60_000))[0];
    tick(50_000);
    expect(await repo.extendLease(claimed!, 60_000)).toBe(true);
    tick(30_000);
    expect((await repo.claimByIds([jobs[0]!.id], 'w2', 60_000))[0]).toBeUndefined();
    tick(31_000);
    const taken = (await repo.claimByIds([jobs[0]!.id], 'w2', 60_000))[0];
    expect(taken?.attempts).toBe(2);
    expect(await repo.extendLease(claimed!, 60_000)).toBe(false);
  });

  it('never hands one job to two concurrent claimers', async () => {
    const { jobs } = await submit(Array.from({ length: 30 }, (_, i) => `s${i}`));
    const other = createDeliveryRepo(dialect === 'postgres' ? test.reopen().db : test.store.db, { now });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? repo : other).claimDue(`w${i}`, 10, 60_000)));
    const ids = results.flat().map((j) => j.id).filter((id) => jobs.some((j) => j.id === id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
  });

  it('retries failed and dead jobs, replays delivered ones under a new key, and leaves running ones alone', async () => {
    const { submissionId, jobs } = await submit(['ok', 'bad', 'busy']);
    const byName = Object.fromEntries(jobs.map((j) => [j.sinkName, j]));
    const finish = async (job: DeliveryJob, state: 'delivered' | 'failed'): Promise<void> => {
      const c = (await repo.claimByIds([job.id], 'w', 60_000))[0];
      await repo.finishAttempt(c!, state === 'delivered' ? { state, outcome: 'delivered', externalId: 'X1', startedAt: clock } : { state, outcome: 'permanent', reason: 'no', startedAt: clock });
    };
    await finish(byName['ok']!, 'delivered');
    await finish(byName['bad']!, 'failed');
    await repo.claimByIds([byName['busy']!.id], 'w', 60_000);
    await repo.setProgress(byName['ok']!.idempotencyKey, 'contact', '42');
    await repo.setProgress(byName['ok']!.idempotencyKey, 'contact', '43');
    expect(await repo.getProgress(byName['ok']!.idempotencyKey, 'contact')).toBe('43');

    const retried = await repo.resetJobs(jobs.map((j) => j.id));
    expect(retried.map((j) => j.sinkName)).toEqual(['bad']);
    expect(retried[0]).toMatchObject({ state: 'pending', attempts: 0, generation: 0, lastError: 'no' });

    const enqueued: string[] = [];
    const replayed = await repo.resetJobs(jobs.map((j) => j.id), { newGeneration: true }, (_trx, runnable) => {
      enqueued.push(...runnable.map((r) => r.id));
      return Promise.resolve();
    });
    expect(replayed.map((j) => [j.sinkName, j.generation, j.idempotencyKey, j.deliveredAt, j.externalId]).sort()).toEqual([
      ['bad', 1, idempotencyKeyFor(submissionId, 'bad', 1), null, null],
      ['ok', 1, `${submissionId}:ok:g1`, null, null],
    ]);
    expect(enqueued.sort()).toEqual([byName['bad']!.id, byName['ok']!.id].sort());
    expect(await repo.getProgress(`${submissionId}:ok:g1`, 'contact')).toBeUndefined();
    expect((await repo.getJob(byName['busy']!.id))?.state).toBe('running');
  });

  it('lists by filter, counts by state and finds stranded jobs', async () => {
    const { jobs } = await submit(['x'], 'F-list');
    expect((await repo.listJobs({ flowId: 'F-list' })).map((j) => j.id)).toEqual([jobs[0]!.id]);
    expect(await repo.listJobs({ flowId: 'F-list', state: 'delivered' })).toEqual([]);
    expect(await repo.listJobs({ since: new Date(clock.getTime() + 1) })).toEqual([]);
    const counts = await repo.countByState();
    expect(counts.pending).toBeGreaterThan(0);
    expect(Object.keys(counts).sort()).toEqual(['dead', 'delivered', 'failed', 'pending', 'running']);
    tick(10 * 60_000);
    const stranded = await repo.listStranded(5 * 60_000, 1000);
    expect(stranded.map((s) => s.id)).toContain(jobs[0]!.id);
  });
});
