import { generateKeyPairSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { testKeys } from '../../../../test/crypto/crypto-fixtures.js';
import { decodeBase64 } from './base64.js';
import { createWebFlowCrypto, spkiFromPem } from './web-flow-crypto.js';

describe('spkiFromPem', () => {
  it('extracts the DER of a "BEGIN PUBLIC KEY" block, whatever the line endings', () => {
    const der = spkiFromPem(testKeys.publicPem);
    const inner = testKeys.publicPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(der).toEqual(decodeBase64(inner));
    expect(spkiFromPem(testKeys.publicPem.replace(/\n/g, '\r\n'))).toEqual(der);
  });

  it('names what is wrong with other inputs without echoing them', () => {
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(() => spkiFromPem(pkcs1)).toThrow(expect.objectContaining({ code: 'CRYPTO_KEY_INVALID', message: expect.stringMatching(/PKCS#1/) }));
    expect(() => spkiFromPem(testKeys.privatePem)).toThrow(/private key/);
    expect(() => spkiFromPem('hello')).toThrow(/not a PEM/);
    expect(() => spkiFromPem('-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----')).toThrow(/not a PEM/);
    try {
      spkiFromPem(testKeys.privatePem);
    } catch (err) {
      const line = testKeys.privatePem.split('\n')[1]!;
      expect((err as Error).message).not.toContain(line);
    }
  });
});

describe('createWebFlowCrypto', () => {
  it('refuses sessions whose key or IV has the wrong length', async () => {
    const crypto = createWebFlowCrypto();
    await expect(crypto.decryptResponse('AAAA', { aesKey: new Uint8Array(32), iv: new Uint8Array(16) })).rejects.toMatchObject({ code: 'USAGE_INVALID' });
    await expect(crypto.decryptResponse('AAAA', { aesKey: new Uint8Array(16), iv: new Uint8Array(12) })).rejects.toMatchObject({ code: 'USAGE_INVALID' });
  });

  it('a key that WebCrypto cannot import is reported, and a later good key still works', async () => {
    const crypto = createWebFlowCrypto();
    const broken = '-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----';
    await expect(crypto.encryptRequest({}, broken)).rejects.toThrow();
    await expect(crypto.encryptRequest({}, broken)).rejects.toThrow();
    const { body } = await crypto.encryptRequest({ a: 1 }, testKeys.publicPem);
    expect(decodeBase64(body.encrypted_aes_key)).toHaveLength(256);
  });
});
