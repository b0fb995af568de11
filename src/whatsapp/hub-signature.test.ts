import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { signBody, verifySignature } from './hub-signature.js';

describe('signBody', () => {
  it('matches RFC 4231 test case 2 (HMAC-SHA256, key "Jefe")', () => {
    expect(signBody('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs raw bytes: a string and its UTF-8 bytes give the same header', () => {
    const body = '{"name":"Zoë"}';
    expect(signBody(Buffer.from(body, 'utf8'), 's3cret')).toBe(signBody(body, 's3cret'));
    expect(signBody('{"name": "Zoë"}', 's3cret')).not.toBe(signBody(body, 's3cret'));
  });
});

describe('verifySignature', () => {
  const body = '{"object":"whatsapp_business_account","entry":[]}';
  const header = signBody(body, 'new-secret');

  it('accepts any of several secrets (rotation) and refuses others', () => {
    expect(verifySignature(body, header, ['new-secret'])).toBe(true);
    expect(verifySignature(body, header, ['old-secret', 'new-secret'])).toBe(true);
    expect(verifySignature(body, header, ['new-secret', 'old-secret'])).toBe(true);
    expect(verifySignature(body, header, ['old-secret'])).toBe(false);
    expect(verifySignature(body, header, [])).toBe(false);
  });

  it('accepts upper-case hex and surrounding spaces, refuses malformed headers', () => {
    expect(verifySignature(body, `sha256=${header.slice(7).toUpperCase()}`, ['new-secret'])).toBe(true);
    expect(verifySignature(body, ` ${header} `, ['new-secret'])).toBe(true);
    for (const bad of [undefined, null, '', header.slice(7), header.slice(0, -1), `${header}0`, header.replace('sha256=', 'sha1='), `${header.slice(0, -1)}g`]) {
      expect(verifySignature(body, bad, ['new-secret'])).toBe(false);
    }
  });

  it('never verifies with an empty secret, which anyone could use', () => {
    expect(verifySignature(body, signBody(body, ''), [''])).toBe(false);
    expect(verifySignature(body, signBody(body, ''), ['', 'x'])).toBe(false);
  });

  it('round-trips and detects any one-byte change of the body (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.string({ minLength: 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (raw, secret, pos, delta) => {
        const h = signBody(raw, secret);
        expect(verifySignature(raw, h, [secret])).toBe(true);
        const changed = Uint8Array.from(raw);
        const i = pos % changed.length;
        changed[i] = (changed[i]! + delta) & 0xff;
        expect(verifySignature(changed, h, [secret])).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
