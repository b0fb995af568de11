import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { endpointVectors } from '../../../../test/crypto/crypto-fixtures.js';
import { isAppError } from '../../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { flipIv, serializeFlowJson } from './flow-crypto.js';

describe('flipIv', () => {
  it('gives the flipped IV of every known-answer vector', () => {
    for (const v of endpointVectors) {
      expect(encodeBase64(flipIv(decodeBase64(v.iv_b64)!))).toBe(v.flipped_iv_b64);
    }
  });

  it('is an involution that changes every bit (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (iv) => {
        const f = flipIv(iv);
        expect(flipIv(f)).toEqual(iv);
        f.forEach((b, i) => expect(b ^ iv[i]!).toBe(0xff));
      }),
    );
  });
});

describe('serializeFlowJson', () => {
  it('reproduces the vectors\' compact, ASCII-escaped plaintexts from their parsed values', () => {
    for (const v of endpointVectors) {
      expect(serializeFlowJson(JSON.parse(v.request_plaintext))).toBe(v.request_plaintext);
      expect(serializeFlowJson(JSON.parse(v.response_plaintext))).toBe(v.response_plaintext);
    }
    expect(endpointVectors.some((v) => /\\u[0-9a-f]{4}/.test(v.response_plaintext))).toBe(true);
  });

  it('is printable ASCII, parses back to the value, and is stable (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = serializeFlowJson(value);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(serializeFlowJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes astral characters as surrogate pairs and refuses non-JSON values', () => {
    expect(serializeFlowJson({ e: '😀é\u007f' })).toBe('{"e":"\\ud83d\\ude00\\u00e9\\u007f"}');
    for (const bad of [undefined, () => 1, 1n]) {
      let caught: unknown;
      try {
        serializeFlowJson(bad);
      } catch (err) {
        caught = err;
      }
      expect(isAppError(caught, 'USAGE_INVALID')).toBe(true);
    }
  });
});
