import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { createGraphEmulator, type GraphEmulator } from '../../src/emulator/graph-emulator.js';
import type { LogSink } from '../../src/services/client-error-recorder.js';
import { loadEndpointKeys } from '../../src/services/endpoint-keys.js';
import { decryptFlowRequest, encryptFlowRequest } from '../../src/whatsapp/flow-crypto.js';

const PASSPHRASE = 'correct horse battery staple 42';
const dirs: string[] = [];
let stdout = '';
let stderr = '';

const silent: LogSink = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-keys-cli-'));
  dirs.push(dir);
  return dir;
}

async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  stdout = '';
  stderr = '';
  process.exitCode = undefined;
  const code = await runCli(['keys', ...args]);
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

function publicPemOf(text: string): string {
  const match = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----\n/.exec(text);
  if (!match) throw new Error('no public key in output');
  return match[0];
}

beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  for (const name of Object.keys(process.env)) if (name.startsWith('FLOWBRIDGE_')) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('flowbridge keys generate / show / rotate', () => {
  it('generates an encrypted key (0600), shows its fingerprint and public key but never the private key', async () => {
    const dir = tempDataDir();
    vi.stubEnv('FLOWBRIDGE_DATA_DIR', dir);
    vi.stubEnv('FLOWBRIDGE_KEY_PASSPHRASE', PASSPHRASE);
    const gen = await keys('generate');
    expect(gen.code).toBe(0);
    const fingerprint = /fingerprint: (sha256:[0-9a-f]{64})/.exec(gen.stdout)?.[1];
    expect(fingerprint).toBeDefined();
    const privatePem = readFileSync(join(dir, 'keys', 'current.pem'), 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(statSync(join(dir, 'keys', 'current.pem')).mode & 0o777).toBe(0o600);

    const shown = await keys('show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`fingerprint: ${fingerprint!}`);
    expect(publicPemOf(shown.stdout)).toBe(readFileSync(join(dir, 'keys', 'current.public.pem'), 'utf8'));
    const pub = await keys('show', '--public');
    expect(pub.stdout.trim()).toBe(publicPemOf(shown.stdout).trim());
    for (const text of [gen.stdout, gen.stderr, shown.stdout, shown.stderr, pub.stdout]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(PASSPHRASE);
    }
    expect((await keys('generate')).code).toBe(2);
    expect(readFileSync(join(dir, 'keys', 'current.pem'), 'utf8')).toBe(privatePem);
  });

  it('refuses to write an unencrypted key unless --insecure-no-passphrase is given', async () => {
    const dir = tempDataDir();
    vi.stubEnv('FLOWBRIDGE_DATA_DIR', dir);
    const refused = await keys('generate');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/FLOWBRIDGE_KEY_PASSPHRASE/);
    expect(() => statSync(join(dir, 'keys', 'current.pem'))).toThrow();
    const insecure = await keys('generate', '--insecure-no-passphrase');
    expect(insecure.code).toBe(0);
    expect(readFileSync(join(dir, 'keys', 'current.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await keys('show')).stdout).toContain('UNENCRYPTED');
  });

  it('rotates: old and new key both decrypt, and after the grace period only the new one', async () => {
    const dir = tempDataDir();
    vi.stubEnv('FLOWBRIDGE_DATA_DIR', dir);
    vi.stubEnv('FLOWBRIDGE_KEY_PASSPHRASE', PASSPHRASE);
    await keys('generate');
    const oldPublic = readFileSync(join(dir, 'keys', 'current.public.pem'), 'utf8');
    const before = Date.now();
    const rotated = await keys('rotate');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/72 h/);
    const newPublic = readFileSync(join(dir, 'keys', 'current.public.pem'), 'utf8');
    expect(newPublic).not.toBe(oldPublic);
    expect(readFileSync(join(dir, 'keys', 'previous.public.pem'), 'utf8')).toBe(oldPublic);
    const record = JSON.parse(readFileSync(join(dir, 'keys', 'rotation.json'), 'utf8')) as { rotatedAt: string };
    expect(Date.parse(record.rotatedAt)).toBeGreaterThanOrEqual(before - 1000);

    const toOld = encryptFlowRequest({ action: 'ping', version: '3.0' }, oldPublic);
    const toNew = encryptFlowRequest({ action: 'ping', version: '3.0' }, newPublic);
    const within = await loadEndpointKeys({ dataDir: dir, passphrase: PASSPHRASE, logger: silent, now: () => new Date(Date.parse(record.rotatedAt) + 71 * 3_600_000) });
    expect(decryptFlowRequest(toOld.body, within.privateKeys).keyIndex).toBe(1);
    expect(decryptFlowRequest(toNew.body, within.privateKeys).keyIndex).toBe(0);
    expect(within.publicKeyPem).toBe(newPublic);

    const after = await loadEndpointKeys({ dataDir: dir, passphrase: PASSPHRASE, logger: silent, now: () => new Date(Date.parse(record.rotatedAt) + 73 * 3_600_000) });
    expect(after.privateKeys).toHaveLength(1);
    expect(() => decryptFlowRequest(toOld.body, after.privateKeys)).toThrow(expect.objectContaining({ status: 421 }));
    expect(decryptFlowRequest(toNew.body, after.privateKeys).plaintext).toEqual({ action: 'ping', version: '3.0' });

    vi.stubEnv('FLOWBRIDGE_KEY_GRACE_HOURS', '1');
    const shortGrace = await loadEndpointKeys({ dataDir: dir, passphrase: PASSPHRASE, logger: silent, previousKeyGraceHours: 1, now: () => new Date(Date.parse(record.rotatedAt) + 2 * 3_600_000) });
    expect(shortGrace.privateKeys).toHaveLength(1);
    expect((await keys('show')).stdout).toMatch(/still decrypting/);
    vi.stubEnv('FLOWBRIDGE_KEY_GRACE_HOURS', '0');
    expect((await keys('show')).stdout).toMatch(/grace period over/);
  });

  it('a wrong passphrase exits 2 with a message holding neither the passphrase nor key material, and changes nothing', async () => {
    const dir = tempDataDir();
    vi.stubEnv('FLOWBRIDGE_DATA_DIR', dir);
    vi.stubEnv('FLOWBRIDGE_KEY_PASSPHRASE', PASSPHRASE);
    await keys('generate');
    const privatePem = readFileSync(join(dir, 'keys', 'current.pem'), 'utf8');
    const wrong = 'not-the-passphrase-xyzzy';
    vi.stubEnv('FLOWBRIDGE_KEY_PASSPHRASE', wrong);
    for (const command of ['show', 'rotate']) {
      const result = await keys(command);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/passphrase/);
      for (const secret of [wrong, PASSPHRASE, 'PRIVATE KEY', privatePem.split('\n')[1]!]) {
        expect(result.stdout + result.stderr).not.toContain(secret);
      }
    }
    expect(readFileSync(join(dir, 'keys', 'current.pem'), 'utf8')).toBe(privatePem);
    expect(() => statSync(join(dir, 'keys', 'previous.pem'))).toThrow();
  });

  it('show without any key exits 2 and says how to fix it', async () => {
    vi.stubEnv('FLOWBRIDGE_DATA_DIR', tempDataDir());
    const result = await keys('show');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('flowbridge keys generate');
  });
});

describe('flowbridge keys register (Graph emulator)', () => {
  let emulator: GraphEmulator;
  const token = 'EAAG-test-token-secret';
  beforeAll(async () => {
    emulator = createGraphEmulator({ accessToken: token, wabaId: '1000', phoneNumberId: '2000' });
    await emulator.listen();
  });
  afterAll(() => emulator.close());

  function registerEnv(dir: string): void {
    vi.stubEnv('FLOWBRIDGE_DATA_DIR', dir);
    vi.stubEnv('FLOWBRIDGE_KEY_PASSPHRASE', PASSPHRASE);
    vi.stubEnv('FLOWBRIDGE_GRAPH_API_BASE_URL', emulator.url);
    vi.stubEnv('FLOWBRIDGE_ACCESS_TOKEN', token);
    vi.stubEnv('FLOWBRIDGE_PHONE_NUMBER_ID', '2000');
  }

  it('uploads the public key and reads back VALID; after a rotation re-registering replaces a MISMATCHed key', async () => {
    const dir = tempDataDir();
    registerEnv(dir);
    await keys('generate');
    const result = await keys('register');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('signature status: VALID');
    expect(emulator.state.businessKey?.pem).toBe(readFileSync(join(dir, 'keys', 'current.public.pem'), 'utf8'));
    expect(result.stdout + result.stderr).not.toContain(token);

    emulator.invalidateKeySignature();
    await keys('rotate');
    // Meta still holds the old key with a MISMATCH status until the new one is uploaded.
    expect(emulator.state.businessKey?.signatureStatus).toBe('MISMATCH');
    const again = await keys('register');
    expect(again.code).toBe(0);
    expect(emulator.state.businessKey?.pem).toBe(readFileSync(join(dir, 'keys', 'current.public.pem'), 'utf8'));
  });

  it('exits 2 with a clear error for a wrong token or missing settings', async () => {
    const dir = tempDataDir();
    registerEnv(dir);
    await keys('generate');
    vi.stubEnv('FLOWBRIDGE_ACCESS_TOKEN', 'wrong-token-value');
    const denied = await keys('register');
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/^error: /);
    expect(denied.stderr).not.toContain('wrong-token-value');
    vi.stubEnv('FLOWBRIDGE_PHONE_NUMBER_ID', undefined);
    const missing = await keys('register');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('FLOWBRIDGE_PHONE_NUMBER_ID');
  });
});

describe('flowbridge keys (child process)', () => {
  it('the real binary exits 2 on a wrong passphrase without printing secrets, and 0 with the right one', async () => {
    const { execFile } = await import('node:child_process');
    const root = new URL('../../', import.meta.url).pathname;
    const dir = tempDataDir();
    const run = (passphrase: string, ...args: string[]) => new Promise<{ code: number; out: string }>((resolve) => {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, FLOWBRIDGE_FROM_SOURCES: '1', FLOWBRIDGE_DATA_DIR: dir, FLOWBRIDGE_KEY_PASSPHRASE: passphrase };
      execFile('node', ['bin/flowbridge.js', 'keys', ...args], { cwd: root, env }, (error, so, se) => {
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, out: `${so}${se}` });
      });
    });
    expect((await run(PASSPHRASE, 'generate')).code).toBe(0);
    const wrong = await run('Wr0ng-Pass-42', 'show');
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/^error: .*passphrase/);
    expect(wrong.out).not.toContain('Wr0ng-Pass-42');
    expect(wrong.out).not.toContain('PRIVATE KEY');
    const right = await run(PASSPHRASE, 'show', '--public');
    expect(right.code).toBe(0);
    expect(right.out).toBe(readFileSync(join(dir, 'keys', 'current.public.pem'), 'utf8'));
  });
});
