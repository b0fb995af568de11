import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { decodeBase64, encodeBase64, isStrictBase64 } from './base64.js';

describe('strict base64', () => {
  it('encodes like Node Buffer and decodes back (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(isStrictBase64(text)).toBe(true);
        expect(decodeBase64(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a string exactly when it is the canonical encoding of its bytes (property)', () => {
    const chars = fc.constantFrom(...'ABCDQRSTYZabwxyz0189+/=-_ \n'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join('')), (text) => {
        const decoded = decodeBase64(text);
        const canonical = /^[A-Za-z0-9+/=]*$/.test(text) && Buffer.from(text, 'base64').toString('base64') === text;
        expect(decoded !== undefined).toBe(canonical);
        if (decoded) expect(Buffer.from(decoded).toString('base64')).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses unpadded, URL-safe, whitespace and non-canonical forms', () => {
    for (const bad of ['QQ', 'QUI', 'Pz8_', 'Pz8-', 'QU I=', 'QQ==\n', 'QR==', 'QUJ=', '=QQ=', 'Q===', 'QQ=A']) {
      expect(isStrictBase64(bad)).toBe(false);
      expect(decodeBase64(bad)).toBeUndefined();
    }
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });
});
