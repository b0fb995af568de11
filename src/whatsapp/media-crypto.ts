/**
 * PhotoPicker / DocumentPicker media (spec §3.2; Meta, "Media upload",
 * section "Decrypting and validating media"). The CDN file is
 * `AES-256-CBC(PKCS#7) ciphertext ‖ first 10 bytes of HMAC-SHA256(iv ‖ ciphertext)`,
 * described by the item's `encryption_metadata`. Uploaded content may be
 * malicious, so everything is verified before a byte of plaintext is used,
 * and the size is capped before any work is done.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isStrictBase64 } from '../core/runtime/endpoint/base64.js';
import { AppError } from '../core/errors.js';
import { isObject } from '../core/flow/json.js';

/** `encryption_metadata` of a picker item (spec §3.1), all base64. */
export interface EncryptionMetadata {
  encrypted_hash: string;
  iv: string;
  encryption_key: string;
  hmac_key: string;
  plaintext_hash: string;
}

/** Why an uploaded file was refused (answer with the screen and an error-message for its media_id). */
export type MediaCryptoReason =
  | 'encrypted-hash-mismatch'
  | 'hmac-mismatch'
  | 'bad-padding'
  | 'plaintext-hash-mismatch'
  | 'too-large'
  | 'malformed-metadata';

/** A picker file that failed verification or decryption (`MEDIA_REJECTED`). */
export class MediaCryptoError extends AppError {
  override readonly name = 'MediaCryptoError';

  constructor(
    readonly reason: MediaCryptoReason,
    message: string,
  ) {
    super('MEDIA_REJECTED', message, { details: { reason } });
  }
}

/** Bytes of the truncated HMAC appended to the CDN file. */
export const MEDIA_MAC_BYTES = 10;
const BLOCK = 16;
/**
 * Default cap on the CDN file: the picker limit of 25 600 KiB per file sent
 * to an endpoint (spec §1.9), plus at most one padding block and the MAC.
 */
export const DEFAULT_MEDIA_MAX_BYTES = 25_600 * 1024 + BLOCK + MEDIA_MAC_BYTES;

const FIELD_BYTES: Readonly<Record<keyof EncryptionMetadata, number>> = {
  encrypted_hash: 32,
  iv: 16,
  encryption_key: 32,
  hmac_key: 32,
  plaintext_hash: 32,
};

type DecodedMetadata = Record<keyof EncryptionMetadata, Buffer>;

function decodeMetadata(metadata: unknown): DecodedMetadata {
  if (!isObject(metadata)) throw new MediaCryptoError('malformed-metadata', 'encryption_metadata is not an object');
  const out: Partial<DecodedMetadata> = {};
  for (const [name, size] of Object.entries(FIELD_BYTES) as [keyof EncryptionMetadata, number][]) {
    const text = metadata[name];
    if (typeof text !== 'string' || !isStrictBase64(text)) {
      throw new MediaCryptoError('malformed-metadata', `encryption_metadata.${name} is not padded standard base64`);
    }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length !== size) {
      throw new MediaCryptoError('malformed-metadata', `encryption_metadata.${name} must be ${size} bytes, got ${bytes.length}`);
    }
    out[name] = bytes;
  }
  return out as DecodedMetadata;
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function mac(hmacKey: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  return createHmac('sha256', hmacKey).update(iv).update(ciphertext).digest().subarray(0, MEDIA_MAC_BYTES);
}

/** Options of {@link decryptMedia}. */
export interface DecryptMediaOptions {
  /** Refuse CDN files larger than this many bytes (default {@link DEFAULT_MEDIA_MAX_BYTES}). */
  maxBytes?: number;
}

/**
 * Verify and decrypt a downloaded CDN file: size cap, `encrypted_hash` over
 * the whole file, the 10-byte HMAC (constant time), AES-256-CBC with PKCS#7,
 * then `plaintext_hash`. Returns the plaintext.
 * @throws MediaCryptoError
 */
export function decryptMedia(cdn: Uint8Array, metadata: unknown, options: DecryptMediaOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES;
  if (cdn.length > maxBytes) throw new MediaCryptoError('too-large', `file is ${cdn.length} bytes; the limit is ${maxBytes}`);
  const m = decodeMetadata(metadata);
  if (!timingSafeEqual(sha256(cdn), m.encrypted_hash)) {
    throw new MediaCryptoError('encrypted-hash-mismatch', 'SHA-256 of the downloaded file does not match encrypted_hash');
  }
  if (cdn.length < MEDIA_MAC_BYTES) throw new MediaCryptoError('hmac-mismatch', 'file is shorter than its MAC');
  const ciphertext = cdn.subarray(0, cdn.length - MEDIA_MAC_BYTES);
  const given = cdn.subarray(cdn.length - MEDIA_MAC_BYTES);
  if (!timingSafeEqual(mac(m.hmac_key, m.iv, ciphertext), given)) {
    throw new MediaCryptoError('hmac-mismatch', 'HMAC-SHA256 of iv ‖ ciphertext does not match the file MAC');
  }
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) {
    throw new MediaCryptoError('bad-padding', `ciphertext length ${ciphertext.length} is not a positive multiple of ${BLOCK}`);
  }
  const decipher = createDecipheriv('aes-256-cbc', m.encryption_key, m.iv).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  let padOk = pad >= 1 && pad <= BLOCK;
  for (let i = 1; padOk && i <= pad; i++) padOk = padded[padded.length - i] === pad;
  if (!padOk) throw new MediaCryptoError('bad-padding', 'PKCS#7 padding is invalid');
  const plain = padded.subarray(0, padded.length - pad);
  if (!timingSafeEqual(sha256(plain), m.plaintext_hash)) {
    throw new MediaCryptoError('plaintext-hash-mismatch', 'SHA-256 of the decrypted file does not match plaintext_hash');
  }
  return plain;
}

/** Keys for {@link encryptMedia}; random when not given. */
export interface MediaKeys {
  encryptionKey?: Uint8Array;
  hmacKey?: Uint8Array;
  iv?: Uint8Array;
}

/**
 * Encrypt a file the way WhatsApp stores picker uploads: the CDN blob and
 * its `encryption_metadata`. For tests, fakes and the emulator.
 */
export function encryptMedia(plaintext: Uint8Array, keys: MediaKeys = {}): { cdn: Buffer; metadata: EncryptionMetadata } {
  const encryptionKey = keys.encryptionKey ?? randomBytes(32);
  const hmacKey = keys.hmacKey ?? randomBytes(32);
  const iv = keys.iv ?? randomBytes(BLOCK);
  const cipher = createCipheriv('aes-256-cbc', encryptionKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const cdn = Buffer.concat([ciphertext, mac(hmacKey, iv, ciphertext)]);
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  return {
    cdn,
    metadata: {
      encrypted_hash: b64(sha256(cdn)),
      iv: b64(iv),
      encryption_key: b64(encryptionKey),
      hmac_key: b64(hmacKey),
      plaintext_hash: b64(sha256(plaintext)),
    },
  };
}
