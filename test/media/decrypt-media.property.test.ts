import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptMedia, encryptMedia, MediaCryptoError } from '../../src/whatsapp/media-crypto.js';

const b64 = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64'));
const metadata = fc.oneof(
  fc.anything(),
  fc.record({ encrypted_hash: b64(32), iv: b64(16), encryption_key: b64(32), hmac_key: b64(32), plaintext_hash: b64(32) }),
  fc.record({ encrypted_hash: fc.string(), iv: fc.oneof(b64(15), b64(16), b64(17)), encryption_key: b64(32), hmac_key: fc.string(), plaintext_hash: b64(32) }, { requiredKeys: [] }),
);

describe('decryptMedia on hostile input (the intake relies on its typed error)', () => {
  it('property: random bytes and metadata only ever throw MediaCryptoError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), metadata, fc.integer({ min: 0, max: 400 }), (bytes, md, maxBytes) => {
        try {
          decryptMedia(bytes, md, { maxBytes });
          throw new Error('random input was accepted');
        } catch (error) {
          expect(error).toBeInstanceOf(MediaCryptoError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: flipping any byte of a genuine CDN file is refused with a typed reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (plain, at, xor) => {
        const { cdn, metadata: md } = encryptMedia(plain);
        const tampered = Buffer.from(cdn);
        const index = at % tampered.length;
        tampered[index] = (tampered[index] ?? 0) ^ xor;
        expect(() => decryptMedia(tampered, md)).toThrow(MediaCryptoError);
        expect(Buffer.from(decryptMedia(cdn, md)).equals(Buffer.from(plain))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
