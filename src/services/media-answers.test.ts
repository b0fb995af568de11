import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForm } from '../core/compile/compile-form.js';
import { formModelSchema } from '../core/form/form-model.js';
import { migrateToLatest } from '../store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../store/open-test-database.js';
import { createFlowMediaRepo, type FlowMediaRepo } from '../store/repos/flow-media-repo.js';
import { createCompiledFormHandler } from './compiled-form-handler.js';
import type { FlowRequestContext } from './flow-handlers.js';
import { createMediaIntake } from './media-intake.js';
import { createMediaStore, type MediaStore } from './media-store.js';
import type { FlowSession } from './sessions.js';

interface Vector { name: string; media_item: Record<string, unknown> & { media_id: string; cdn_url: string }; cdn_bytes_b64: string; plaintext_b64: string }
const FIXTURES = process.env.FLOWBRIDGE_CRYPTO_FIXTURES ?? '/work/shared/fixtures/crypto';
const vectors = (JSON.parse(readFileSync(join(FIXTURES, 'media-vectors.json'), 'utf8')) as { media: Vector[] }).media;
const vector = (name: string): Vector => vectors.find((v) => v.name === name) ?? (() => { throw new Error(name); })();

const model = formModelSchema.parse({
  id: 'kyc', title: 'KYC',
  pages: [
    { id: 'p1', title: 'Documents', fields: [
      { id: 'name', key: 'name', type: 'short_text', label: 'Name', required: true },
      { id: 'doc', key: 'doc', type: 'file', label: 'Documents', required: true, file: { kind: 'document', maxFiles: 2 } },
    ] },
    { id: 'p2', title: 'End', fields: [{ id: 'note', key: 'note', type: 'long_text', label: 'Note' }] },
  ],
});
const { fieldMap } = compileForm(model);
const doc = fieldMap.fields.find((f) => f.fieldId === 'doc');
const docName = doc?.flowName ?? '';
const docScreen = doc?.screen ?? '';

let server: Server;
let base = '';
let db: TestDatabase;
let repo: FlowMediaRepo;
let store: MediaStore;
let dir = '';

