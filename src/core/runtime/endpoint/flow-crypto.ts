/**
 * The client half of the data-exchange encryption (spec §2.3, Meta's
 * "Implementing Endpoints for Flows" page), as an interface so the runtime can
 * run on WebCrypto in a browser and on node:crypto on a server. Both
 * implementations share the small pure helpers below so that they produce the
 * same bytes.
 * @module
 */
import { AppError } from '../../errors.js';

/** The request body exactly as WhatsApp POSTs it: three padded standard base64 strings. */
export interface EncryptedRequestBody {
  encrypted_flow_data: string;
  encrypted_aes_key: string;
  initial_vector: string;
}

/**
 * What the sender must keep to read the reply: the request's AES-128 key and
 * IV (the reply is encrypted under the same key with the flipped IV).
 * Plain bytes, so a session made by one implementation works with the other.
 */
export interface CryptoSession {
  readonly aesKey: Uint8Array;
  readonly iv: Uint8Array;
}

/** Encryption as done by the WhatsApp client. */
export interface FlowCrypto {
  /** Encrypt a request exactly as WhatsApp does: fresh 16-byte AES key and 16-byte IV, RSA-OAEP-SHA256 key wrap, AES-128-GCM. */
  encryptRequest(
    plaintext: unknown,
    publicKeyPem: string,
  ): Promise<{ body: EncryptedRequestBody; session: CryptoSession }>;
  /** Decrypt the endpoint's base64 reply with the flipped IV. */
  decryptResponse(b64: string, session: CryptoSession): Promise<unknown>;
}

/** AES-128 key length of the protocol, bytes. */
export const FLOW_AES_KEY_BYTES = 16;
/** IV length WhatsApp sends (`initial_vector`), bytes. */
export const FLOW_IV_BYTES = 16;
/** AES-GCM tag appended to every ciphertext, bytes. */
export const FLOW_GCM_TAG_BYTES = 16;

/**
 * The response IV: every bit of the request IV inverted (spec §2.3 step 4).
 * Reusing the request IV unflipped is the classic `response-decryption-error`.
 */
export function flipIv(iv: Uint8Array): Uint8Array {
  const out = new Uint8Array(iv.length);
  for (let i = 0; i < iv.length; i++) out[i] = ~(iv[i] ?? 0) & 0xff;
  return out;
}

const HAS_NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII = /[\u007f-\uffff]/g;

function escapeCodeUnit(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Compact JSON with every character outside printable ASCII written as a
 * `\uXXXX` escape (what Python's `json.dumps` does, as in pywa and the
 * project's known-answer vectors). The text is plain ASCII, so the encrypted
 * bytes do not depend on how either side handles UTF-8, and a value parsed
 * from such a text serialises back to the identical bytes.
 * Throws `USAGE_INVALID` for values JSON cannot represent (undefined, functions, BigInt).
 */
export function serializeFlowJson(value: unknown): string {
  let text: unknown;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') throw new AppError('USAGE_INVALID', 'value is not representable as JSON');
  return HAS_NON_ASCII.test(text) ? text.replace(NON_ASCII, escapeCodeUnit) : text;
}

/** Check a byte length and say which field is wrong; for the encrypt side, where a bad length is a bug. */
export function assertLength(bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.length !== expected) {
    throw new AppError('USAGE_INVALID', `${what} must be ${expected} bytes, got ${bytes.length}`);
  }
}
