/**
 * Per-file upload errors end to end on a real port (spec §1.9 object-form
 * `error-message`, §3.1–3.2 media upload): a compiled form with a file
 * question is served by the real composition root (startServer) with the
 * compiled-form handler and the media intake; the runtime plays it through
 * the encrypted endpoint with real encrypted files on a loopback CDN (the
 * media vectors). A tampered file and a too-large file come back as
 * messages on the picker, each on its own media_id, with the screen shown
 * again and the typed answer kept; good files then go through and the flow
 * completes.
 * @module
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { compileForm } from '../../src/core/compile/index.js';
import { formModelSchema } from '../../src/core/form/form-model.js';
import { createFlowRuntime } from '../../src/core/runtime/index.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { createCompiledFormHandler } from '../../src/services/compiled-form-handler.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { createMediaIntake } from '../../src/services/media-intake.js';
import { createMediaStore, type MediaStore } from '../../src/services/media-store.js';
import { CRYPTO_FIXTURE_DIR, testKeys } from '../crypto/crypto-fixtures.js';
import { APP_SECRET, bufferLogger, runtimeEndpointClient } from './server-harness.js';

interface Vector { name: string; media_item: Record<string, unknown> & { media_id: string; cdn_url: string }; cdn_bytes_b64: string }
const FIXTURES = process.env.FLOWBRIDGE_CRYPTO_FIXTURES ?? '/work/shared/fixtures/crypto';
const vectors = (JSON.parse(readFileSync(join(FIXTURES, 'media-vectors.json'), 'utf8')) as { media: Vector[] }).media;
const vector = (name: string): Vector => vectors.find((v) => v.name === name)!;

const FLOW_ID = 'receipts-flow';
const model = formModelSchema.parse({
  id: 'receipts', title: 'Expense claim',
  pages: [
    { id: 'p1', title: 'Receipts', fields: [
      { id: 'name', key: 'name', type: 'short_text', label: 'Name', required: true },
      { id: 'receipts', key: 'receipts', type: 'file', label: 'Receipts', required: true, file: { kind: 'document', maxFiles: 3, maxSizeKb: 4 } },
    ] },
    { id: 'p2', title: 'Note', fields: [{ id: 'note', key: 'note', type: 'long_text', label: 'Note' }] },
  ],
});
const { flow, fieldMap } = compileForm(model);
const picker = fieldMap.fields.find((f) => f.fieldId === 'receipts')!;
const PICKER = picker.flowName!;
const SCREEN = picker.screen!;

let dataDir: string;
let server: RunningServer;
let cdn: Server;
let cdnBase = '';
let media: MediaStore;

/** A real upload item pointing at the loopback CDN. */
const item = (name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ ...vector(name).media_item, cdn_url: `${cdnBase}/cdn/${name}.enc`, ...overrides });

beforeAll(async () => {
  const blobs = new Map(vectors.map((v) => [`/cdn/${v.name}.enc`, Buffer.from(v.cdn_bytes_b64, 'base64')]));
  // Tampered in transit: the good PNG with one byte of its ciphertext flipped.
  const tampered = Buffer.from(vector('tiny_png').cdn_bytes_b64, 'base64');
  tampered[5] = tampered[5]! ^ 0x01;
  blobs.set('/cdn/tampered.enc', tampered);
  cdn = createServer((req, res) => {
    const blob = blobs.get(req.url ?? '');
    if (req.method !== 'GET' || blob === undefined) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnBase = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

  dataDir = mkdtempSync(join(tmpdir(), 'fb-picker-e2e-'));
  mkdirSync(join(dataDir, 'keys'));
  copyFileSync(join(CRYPTO_FIXTURE_DIR, 'test-private-key-encrypted.pem'), join(dataDir, 'keys', 'current.pem'));
  const config = loadConfig({
    env: { FLOWBRIDGE_DATA_DIR: dataDir, FLOWBRIDGE_HOST: '127.0.0.1', FLOWBRIDGE_APP_SECRET: APP_SECRET, FLOWBRIDGE_KEY_PASSPHRASE: testKeys.passphrase },
    readFile: (p) => readFileSync(p, 'utf8'),
  });
  media = createMediaStore(join(dataDir, 'media'));
  const intake = createMediaIntake({ store: media, allowUrl: (u) => u.hostname === '127.0.0.1' });
  const handlers = createHandlerRegistry();
  handlers.register(FLOW_ID, createCompiledFormHandler({ fieldMap, model, media: { intake } }));
  server = await startServer({ ...config, port: 0 }, { handlers, logger: bufferLogger('warn').logger, handleSignals: false });
});

afterAll(async () => {
  await server?.close();
  cdn?.closeAllConnections();
  await new Promise((resolve) => cdn?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a refused upload shows its message on the file, through the real endpoint', () => {
  it('tampered and too-large files are marked per media_id on the re-shown screen; good files then complete the flow', async () => {
    const session = await server.sessions.issue({ flowId: FLOW_ID, contactPhone: '15550001111' });
    const endpoint = runtimeEndpointClient(server);
    const rt = createFlowRuntime(flow, { flowToken: session.flowToken, endpoint });
    if (typeof rt === 'string') throw new Error(rt);
    expect((await rt.start()).ok).toBe(true);
    expect(rt.view().screen).toBe(SCREEN);
    expect(rt.view().components.find((c) => c.name === PICKER)).not.toHaveProperty('error');

    await rt.answer('name', 'Ann Lee');
    const bad = item('tiny_png', { media_id: 'tampered-0001', cdn_url: `${cdnBase}/cdn/tampered.enc` });
    const big = item('pdf_like_5k');
    const fine = item('exact_block_32b');
    rt.setValue(PICKER, [bad, big, fine]);
    expect((await rt.press('footer')).ok).toBe(true);

    const view = rt.view();
    expect(view.screen).toBe(SCREEN);
    expect(view.banner).toEqual({ kind: 'snackbar', text: '2 files could not be accepted.' });
    const shown = view.components.find((c) => c.name === PICKER)!;
    expect(shown.files).toEqual([
      { mediaId: 'tampered-0001', fileName: 'tiny_png.bin', error: 'This file arrived damaged (its checksum does not match). Remove it and choose the file again.' },
      { mediaId: vector('pdf_like_5k').media_item.media_id, fileName: 'pdf_like_5k.bin', error: 'This file is 5 KB; the limit is 4 KB. Choose a smaller file.' },
      { mediaId: vector('exact_block_32b').media_item.media_id, fileName: 'exact_block_32b.bin' },
    ]);
    expect(shown.error).toContain('This file arrived damaged');
    expect(view.components.find((c) => c.name === 'name')?.value).toBe('Ann Lee');
    // All or nothing: the good file of the refused batch was not kept.
    expect(await media.get(vector('exact_block_32b').media_item.media_id)).toBeUndefined();

    rt.setValue(PICKER, [item('tiny_png'), fine]);
    expect(rt.view().components.find((c) => c.name === PICKER)?.error).toBeUndefined();
    expect((await rt.press('footer')).ok).toBe(true);
    expect(rt.view().screen).not.toBe(SCREEN);
    expect(rt.view().banner).toBeUndefined();
    while (rt.status === 'active') expect((await rt.press('footer')).ok).toBe(true);
    expect(rt.status).toBe('completed');
    expect(rt.response).toMatchObject({ flow_token: session.flowToken });
    for (const v of ['tiny_png', 'exact_block_32b']) expect(await media.get(vector(v).media_item.media_id), v).toBeDefined();
    expect(await media.get('tampered-0001')).toBeUndefined();
  });
});
