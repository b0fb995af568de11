import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';
import { openTestDatabase, type TestDatabase } from './open-test-database.js';

const tables = [
  'alert_incidents', 'alert_notifications', 'broadcast_recipients', 'broadcasts', 'conversations', 'delivery_attempts', 'delivery_jobs',
  'delivery_progress', 'entry_attributions', 'entry_triggers', 'flow_alerts', 'flow_client_errors', 'flow_media', 'flow_sessions',
  'message_statuses', 'published_flows', 'sends', 'submissions', 'webhook_events',
];
const allMigrations = Object.keys(migrations);

async function userTables(test: TestDatabase): Promise<string[]> {
  const all = await test.store.db.introspection.getTables();
  const mine = test.store.dialect === 'postgres' ? all.filter((t) => t.schema === test.location) : all;
  return mine.map((t) => t.name).sort();
}

describe.each(['sqlite', 'postgres'] as const)('migrateToLatest on %s', (dialect) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await test.cleanup();
  });

  it('creates every table from an empty database', async () => {
    expect(await userTables(test)).toEqual([]);
    const report = await migrateToLatest(test.store);
    expect(report.applied).toEqual(Object.keys(migrations));
    expect(await userTables(test)).toEqual(tables);
  });

  it('is idempotent: a second run applies nothing and keeps the data', async () => {
    await migrateToLatest(test.store);
    await test.store.db
      .insertInto('flow_sessions')
      .values({ flow_token: 't', flow_id: 'f', contact_phone: '1', status: 'open', created_at: 'a', expires_at: 'b' })
      .execute();
    expect((await migrateToLatest(test.store)).applied).toEqual([]);
    expect(await test.store.db.selectFrom('flow_sessions').select('flow_token').execute()).toEqual([{ flow_token: 't' }]);
  });

  it('enforces the status check and the one-submission-per-session rule in the schema', async () => {
    await migrateToLatest(test.store);
    const db = test.store.db;
    await expect(
      db.insertInto('flow_sessions').values({ flow_token: 'x', flow_id: 'f', contact_phone: '1', status: 'lost' as never, created_at: 'a', expires_at: 'b' }).execute(),
    ).rejects.toThrow(/check/i);
    await expect(db.insertInto('submissions').values({ id: 's', flow_token: 'missing', response_json: '{}', created_at: 'a' }).execute()).rejects.toThrow(
      /foreign key/i,
    );
  });
});

describe('migrateToLatest on postgres, isolation and concurrency', () => {
  it('migrates two schemas of one database independently', async () => {
    const [a, b] = await Promise.all([openTestDatabase('postgres'), openTestDatabase('postgres')]);
    try {
      expect((await migrateToLatest(a.store)).applied).toEqual(allMigrations);
      expect((await migrateToLatest(b.store)).applied).toEqual(allMigrations);
      expect(await userTables(b)).toEqual(tables);
    } finally {
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });

  it('applies each migration once when two instances start together', async () => {
    const test = await openTestDatabase('postgres');
    try {
      const reports = await Promise.all([migrateToLatest(test.store), migrateToLatest(test.reopen())]);
      expect(reports.flatMap((r) => r.applied)).toEqual(allMigrations);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(test.store.db);
      expect(rows[0]?.n).toBe(allMigrations.length);
    } finally {
      await test.cleanup();
    }
  });
});
