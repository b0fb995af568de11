import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createClientErrorRepo, type ClientErrorRepo } from './client-error-repo.js';

describe.each(['sqlite', 'postgres'] as const)('client error repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: ClientErrorRepo;
  const t0 = new Date('2026-07-01T00:00:00.000Z');
  const at = (s: number): Date => new Date(t0.getTime() + s * 1000);

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createClientErrorRepo(test.store.db);
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('stores notifications and counts them per flow since a time, most first', async () => {
    await repo.add({ flowId: 'old', screen: 'A', action: 'data_exchange', error: 'X', message: undefined, receivedAt: at(-10) });
    await repo.add({ flowId: 'f1', screen: 'A', action: 'data_exchange', error: 'INVALID_SCREEN_TRANSITION', message: 'bad', receivedAt: at(1) });
    await repo.add({ flowId: 'f2', screen: undefined, action: 'INIT', error: 'payload-schema-error', message: undefined, receivedAt: at(2) });
    await repo.add({ flowId: 'f2', screen: 'B', action: 'data_exchange', error: 'payload-schema-error', message: 'm', receivedAt: at(3) });
    await repo.add({ flowId: undefined, screen: 'C', action: 'navigate', error: 'E', message: undefined, receivedAt: at(4) });

    expect(await repo.countByFlow(t0)).toEqual([
      { flowId: 'f2', count: 2, lastAt: at(3).toISOString() },
      { flowId: 'f1', count: 1, lastAt: at(1).toISOString() },
      { flowId: null, count: 1, lastAt: at(4).toISOString() },
    ]);
    const f2 = await repo.listForFlow('f2', 10);
    expect(f2.map((r) => [r.screen, r.action, r.error, r.message])).toEqual([['B', 'data_exchange', 'payload-schema-error', 'm'], [null, 'INIT', 'payload-schema-error', null]]);
    expect((await repo.listForFlow(null, 10)).map((r) => r.error)).toEqual(['E']);
  });

  it('cuts long client-chosen text and cleans NUL characters (PostgreSQL refuses them)', async () => {
    await repo.add({ flowId: 'long', screen: 'S\u0000', action: 'INIT', error: 'E'.repeat(2000), message: 'm'.repeat(2000), receivedAt: at(5) });
    const [row] = await repo.listForFlow('long', 1);
    expect(row?.error).toHaveLength(500);
    expect(row?.message).toHaveLength(500);
    expect(row?.screen).toBe('S\uFFFD');
  });
});
