import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../whatsapp/graph/index.js';
import { decryptMedia, MediaCryptoError } from '../../whatsapp/media-crypto.js';
import { createGraphEmulator, emulatorCdnAllows, type GraphEmulator } from '../graph-emulator.js';
import { createPhoneUploads, encryptUpload, PHONE_FILE_MARKER, sampleDocument, samplePhoto } from './phone-media.js';

interface Vector { name: string; expect: string; media_item: { encryption_metadata: Record<string, string> }; cdn_bytes_b64: string; plaintext_b64?: string }
const vectors = (JSON.parse(readFileSync('/work/shared/fixtures/crypto/media-vectors.json', 'utf8')) as { media: Vector[] }).media;

/** An in-memory stand-in for the emulator's CDN and media. */
function memoryTarget() {
  const cdn = new Map<string, Uint8Array>();
  const media = new Map<string, { bytes: Uint8Array; mime: string }>();
  return {
    cdn, media,
    addCdnFile: (bytes: Uint8Array) => {
      const url = `http://cdn.test/${cdn.size}.enc`;
      cdn.set(url, Buffer.from(bytes));
      return url;
    },
    addMedia: (bytes: Uint8Array, mime: string) => {
      const id = String(900 + media.size);
      media.set(id, { bytes, mime });
      return id;
    },
  };
}

describe('phone uploads (spec §3.1–3.3)', () => {
  let emulator: GraphEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('encrypts exactly as the fixture vectors say, independently of the server code', () => {
    const ok = vectors.filter((v) => v.expect === 'ok' && v.plaintext_b64 !== undefined);
    expect(ok.length).toBeGreaterThanOrEqual(3);
    for (const v of ok) {
      const m = v.media_item.encryption_metadata;
      const { blob, metadata } = encryptUpload(Buffer.from(v.plaintext_b64!, 'base64'), {
        encryptionKey: Buffer.from(m.encryption_key!, 'base64'), hmacKey: Buffer.from(m.hmac_key!, 'base64'), iv: Buffer.from(m.iv!, 'base64'),
      });
      expect(blob.toString('base64'), v.name).toBe(v.cdn_bytes_b64);
      expect(metadata).toEqual(m);
    }
  });

  it('round-trips any file through the server\'s decryption, and any flipped bit is refused', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (plain, at) => {
      const { blob, metadata } = encryptUpload(plain);
      expect(Buffer.from(decryptMedia(blob, metadata)).equals(Buffer.from(plain))).toBe(true);
      const bad = Buffer.from(blob);
      bad[at % bad.length] = (bad[at % bad.length] ?? 0) ^ 1;
      expect(() => decryptMedia(bad, metadata)).toThrow(MediaCryptoError);
    }), { numRuns: 150 });
  });

  it('makes a real JPEG and PDF per pick, decryptable by the server', () => {
    const target = memoryTarget();
    const uploads = createPhoneUploads(target);
    const [photo] = uploads.pick('photo', 1);
    const docs = uploads.pick('document', 2);
    expect(docs).toHaveLength(2);
    expect(photo!.file_name).toMatch(/\.jpg$/);
    expect(docs[0]!.file_name).toMatch(/\.pdf$/);
    const plainPhoto = decryptMedia(target.cdn.get(photo!.cdn_url)!, photo!.encryption_metadata);
    expect(plainPhoto.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(plainPhoto.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    const plainDoc = decryptMedia(target.cdn.get(docs[1]!.cdn_url)!, docs[1]!.encryption_metadata);
    expect(plainDoc.toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
    expect(plainDoc.toString('latin1')).toContain(PHONE_FILE_MARKER);
    // Every pick is a different file with its own keys.
    expect(docs[0]!.encryption_metadata.plaintext_hash).not.toBe(docs[1]!.encryption_metadata.plaintext_hash);
    expect(docs[0]!.encryption_metadata.encryption_key).not.toBe(docs[1]!.encryption_metadata.encryption_key);
    expect(new Set(uploads.uploads.map((u) => u.item.media_id)).size).toBe(3);
  });

  it('a corrupt pick fails the server\'s HMAC check (not the hash check) for the first file only', () => {
    const target = memoryTarget();
    const [bad, good] = createPhoneUploads(target).pick('document', 2, { corrupt: true });
    expect(() => decryptMedia(target.cdn.get(bad!.cdn_url)!, bad!.encryption_metadata)).toThrow(expect.objectContaining({ reason: 'hmac-mismatch' }));
    expect(decryptMedia(target.cdn.get(good!.cdn_url)!, good!.encryption_metadata).length).toBeGreaterThan(0);
  });

  it('sample files are distinct per tag and well formed', () => {
    expect(samplePhoto('a').equals(samplePhoto('b'))).toBe(false);
    const pdf = sampleDocument('x(y)').toString('latin1');
    const xref = Number(/startxref\n(\d+)\n/.exec(pdf)?.[1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
  });

  it('serves uploads from the emulator CDN without auth, and completion media through GET /{media-id}', async () => {
    emulator = createGraphEmulator({ accessToken: 'tok', wabaId: '1', phoneNumberId: '2' });
    const base = await emulator.listen();
    const uploads = createPhoneUploads(emulator);
    const [item] = uploads.pick('photo', 1);
    expect(item!.cdn_url.startsWith(`${base}/_emulator/cdn/`)).toBe(true);
    const res = await fetch(item!.cdn_url);
    expect(res.status).toBe(200);
    const plain = decryptMedia(new Uint8Array(await res.arrayBuffer()), item!.encryption_metadata);
    expect((await fetch(`${base}/_emulator/cdn/nothing.enc`)).status).toBe(404);
    const allows = emulatorCdnAllows(base);
    expect(allows(new URL(item!.cdn_url))).toBe(true);
    expect(allows(new URL(`${base}/_emulator/media/1`))).toBe(false);
    expect(allows(new URL(item!.cdn_url.replace('127.0.0.1', 'localhost')))).toBe(false);
    expect(allows(new URL('https://mmg.whatsapp.net/_emulator/cdn/x.enc'))).toBe(false);

    // §3.3: the runtime's webhook shape keyed by media_id becomes a Cloud API media id.
    const response = { flow_token: 't', id_photo: [{ file_name: item!.file_name, mime_type: 'image/jpeg', sha256: item!.encryption_metadata.plaintext_hash, id: item!.media_id }], other: 'x' };
    const out = uploads.toCloudMedia(response) as { id_photo: { id: string; sha256: string }[]; other: string };
    expect(out.other).toBe('x');
    const mediaId = out.id_photo[0]!.id;
    expect(mediaId).not.toBe(item!.media_id);
    const graph = createGraphClient({ baseUrl: base, version: 'v23.0', accessToken: 'tok', phoneNumberId: '2' });
    const info = await graph.getMedia(mediaId);
    expect(info.mimeType).toBe('image/jpeg');
    const { bytes } = await graph.downloadMedia(info.url);
    expect(Buffer.from(bytes).equals(plain)).toBe(true);
  });
});
