import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { testKeys } from '../../test/crypto/crypto-fixtures.js';
import { KeyLoadError, type KeyLoadReason } from './flow-crypto-error.js';
import { loadPrivateKey, loadPublicKey } from './keys.js';

function failure(fn: () => unknown): KeyLoadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KeyLoadError) return err;
    throw err;
  }
  throw new Error('expected a KeyLoadError');
}

/** Middle lines of a PEM: what must never appear in an error message. */
function bodyLines(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
}

function expectClean(err: KeyLoadError, reason: KeyLoadReason, secrets: string[]): void {
  expect(err.reason).toBe(reason);
  expect(err.code).toBe('CRYPTO_KEY_INVALID');
  for (const s of secrets) expect(err.message).not.toContain(s);
}

const fixture = createPrivateKey(testKeys.privatePem);
const pkcs1 = fixture.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs1Encrypted = fixture
  .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'other-pass' })
  .toString();

describe('loadPrivateKey', () => {
  it('loads PKCS#8, encrypted PKCS#8, PKCS#1 and encrypted PKCS#1 to the same RSA-2048 key', () => {
    const want = fixture.export({ type: 'pkcs8', format: 'der' });
    const loaded = [
      loadPrivateKey(testKeys.privatePem),
      loadPrivateKey(Buffer.from(testKeys.privatePem)),
      loadPrivateKey(testKeys.encryptedPrivatePem, testKeys.passphrase),
      loadPrivateKey(pkcs1),
      loadPrivateKey(pkcs1Encrypted, 'other-pass'),
    ];
    for (const key of loaded) {
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(key.export({ type: 'pkcs8', format: 'der' }).equals(want)).toBe(true);
    }
  });

  it('asks for the passphrase of an encrypted key, in both PEM flavours', () => {
    expectClean(failure(() => loadPrivateKey(testKeys.encryptedPrivatePem)), 'passphrase-required', bodyLines(testKeys.encryptedPrivatePem));
    expectClean(failure(() => loadPrivateKey(pkcs1Encrypted)), 'passphrase-required', bodyLines(pkcs1Encrypted));
  });

  it('reports a wrong passphrase without echoing it or the key', () => {
    const err = failure(() => loadPrivateKey(testKeys.encryptedPrivatePem, 'hunter2-wrong'));
    expectClean(err, 'wrong-passphrase', ['hunter2-wrong', testKeys.passphrase, ...bodyLines(testKeys.encryptedPrivatePem)]);
  });

  it('tells a public key, non-PEM text and a damaged key apart', () => {
    expect(failure(() => loadPrivateKey(testKeys.publicPem)).reason).toBe('public-key-given');
    expect(failure(() => loadPrivateKey('just some text')).reason).toBe('not-pem');
    const lines = testKeys.privatePem.split('\n');
    const damaged = [...lines.slice(0, 3), ...lines.slice(6)].join('\n');
    expectClean(failure(() => loadPrivateKey(damaged)), 'invalid-key', bodyLines(damaged));
  });

  it('refuses non-RSA and short RSA keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(failure(() => loadPrivateKey(ec)).reason).toBe('not-rsa');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(failure(() => loadPrivateKey(small.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).reason).toBe('too-small');
    expect(failure(() => loadPublicKey(small.publicKey.export({ type: 'spki', format: 'pem' }).toString())).reason).toBe('too-small');
  });
});

describe('loadPublicKey', () => {
  it('loads SPKI and PKCS#1 public keys of the fixture pair', () => {
    const spki = loadPublicKey(testKeys.publicPem);
    const fromPkcs1 = loadPublicKey(spki.export({ type: 'pkcs1', format: 'pem' }).toString());
    const want = createPublicKey(fixture).export({ type: 'spki', format: 'der' });
    expect(spki.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(spki.export({ type: 'spki', format: 'der' }).equals(want)).toBe(true);
    expect(fromPkcs1.export({ type: 'spki', format: 'der' }).equals(want)).toBe(true);
  });

  it('refuses a private key where a public key belongs, without echoing it', () => {
    expectClean(failure(() => loadPublicKey(testKeys.privatePem)), 'private-key-given', bodyLines(testKeys.privatePem));
    expect(failure(() => loadPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).reason).toBe('invalid-key');
  });
});
