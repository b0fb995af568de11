import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaIntake, type MediaIntakeReason } from '../../src/services/media-intake.js';
import { createMediaStore, type MediaStore } from '../../src/services/media-store.js';
import { encryptMedia } from '../../src/whatsapp/media-crypto.js';
import { mediaVectors, type MediaVector } from '../crypto/crypto-fixtures.js';

const dirs: string[] = [];
let server: Server;
let base = '';
const hits: string[] = [];
const extra = new Map<string, Buffer>();

function tempStore(): { store: MediaStore; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'fb-media-intake-'));
  dirs.push(root);
  return { store: createMediaStore(join(root, 'media')), dir: root };
}

beforeAll(async () => {
  const blobs = new Map(mediaVectors.map((v) => [`/cdn/${v.name}.enc`, Buffer.from(v.cdn_bytes_b64, 'base64')]));
  server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.push(path);
    if (path === '/cdn/slow') return; // never answers
    if (path === '/cdn/endless') {
      // No Content-Length: the cap must be enforced while streaming.
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 1);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const blob = blobs.get(path) ?? extra.get(path);
    if (blob === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const loopback = (url: URL): boolean => url.hostname === '127.0.0.1';

/** A vector's picker item, pointing at the loopback CDN. */
function item(v: MediaVector): Record<string, unknown> {
  return { ...v.media_item, cdn_url: v.media_item.cdn_url.replace('http://127.0.0.1', base) };
}

const good = mediaVectors.filter((v) => v.expect === 'ok');
const bad = mediaVectors.filter((v) => v.expect.startsWith('reject:'));
const expectedReason: Record<string, MediaIntakeReason> = {
  'reject:hmac': 'hmac-mismatch',
  'reject:encrypted_hash': 'encrypted-hash-mismatch',
  'reject:plaintext_hash': 'plaintext-hash-mismatch',
};

describe('createMediaIntake: picker values (loopback CDN)', () => {
  it('accepts the good vectors and stores exactly their plaintext', async () => {
    expect(good.length).toBeGreaterThanOrEqual(3);
    const { store } = tempStore();
    const intake = createMediaIntake({ store, allowUrl: loopback });
    const result = await intake.acceptPickerFiles(good.map(item), { flowToken: 'FT' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.files.map((f) => f.id)).toEqual(good.map((v) => v.media_item.media_id));
    for (const v of good) {
      const stored = await store.get(v.media_item.media_id);
      expect(Buffer.from(stored!.bytes).toString('base64')).toBe(v.plaintext_b64);
      expect(stored!.media).toMatchObject({ fileName: v.media_item.file_name, flowToken: 'FT', source: 'picker', sha256: v.media_item.encryption_metadata.plaintext_hash });
    }
  });

  it.each(bad.map((v) => [v.name, v] as const))('refuses %s with a per-file error for the right reason, storing nothing', async (_name, v) => {
    const { store } = tempStore();
    const intake = createMediaIntake({ store, allowUrl: loopback });
    const result = await intake.acceptPickerFiles([item(good[0]!), item(v)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const id = v.media_item.media_id;
    expect(result.reasons).toEqual({ [id]: expectedReason[v.expect] });
    expect(Object.keys(result.errors)).toEqual([id]);
    expect(result.errors[id]).toMatch(/^This file .+\. Remove it and choose the file again\.$/);
    expect(await store.get(good[0]!.media_item.media_id)).toBeUndefined();
    expect(await store.get(id)).toBeUndefined();
  });

  it('refuses a file over the picker size limit, both by decrypted size and while streaming', async () => {
    const { store } = tempStore();
    const intake = createMediaIntake({ store, allowUrl: loopback, limits: { maxFileBytes: 1024 * 1024 } });
    const pdf = good.find((v) => Buffer.from(v.plaintext_b64, 'base64').length > 2000)!;
    const small = await intake.acceptPickerFiles([item(pdf)], { maxFileBytes: 1000 });
    expect(small.ok === false && small.reasons[pdf.media_item.media_id]).toBe('too-large');
    // What is wrong and how to fix it, with the numbers.
    const size = Buffer.from(pdf.plaintext_b64, 'base64').length;
    expect(small.ok === false && small.errors[pdf.media_item.media_id]).toBe(`This file is ${Math.ceil(size / 1024)} KB; the limit is 1 KB. Choose a smaller file.`);
    const endless = { ...item(pdf), media_id: 'endless', cdn_url: `${base}/cdn/endless` };
    const streamed = await intake.acceptPickerFiles([endless]);
    expect(streamed.ok === false && streamed.reasons.endless).toBe('too-large');
    expect(streamed.ok === false && streamed.errors.endless).toMatch(/^This file (is \d+(\.\d)? MB; the limit is 1 MB|is larger than the 1 MB limit)\. Choose a smaller file\.$/);
    expect(await store.get('endless')).toBeUndefined();
  });

  it('refuses too many files before downloading anything', async () => {
    const { store } = tempStore();
    const intake = createMediaIntake({ store, allowUrl: loopback });
    const before = hits.length;
    const result = await intake.acceptPickerFiles(good.map(item), { maxFiles: 2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const third = good[2]!.media_item.media_id;
    expect(result.reasons).toEqual({ [third]: 'too-many-files' });
    expect(result.errors[third]).toBe('At most 2 files can be added here. Remove this one.');
    expect(hits.length).toBe(before);
    expect(await store.get(good[0]!.media_item.media_id)).toBeUndefined();
  });

  it('maps CDN 404 and timeouts to per-file errors', async () => {
    const { store } = tempStore();
    const intake = createMediaIntake({ store, allowUrl: loopback, limits: { timeoutMs: 300 } });
    const missing = { ...item(good[0]!), media_id: 'missing', cdn_url: `${base}/cdn/nothing-here` };
    const slow = { ...item(good[1]!), media_id: 'slow', cdn_url: `${base}/cdn/slow` };
    const result = await intake.acceptPickerFiles([missing, slow]);
    expect(result.ok === false && result.reasons).toEqual({ missing: 'download-failed', slow: 'download-timeout' });
  });

  it('by default fetches only https whatsapp.net URLs, and refuses malformed values', async () => {
    const { store } = tempStore();
    const intake = createMediaIntake({ store });
    const before = hits.length;
    const result = await intake.acceptPickerFiles([item(good[0]!)]);
    expect(result.ok === false && result.reasons).toEqual({ [good[0]!.media_item.media_id]: 'url-not-allowed' });
    expect(hits.length).toBe(before);
    const encoded = await createMediaIntake({ store, allowUrl: loopback }).acceptPickerFiles(JSON.stringify([item(good[1]!)]));
    expect(encoded.ok).toBe(true);
    const notArray = await intake.acceptPickerFiles('${form.photo}');
    expect(notArray.ok === false && notArray.reasons).toEqual({ '#0': 'malformed-item' });
    const dup = await intake.acceptPickerFiles([item(good[0]!), item(good[0]!), { media_id: 5 }]);
    expect(dup.ok === false && dup.reasons).toEqual({ '#1': 'malformed-item', '#2': 'malformed-item' });
  });

  it('property: random metadata and bytes yield typed per-file errors, never an exception or a stored file', async () => {
    const { store } = tempStore();
    const reasons = new Set<string>(['too-large', 'too-many-files', 'download-failed', 'download-timeout', 'malformed-item', 'url-not-allowed', 'encrypted-hash-mismatch', 'hmac-mismatch', 'bad-padding', 'plaintext-hash-mismatch', 'malformed-metadata']);
    const b64 = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64'));
    const metadata = fc.oneof(
      fc.record({ encrypted_hash: b64(32), iv: b64(16), encryption_key: b64(32), hmac_key: b64(32), plaintext_hash: b64(32) }),
      fc.anything(),
      fc.dictionary(fc.constantFrom('encrypted_hash', 'iv', 'encryption_key', 'hmac_key', 'plaintext_hash'), fc.oneof(fc.string(), b64(16), b64(32))),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), metadata, fc.boolean(), async (bytes, meta, useHashOfBytes) => {
        const served = Buffer.from(bytes);
        const md = useHashOfBytes && typeof meta === 'object' && meta !== null && !Array.isArray(meta)
          ? { ...meta, encrypted_hash: createHash('sha256').update(served).digest('base64') }
          : meta;
        const intake = createMediaIntake({ store, allowUrl: () => true, fetch: () => Promise.resolve(new Response(served)) });
        const result = await intake.acceptPickerFiles([{ media_id: 'm1', cdn_url: 'https://cdn.invalid/x', encryption_metadata: md }]);
        expect(result.ok).toBe(false);
        if (!result.ok) for (const reason of Object.values(result.reasons)) expect(reasons.has(reason)).toBe(true);
        expect(await store.get('m1')).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('property: any file encrypted as WhatsApp does is accepted and stored byte for byte', async () => {
    const { store } = tempStore();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (plain) => {
        const { cdn, metadata } = encryptMedia(plain);
        const intake = createMediaIntake({ store, allowUrl: () => true, fetch: () => Promise.resolve(new Response(cdn)) });
        const result = await intake.acceptPickerFiles([{ media_id: 'p', cdn_url: 'https://mmg.whatsapp.net/v/x', encryption_metadata: metadata }]);
        expect(result.ok).toBe(true);
        expect(Buffer.from((await store.get('p'))!.bytes).equals(Buffer.from(plain))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