beforeAll(async () => {
  const blobs = new Map(vectors.map((v) => [`/cdn/${v.name}.enc`, Buffer.from(v.cdn_bytes_b64, 'base64')]));
  server = createServer((req, res) => {
    const blob = blobs.get(req.url ?? '');
    if (req.method !== 'GET' || blob === undefined) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = await openTestDatabase('sqlite');
  await migrateToLatest(db.store);
  repo = createFlowMediaRepo(db.store.db);
  dir = mkdtempSync(join(tmpdir(), 'fb-media-answers-'));
  store = createMediaStore(join(dir, 'media'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const item = (name: string): Record<string, unknown> => ({ ...vector(name).media_item, cdn_url: vector(name).media_item.cdn_url.replace('http://127.0.0.1', base) });
const session = { flowToken: 't', flowId: 'kyc', status: 'open' } as unknown as FlowSession;
const ctx = (screen: string, data: Record<string, unknown>, flowToken: string): FlowRequestContext =>
  ({ action: 'data_exchange', screen, data, version: '3.0', flowToken, session });
function handler() {
  const intake = createMediaIntake({ store, allowUrl: (u) => u.hostname === '127.0.0.1' });
  return createCompiledFormHandler({ fieldMap, model, media: { intake, repo } });
}

describe('picker files through the compiled-form handler', () => {
  it('the two-file question is sent to the endpoint', () => {
    expect(doc?.delivery).toBe('endpoint');
  });

  it('downloads, verifies, stores and lists the files of the session; the completion carries references, never keys', async () => {
    const h = handler();
    const step = await h.fallback?.(ctx(docScreen, { [docName]: [item('pdf_like_5k'), item('tiny_png')], name: 'Ann' }, 'tok-ok'));
    expect(step?.kind).toBe('next');
    const rows = await repo.listForSession('tok-ok');
    expect(rows.map((r) => [r.mediaId, r.field, r.downloadedAt !== null]).sort()).toEqual(
      [[vector('pdf_like_5k').media_item.media_id, docName, true], [vector('tiny_png').media_item.media_id, docName, true]].sort(),
    );
    const stored = await store.get(vector('tiny_png').media_item.media_id);
    expect(Buffer.from(stored?.bytes ?? []).toString('base64')).toBe(vector('tiny_png').plaintext_b64);
    expect(stored?.media.flowToken).toBe('tok-ok');

    const done = await h.fallback?.(ctx(fieldMap.summaryScreen, {}, 'tok-ok'));
    expect(done?.kind).toBe('complete');
    const files = done?.kind === 'complete' ? done.params[docName] : undefined;
    expect(files).toEqual([
      expect.objectContaining({ media_id: vector('pdf_like_5k').media_item.media_id, stored: true, size: Buffer.from(vector('pdf_like_5k').plaintext_b64, 'base64').length }),
      expect.objectContaining({ media_id: vector('tiny_png').media_item.media_id, file_name: 'tiny_png.bin', stored: true }),
    ]);
    expect(JSON.stringify(done)).not.toMatch(/encryption_key|hmac_key|cdn_url/);
  });

  it('a file failing its HMAC re-displays the screen with a message for that file; nothing of the batch is stored', async () => {
    const h = handler();
    const bad = vector('bad_hmac').media_item.media_id;
    const good = vector('exact_block_32b').media_item.media_id;
    const r = await h.fallback?.(ctx(docScreen, { [docName]: [item('exact_block_32b'), item('bad_hmac')], name: 'Ann' }, 'tok-bad'));
    // The same screen again, the message on the refused file (the picker's error-message data key), and a banner.
    expect(r).toEqual({
      kind: 'next', screen: docScreen,
      data: { [`${docName}_errors`]: { [bad]: 'This file failed its security check (its signature does not match). Remove it and choose the file again.' }, error_message: 'A file could not be accepted.' },
    });
    expect(await repo.listForSession('tok-bad')).toEqual([]);
    expect(await store.get(good)).toBeUndefined();
    // The person uploads again: accepted; the name typed with the refused attempt was kept.
    const again = await h.fallback?.(ctx(docScreen, { [docName]: [item('exact_block_32b')] }, 'tok-bad'));
    expect(again).toMatchObject({ kind: 'next', data: {} });
    expect(again?.kind === 'next' && again.screen).not.toBe(docScreen);
    expect((await repo.listForSession('tok-bad')).map((m) => m.mediaId)).toEqual([good]);
  });

  it('a URL outside the allowed hosts is refused without being fetched', async () => {
    const h = handler();
    const r = await h.fallback?.(ctx(docScreen, { [docName]: [{ ...item('tiny_png'), media_id: 'evil', cdn_url: 'http://169.254.169.254/latest' }], name: 'Ann' }, 'tok-ssrf'));
    expect(r).toMatchObject({ kind: 'next', screen: docScreen, data: { [`${docName}_errors`]: { evil: 'This file did not come from WhatsApp, so it was not opened. Remove it and choose the file again.' } } });
  });

  it('a flow compiled before the binding (no pickerErrorsKey) still gets the messages, under error_messages', async () => {
    const intake = createMediaIntake({ store, allowUrl: (u) => u.hostname === '127.0.0.1' });
    const legacy = { ...fieldMap, fields: fieldMap.fields.map(({ pickerErrorsKey: _k, ...e }) => e) };
    const h = createCompiledFormHandler({ fieldMap: legacy, model, media: { intake, repo } });
    const r = await h.fallback?.(ctx(docScreen, { [docName]: [item('bad_encrypted_hash')], name: 'Ann' }, 'tok-legacy'));
    expect(r).toEqual({ kind: 'error', message: 'A file could not be accepted.', fieldErrors: { [docName]: { [vector('bad_encrypted_hash').media_item.media_id]: expect.stringMatching(/^This file arrived damaged/) as string } } });
  });

  it('an item without a usable media_id has its own message in the banner, not in the per-file object', async () => {
    const h = handler();
    const { media_id: _id, ...noId } = item('tiny_png');
    const r = await h.fallback?.(ctx(docScreen, { [docName]: [noId], name: 'Ann' }, 'tok-noid'));
    expect(r).toEqual({
      kind: 'next', screen: docScreen,
      data: { [`${docName}_errors`]: {}, error_message: 'This upload is incomplete and could not be opened. Remove it and choose the file again.' },
    });
  });

  it('after a refused upload the remembered answers hold the stored references of the other pickers and nothing of the refused one', async () => {
    const two = formModelSchema.parse({ ...model, pages: [{ ...model.pages[0]!, fields: [...model.pages[0]!.fields, { id: 'extra', key: 'extra', type: 'file', label: 'Extra', file: { kind: 'document', maxFiles: 2 } }] }, model.pages[1]!] });
    const compiled = compileForm(two);
    const extraName = compiled.fieldMap.fields.find((f) => f.fieldId === 'extra')?.flowName ?? '';
    const screen = compiled.fieldMap.fields.find((f) => f.fieldId === 'extra')?.screen ?? '';
    const intake = createMediaIntake({ store, allowUrl: (u) => u.hostname === '127.0.0.1' });
    const h = createCompiledFormHandler({ fieldMap: compiled.fieldMap, model: two, media: { intake, repo } });
    const earlier = vector('pdf_like_5k').media_item.media_id;
    expect((await h.fallback?.(ctx(docScreen, { [docName]: [item('exact_block_32b')], name: 'Ann' }, 'tok-mem')))?.kind).toBe('next');
    const first = await h.fallback?.(ctx(screen, { [extraName]: [item('pdf_like_5k')] }, 'tok-mem'));
    expect(first?.kind === 'next' && first.screen).not.toBe(screen);
    // Back on the screen: the request carries a new file for the first picker and a refused one for the second.
    const r = await h.fallback?.(ctx(screen, { [docName]: [item('tiny_png')], [extraName]: [item('bad_hmac')] }, 'tok-mem'));
    expect(r).toMatchObject({ kind: 'next', screen, data: { [`${extraName}_errors`]: { [vector('bad_hmac').media_item.media_id]: expect.any(String) as string } } });
    const done = await h.fallback?.(ctx(compiled.fieldMap.summaryScreen, {}, 'tok-mem'));
    expect(done?.kind).toBe('complete');
    const params = done?.kind === 'complete' ? done.params : {};
    expect(params[docName]).toEqual([expect.objectContaining({ media_id: vector('tiny_png').media_item.media_id, stored: true })]);
    expect(JSON.stringify(done)).not.toMatch(/encryption_key|hmac_key|cdn_url|encryption_metadata/);
    expect(JSON.stringify(done)).not.toContain(earlier);
  });

  it('a file of a type the question does not take is refused by its bytes, with both types named', async () => {
    const pdfOnly = formModelSchema.parse({ ...model, pages: [{ ...model.pages[0]!, fields: [model.pages[0]!.fields[0]!, { ...model.pages[0]!.fields[1]!, file: { kind: 'document', maxFiles: 2, mimeTypes: ['application/pdf'] } }] }, model.pages[1]!] });
    const compiled = compileForm(pdfOnly);
    const intake = createMediaIntake({ store, allowUrl: (u) => u.hostname === '127.0.0.1' });
    const h = createCompiledFormHandler({ fieldMap: compiled.fieldMap, model: pdfOnly, media: { intake, repo } });
    const png = vector('tiny_png').media_item.media_id;
    const r = await h.fallback?.(ctx(docScreen, { [docName]: [item('tiny_png')], name: 'Ann' }, 'tok-type'));
    expect(r).toMatchObject({ kind: 'next', screen: docScreen, data: { [`${docName}_errors`]: { [png]: 'This file is a PNG image; it is not accepted here (only PDF). Choose a PDF file.' } } });
    expect(await repo.listForSession('tok-type')).toEqual([]);
  });
});
