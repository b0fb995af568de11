/** Batched writes of the webhook event repo: multi-row INSERT chunks and group-committed processed marks. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createWebhookEventRepo, type WebhookEventRepo } from './webhook-event-repo.js';

let keySeq = 0;
const uniqueKey = (prefix: string) => `${prefix}:${process.pid}:${++keySeq}`;

describe.each(['sqlite', 'postgres'] as const)('webhook event repo batches on %s', (dialect) => {
  let test: TestDatabase;
  let repo: WebhookEventRepo;

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createWebhookEventRepo(test.store.db);
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('stores 1200 concurrent events (more than one INSERT chunk, a key repeated across chunks) once each', async () => {
    const keys = Array.from({ length: 1100 }, () => uniqueKey('chunk'));
    const sent = [...keys, ...keys.slice(0, 100)];
    const results = await Promise.all(sent.map((dedupeKey) => repo.storeEvent({ dedupeKey, kind: 'status', rawBody: '{}', signatureOk: true })));
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1100);
    expect(new Set(created.map((r) => (r.created ? r.id : ''))).size).toBe(1100);
    const rows = await test.store.db.selectFrom('webhook_events').select('id').where('dedupe_key', 'in', keys).execute();
    expect(rows).toHaveLength(1100);
  });

  it('concurrent marks: each stored event is marked true exactly once, an unknown id is false, stores and marks commit together', async () => {
    const stored = await Promise.all(Array.from({ length: 30 }, () => repo.storeEvent({ dedupeKey: uniqueKey('mark'), kind: 'status', rawBody: '{}', signatureOk: true })));
    const ids = stored.map((s) => (s.created ? s.id : ''));
    const late = repo.storeEvent({ dedupeKey: uniqueKey('mark-late'), kind: 'status', rawBody: '{}', signatureOk: true });
    const marks = await Promise.all([...ids, ...ids, 'no-such-id'].map(async (id) => ({ id, done: await repo.markProcessed(id) })));
    for (const id of ids) expect(marks.filter((m) => m.id === id && m.done)).toHaveLength(1);
    expect(marks.find((m) => m.id === 'no-such-id')?.done).toBe(false);
    expect((await late).created).toBe(true);
    for (const id of ids) expect((await repo.getEvent(id))?.processedAt).toBeInstanceOf(Date);
    expect(await repo.markProcessed(ids[0]!)).toBe(false);
  });
});
