import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphEmulator, type GraphEmulator } from '../../src/emulator/graph-emulator.js';
import { createMediaIntake } from '../../src/services/media-intake.js';
import { createMediaStore } from '../../src/services/media-store.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createFlowMediaRepo, type FlowMediaRepo } from '../../src/store/repos/flow-media-repo.js';
import { createGraphClient } from '../../src/whatsapp/graph/index.js';

describe('createMediaIntake: nfm_reply media through the Graph API (emulator, SQLite)', () => {
  let emulator: GraphEmulator;
  let test: TestDatabase;
  let repo: FlowMediaRepo;
  let root: string;

  beforeAll(async () => {
    emulator = createGraphEmulator({ accessToken: 'media-token', wabaId: '1', phoneNumberId: '2' });
    await emulator.listen();
    test = await openTestDatabase('sqlite');
    await migrateToLatest(test.store);
    repo = createFlowMediaRepo(test.store.db);
    root = mkdtempSync(join(tmpdir(), 'fb-completion-media-'));
  });
  afterAll(async () => {
    await emulator.close();
    await test.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('downloads pending media ids, checks their hash, stores them and marks them downloaded once', async () => {
    const photo = randomBytes(3000);
    const doc = randomBytes(500);
    const photoId = emulator.addMedia(photo, 'image/jpeg');
    const docId = emulator.addMedia(doc, 'application/pdf');
    const tamperedId = emulator.addMedia(randomBytes(100), 'image/png');
    await repo.addMedia({ mediaId: photoId, flowToken: 'FT-1', field: 'photo_picker', fileName: 'IMG.jpg', mimeType: 'image/jpeg', sha256: createHash('sha256').update(photo).digest('base64') });
    await repo.addMedia({ mediaId: docId, flowToken: 'FT-1', field: 'document_picker', fileName: 'doc.pdf' });
    // The nfm_reply said another hash: the download must not be accepted.
    await repo.addMedia({ mediaId: tamperedId, flowToken: 'FT-1', sha256: createHash('sha256').update('other').digest('base64') });

    const store = createMediaStore(join(root, 'media'));
    const graph = createGraphClient({ baseUrl: emulator.url, version: 'v23.0', accessToken: 'media-token', phoneNumberId: '2' });
    const intake = createMediaIntake({ store, graph, mediaRepo: repo });
    const first = await intake.downloadCompletionMedia();
    expect(first.downloaded.map((m) => m.id).sort()).toEqual([photoId, docId].sort());
    expect(first.failed).toEqual([{ mediaId: tamperedId, reason: 'plaintext-hash-mismatch' }]);
    const storedPhoto = await store.get(photoId);
    expect(Buffer.from(storedPhoto!.bytes).equals(photo)).toBe(true);
    expect(storedPhoto!.media).toMatchObject({ source: 'cloud-api', fileName: 'IMG.jpg', mimeType: 'image/jpeg', flowToken: 'FT-1' });
    expect((await store.get(docId))!.media.mimeType).toBe('application/pdf');
    expect(await store.get(tamperedId)).toBeUndefined();

    expect((await repo.listPending(10)).map((m) => m.mediaId)).toEqual([tamperedId]);
    const second = await intake.downloadCompletionMedia();
    expect(second.downloaded).toEqual([]);
    expect(second.failed.map((f) => f.mediaId)).toEqual([tamperedId]);
  });

  it('keeps an id pending when the Graph API refuses it, and refuses files over the completion limit', async () => {
    const bigId = emulator.addMedia(randomBytes(2048), 'image/jpeg');
    await repo.addMedia({ mediaId: '999999999', flowToken: 'FT-2' });
    await repo.addMedia({ mediaId: bigId, flowToken: 'FT-2' });
    const store = createMediaStore(join(root, 'media-2'));
    const graph = createGraphClient({ baseUrl: emulator.url, version: 'v23.0', accessToken: 'media-token', phoneNumberId: '2' });
    const intake = createMediaIntake({ store, graph, mediaRepo: repo, limits: { maxCompletionBytes: 1024 } });
    const result = await intake.downloadCompletionMedia();
    const byId = new Map(result.failed.map((f) => [f.mediaId, f.reason]));
    expect(byId.get(bigId)).toBe('too-large');
    expect(byId.get('999999999')).toMatch(/\S/);
    expect(result.downloaded).toEqual([]);
    expect((await repo.listPending(10)).map((m) => m.mediaId)).toEqual(expect.arrayContaining(['999999999', bigId]));
  });
});
