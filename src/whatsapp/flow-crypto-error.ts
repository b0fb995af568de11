/**
 * Typed failures of the endpoint and media cryptography, as {@link AppError}s
 * (the project's one exception type) with a machine-readable `reason`, so the
 * server can answer with the status WhatsApp expects without parsing messages
 * (Meta, "Implementing Endpoints for Flows": a request that cannot be
 * decrypted gets 421, which makes the client re-fetch the public key and
 * retry once). Messages name the problem only: never key bytes, plaintext or
 * passphrases.
 * @module
 */
import { AppError } from '../core/errors.js';

/** Why a request body or an encrypted reply was refused. */
export type FlowCryptoReason =
  | 'malformed-body'
  | 'bad-base64'
  | 'bad-iv'
  | 'key-unwrap-failed'
  | 'bad-aes-key'
  | 'decrypt-failed'
  | 'not-json';

/**
 * A request (or reply) the protocol cannot accept. `status` is the answer:
 * 400 (`CRYPTO_BODY_MALFORMED`) when the body is not the protocol's JSON
 * envelope at all, otherwise 421 (`CRYPTO_DECRYPT_FAILED`; spec §2.3: any
 * failure to decrypt).
 */
export class FlowCryptoError extends AppError {
  override readonly name = 'FlowCryptoError';

  constructor(
    readonly reason: FlowCryptoReason,
    message: string,
  ) {
    super(reason === 'malformed-body' ? 'CRYPTO_BODY_MALFORMED' : 'CRYPTO_DECRYPT_FAILED', message, { details: { reason } });
  }
}

/** Why a private or public key could not be loaded. */
export type KeyLoadReason =
  | 'not-pem'
  | 'public-key-given'
  | 'private-key-given'
  | 'passphrase-required'
  | 'wrong-passphrase'
  | 'not-rsa'
  | 'too-small'
  | 'invalid-key';

/** A key that cannot be used (`CRYPTO_KEY_INVALID`); the message says what to fix, never what the key is. */
export class KeyLoadError extends AppError {
  override readonly name = 'KeyLoadError';

  constructor(
    readonly reason: KeyLoadReason,
    message: string,
  ) {
    super('CRYPTO_KEY_INVALID', message, { details: { reason } });
  }
}
