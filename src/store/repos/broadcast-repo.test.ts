import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { readBroadcastProgress } from './broadcast-progress.js';
import { createRecipientRepo, type RecipientRepo } from './broadcast-recipient-repo.js';
import { createBroadcastRepo, type BroadcastRepo } from './broadcast-repo.js';
import { createMessageStatusRepo } from './message-status-repo.js';

describe.each(['sqlite', 'postgres'] as const)('broadcast repositories on %s', (dialect) => {
  let test: TestDatabase;
  let broadcasts: BroadcastRepo;
  let recipients: RecipientRepo;
  let clock = new Date('2026-06-01T10:00:00.000Z');
  const now = () => clock;
  const later = (ms: number) => { clock = new Date(clock.getTime() + ms); };

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    broadcasts = createBroadcastRepo(test.store.db, { now });
    recipients = createRecipientRepo(test.store.db, { now });
  }, 60_000);
  afterAll(async () => {
    await test.cleanup();
  }, 60_000);

  const newBroadcast = (count: number) => broadcasts.create({
    flowId: 'survey', template: 'spring', rate: 80, optedIn: false,
    recipients: Array.from({ length: count }, (_, i) => ({ line: i + 2, waId: `3161000000${i}`, name: `P${i}`, vars: i === 0 ? { city: 'Delft' } : undefined })),
  });

  it('stores a broadcast with its recipients, one row per wa_id', async () => {
    const b = await newBroadcast(3);
    expect(b).toMatchObject({ flowId: 'survey', template: 'spring', rate: 80, state: 'draft', optedIn: false });
    const claimed = await recipients.claim(b.id, 10);
    expect(claimed.map((r) => [r.line, r.attempts, r.state])).toEqual([[2, 1, 'sending'], [3, 1, 'sending'], [4, 1, 'sending']]);
    expect(claimed[0]!.vars).toEqual({ city: 'Delft' });
    await expect(broadcasts.create({ flowId: 'f', rate: 1, optedIn: true, recipients: [{ line: 2, waId: '1' }, { line: 3, waId: '1' }] })).rejects.toThrow();
  });

  it('claims pending and due deferred recipients in list order, records outcomes and requeues without counting the attempt', async () => {
    const b = await newBroadcast(4);
    const [r1, r2, r3] = await recipients.claim(b.id, 3);
    await recipients.record([
      { id: r1!.id, kind: 'sent', sendId: 's1', wamid: 'wamid.A', flowToken: 'tok-a' },
      { id: r2!.id, kind: 'deferred', nextAt: new Date(clock.getTime() + 6000), errorCode: '131056', error: 'pair rate' },
      { id: r3!.id, kind: 'requeue' },
    ]);
    expect((await recipients.claim(b.id, 10)).map((r) => [r.line, r.attempts])).toEqual([[4, 1], [5, 1]]);
    expect(await recipients.nextDeferredAt(b.id)).toEqual(new Date(clock.getTime() + 6000));
    later(6000);
    expect((await recipients.claim(b.id, 10)).map((r) => [r.line, r.attempts])).toEqual([[3, 2]]);
    expect((await recipients.listSending(b.id)).map((r) => r.line)).toEqual([3, 4, 5]);
    // an outcome for a recipient no longer `sending` changes nothing
    await recipients.record([{ id: r1!.id, kind: 'failed', errorCode: 'x', error: 'late' }]);
    expect((await recipients.list(b.id, 'sent', 10)).map((r) => r.wamid)).toEqual(['wamid.A']);
  });

  it('changes state only from the states given, cancels by skipping the unsent, and finishes when nothing is left', async () => {
    const b = await newBroadcast(3);
    expect(await broadcasts.transition(b.id, ['running'], 'paused')).toBeUndefined();
    expect((await broadcasts.transition(b.id, ['draft'], 'running'))?.startedAt).toEqual(clock);
    expect((await broadcasts.listRunning()).map((x) => x.id)).toContain(b.id);
    const [r1] = await recipients.claim(b.id, 1);
    expect(await broadcasts.finishIfComplete(b.id)).toBe(false);
    const cancelled = await broadcasts.cancel(b.id);
    expect(cancelled?.state).toBe('cancelled');
    expect(await broadcasts.cancel(b.id)).toBeUndefined();
    expect((await recipients.list(b.id, 'skipped', 10)).map((r) => r.line)).toEqual([3, 4]);
    expect((await recipients.list(b.id, 'sending', 10)).map((r) => r.id)).toEqual([r1!.id]);

    const done = await newBroadcast(1);
    await broadcasts.transition(done.id, ['draft'], 'running');
    const [only] = await recipients.claim(done.id, 5);
    await recipients.record([{ id: only!.id, kind: 'failed', errorCode: '131026', error: 'undeliverable' }]);
    expect(await broadcasts.finishIfComplete(done.id)).toBe(true);
    expect((await broadcasts.get(done.id))?.state).toBe('done');
  });

  it('gives the lease to one owner until it expires or is released', async () => {
    const b = await newBroadcast(1);
    expect(await broadcasts.acquireLease(b.id, 'A', 10_000)).toBe(true);
    expect(await broadcasts.acquireLease(b.id, 'B', 10_000)).toBe(false);
    expect(await broadcasts.acquireLease(b.id, 'A', 10_000)).toBe(true);
    later(10_001);
    expect(await broadcasts.acquireLease(b.id, 'B', 10_000)).toBe(true);
    await broadcasts.releaseLease(b.id, 'A');
    expect(await broadcasts.acquireLease(b.id, 'A', 10_000)).toBe(false);
    await broadcasts.releaseLease(b.id, 'B');
    expect(await broadcasts.acquireLease(b.id, 'A', 10_000)).toBe(true);
  });

  it('counts progress in one query from recipients, message statuses and sessions', async () => {
    const b = await newBroadcast(6);
    const rs = await recipients.claim(b.id, 5);
    const sent = (i: number) => ({ id: rs[i]!.id, kind: 'sent' as const, sendId: `s${i}`, wamid: `wamid.P${i}`, flowToken: `ftok-${i}` });
    await recipients.record([sent(0), sent(1), sent(2), sent(3), { id: rs[4]!.id, kind: 'failed', errorCode: '131026', error: 'old client' }]);
    const statuses = createMessageStatusRepo(test.store.db);
    for (const [i, status] of [[0, 'sent'], [0, 'delivered'], [0, 'read'], [1, 'delivered'], [3, 'failed']] as const) await statuses.recordStatus({ messageId: `wamid.P${i}`, status });
    const at = clock.toISOString();
    const session = (i: number, extra: { last_screen?: string; status?: 'completed' }) => ({
      flow_token: `ftok-${i}`, flow_id: 'survey', form_id: null, contact_phone: `3161000000${i}`, entry_point: 'broadcast', campaign: b.id,
      status: extra.status ?? 'open' as const, created_at: at, expires_at: at, completed_at: extra.status ? at : null, last_screen: extra.last_screen ?? null,
    });
    await test.store.db.insertInto('flow_sessions').values([session(0, { status: 'completed' }), session(1, { last_screen: 'WELCOME' }), session(2, {})]).execute();
    const progress = await readBroadcastProgress(test.store.db, b.id);
    expect(progress?.broadcast.id).toBe(b.id);
    expect(progress?.counters).toEqual({ total: 6, queued: 1, sent: 4, delivered: 2, read: 1, failed: 2, skipped: 0, opened: 2, completed: 1 });
    expect(await readBroadcastProgress(test.store.db, 'missing')).toBeUndefined();
  });
});
