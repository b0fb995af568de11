/**
 * Loading the business encryption key pair (spec §2.3, §4; Meta, "Business
 * Encryption" and "Implementing Endpoints for Flows"). The private key may be
 * PKCS#1 or PKCS#8, passphrase-protected or not (Meta's key generator uses a
 * passphrase); Meta only accepts a 2048-bit RSA public key. Parse once at
 * start-up and reuse the KeyObject: parsing costs far more than decrypting.
 * Errors say what is wrong and never echo the key or the passphrase.
 * @module
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyLoadError } from './flow-crypto-error.js';

/** Meta's requirement for the business public key ("valid 2048-bit RSA public key"). */
export const MIN_RSA_BITS = 2048;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/;

function pemLabel(text: string): string {
  const m = PEM_BLOCK.exec(text);
  if (!m?.[1]) throw new KeyLoadError('not-pem', 'key is not PEM text (no "-----BEGIN …-----" line)');
  return m[1];
}

function checkRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyLoadError('not-rsa', `${what} is ${key.asymmetricKeyType ?? 'not asymmetric'}; WhatsApp Flows needs RSA`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KeyLoadError('too-small', `${what} is ${bits}-bit RSA; Meta requires ${MIN_RSA_BITS}-bit`);
  }
  return key;
}

/**
 * Parse the business private key (PKCS#1 "BEGIN RSA PRIVATE KEY" or PKCS#8
 * "BEGIN PRIVATE KEY" / "BEGIN ENCRYPTED PRIVATE KEY"; legacy encrypted
 * PKCS#1 with a Proc-Type header too).
 * @throws KeyLoadError
 */
export function loadPrivateKey(pem: string | Buffer, passphrase?: string): KeyObject {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  const label = pemLabel(text);
  if (!label.includes('PRIVATE KEY')) {
    throw new KeyLoadError(
      label.includes('PUBLIC KEY') ? 'public-key-given' : 'not-pem',
      `expected a private key, got a PEM "${label}" block`,
    );
  }
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(text);
  if (encrypted && passphrase === undefined) {
    throw new KeyLoadError('passphrase-required', 'the private key is encrypted; give its passphrase');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: text, format: 'pem', passphrase } : { key: text, format: 'pem' });
  } catch {
    // Node's message is not echoed: it is not needed and we promise never to leak key details.
    throw encrypted
      ? new KeyLoadError('wrong-passphrase', 'the private key could not be decrypted: wrong passphrase or damaged key')
      : new KeyLoadError('invalid-key', `the PEM "${label}" block is not a valid private key`);
  }
  return checkRsa(key, 'the private key');
}

/**
 * Parse the business public key (SPKI "BEGIN PUBLIC KEY", as uploaded to
 * Meta; PKCS#1 "BEGIN RSA PUBLIC KEY" also accepted). A private key is
 * refused rather than silently turned into its public half, so that private
 * material does not end up where public keys are configured.
 * @throws KeyLoadError
 */
export function loadPublicKey(pem: string | Buffer): KeyObject {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  const label = pemLabel(text);
  if (label.includes('PRIVATE KEY')) {
    throw new KeyLoadError('private-key-given', 'expected a public key, got a private key');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new KeyLoadError('invalid-key', `the PEM "${label}" block is not a valid public key`);
  }
  return checkRsa(key, 'the public key');
}
