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
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
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
import { createRsaUnwrapPool } from './rsa-unwrap-pool.js';

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
  const bytes = Buffer.from(text, 'base64');
  // Canonical padded base64 is exactly what Buffer encodes back to the same text: a native check, several
  // times cheaper than the pattern on a 1 KB+ payload. The slow check only runs to refuse (same verdict).
  if (bytes.toString('base64') === text || isStrictBase64(text)) return bytes;
  throw new FlowCryptoError('bad-base64', `${what} is not padded standard base64`);
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

function unwrapFailure(reason: 'bad-aes-key' | 'key-unwrap-failed'): FlowCryptoError {
  return reason === 'bad-aes-key'
    ? new FlowCryptoError('bad-aes-key', `unwrapped AES key is not ${FLOW_AES_KEY_BYTES} bytes`)
    : new FlowCryptoError('key-unwrap-failed', 'encrypted_aes_key does not decrypt with any configured private key');
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
  throw unwrapFailure(wrongLength ? 'bad-aes-key' : 'key-unwrap-failed');
}

/** The three envelope fields, decoded and checked for size (everything before the RSA step). */
interface Envelope {
  readonly sealed: Buffer;
  readonly wrapped: Buffer;
  readonly iv: Buffer;
}

function readEnvelope(body: unknown, keys: readonly KeyObject[]): Envelope {
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
  return { sealed, wrapped, iv };
}

function openEnvelope(envelope: Envelope, aesKey: Buffer, keyIndex: number): DecryptedFlowRequest {
  const plaintext = parseJson(gcmOpen(aesKey, envelope.iv, envelope.sealed, 'encrypted_flow_data'), 'decrypted request');
  return { plaintext, aesKey, iv: envelope.iv, keyIndex };
}

/**
 * Decrypt a request body as WhatsApp sends it, trying each private key in
 * order (current first, then keys kept for a rotation grace period, spec §4).
 * Every failure is a {@link FlowCryptoError}; its `status` (400 or 421) is the answer.
 * Extra body fields are ignored so that a field Meta adds later does not
 * break every request.
 */
export function decryptFlowRequest(body: unknown, keys: readonly KeyObject[]): DecryptedFlowRequest {
  const envelope = readEnvelope(body, keys);
  const { aesKey, keyIndex } = unwrapAesKey(envelope.wrapped, keys);
  return openEnvelope(envelope, aesKey, keyIndex);
}

/** Decrypts requests with the RSA step off the event loop; see {@link createFlowRequestDecryptor}. */
export interface FlowRequestDecryptor {
  decrypt(body: unknown): Promise<DecryptedFlowRequest>;
  /** Stop the RSA threads (the decryptor keeps working, synchronously). */
  close(): Promise<void>;
}

/** Options of {@link createFlowRequestDecryptor}. */
export interface FlowRequestDecryptorOptions {
  /** RSA threads; 0 decrypts on the calling thread. Default {@link defaultRsaThreads}. */
  readonly threads?: number;
}

/**
 * Default RSA threads per process: two, none on a single core. On a 2-core
 * machine two threads beat one (the event loop was left a core of its own
 * before): a thread of its own caps the unwrap at one core while the event
 * loop, the generator of the bench and the kernel leave part of the other
 * idle (bench:endpoint, 1 process c=64: 1.73 of 2 cores busy at 0.77 of the
 * raw rate); an A/B of 3 alternating pairs of 3 s ping/INIT/data_exchange
 * runs at c=64: 2969/s mean with one thread, 3358/s with two, p99 28–54 ms
 * vs 31–42 ms; c=1024 bursts stayed within 0.4 s.
 * A `serve --workers N` worker gets one: the other
 * cores already run worker processes, so the thread adds no throughput, but
 * it keeps the worker's event loop short (same total CPU per request, ≈ 2.7×
 * less on the event loop). Without it, an overloaded worker's event-loop
 * turns lasted ~150 ms (strace: 150 ms of JavaScript between two accept4),
 * and libuv accepts one connection per listening handle per turn (see
 * server/accept-lanes.ts), so a burst of new connections waited in the
 * kernel's accept queue for up to 4 s before being refused; measured with
 * 2 workers at concurrency 1024 on 2 cores: late answers in 18 of 26 runs
 * without the thread, 2 of 14 (at most 1.3 s) with it, none since the
 * accept lanes.
 */
export function defaultRsaThreads(): number {
  const cores = availableParallelism();
  const spare = cores <= 1 ? 0 : 2;
  return cluster.isWorker ? Math.min(1, spare) : spare;
}

/**
 * {@link decryptFlowRequest} with the RSA-OAEP unwrap run on worker threads
 * (`rsa-unwrap-pool.ts`): the event loop parses and answers other requests
 * while keys are unwrapped. Same checks in the same order, same errors, same
 * result. Should a thread fail, that request is unwrapped synchronously.
 */
export function createFlowRequestDecryptor(keys: readonly KeyObject[], options: FlowRequestDecryptorOptions = {}): FlowRequestDecryptor {
  const threads = options.threads ?? defaultRsaThreads();
  let pool = threads > 0 && keys.length > 0 ? createRsaUnwrapPool(keys, threads, FLOW_AES_KEY_BYTES) : undefined;

  async function unwrap(wrapped: Buffer): Promise<{ aesKey: Buffer; keyIndex: number }> {
    if (pool !== undefined) {
      const result = await pool.unwrap(wrapped).catch(() => undefined);
      if (result?.ok === true) return result;
      if (result?.ok === false) throw unwrapFailure(result.reason);
    }
    return unwrapAesKey(wrapped, keys);
  }

  return {
    async decrypt(body) {
      const envelope = readEnvelope(body, keys);
      const { aesKey, keyIndex } = await unwrap(envelope.wrapped);
      return openEnvelope(envelope, aesKey, keyIndex);
    },
    async close() {
      const closing = pool;
      pool = undefined;
      await closing?.close();
    },
  };
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
