/**
 * The endpoint's RSA key pair as files hold it: generated once here for both
 * the first start of `serve` and `flowbridge keys generate|rotate`, and named
 * by one fingerprint format in logs and CLI output.
 * @module
 */
import { createHash, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A freshly generated pair, as PEM text. */
export interface NewKeyPair {
  /** PKCS#8, AES-256-CBC encrypted when a passphrase is given. */
  readonly privatePem: string;
  /** SPKI ("BEGIN PUBLIC KEY"), the form Meta accepts. */
  readonly publicPem: string;
  readonly fingerprint: string;
}

/** The fingerprint format used in logs and by `flowbridge keys` (SHA-256 over the SPKI DER); takes either half of the pair. */
export function publicKeyFingerprint(key: KeyObject): string {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** A new RSA-2048 pair (Meta's business encryption key size). */
export async function newKeyPair(passphrase: string | undefined): Promise<NewKeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const privatePem = passphrase === undefined
    ? privateKey.export({ type: 'pkcs8', format: 'pem' })
    : privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' });
  return { privatePem: String(privatePem), publicPem: String(publicPem), fingerprint: publicKeyFingerprint(publicKey) };
}
