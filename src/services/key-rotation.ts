/**
 * The business key files on disk and their life cycle: generate, inspect,
 * rotate (spec §4; Meta, "Business Encryption": only one active key per
 * phone number, and clients keep encrypting to the old one for a while after
 * an upload, so the previous private key must keep decrypting for a grace
 * period before the endpoint answers 421).
 *
 * Layout under `<data dir>/keys/` (shared with {@link loadEndpointKeys}):
 * `current.pem` + `current.public.pem`, `previous.pem` + `previous.public.pem`,
 * and `rotation.json` recording when the previous key was retired. Every
 * write is atomic (temp file + rename) with private files in mode 0600.
 * Errors never contain key material or the passphrase.
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors.js';
import { loadPrivateKey } from '../whatsapp/keys.js';
import { readOptional, writeFileAtomic } from './files.js';
import { newKeyPair, publicKeyFingerprint } from './key-pair.js';

/** Default hours the previous key keeps decrypting after `keys rotate`. */
export const DEFAULT_KEY_GRACE_HOURS = 72;

/** What `rotation.json` records. */
export interface RotationRecord {
  /** ISO time the previous key was retired. */
  readonly rotatedAt: string;
  readonly previousFingerprint: string;
  readonly currentFingerprint: string;
}

/** Paths of the key files of a data directory. */
export function keyPaths(dataDir: string) {
  const dir = join(dataDir, 'keys');
  return {
    dir,
    current: join(dir, 'current.pem'),
    currentPublic: join(dir, 'current.public.pem'),
    previous: join(dir, 'previous.pem'),
    previousPublic: join(dir, 'previous.public.pem'),
    rotation: join(dir, 'rotation.json'),
  };
}

export { writeFileAtomic } from './files.js';

/** The rotation record, or undefined when none was written (or it is unreadable). */
export async function readRotationRecord(dataDir: string): Promise<RotationRecord | undefined> {
  const text = await readOptional(keyPaths(dataDir).rotation);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RotationRecord>;
    return typeof value.rotatedAt === 'string' && !Number.isNaN(Date.parse(value.rotatedAt)) ? (value as RotationRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `previous.pem` may still decrypt at `now`. A previous key without
 * a rotation record (placed by hand) stays active: nothing says when it retired.
 */
export function previousKeyActive(record: RotationRecord | undefined, now: Date, graceHours: number): boolean {
  if (record === undefined) return true;
  return now.getTime() - Date.parse(record.rotatedAt) < graceHours * 3_600_000;
}

/** The current key, parsed (checks the passphrase), with its public half. */
export interface CurrentKey {
  readonly privateKey: KeyObject;
  readonly publicPem: string;
  readonly fingerprint: string;
  /** True when `current.pem` is passphrase-protected. */
  readonly encrypted: boolean;
}

/**
 * Read and parse `current.pem`.
 * @throws AppError `USAGE_INVALID` when there is no key; KeyLoadError when it cannot be opened.
 */
export async function readCurrentKey(dataDir: string, passphrase: string | undefined): Promise<CurrentKey> {
  const paths = keyPaths(dataDir);
  const pem = await readOptional(paths.current);
  if (pem === undefined) throw new AppError('USAGE_INVALID', `no key in ${paths.dir}. Fix: run \`flowbridge keys generate\` first.`);
  const privateKey = loadPrivateKey(pem, passphrase);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicPem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    fingerprint: publicKeyFingerprint(publicKey),
    encrypted: /ENCRYPTED/.test(pem),
  };
}

/**
 * Create the first key pair.
 * @throws AppError `USAGE_INVALID` when a current key already exists (use {@link rotateKeyPair}).
 */
export async function generateKeyPairFiles(dataDir: string, passphrase: string | undefined): Promise<{ fingerprint: string; publicPem: string }> {
  const paths = keyPaths(dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  if ((await readOptional(paths.current)) !== undefined) {
    throw new AppError('USAGE_INVALID', `a key already exists in ${paths.dir}. Fix: use \`flowbridge keys rotate\` to replace it.`);
  }
  const pair = await newKeyPair(passphrase);
  await writeFileAtomic(paths.currentPublic, pair.publicPem, 0o644);
  try {
    // 'wx' + link semantics: never overwrite a key another process created meanwhile.
    await writeFile(paths.current, pair.privatePem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') {
      throw new AppError('USAGE_INVALID', `a key was created in ${paths.dir} meanwhile. Fix: run \`flowbridge keys show\`.`);
    }
    throw error;
  }
  return { fingerprint: pair.fingerprint, publicPem: pair.publicPem };
}

/**
 * Retire the current key to `previous.pem` (dropping an older previous one),
 * record the time, and create a new current key. The current key is opened
 * first, so a wrong passphrase changes nothing.
 */
export async function rotateKeyPair(
  dataDir: string,
  passphrase: string | undefined,
  now: Date = new Date(),
): Promise<RotationRecord & { publicPem: string }> {
  const paths = keyPaths(dataDir);
  const old = await readCurrentKey(dataDir, passphrase);
  const pair = await newKeyPair(passphrase);
  const staged = `${paths.current}.next`;
  await writeFileAtomic(staged, pair.privatePem, 0o600);
  await rename(paths.current, paths.previous);
  await writeFileAtomic(paths.previousPublic, old.publicPem, 0o644);
  const record: RotationRecord = { rotatedAt: now.toISOString(), previousFingerprint: old.fingerprint, currentFingerprint: pair.fingerprint };
  await writeFileAtomic(paths.rotation, `${JSON.stringify(record, null, 2)}\n`, 0o644);
  await rename(staged, paths.current);
  await writeFileAtomic(paths.currentPublic, pair.publicPem, 0o644);
  return { ...record, publicPem: pair.publicPem };
}
