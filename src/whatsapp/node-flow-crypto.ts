/**
 * {@link FlowCrypto} on node:crypto: the same client-side behaviour as the
 * WebCrypto implementation in core (spec §2.3), for the CLI, the emulator
 * and servers that talk to an endpoint as WhatsApp would. Sessions are plain
 * bytes, so either implementation can read the other's replies.
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { FlowCrypto } from '../core/runtime/endpoint/flow-crypto.js';
import { decryptFlowResponse, encryptFlowRequest } from './flow-crypto.js';
import { loadPublicKey } from './keys.js';

/**
 * Create the node:crypto implementation. Parsed public keys are cached per
 * PEM text (a few at most: the current key and, during rotation, the old one).
 */
export function createNodeFlowCrypto(): FlowCrypto {
  const keys = new Map<string, KeyObject>();

  function publicKey(pem: string): KeyObject {
    const cached = keys.get(pem);
    if (cached) return cached;
    const key = loadPublicKey(pem);
    if (keys.size >= 4) keys.clear();
    keys.set(pem, key);
    return key;
  }

  return {
    encryptRequest(plaintext, publicKeyPem) {
      try {
        const { body, aesKey, iv } = encryptFlowRequest(plaintext, publicKey(publicKeyPem));
        return Promise.resolve({ body, session: { aesKey, iv } });
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    decryptResponse(b64, session) {
      try {
        return Promise.resolve(decryptFlowResponse(b64, session.aesKey, session.iv));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
