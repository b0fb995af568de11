import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { mediaVectors } from '../../test/crypto/crypto-fixtures.js';
import { decryptMedia, encryptMedia, MediaCryptoError, type MediaCryptoReason } from './media-crypto.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const sha = (bytes: Uint8Array): string => b64(createHash('sha256').update(bytes).digest());

function reasonOf(fn: () => unknown): MediaCryptoReason | 'no-error' {
  try {
    fn();
    return 'no-error';
  } catch (err) {
    if (err instanceof MediaCryptoError) return err.reason;
    throw err;
  }
}

/**
 * A CDN file built from raw (already padded or deliberately mis-padded) CBC
 * input, with a valid MAC and hashes, written from spec §3.2 in the test.
 */
function rawCdn(paddedPlain: Buffer, claimedPlain: Buffer) {
  const key = randomBytes(32);
  const hmacKey = randomBytes(32);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const ct = Buffer.concat([c.update(paddedPlain), c.final()]);
  const mac = createHmac('sha256', hmacKey).update(iv).update(ct).digest().subarray(0, 10);
  const cdn = Buffer.concat([ct, mac]);
  return {
    cdn,
    metadata: { encrypted_hash: sha(cdn), iv: b64(iv), encryption_key: b64(key), hmac_key: b64(hmacKey), plaintext_hash: sha(claimedPlain) },
  };
}

describe('decryptMedia against the known-answer vectors', () => {
  const expected: Record<string, MediaCryptoReason | 'ok'> = {
    ok: 'ok',
    'reject:hmac': 'hmac-mismatch',
    'reject:encrypted_hash': 'encrypted-hash-mismatch',
    'reject:plaintext_hash': 'plaintext-hash-mismatch',
  };

  it('has good and bad vectors', () => {
    expect(mediaVectors.filter((v) => v.expect === 'ok').length).toBeGreaterThanOrEqual(3);
    expect(mediaVectors.filter((v) => v.expect.startsWith('reject:')).length).toBeGreaterThanOrEqual(3);
  });

  for (const v of mediaVectors) {
    it(`${v.name}: ${v.expect}`, () => {
      const want = expected[v.expect];
      expect(want).toBeDefined();
      const cdn = Buffer.from(v.cdn_bytes_b64, 'base64');
      if (want === 'ok') {
        expect(b64(decryptMedia(cdn, v.media_item.encryption_metadata))).toBe(v.plaintext_b64);
      } else {
        expect(reasonOf(() => decryptMedia(cdn, v.media_item.encryption_metadata))).toBe(want);
      }
    });
  }
});

describe('decryptMedia refusals', () => {
  const plain = Buffer.from('%PDF-1.7 hello');
  const { cdn, metadata } = encryptMedia(plain);

  it('failures are AppErrors coded MEDIA_REJECTED with the reason in details', () => {
    try {
      decryptMedia(cdn, {});
    } catch (err) {
      expect(err).toMatchObject({ code: 'MEDIA_REJECTED', status: 400, reason: 'malformed-metadata', details: { reason: 'malformed-metadata' } });
    }
    expect.assertions(1);
  });

  it('caps the size before doing any work', () => {
    expect(reasonOf(() => decryptMedia(cdn, metadata, { maxBytes: cdn.length - 1 }))).toBe('too-large');
    expect(reasonOf(() => decryptMedia(cdn, {}, { maxBytes: cdn.length - 1 }))).toBe('too-large');
    expect(decryptMedia(cdn, metadata, { maxBytes: cdn.length }).equals(plain)).toBe(true);
  });

  it('refuses malformed metadata', () => {
    const bad: unknown[] = [
      null,
      'x',
      { ...metadata, iv: undefined },
      { ...metadata, iv: b64(randomBytes(12)) },
      { ...metadata, encryption_key: b64(randomBytes(16)) },
      { ...metadata, hmac_key: metadata.hmac_key.replace(/=$/, '') },
      { ...metadata, plaintext_hash: 7 },
      { ...metadata, encrypted_hash: metadata.encrypted_hash.replace(/\+/g, '-').replace(/\//g, '_') + '!' },
    ];
    for (const m of bad) expect(reasonOf(() => decryptMedia(cdn, m))).toBe('malformed-metadata');
  });

  it('refuses bad PKCS#7 padding even under a valid MAC', () => {
    const body = randomBytes(32);
    for (const last of [0x00, 0x11, 0xff]) {
      const p = Buffer.from(body);
      p[31] = last;
      const { cdn: c, metadata: m } = rawCdn(p, p);
      expect(reasonOf(() => decryptMedia(c, m))).toBe('bad-padding');
    }
    const inconsistent = Buffer.concat([randomBytes(29), Buffer.from([3, 2, 3])]);
    const r = rawCdn(inconsistent, inconsistent);
    expect(reasonOf(() => decryptMedia(r.cdn, r.metadata))).toBe('bad-padding');
    const good = Buffer.concat([randomBytes(29), Buffer.from([3, 3, 3])]);
    const g = rawCdn(good, good.subarray(0, 29));
    expect(decryptMedia(g.cdn, g.metadata).equals(good.subarray(0, 29))).toBe(true);
  });

  it('refuses a ciphertext that is not whole blocks, and a file shorter than its MAC', () => {
    const hmacKey = randomBytes(32);
    const iv = randomBytes(16);
    const ct = randomBytes(20);
    const c = Buffer.concat([ct, createHmac('sha256', hmacKey).update(iv).update(ct).digest().subarray(0, 10)]);
    const m = { ...metadata, iv: b64(iv), hmac_key: b64(hmacKey), encrypted_hash: sha(c) };
    expect(reasonOf(() => decryptMedia(c, m))).toBe('bad-padding');
    const tiny = randomBytes(5);
    expect(reasonOf(() => decryptMedia(tiny, { ...metadata, encrypted_hash: sha(tiny) }))).toBe('hmac-mismatch');
  });
});

describe('encryptMedia / decryptMedia (fast-check)', () => {
  it('round-trips any file, and any one-byte change is caught by the hash and then the MAC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (file, pos, delta) => {
        const { cdn, metadata } = encryptMedia(file);
        expect(cdn.length % 16).toBe(10);
        expect(decryptMedia(cdn, metadata).equals(Buffer.from(file))).toBe(true);
        const changed = Buffer.from(cdn);
        const i = pos % changed.length;
        changed[i] = (changed[i]! + delta) & 0xff;
        expect(reasonOf(() => decryptMedia(changed, metadata))).toBe('encrypted-hash-mismatch');
        expect(reasonOf(() => decryptMedia(changed, { ...metadata, encrypted_hash: sha(changed) }))).toBe('hmac-mismatch');
      }),
      { numRuns: 150 },
    );
  });

  it('random files and metadata only ever throw MediaCryptoError', () => {
    const b64Bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(b64);
    const meta = fc.oneof(
      fc.anything(),
      fc.record({ encrypted_hash: b64Bytes(32), iv: b64Bytes(16), encryption_key: b64Bytes(32), hmac_key: b64Bytes(32), plaintext_hash: b64Bytes(32) }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), meta, (file, m) => {
        expect(reasonOf(() => decryptMedia(file, m))).not.toBe('no-error');
      }),
      { numRuns: 300 },
    );
  });
});
