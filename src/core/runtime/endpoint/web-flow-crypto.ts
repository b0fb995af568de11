/**
 * {@link FlowCrypto} on WebCrypto (`globalThis.crypto.subtle`): runs in a
 * browser and on Node 20 alike. Algorithm per spec §2.3 (Meta, "Implementing
 * Endpoints for Flows"): RSA-OAEP with SHA-256 and MGF1-SHA-256, empty label,
 * wrapping a fresh AES-128 key; AES-GCM with a 16-byte IV, empty AAD and the
 * 16-byte tag appended; the reply under the flipped IV.
 * @module
 */
import { AppError } from '../../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import {
  assertLength,
  flipIv,
  FLOW_AES_KEY_BYTES,
  FLOW_GCM_TAG_BYTES,
  FLOW_IV_BYTES,
  serializeFlowJson,
  type CryptoSession,
  type FlowCrypto,
} from './flow-crypto.js';

function keyError(message: string): AppError {
  return new AppError('CRYPTO_KEY_INVALID', message);
}

/** A reply that cannot be read; `details.reason` uses the server side's vocabulary. */
function replyError(reason: 'bad-base64' | 'decrypt-failed' | 'not-json', message: string): AppError {
  return new AppError('CRYPTO_DECRYPT_FAILED', message, { details: { reason } });
}

const PEM_SPKI = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/;

/**
 * The DER bytes of an SPKI PEM ("BEGIN PUBLIC KEY", the only form Meta's
 * business encryption API accepts). Throws `CRYPTO_KEY_INVALID` saying why, never echoing the key.
 */
export function spkiFromPem(pem: string): Uint8Array {
  if (pem.includes('BEGIN RSA PUBLIC KEY')) {
    throw keyError('public key is PKCS#1 ("BEGIN RSA PUBLIC KEY"); Meta expects SPKI ("BEGIN PUBLIC KEY")');
  }
  if (pem.includes('PRIVATE KEY')) throw keyError('a private key was given where the public key is expected');
  const m = PEM_SPKI.exec(pem);
  const der = m?.[1] === undefined ? undefined : decodeBase64(m[1].replace(/\s+/g, ''));
  if (!der || der.length === 0) throw keyError('public key is not a PEM "BEGIN PUBLIC KEY" block');
  return der;
}

/** WebCrypto types, taken from the global so core needs neither the DOM lib nor node types by name. */
type Subtle = typeof globalThis.crypto.subtle;
type WebKey = Awaited<ReturnType<Subtle['importKey']>>;

function subtle(): Subtle {
  const s = (globalThis.crypto as { subtle?: Subtle } | undefined)?.subtle;
  if (!s) throw new AppError('USAGE_INVALID', 'WebCrypto (globalThis.crypto.subtle) is not available in this environment');
  return s;
}

/** Exactly-sized ArrayBuffer copy: WebCrypto must not see bytes outside a view. */
function buf(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

const RSA_OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

function importAesKey(raw: Uint8Array): Promise<WebKey> {
  return subtle().importKey('raw', buf(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/**
 * Create the WebCrypto implementation. Imported public keys are cached per
 * PEM text (a handful at most: the current and, during rotation, the previous).
 */
export function createWebFlowCrypto(): FlowCrypto {
  const keys = new Map<string, Promise<WebKey>>();

  function publicKey(pem: string): Promise<WebKey> {
    const cached = keys.get(pem);
    if (cached) return cached;
    const key = subtle().importKey('spki', buf(spkiFromPem(pem)), RSA_OAEP, false, ['encrypt']);
    void key.catch(() => keys.delete(pem));
    if (keys.size >= 4) keys.clear();
    keys.set(pem, key);
    return key;
  }

  return {
    async encryptRequest(plaintext, publicKeyPem) {
      const rsaKey = await publicKey(publicKeyPem);
      const aesKey = globalThis.crypto.getRandomValues(new Uint8Array(FLOW_AES_KEY_BYTES));
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(FLOW_IV_BYTES));
      const data = textEncoder.encode(serializeFlowJson(plaintext));
      const aes = await importAesKey(aesKey);
      const [wrapped, sealed] = await Promise.all([
        subtle().encrypt(RSA_OAEP, rsaKey, buf(aesKey)),
        subtle().encrypt({ name: 'AES-GCM', iv: buf(iv), tagLength: FLOW_GCM_TAG_BYTES * 8 }, aes, buf(data)),
      ]);
      return {
        body: {
          encrypted_flow_data: encodeBase64(new Uint8Array(sealed)),
          encrypted_aes_key: encodeBase64(new Uint8Array(wrapped)),
          initial_vector: encodeBase64(iv),
        },
        session: { aesKey, iv },
      };
    },

    async decryptResponse(b64: string, session: CryptoSession) {
      assertLength(session.aesKey, FLOW_AES_KEY_BYTES, 'AES key');
      assertLength(session.iv, FLOW_IV_BYTES, 'IV');
      const sealed = decodeBase64(b64);
      if (!sealed) throw replyError('bad-base64', 'response is not padded standard base64');
      if (sealed.length < FLOW_GCM_TAG_BYTES) throw replyError('decrypt-failed', 'response is shorter than the GCM tag');
      const aes = await importAesKey(session.aesKey);
      let plain: ArrayBuffer;
      try {
        plain = await subtle().decrypt(
          { name: 'AES-GCM', iv: buf(flipIv(session.iv)), tagLength: FLOW_GCM_TAG_BYTES * 8 },
          aes,
          buf(sealed),
        );
      } catch {
        throw replyError('decrypt-failed', 'response does not decrypt under the request key and flipped IV');
      }
      try {
        return JSON.parse(textDecoder.decode(plain)) as unknown;
      } catch {
        throw replyError('not-json', 'decrypted response is not UTF-8 JSON');
      }
    },
  };
}
