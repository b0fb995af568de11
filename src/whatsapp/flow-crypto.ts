/**
 * Data-exchange endpoint cryptography on node:crypto (spec §2.3; Meta,
 * "Implementing Endpoints for Flows"). The server side decrypts WhatsApp's
 * requests and encrypts replies; the client side does what WhatsApp does, for
 * tests, the CLI and the emulator. Keys are parsed once ({@link loadPrivateKey})
 * and then reused: parsing dominates latency, and the hot path does no I/O.
 * @module
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { isStrictBase64 } from '../core/runtime/endpoint/base64.js';
import {
  assertLength,
  flipIv,
  FLOW_AES_KEY_BYTES,
  FLOW_GCM_TAG_BYTES,
  FLOW_IV_BYTES,
  serializeFlowJson,
  type EncryptedRequestBody,
} from '../core/runtime/endpoint/flow-crypto.js';
import { AppError } from '../core/errors.js';
import { isObject } from '../core/flow/json.js';
import { FlowCryptoError } from './flow-crypto-error.js';
import { loadPublicKey } from './keys.js';

export { loadPrivateKey, loadPublicKey } from './keys.js';

/** A decrypted request and what is needed to answer it. */
export interface DecryptedFlowRequest {
  /** The request JSON, parsed but not validated (spec §2.4 describes its shapes). */
  plaintext: unknown;
  aesKey: Buffer;
  /** The request IV as sent; {@link encryptFlowResponse} flips it. */
  iv: Buffer;
  /** Which of the given private keys unwrapped the AES key (0 = current; more = an older key during rotation). */
  keyIndex: number;
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function field(body: Record<string, unknown>, name: keyof EncryptedRequestBody): string {
  const value = body[name];
  if (typeof value !== 'string') throw new FlowCryptoError('malformed-body', `${name} must be a string`);
  return value;
}

function b64(text: string, what: string): Buffer {
  if (!isStrictBase64(text)) throw new FlowCryptoError('bad-base64', `${what} is not padded standard base64`);
  return Buffer.from(text, 'base64');
}

function gcmOpen(aesKey: Uint8Array, iv: Uint8Array, sealed: Buffer, what: string): Buffer {
  if (sealed.length < FLOW_GCM_TAG_BYTES) {
    throw new FlowCryptoError('decrypt-failed', `${what} is shorter than the ${FLOW_GCM_TAG_BYTES}-byte GCM tag`);
  }
  const cut = sealed.length - FLOW_GCM_TAG_BYTES;
  try {
    const decipher = createDecipheriv('aes-128-gcm', aesKey, iv, { authTagLength: FLOW_GCM_TAG_BYTES });
    decipher.setAuthTag(sealed.subarray(cut));
    return Buffer.concat([decipher.update(sealed.subarray(0, cut)), decipher.final()]);
  } catch {
    throw new FlowCryptoError('decrypt-failed', `${what} failed AES-GCM authentication`);
  }
}

function gcmSeal(aesKey: Uint8Array, iv: Uint8Array, plaintext: unknown): Buffer {
  const cipher = createCipheriv('aes-128-gcm', aesKey, iv, { authTagLength: FLOW_GCM_TAG_BYTES });
  const head = cipher.update(serializeFlowJson(plaintext), 'utf8');
  const tail = cipher.final();
  return Buffer.concat([head, tail, cipher.getAuthTag()]);
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    throw new FlowCryptoError('not-json', `${what} is not UTF-8 JSON`);
  }
}

function unwrapAesKey(wrapped: Buffer, keys: readonly KeyObject[]): { aesKey: Buffer; keyIndex: number } {
  let wrongLength = false;
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    let aesKey: Buffer;
    try {
      aesKey = privateDecrypt({ key: keys[keyIndex]!, ...OAEP }, wrapped);
    } catch {
      continue;
    }
    if (aesKey.length === FLOW_AES_KEY_BYTES) return { aesKey, keyIndex };
    wrongLength = true;
  }
  if (wrongLength) throw new FlowCryptoError('bad-aes-key', `unwrapped AES key is not ${FLOW_AES_KEY_BYTES} bytes`);
  throw new FlowCryptoError('key-unwrap-failed', 'encrypted_aes_key does not decrypt with any configured private key');
}

