/**
 * Cross-implementation tests of the endpoint encryption (spec §2.3): both
 * FlowCrypto implementations (WebCrypto in core, node:crypto in whatsapp/)
 * against the project's server side, against a second minimal server written
 * here from the spec alone, and against the known-answer vectors.
 */
import { constants, createCipheriv, createDecipheriv, createPrivateKey, privateDecrypt } from 'node:crypto';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { createWebFlowCrypto } from '../../src/core/runtime/endpoint/web-flow-crypto.js';
import { serializeFlowJson, type FlowCrypto } from '../../src/core/runtime/endpoint/flow-crypto.js';
import { createNodeFlowCrypto } from '../../src/whatsapp/node-flow-crypto.js';
import { decryptFlowRequest, encryptFlowResponse, loadPrivateKey } from '../../src/whatsapp/flow-crypto.js';
import { endpointVectors, testKeys } from './crypto-fixtures.js';

/** Minimal server straight from spec §2.3, sharing no code with the project. */
const minimal = {
  key: createPrivateKey({ key: testKeys.encryptedPrivatePem, passphrase: testKeys.passphrase }),
  decrypt(body: { encrypted_flow_data: string; encrypted_aes_key: string; initial_vector: string }) {
    const aesKey = privateDecrypt(
      { key: this.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(body.encrypted_aes_key, 'base64'),
    );
    const iv = Buffer.from(body.initial_vector, 'base64');
    const blob = Buffer.from(body.encrypted_flow_data, 'base64');
    const d = createDecipheriv('aes-128-gcm', aesKey, iv);
    d.setAuthTag(blob.subarray(blob.length - 16));
    const text = Buffer.concat([d.update(blob.subarray(0, blob.length - 16)), d.final()]).toString('utf8');
    return { request: JSON.parse(text) as unknown, aesKey, iv };
  },
  encrypt(response: unknown, aesKey: Buffer, iv: Buffer): string {
    const flipped = Buffer.from(iv.map((b) => ~b & 0xff));
    const c = createCipheriv('aes-128-gcm', aesKey, flipped);
    const out = Buffer.concat([c.update(JSON.stringify(response), 'utf8'), c.final(), c.getAuthTag()]);
    return out.toString('base64');
  },
};

const serverKey = loadPrivateKey(testKeys.privatePem);
const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const implementations: [string, FlowCrypto][] = [
  ['WebCrypto (core)', createWebFlowCrypto()],
  ['node:crypto (whatsapp)', createNodeFlowCrypto()],
];

for (const [name, crypto] of implementations) {
  describe(`${name} FlowCrypto`, () => {
    const request = { version: '3.0', action: 'data_exchange', screen: 'SIGN_UP', flow_token: 'tok-ü-✓', data: { name: 'Zoë 😀' } };

    it('produces bodies shaped like WhatsApp\'s: 256-byte wrapped key, 16-byte IV, ciphertext ‖ tag', async () => {
      const { body, session } = await crypto.encryptRequest(request, testKeys.publicPem);
      expect(Object.keys(body).sort()).toEqual(['encrypted_aes_key', 'encrypted_flow_data', 'initial_vector']);
      expect(Buffer.from(body.encrypted_aes_key, 'base64')).toHaveLength(256);
      expect(b64(session.iv)).toBe(body.initial_vector);
      expect(session.aesKey).toHaveLength(16);
      const sealed = Buffer.from(body.encrypted_flow_data, 'base64');
      expect(sealed.length).toBe(serializeFlowJson(request).length + 16);
      const again = await crypto.encryptRequest(request, testKeys.publicPem);
      expect(again.body.initial_vector).not.toBe(body.initial_vector);
      expect(b64(again.session.aesKey)).not.toBe(b64(session.aesKey));
    });

    it('requests are read by the project server side and by a minimal spec implementation', async () => {
      const { body, session } = await crypto.encryptRequest(request, testKeys.publicPem);
      const server = decryptFlowRequest(body, [serverKey]);
      expect(server.plaintext).toEqual(request);
      expect(b64(server.aesKey)).toBe(b64(session.aesKey));
      const other = minimal.decrypt(body);
      expect(other.request).toEqual(request);
    });

    it('reads replies from both servers', async () => {
      const reply = { screen: 'DONE', data: { message: 'Grüße 👋', n: 3 } };
      const { body, session } = await crypto.encryptRequest(request, testKeys.publicPem);
      const server = decryptFlowRequest(body, [serverKey]);
      expect(await crypto.decryptResponse(encryptFlowResponse(reply, server.aesKey, server.iv), session)).toEqual(reply);
      const other = minimal.decrypt(body);
      expect(await crypto.decryptResponse(minimal.encrypt(reply, other.aesKey, other.iv), session)).toEqual(reply);
    });

    it('reads every known-answer response_body', async () => {
      for (const v of endpointVectors) {
        const session = { aesKey: Buffer.from(v.aes_key_b64, 'base64'), iv: Buffer.from(v.iv_b64, 'base64') };
        expect(await crypto.decryptResponse(v.response_body, session)).toEqual(JSON.parse(v.response_plaintext));
      }
    });

    it('rejects replies that are not base64, not under the flipped IV, or not JSON', async () => {
      const { body, session } = await crypto.encryptRequest(request, testKeys.publicPem);
      const { aesKey, iv } = minimal.decrypt(body);
      const unflipped = createCipheriv('aes-128-gcm', aesKey, iv);
      const wrongIv = Buffer.concat([unflipped.update('{}'), unflipped.final(), unflipped.getAuthTag()]).toString('base64');
      const c = createCipheriv('aes-128-gcm', aesKey, Buffer.from(iv.map((b) => ~b & 0xff)));
      const notJson = Buffer.concat([c.update('not json'), c.final(), c.getAuthTag()]).toString('base64');
      for (const bad of ['', 'not base64!', `"${minimal.encrypt({}, aesKey, iv)}"`, wrongIv, notJson]) {
        await expect(crypto.decryptResponse(bad, session)).rejects.toThrow();
      }
    });

    it('refuses unusable public keys', async () => {
      await expect(crypto.encryptRequest({}, testKeys.privatePem)).rejects.toThrow(/private key/);
      await expect(crypto.encryptRequest({}, 'nonsense')).rejects.toThrow();
    });

    it('round-trips random JSON through the server side (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), async (req, reply) => {
          const { body, session } = await crypto.encryptRequest(req, testKeys.publicPem);
          const server = decryptFlowRequest(body, [serverKey]);
          expect(server.plaintext).toEqual(normalise(req));
          expect(await crypto.decryptResponse(encryptFlowResponse(reply, server.aesKey, server.iv), session)).toEqual(normalise(reply));
        }),
        { numRuns: 40 },
      );
    });
  });
}
