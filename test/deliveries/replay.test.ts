import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { createDeliveryQueries } from '../../src/services/delivery/delivery-queries.js';
import { createDeliveryReplay, type DeliveryReplay } from '../../src/services/delivery/replay.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createDeliveryRepo, type DeliveryJob, type DeliveryRepo } from '../../src/store/repos/delivery-repo.js';
import { driveTo, seedSubmission, type SeedState } from './seed-deliveries.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-06-01T00:00:00.000Z');
const at = (h: number): Date => new Date(T0.getTime() + h * HOUR);

describe.each(['sqlite', 'postgres'] as const)('deliveries retry and replay on %s', (dialect) => {
  let test: TestDatabase;
  let repo: DeliveryRepo;
  let replay: DeliveryReplay;
  let clock = at(0);
  const enqueued: string[] = [];
  let notified = 0;
  const jobs: Record<string, Record<string, DeliveryJob>> = {};

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createDeliveryRepo(test.store.db, { now: () => clock });
    replay = createDeliveryReplay({
      db: test.store.db, repo,
      enqueue: (_trx, runnable) => {
        enqueued.push(...runnable.map((r) => r.id));
        return Promise.resolve();
      },
      notify: () => void notified++,
    });
    // s1 at 01:00 delivered to crm, failed (bad option) on sheet; s2 at 02:00 dead on crm, delivered on sheet;
    // s3 at 03:00 running on crm, pending on sheet; s4 at 10:00 delivered on both.
    const plan: Array<[string, number, SeedState, SeedState]> = [['s1', 1, 'delivered', 'failed'], ['s2', 2, 'dead', 'delivered'], ['s3', 3, 'running', 'pending'], ['s4', 10, 'delivered', 'delivered']];
    for (const [id, hour, crm, sheet] of plan) {
      clock = at(hour);
      jobs[id] = await seedSubmission(test.store.db, repo, id, clock, ['crm', 'sheet']);
      await driveTo(repo, jobs[id].crm!, crm, clock, { reason: 'HTTP 503' });
      await driveTo(repo, jobs[id].sheet!, sheet, clock, { reason: '"Maybe" is not a valid option', field: 'interest' });
    }
    clock = at(12);
  });
  afterAll(async () => {
    await test.cleanup();
  });

  const code = async (work: Promise<unknown>): Promise<string | undefined> => {
    try {
      await work;
      return undefined;
    } catch (e) {
      return isAppError(e) ? `${e.code} ${e.status}` : String(e);
    }
  };

  it('retry: a failed job goes back to pending, due now, same idempotency key, enqueued in the same step', async () => {
    const failed = jobs.s1!.sheet!;
    const job = await replay.retry(failed.id);
    expect(job).toMatchObject({ state: 'pending', attempts: 0, generation: 0, idempotencyKey: failed.idempotencyKey });
    expect(job.nextAttemptAt.toISOString()).toBe(clock.toISOString());
    expect(enqueued).toContain(failed.id);
    expect(notified).toBeGreaterThan(0);
  });

  it('retry refuses a delivered job (pointing to replay), a running one, and an unknown id', async () => {
    expect(await code(replay.retry(jobs.s4!.crm!.id))).toBe('CONFLICT 409');
    await expect(replay.retry(jobs.s4!.crm!.id)).rejects.toThrow(/replay --submission s4 --sink crm/);
    expect(await code(replay.retry(jobs.s3!.crm!.id))).toBe('CONFLICT 409');
    expect(await code(replay.retry('nope'))).toBe('NOT_FOUND 404');
  });

  it('dry-run of a range reports without changing anything', async () => {
    const before = await repo.getJob(jobs.s2!.crm!.id);
    const report = await replay.replay({ from: at(0), to: at(5) }, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, matched: 6 });
    expect([...report.redelivered].sort()).toEqual([jobs.s1!.crm!.id, jobs.s2!.sheet!.id].sort());
    expect(report.reset).toContain(jobs.s2!.crm!.id);
    expect(report.skipped).toEqual([{ id: jobs.s3!.crm!.id, sink: 'crm', state: 'running', reason: 'being attempted right now' }]);
    expect(await repo.getJob(jobs.s2!.crm!.id)).toEqual(before);
  });

  it('range replay to one sink: delivered jobs get a new generation and key, dead ones are reset, later jobs untouched', async () => {
    const report = await replay.replay({ from: at(0), to: at(5), sinkName: 'crm' });
    expect(report).toMatchObject({ dryRun: false, matched: 3, redelivered: [jobs.s1!.crm!.id], reset: [jobs.s2!.crm!.id] });
    expect(report.skipped.map((s) => s.id)).toEqual([jobs.s3!.crm!.id]);
    const redelivered = await repo.getJob(jobs.s1!.crm!.id);
    expect(redelivered).toMatchObject({ state: 'pending', generation: 1, idempotencyKey: 's1:crm:g1', deliveredAt: null, externalId: null, attempts: 0 });
    expect((await repo.getJob(jobs.s2!.crm!.id))).toMatchObject({ state: 'pending', generation: 0, idempotencyKey: 's2:crm' });
    expect((await repo.getJob(jobs.s4!.crm!.id))?.state).toBe('delivered');
    expect((await repo.getJob(jobs.s2!.sheet!.id))?.state).toBe('delivered');
  });

  it('replays one submission to all its sinks, or to one; unknown submission or sink is 404', async () => {
    const one = await replay.replay({ submissionId: 's4', sinkName: 'sheet' });
    expect(one.redelivered).toEqual([jobs.s4!.sheet!.id]);
    expect((await repo.getJob(jobs.s4!.sheet!.id))?.idempotencyKey).toBe('s4:sheet:g1');
    // the sheet job is pending under g1 (not yet written again): it is reset, not given a third key
    const all = await replay.replay({ submissionId: 's4' });
    expect(all).toMatchObject({ redelivered: [jobs.s4!.crm!.id], reset: [jobs.s4!.sheet!.id] });
    expect((await repo.getJob(jobs.s4!.sheet!.id))?.idempotencyKey).toBe('s4:sheet:g1');
    expect((await repo.getJob(jobs.s4!.crm!.id))?.idempotencyKey).toBe('s4:crm:g1');
    expect(await code(replay.replay({ submissionId: 'missing' }))).toBe('NOT_FOUND 404');
    await expect(replay.replay({ submissionId: 's4', sinkName: 'erp' })).rejects.toThrow(/Its sinks: .*crm/);
  });

  it('refuses an empty or inverted range', async () => {
    expect(await code(replay.replay({ from: at(5), to: at(5) }))).toBe('USAGE_INVALID 400');
    expect(await code(replay.replay({ from: at(6), to: at(5) }))).toBe('USAGE_INVALID 400');
  });

  it('show: job, attempts with the sink\'s message and field, submission summary', async () => {
    const queries = createDeliveryQueries(repo);
    const detail = await queries.show(jobs.s1!.sheet!.id);
    expect(detail.job).toMatchObject({ sink: 'sheet', submissionId: 's1' });
    expect(detail.attempts[0]).toMatchObject({ n: 1, outcome: 'permanent', reason: '"Maybe" is not a valid option', field: 'interest' });
    expect(detail.submission).toMatchObject({ id: 's1', flowId: 'F1', contactPhone: '447700900123' });
    expect(await code(queries.show('nope'))).toBe('NOT_FOUND 404');
    const listed = await queries.list({ sinkName: 'crm', since: at(2), until: at(11) });
    expect(listed.map((j) => j.submissionId)).toEqual(['s4', 's3', 's2']);
  });
});
