import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyLoadError } from '../whatsapp/flow-crypto-error.js';
import { decryptFlowRequest, encryptFlowRequest } from '../whatsapp/flow-crypto.js';
import type { LogSink } from './client-error-recorder.js';
import { loadEndpointKeys, publicKeyFingerprint } from './endpoint-keys.js';

const FIXTURES = process.env.FLOWBRIDGE_CRYPTO_FIXTURES ?? '/work/shared/fixtures/crypto';
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function dataDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-keys-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'keys'));
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(dir, 'keys', name));
  return dir;
}

function recordingLogger(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  const push = (obj: object, msg: string) => { lines.push(`${msg} ${JSON.stringify(obj)}`); };
  return { lines, debug: push, info: push, warn: push, error: push };
}

describe('loadEndpointKeys', () => {
  it('loads current and previous keys (both decrypt) and fingerprints the current one', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dir = dataDirWith({ 'current.pem': join(FIXTURES, 'test-private-key-encrypted.pem') });
    writeFileSync(join(dir, 'keys', 'previous.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test-passphrase' }));
    const logger = recordingLogger();
    const keys = await loadEndpointKeys({ dataDir: dir, passphrase: 'test-passphrase', logger });
    expect(keys.privateKeys).toHaveLength(2);
    expect(keys.generated).toBe(false);
    expect(keys.publicKeyPem).toBe(readFileSync(join(FIXTURES, 'test-public-key.pem'), 'utf8'));
    expect(keys.fingerprint).toBe(publicKeyFingerprint(keys.privateKeys[0]!));
    expect(keys.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const forPrevious = encryptFlowRequest({ action: 'ping' }, other.publicKey);
    expect(decryptFlowRequest(forPrevious.body, keys.privateKeys).keyIndex).toBe(1);
    expect(logger.lines.join('\n')).not.toContain('test-passphrase');
  });

  it('refuses an encrypted key without passphrase, and a public key in place of the private one', async () => {
    const enc = dataDirWith({ 'current.pem': join(FIXTURES, 'test-private-key-encrypted.pem') });
    await expect(loadEndpointKeys({ dataDir: enc, passphrase: undefined, logger: recordingLogger() }))
      .rejects.toSatisfy((e: unknown) => e instanceof KeyLoadError && e.reason === 'passphrase-required');
    const pub = dataDirWith({ 'current.pem': join(FIXTURES, 'test-public-key.pem') });
    await expect(loadEndpointKeys({ dataDir: pub, passphrase: undefined, logger: recordingLogger() }))
      .rejects.toSatisfy((e: unknown) => e instanceof KeyLoadError && e.reason === 'public-key-given');
  });

  it('generates an unencrypted key with a warning when no passphrase is configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-keys-'));
    dirs.push(dir);
    const logger = recordingLogger();
    const keys = await loadEndpointKeys({ dataDir: dir, passphrase: undefined, logger });
    expect(keys.generated).toBe(true);
    expect(readFileSync(join(dir, 'keys', 'current.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(logger.lines.some((l) => l.includes('unencrypted'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain('PRIVATE KEY-----');
  });
});
