import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startServer } from '../../src/main.js';
import { createHandlerRegistry, next } from '../../src/services/flow-handlers.js';
import { KeyLoadError } from '../../src/whatsapp/flow-crypto-error.js';
import { loadPublicKey } from '../../src/whatsapp/keys.js';
import { encryptFlowRequest, decryptFlowResponse } from '../../src/whatsapp/flow-crypto.js';
import { bufferLogger } from './server-harness.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function configFor(dataDir: string, env: Record<string, string> = {}) {
  const config = loadConfig({ env: { FLOWBRIDGE_DATA_DIR: dataDir, FLOWBRIDGE_HOST: '127.0.0.1', ...env }, readFile: (p) => readFileSync(p, 'utf8') });
  return { ...config, port: 0 };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fb-start-'));
  dirs.push(d);
  return d;
}

describe('startServer', () => {
  it('generates a passphrase-encrypted key on first start, logs only its fingerprint, and reuses it on restart', async () => {
    const dataDir = tempDir();
    const passphrase = 'correct horse battery staple';
    const log = bufferLogger('trace');
    const first = await startServer(configFor(dataDir, { FLOWBRIDGE_KEY_PASSPHRASE: passphrase }), { logger: log.logger, handleSignals: false });
    const pemPath = join(dataDir, 'keys', 'current.pem');
    try {
      expect(first.keys.generated).toBe(true);
      const pem = readFileSync(pemPath, 'utf8');
      expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      expect(statSync(pemPath).mode & 0o777).toBe(0o600);
      expect(loadPublicKey(readFileSync(join(dataDir, 'keys', 'current.public.pem'), 'utf8')).asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(log.text()).toContain(first.keys.fingerprint);
      expect(log.text()).not.toContain(passphrase);
      for (const line of pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(log.text()).not.toContain(line);
      const res = await fetch(`${first.url}/readyz`);
      expect(res.status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startServer(configFor(dataDir, { FLOWBRIDGE_KEY_PASSPHRASE: passphrase }), { logger: bufferLogger().logger, handleSignals: false });
    try {
      expect(second.keys.generated).toBe(false);
      expect(second.keys.fingerprint).toBe(first.keys.fingerprint);
    } finally {
      await second.close();
    }
    const wrong = 'not-the-passphrase-xyz';
    await expect(startServer(configFor(dataDir, { FLOWBRIDGE_KEY_PASSPHRASE: wrong }), { logger: bufferLogger().logger, handleSignals: false }))
      .rejects.toSatisfy((e: unknown) => e instanceof KeyLoadError && e.reason === 'wrong-passphrase' && !e.message.includes(wrong) && !e.message.includes(passphrase));
  });

  it('shuts down gracefully: the in-flight request finishes, then nothing is accepted', async () => {
    const handlers = createHandlerRegistry();
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => { entered = r; });
    handlers.register('slow', { INIT: async () => { entered(); await new Promise((r) => setTimeout(r, 300)); return next('DONE', { ok: true }); } });
    const server = await startServer(configFor(tempDir()), { handlers, logger: bufferLogger().logger, handleSignals: false });
    const session = await server.sessions.issue({ flowId: 'slow', contactPhone: '15550001234' });
    const { body, aesKey, iv } = encryptFlowRequest({ version: '3.0', action: 'INIT', flow_token: session.flowToken }, server.keys.publicKeyPem);
    const inFlight = fetch(`${server.url}/flows/endpoint`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    await inHandler;
    const closing = server.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(decryptFlowResponse(await res.text(), aesKey, iv)).toEqual({ screen: 'DONE', data: { ok: true } });
    await closing;
    await server.closed;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
