import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointVectors, testKeys } from '../../test/crypto/crypto-fixtures.js';
import { FlowCryptoError } from './flow-crypto-error.js';
import { createFlowRequestDecryptor, decryptFlowRequest, encryptFlowRequest, loadPrivateKey, loadPublicKey } from './flow-crypto.js';
import { createRsaUnwrapPool } from './rsa-unwrap-pool.js';

const plainKey = loadPrivateKey(testKeys.privatePem);
const publicKey = loadPublicKey(testKeys.publicPem);
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const threaded = createFlowRequestDecryptor([other.privateKey, plainKey], { threads: 2 });
afterAll(() => threaded.close());

/** The outcome of a decryption: the plaintext and key index, or the error reason. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    const r = (await run()) as { plaintext: unknown; keyIndex: number; aesKey: Buffer };
    return { plaintext: r.plaintext, keyIndex: r.keyIndex, aesKey: b64(r.aesKey) };
  } catch (err) {
    if (err instanceof FlowCryptoError) return err.reason;
    throw err;
  }
}

describe('RSA unwrap on worker threads', () => {
  it('decrypts every fixture vector exactly as the synchronous path, with the key that worked', async () => {
    for (const v of endpointVectors) {
      const body: unknown = typeof v.request_body === 'string' ? JSON.parse(v.request_body) : v.request_body;
      const sync = await outcome(() => Promise.resolve(decryptFlowRequest(body, [other.privateKey, plainKey])));
      expect(await outcome(() => threaded.decrypt(body))).toEqual(sync);
      expect(sync).toMatchObject({ keyIndex: 1 });
    }
  });

  it('many requests at once are each answered with their own key', async () => {
    const sent = Array.from({ length: 40 }, (_, i) => encryptFlowRequest({ action: 'ping', n: i }, publicKey));
    const got = await Promise.all(sent.map((s) => threaded.decrypt(s.body)));
    got.forEach((g, i) => {
      expect(g.plaintext).toEqual({ action: 'ping', n: i });
      expect(g.aesKey.equals(sent[i]!.aesKey)).toBe(true);
    });
  });

  it('refuses a key wrapped for another key pair, and an unwrapped key of the wrong size, for the same reasons', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = encryptFlowRequest({ action: 'ping' }, stranger.publicKey).body;
    expect(await outcome(() => threaded.decrypt(foreign))).toBe('key-unwrap-failed');
    const aes = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-gcm', aes, iv);
    const sealed = Buffer.concat([cipher.update('{}'), cipher.final(), cipher.getAuthTag()]);
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aes);
    expect(await outcome(() => threaded.decrypt({ encrypted_flow_data: b64(sealed), encrypted_aes_key: b64(wrapped), initial_vector: b64(iv) }))).toBe('bad-aes-key');
  });

  it('agrees with the synchronous path on random and mutated bodies (property)', async () => {
    const good = encryptFlowRequest({ action: 'INIT', flow_token: 't' }, publicKey).body;
    const field = fc.constantFrom('encrypted_flow_data', 'encrypted_aes_key', 'initial_vector');
    const body = fc.oneof(
      fc.anything(),
      fc.record({ f: field, v: fc.oneof(fc.string(), fc.base64String(), fc.integer()) }).map(({ f, v }) => ({ ...good, [f]: v })),
      fc.record({ f: field, at: fc.nat() }).map(({ f, at }) => {
        const bytes = Buffer.from(good[f], 'base64');
        bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ 1;
        return { ...good, [f]: b64(bytes) };
      }),
    );
    await fc.assert(fc.asyncProperty(body, async (b) => {
      const sync = await outcome(() => Promise.resolve(decryptFlowRequest(b, [other.privateKey, plainKey])));
      expect(await outcome(() => threaded.decrypt(b))).toEqual(sync);
    }), { numRuns: 60 });
  });

  it('keeps working synchronously after its threads are stopped; a closed pool refuses new work', async () => {
    const d = createFlowRequestDecryptor([plainKey], { threads: 1 });
    await d.close();
    const { body } = encryptFlowRequest({ action: 'ping' }, publicKey);
    expect((await d.decrypt(body)).plaintext).toEqual({ action: 'ping' });
    const pool = createRsaUnwrapPool([plainKey], 1);
    await pool.close();
    await expect(pool.unwrap(Buffer.alloc(256))).rejects.toThrow('closed');
    expect(() => createRsaUnwrapPool([plainKey], 0)).toThrow(RangeError);
  });
});
