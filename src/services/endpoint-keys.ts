/**
 * The business encryption keys of the endpoint, loaded once at start (spec
 * §2.3, §4; Meta, "Business Encryption" and "Implementing Endpoints for
 * Flows": cache the parsed key, keep the previous one through a rotation).
 *
 * Layout under the data directory: `keys/current.pem` (private, PKCS#8,
 * encrypted with the passphrase when one is configured), optional
 * `keys/previous.pem` (still decrypts during a rotation grace period) and
 * `keys/current.public.pem` (SPKI, what is uploaded to Meta). When no
 * current key exists, an RSA-2048 pair is generated. Only the public key's
 * fingerprint is ever logged.
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPrivateKey } from '../whatsapp/keys.js';
import type { LogSink } from './client-error-recorder.js';
import { readOptional } from './files.js';
import { newKeyPair, publicKeyFingerprint } from './key-pair.js';
import { DEFAULT_KEY_GRACE_HOURS, previousKeyActive, readRotationRecord } from './key-rotation.js';

export { publicKeyFingerprint } from './key-pair.js';

/** Keys ready for {@link decryptFlowRequest}: current first. */
export interface EndpointKeys {
  readonly privateKeys: readonly KeyObject[];
  /** SPKI PEM of the current key (what Meta must have). */
  readonly publicKeyPem: string;
  /** `sha256:<hex>` of the current public key's DER. */
  readonly fingerprint: string;
  /** True when this start generated the current key. */
  readonly generated: boolean;
}

/** Options of {@link loadEndpointKeys}. */
export interface LoadKeysOptions {
  readonly dataDir: string;
  readonly passphrase: string | undefined;
  readonly logger: LogSink;
  /** Hours `previous.pem` keeps decrypting after `flowbridge keys rotate`; default 72 (the config's `keyGraceHours`, FLOWBRIDGE_KEY_GRACE_HOURS). */
  readonly previousKeyGraceHours?: number;
  /** Clock for the grace period; default now. */
  readonly now?: () => Date;
}

function isExisting(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'EEXIST';
}

async function generate(dir: string, passphrase: string | undefined, logger: LogSink): Promise<string | undefined> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pair = await newKeyPair(passphrase);
  try {
    // 'wx': never overwrite a key another process created meanwhile (it would orphan the uploaded public key).
    await writeFile(join(dir, 'current.pem'), pair.privatePem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (isExisting(err)) return undefined;
    throw err;
  }
  await writeFile(join(dir, 'current.public.pem'), pair.publicPem, { mode: 0o644 });
  if (passphrase === undefined) {
    logger.warn({ file: join(dir, 'current.pem') }, 'generated private key is stored unencrypted: set FLOWBRIDGE_KEY_PASSPHRASE to encrypt it');
  }
  return pair.privatePem;
}

/**
 * Load the keys, generating the current one when absent.
 * @throws KeyLoadError when a key file is unusable (wrong passphrase, not RSA-2048…); the message never shows key material.
 */
export async function loadEndpointKeys(options: LoadKeysOptions): Promise<EndpointKeys> {
  const dir = join(options.dataDir, 'keys');
  let currentPem = await readOptional(join(dir, 'current.pem'));
  let generated = false;
  if (currentPem === undefined) {
    currentPem = await generate(dir, options.passphrase, options.logger);
    generated = currentPem !== undefined;
    currentPem ??= await readFile(join(dir, 'current.pem'), 'utf8');
  }
  const current = loadPrivateKey(currentPem, options.passphrase);
  let previousPem = await readOptional(join(dir, 'previous.pem'));
  if (previousPem !== undefined) {
    const graceHours = options.previousKeyGraceHours ?? DEFAULT_KEY_GRACE_HOURS;
    if (!previousKeyActive(await readRotationRecord(options.dataDir), options.now?.() ?? new Date(), graceHours)) {
      options.logger.info({ graceHours }, 'previous endpoint key ignored: its rotation grace period is over');
      previousPem = undefined;
    }
  }
  const privateKeys = previousPem === undefined ? [current] : [current, loadPrivateKey(previousPem, options.passphrase)];
  const publicKey = createPublicKey(current);
  const fingerprint = publicKeyFingerprint(publicKey);
  options.logger.info(
    { fingerprint, generated, keys: privateKeys.length },
    generated ? 'generated a new endpoint key pair: upload keys/current.public.pem to Meta' : 'endpoint keys loaded',
  );
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' });
  return { privateKeys, publicKeyPem: typeof publicKeyPem === 'string' ? publicKeyPem : publicKeyPem.toString('utf8'), fingerprint, generated };
}
