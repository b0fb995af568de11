import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createFlowMediaRepo, type FlowMediaRepo } from './flow-media-repo.js';

describe.each(['sqlite', 'postgres'] as const)('flow media repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: FlowMediaRepo;
  let clock = new Date('2026-07-01T00:00:00.000Z');

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createFlowMediaRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('keeps each media id once, lists pending ones oldest first and marks downloads once', async () => {
    expect(await repo.addMedia({ mediaId: '100', flowToken: 'T', field: 'photo_picker', fileName: 'a.jpg', mimeType: 'image/jpeg', sha256: 'h1' })).toBe(true);
    expect(await repo.addMedia({ mediaId: '100', flowToken: 'T' })).toBe(false);
    clock = new Date(clock.getTime() + 1000);
    expect(await repo.addMedia({ mediaId: '101', flowToken: 'T', field: 'document_picker' })).toBe(true);
    expect(await repo.addMedia({ mediaId: '200', flowToken: 'U' })).toBe(true);

    expect((await repo.listForSession('T')).map((m) => [m.mediaId, m.field, m.fileName])).toEqual([
      ['100', 'photo_picker', 'a.jpg'],
      ['101', 'document_picker', null],
    ]);
    expect((await repo.listPending(2)).map((m) => m.mediaId)).toEqual(['100', '101']);
    expect(await repo.markDownloaded('100')).toBe(true);
    expect(await repo.markDownloaded('100')).toBe(false);
    expect((await repo.listPending(10)).map((m) => m.mediaId)).toEqual(['101', '200']);
  });
});
