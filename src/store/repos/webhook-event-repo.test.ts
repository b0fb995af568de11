import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createWebhookEventRepo, type WebhookEventRepo } from './webhook-event-repo.js';

let keySeq = 0;
const uniqueKey = (prefix: string) => `${prefix}:${process.pid}:${++keySeq}`;

describe.each(['sqlite', 'postgres'] as const)('webhook event repo on %s', (dialect) => {
  let test: TestDatabase;
  const clock = new Date('2026-03-01T00:00:00.000Z');
  let repo: WebhookEventRepo;

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createWebhookEventRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('group commit: 60 concurrent stores (20 keys sent 3 times) create 20 rows, each visible to another handle once its caller is answered', async () => {
    const keys = Array.from({ length: 20 }, () => uniqueKey('group'));
    const other = test.reopen();
    try {
      const seen = await Promise.all([...keys, ...keys, ...keys].map(async (dedupeKey) => {
        const result = await repo.storeEvent({ dedupeKey, kind: 'status', rawBody: `{"k":"${dedupeKey}"}`, signatureOk: true });
        // Answered only after the commit: a second connection already sees the row.
        const row = await other.db.selectFrom('webhook_events').select('dedupe_key').where('dedupe_key', '=', dedupeKey).executeTakeFirst();
        return { dedupeKey, created: result.created, visible: row !== undefined };
      }));
      expect(seen.every((s) => s.visible)).toBe(true);
      for (const key of keys) expect(seen.filter((s) => s.dedupeKey === key && s.created)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('a failing batch rejects every caller in it and stores none of it; the next batch works', async () => {
    const bad = createWebhookEventRepo(test.store.db, { now: () => new Date(Number.NaN) });
    const keys = [uniqueKey('bad'), uniqueKey('bad')];
    const results = await Promise.allSettled(keys.map((dedupeKey) => bad.storeEvent({ dedupeKey, kind: 'status', rawBody: '{}', signatureOk: true })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const rows = await test.store.db.selectFrom('webhook_events').select('id').where('dedupe_key', 'in', keys).execute();
    expect(rows).toEqual([]);
    expect((await repo.storeEvent({ dedupeKey: keys[0]!, kind: 'status', rawBody: '{}', signatureOk: true })).created).toBe(true);
  });

  it('stores a new event and recognises its retry by the dedupe key', async () => {
    const dedupeKey = uniqueKey('message:wamid.A');
    const first = await repo.storeEvent({ dedupeKey, kind: 'nfm_reply', rawBody: '{"a":1}', signatureOk: true });
    expect(first.created).toBe(true);
    const retry = await repo.storeEvent({ dedupeKey, kind: 'nfm_reply', rawBody: '{"a":1} ', signatureOk: false });
    expect(retry).toEqual({ created: false });
    if (!first.created) return;
    expect(await repo.getEvent(first.id)).toEqual({
      id: first.id,
      dedupeKey,
      kind: 'nfm_reply',
      rawBody: '{"a":1}',
      signatureOk: true,
      receivedAt: clock,
      processedAt: null,
    });
  });

  it('stores each key once under 20 concurrent deliveries', async () => {
    const dedupeKey = uniqueKey('status:wamid.B:read');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => repo.storeEvent({ dedupeKey, kind: 'status', rawBody: '{}', signatureOk: true })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await test.store.db.selectFrom('webhook_events').select('id').where('dedupe_key', '=', dedupeKey).execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps the raw body byte for byte and the signature flag', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), async (rawBody, signatureOk) => {
        const stored = await repo.storeEvent({ dedupeKey: uniqueKey('body'), kind: 'messages', rawBody, signatureOk });
        if (!stored.created) throw new Error('a fresh key must be stored');
        const event = await repo.getEvent(stored.id);
        expect(event?.rawBody).toBe(rawBody);
        expect(event?.signatureOk).toBe(signatureOk);
      }),
      { numRuns: 30 },
    );
  });

  it('creates exactly one row per distinct key in any concurrent batch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 20 }), async (picks) => {
        const keys = Array.from({ length: 6 }, () => uniqueKey('batch'));
        const results = await Promise.all(picks.map((p) => repo.storeEvent({ dedupeKey: keys[p]!, kind: 'messages', rawBody: '{}', signatureOk: true })));
        expect(results.filter((r) => r.created)).toHaveLength(new Set(picks).size);
      }),
      { numRuns: 15 },
    );
  });

  it('marks an event processed once and lists the unprocessed oldest first', async () => {
    const fresh = await openTestDatabase(dialect);
    try {
      await migrateToLatest(fresh.store);
      let at = new Date('2026-04-01T00:00:00.000Z');
      const local = createWebhookEventRepo(fresh.store.db, { now: () => at });
      const ids: string[] = [];
      for (const key of ['k1', 'k2', 'k3']) {
        const r = await local.storeEvent({ dedupeKey: key, kind: 'messages', rawBody: key, signatureOk: true });
        if (r.created) ids.push(r.id);
        at = new Date(at.getTime() + 1000);
      }
      expect(await local.markProcessed(ids[1]!)).toBe(true);
      expect(await local.markProcessed(ids[1]!)).toBe(false);
      expect(await local.markProcessed('unknown')).toBe(false);
      expect((await local.getEvent(ids[1]!))?.processedAt).toEqual(new Date('2026-04-01T00:00:03.000Z'));
      expect((await local.listUnprocessed(10)).map((e) => e.rawBody)).toEqual(['k1', 'k3']);
      expect((await local.listUnprocessed(1)).map((e) => e.rawBody)).toEqual(['k1']);
    } finally {
      await fresh.cleanup();
    }
  });
});
