import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphEmulator, type GraphEmulator } from '../emulator/graph-emulator.js';
import { migrateToLatest } from '../store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../store/open-test-database.js';
import { createFlowMediaRepo, type FlowMediaRepo } from '../store/repos/flow-media-repo.js';
import { createGraphClient } from '../whatsapp/graph/index.js';
import { createPendingMediaDownloader } from './media-downloads.js';
import { createMediaStore } from './media-store.js';

const emulator: GraphEmulator = createGraphEmulator({ accessToken: 'media-token', wabaId: '1', phoneNumberId: '2' });
let test: TestDatabase;
let repo: FlowMediaRepo;
const root = mkdtempSync(join(tmpdir(), 'fb-media-downloads-'));
beforeAll(async () => {
  [test] = await Promise.all([openTestDatabase('sqlite'), emulator.listen()]);
  await migrateToLatest(test.store);
  repo = createFlowMediaRepo(test.store.db);
});
afterAll(async () => {
  await Promise.all([emulator.close(), test.cleanup()]);
  rmSync(root, { recursive: true, force: true });
});

describe('downloadPendingMedia (Graph emulator, SQLite)', () => {
  it('downloads due ids, backs a failing one off so it does not block the queue, and lists the files by flow_token', async () => {
    const bad = emulator.addMedia(randomBytes(50), 'image/png');
    await repo.addMedia({ mediaId: bad, flowToken: 'FT-9', field: 'photo', sha256: createHash('sha256').update('not it').digest('base64') });
    const files = [randomBytes(700), randomBytes(900)];
    const ids = files.map((bytes) => emulator.addMedia(bytes, 'application/pdf'));
    for (const [i, id] of ids.entries()) await repo.addMedia({ mediaId: id, flowToken: 'FT-9', field: `doc${i}` });

    let clock = 1_000_000;
    const store = createMediaStore(join(root, 'media'));
    const graph = createGraphClient({ baseUrl: emulator.url, version: 'v23.0', accessToken: 'media-token', phoneNumberId: '2' });
    const warnings: object[] = [];
    const downloader = createPendingMediaDownloader({
      store, graph, repo, batchSize: 1, backoffMs: 1000, now: () => clock,
      log: { debug() {}, info() {}, warn: (o) => { warnings.push(o); }, error() {} },
    });
    // Batch of one: the failing id comes first and is backed off; the next passes reach the others.
    expect(await downloader.downloadPendingMedia()).toEqual({ downloaded: 0, failed: 1, waiting: 0 });
    expect(warnings).toEqual([expect.objectContaining({ mediaId: bad, reason: 'plaintext-hash-mismatch', failures: 1, retryInMs: 1000 })]);
    const [a, b] = await Promise.all([downloader.downloadPendingMedia(), downloader.downloadPendingMedia()]);
    expect(a).toBe(b); // passes never overlap
    expect(a).toEqual({ downloaded: 1, failed: 0, waiting: 1 });
    expect((await downloader.downloadPendingMedia()).downloaded).toBe(1);
    expect(await downloader.downloadPendingMedia()).toEqual({ downloaded: 0, failed: 0, waiting: 1 });
    clock += 1000;
    expect(await downloader.downloadPendingMedia()).toEqual({ downloaded: 0, failed: 1, waiting: 0 });
    expect(warnings.at(-1)).toMatchObject({ failures: 2, retryInMs: 2000 });

    // What the delivery worker reads: the session's files from flow_media, their bytes from the media store.
    const listed = await repo.listForSession('FT-9');
    const done = listed.filter((m) => m.downloadedAt !== null);
    expect(done.map((m) => m.mediaId).sort()).toEqual([...ids].sort());
    for (const [i, id] of ids.entries()) expect(Buffer.from((await store.get(id))?.bytes ?? []).equals(files[i]!)).toBe(true);
  });
});