/**
 * Decrypt a request body as WhatsApp sends it, trying each private key in
 * order (current first, then keys kept for a rotation grace period, spec §4).
 * Every failure is a {@link FlowCryptoError}; its `status` (400 or 421) is the answer.
 * Extra body fields are ignored so that a field Meta adds later does not
 * break every request.
 */
export function decryptFlowRequest(body: unknown, keys: readonly KeyObject[]): DecryptedFlowRequest {
  if (keys.length === 0) throw new AppError('USAGE_INVALID', 'decryptFlowRequest needs at least one private key');
  if (!isObject(body)) throw new FlowCryptoError('malformed-body', 'request body is not a JSON object');
  const dataText = field(body, 'encrypted_flow_data');
  const keyText = field(body, 'encrypted_aes_key');
  const ivText = field(body, 'initial_vector');
  const sealed = b64(dataText, 'encrypted_flow_data');
  const wrapped = b64(keyText, 'encrypted_aes_key');
  const iv = b64(ivText, 'initial_vector');
  if (iv.length !== FLOW_IV_BYTES) {
    throw new FlowCryptoError('bad-iv', `initial_vector must be ${FLOW_IV_BYTES} bytes, got ${iv.length}`);
  }
  if (sealed.length < FLOW_GCM_TAG_BYTES) {
    throw new FlowCryptoError('decrypt-failed', `encrypted_flow_data is shorter than the ${FLOW_GCM_TAG_BYTES}-byte GCM tag`);
  }
  const { aesKey, keyIndex } = unwrapAesKey(wrapped, keys);
  const plaintext = parseJson(gcmOpen(aesKey, iv, sealed, 'encrypted_flow_data'), 'decrypted request');
  return { plaintext, aesKey, iv, keyIndex };
}

/**
 * Encrypt a reply: compact JSON, AES-128-GCM under the request key with the
 * flipped IV, base64 of ciphertext ‖ tag. Send it as the bare HTTP 200 body
 * (spec §8 gotcha 1: not JSON-wrapped).
 */
export function encryptFlowResponse(response: unknown, aesKey: Uint8Array, iv: Uint8Array): string {
  assertLength(aesKey, FLOW_AES_KEY_BYTES, 'AES key');
  assertLength(iv, FLOW_IV_BYTES, 'IV');
  return gcmSeal(aesKey, flipIv(iv), response).toString('base64');
}

/**
 * Encrypt a request as the WhatsApp client does (fresh AES key and IV, key
 * wrapped with RSA-OAEP-SHA256). For tests, the CLI and the emulator.
 */
export function encryptFlowRequest(
  plaintext: unknown,
  publicKey: KeyObject | string,
): { body: EncryptedRequestBody; aesKey: Buffer; iv: Buffer } {
  const key = typeof publicKey === 'string' ? loadPublicKey(publicKey) : publicKey;
  const aesKey = randomBytes(FLOW_AES_KEY_BYTES);
  const iv = randomBytes(FLOW_IV_BYTES);
  const body: EncryptedRequestBody = {
    encrypted_flow_data: gcmSeal(aesKey, iv, plaintext).toString('base64'),
    encrypted_aes_key: publicEncrypt({ key, ...OAEP }, aesKey).toString('base64'),
    initial_vector: iv.toString('base64'),
  };
  return { body, aesKey, iv };
}

/** Decrypt an endpoint's reply to a request made with `aesKey` and `iv` (the client side of §2.3). */
export function decryptFlowResponse(b64Text: string, aesKey: Uint8Array, iv: Uint8Array): unknown {
  assertLength(aesKey, FLOW_AES_KEY_BYTES, 'AES key');
  assertLength(iv, FLOW_IV_BYTES, 'IV');
  const sealed = b64(b64Text, 'response');
  return parseJson(gcmOpen(aesKey, flipIv(iv), sealed, 'response'), 'decrypted response');
}
