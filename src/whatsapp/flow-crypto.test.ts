import { createCipheriv, generateKeyPairSync, publicEncrypt, constants, randomBytes, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { endpointVectors, testKeys } from '../../test/crypto/crypto-fixtures.js';
import { FlowCryptoError, type FlowCryptoReason } from './flow-crypto-error.js';
import { isStrictBase64 } from '../core/runtime/endpoint/base64.js';
import {
  decryptFlowRequest,
  decryptFlowResponse,
  encryptFlowRequest,
  encryptFlowResponse,
  loadPrivateKey,
  loadPublicKey,
} from './flow-crypto.js';

const plainKey = loadPrivateKey(testKeys.privatePem);
const encryptedKey = loadPrivateKey(testKeys.encryptedPrivatePem, testKeys.passphrase);
const publicKey = loadPublicKey(testKeys.publicPem);
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function reasonOf(fn: () => unknown): FlowCryptoReason | 'no-error' {
  try {
    fn();
    return 'no-error';
  } catch (err) {
    if (err instanceof FlowCryptoError) return err.reason;
    throw err;
  }
}

/** A body built by hand (as a foreign client would), so any plaintext bytes and key sizes can be sent. */
function handmadeBody(plain: Buffer, aesKey: Buffer, pub: KeyObject = publicKey) {
  const iv = randomBytes(16);
  const cipher = createCipheriv(aesKey.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', aesKey, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const wrapped = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey);
  return { encrypted_flow_data: b64(sealed), encrypted_aes_key: b64(wrapped), initial_vector: b64(iv) };
}

describe('decryptFlowRequest / encryptFlowResponse against the known-answer vectors', () => {
  it('has vectors', () => {
    expect(endpointVectors.length).toBeGreaterThanOrEqual(3);
  });

  for (const [keyName, key] of [['plain PKCS#8', plainKey], ['passphrase-protected', encryptedKey]] as const) {
    for (const v of endpointVectors) {
      it(`${v.name}: decrypts with the ${keyName} key and reproduces response_body byte for byte`, () => {
        const got = decryptFlowRequest(v.request_body, [key]);
        expect(got.plaintext).toEqual(JSON.parse(v.request_plaintext));
        expect(b64(got.aesKey)).toBe(v.aes_key_b64);
        expect(b64(got.iv)).toBe(v.iv_b64);
        expect(got.keyIndex).toBe(0);
        expect(encryptFlowResponse(JSON.parse(v.response_plaintext), got.aesKey, got.iv)).toBe(v.response_body);
        expect(decryptFlowResponse(v.response_body, got.aesKey, got.iv)).toEqual(JSON.parse(v.response_plaintext));
      });
    }
  }

  it('tries keys in order and reports which one unwrapped the AES key (rotation)', () => {
    const v = endpointVectors[0]!;
    expect(decryptFlowRequest(v.request_body, [other.privateKey, plainKey]).keyIndex).toBe(1);
    expect(decryptFlowRequest(v.request_body, [plainKey, other.privateKey]).keyIndex).toBe(0);
    expect(reasonOf(() => decryptFlowRequest(v.request_body, [other.privateKey]))).toBe('key-unwrap-failed');
  });
});

describe('decryptFlowRequest refuses bad bodies with the right reason', () => {
  const good = endpointVectors[1]!.request_body;
  const refuse = (body: unknown): FlowCryptoReason | 'no-error' => reasonOf(() => decryptFlowRequest(body, [plainKey]));

  it('malformed envelopes are 400s', () => {
    for (const body of [null, 'x', [good], {}, { ...good, initial_vector: 5 }, { encrypted_flow_data: good.encrypted_flow_data }]) {
      expect(refuse(body)).toBe('malformed-body');
    }
    try {
      decryptFlowRequest({}, [plainKey]);
    } catch (err) {
      expect(err).toMatchObject({ code: 'CRYPTO_BODY_MALFORMED', status: 400, reason: 'malformed-body' });
    }
  });

  it('base64 must be standard, padded and canonical', () => {
    const iv = good.initial_vector;
    for (const bad of [iv.replace(/=+$/, ''), iv.replace(/\+/g, '-').replace(/\//g, '_') + ' ', ` ${iv}`, 'QR==', 'QUI=x', 'ab$=']) {
      expect(refuse({ ...good, initial_vector: bad })).toBe('bad-base64');
    }
    expect(refuse({ ...good, encrypted_aes_key: good.encrypted_aes_key.slice(0, -1) })).toBe('bad-base64');
  });

  it('IV must be 16 bytes; ciphertext must hold the tag', () => {
    expect(refuse({ ...good, initial_vector: b64(randomBytes(12)) })).toBe('bad-iv');
    expect(refuse({ ...good, encrypted_flow_data: b64(randomBytes(15)) })).toBe('decrypt-failed');
    expect(refuse({ ...good, encrypted_flow_data: '' })).toBe('decrypt-failed');
  });

  it('a key that does not unwrap, an AES key of the wrong size, a tampered ciphertext', () => {
    expect(refuse({ ...good, encrypted_aes_key: b64(randomBytes(256)) })).toBe('key-unwrap-failed');
    expect(refuse(handmadeBody(Buffer.from('{}'), randomBytes(32)))).toBe('bad-aes-key');
    const sealed = Buffer.from(good.encrypted_flow_data, 'base64');
    sealed[3] = sealed[3]! ^ 1;
    expect(refuse({ ...good, encrypted_flow_data: b64(sealed) })).toBe('decrypt-failed');
    expect(refuse({ ...good, initial_vector: endpointVectors[0]!.iv_b64 })).toBe('decrypt-failed');
    const err = (() => {
      try {
        decryptFlowRequest({ ...good, encrypted_flow_data: b64(sealed) }, [plainKey]);
      } catch (e) {
        return e as FlowCryptoError;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'CRYPTO_DECRYPT_FAILED', status: 421, details: { reason: 'decrypt-failed' } });
  });

  it('plaintext must be UTF-8 JSON', () => {
    expect(refuse(handmadeBody(Buffer.from('not json'), randomBytes(16)))).toBe('not-json');
    expect(refuse(handmadeBody(Buffer.from([0x22, 0xc3, 0x28, 0x22]), randomBytes(16)))).toBe('not-json');
    expect(refuse(handmadeBody(Buffer.from('{"a":1}'), randomBytes(16)))).toBe('no-error');
  });
});

describe('round trips and fuzz (fast-check)', () => {
  const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

  it('client encrypt → server decrypt → server reply → client decrypt, for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (request, reply) => {
        const sent = encryptFlowRequest(request, publicKey);
        const got = decryptFlowRequest(sent.body, [plainKey]);
        expect(got.plaintext).toEqual(normalise(request));
        expect(got.aesKey.equals(sent.aesKey) && got.iv.equals(sent.iv)).toBe(true);
        expect(decryptFlowResponse(encryptFlowResponse(reply, got.aesKey, got.iv), sent.aesKey, sent.iv)).toEqual(normalise(reply));
      }),
      { numRuns: 60 },
    );
  });

  it('replies round-trip under random keys and IVs and never decrypt with the unflipped IV', () => {
    const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(fc.jsonValue(), bytes16, bytes16, (reply, key, iv) => {
        const out = encryptFlowResponse(reply, key, iv);
        expect(decryptFlowResponse(out, key, iv)).toEqual(normalise(reply));
        const flipped = iv.map((b) => ~b & 0xff);
        expect(reasonOf(() => decryptFlowResponse(out, key, flipped))).toBe('decrypt-failed');
      }),
      { numRuns: 200 },
    );
  });

  const b64Text = fc.uint8Array({ maxLength: 300 }).map(b64);
  const fieldValue = fc.oneof(b64Text, fc.string(), fc.constant(''), fc.integer(), fc.constant(null));
  const body = fc.oneof(
    fc.anything(),
    fc.record({ encrypted_flow_data: fieldValue, encrypted_aes_key: fieldValue, initial_vector: fieldValue }),
    fc.record({
      encrypted_flow_data: b64Text,
      encrypted_aes_key: fc.uint8Array({ minLength: 256, maxLength: 256 }).map(b64),
      initial_vector: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(b64),
    }),
  );

  it('random request bodies only ever throw FlowCryptoError', () => {
    fc.assert(
      fc.property(body, (b) => {
        expect(['no-error', 'malformed-body', 'bad-base64', 'bad-iv', 'key-unwrap-failed', 'bad-aes-key', 'decrypt-failed', 'not-json']).toContain(
          reasonOf(() => decryptFlowRequest(b, [plainKey])),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('single-character mutations of a real body are refused with a typed error', () => {
    const good = endpointVectors[2]!.request_body;
    const fields = ['encrypted_flow_data', 'encrypted_aes_key', 'initial_vector'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.nat(), fc.constantFrom(...'AZaz09+/=-_ !'), (name, pos, ch) => {
        const text = good[name];
        const i = pos % text.length;
        fc.pre(text[i] !== ch);
        const mutated = { ...good, [name]: text.slice(0, i) + ch + text.slice(i + 1) };
        expect(reasonOf(() => decryptFlowRequest(mutated, [plainKey]))).not.toBe('no-error');
      }),
      { numRuns: 150 },
    );
  });

  it('a base64 field is refused as bad-base64 exactly when it is not canonical padded base64', () => {
    const good = endpointVectors[2]!.request_body;
    // Near-base64 texts: padding in odd places, non-zero trailing bits ("QR=="), URL-safe characters, whitespace.
    const nearB64 = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'AQRgw09+/=-_ \n'), maxLength: 24 }),
      fc.uint8Array({ maxLength: 40 }).map(b64),
    );
    fc.assert(
      fc.property(nearB64, fc.constantFrom('encrypted_flow_data', 'encrypted_aes_key', 'initial_vector'), (text, name) => {
        // A 4-byte IV: whatever passes the base64 step is then refused as bad-iv, before any RSA work.
        const body = { ...good, initial_vector: 'AAAAAA==', [name]: text };
        const reason = reasonOf(() => decryptFlowRequest(body, [plainKey]));
        expect(reason === 'bad-base64').toBe(!isStrictBase64(text));
      }),
      { numRuns: 500 },
    );
  });

  it('random reply texts only ever throw FlowCryptoError', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    fc.assert(
      fc.property(fc.oneof(fc.string(), b64Text), (text) => {
        expect(reasonOf(() => decryptFlowResponse(text, key, iv))).not.toBe('no-error');
      }),
      { numRuns: 300 },
    );
  });
});
