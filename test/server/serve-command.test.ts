import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/store/create-database.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';
import { decryptFlowResponse, encryptFlowRequest } from '../../src/whatsapp/flow-crypto.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';

const BIN = new URL('../../bin/flowbridge.js', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', FLOWBRIDGE_FROM_SOURCES: '1', FLOWBRIDGE_SANDBOX_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('flowbridge serve (a real process)', () => {
  it('lists every configuration problem and exits 2', async () => {
    const p = run(['serve'], { FLOWBRIDGE_PORT: 'eighty', FLOWBRIDGE_DATABASE_URL: 'mysql://x', FLOWBRIDGE_APP_SECRET: 'super-secret-value,' });
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/FLOWBRIDGE_PORT/);
    expect(p.err()).toMatch(/FLOWBRIDGE_DATABASE_URL/);
    expect(p.err()).toMatch(/FLOWBRIDGE_APP_SECRET/);
    expect(p.err()).not.toContain('super-secret-value');
  });

  it('refuses a handlers module without a `flows` export (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-serve-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'bad.mjs'), 'export const handlers = {};\n');
    const p = run(['serve', '--handlers', join(dir, 'bad.mjs')], { FLOWBRIDGE_DATA_DIR: dir });
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/must export `flows`/);
  });

  it('serves a developer\'s --handlers module until SIGTERM, then stops gracefully with exit code 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fb-serve-'));
    dirs.push(dataDir);
    const handlersFile = join(dataDir, 'my-flows.mjs');
    const api = new URL('../../src/services/flow-handlers.ts', import.meta.url).href;
    writeFileSync(handlersFile, `import { next } from ${JSON.stringify(api)};\nexport const flows = { demo: { INIT: ({ session }) => next('HELLO', { campaign: session.campaign }) } };\n`);
    const port = await freePort();
    const p = run(['serve', '--port', String(port), '--host', '127.0.0.1', '--handlers', handlersFile], { FLOWBRIDGE_DATA_DIR: dataDir, FLOWBRIDGE_APP_SECRET: 'serve-test-secret' });
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
    }
    expect(ready).toBe(200);
    const unsigned = await fetch(`http://127.0.0.1:${port}/flows/endpoint`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(432);

    // Another process (the future `flowbridge send`) issues a session in the same database.
    const store = createDatabase(`sqlite:${join(dataDir, 'flowbridge.db')}`);
    const session = await createSessionRepo(store.db).createSession({ flowId: 'demo', contactPhone: '15550009999', campaign: 'autumn' });
    await store.close();
    const { body, aesKey, iv } = encryptFlowRequest({ version: '3.0', action: 'INIT', flow_token: session.flowToken }, readFileSync(join(dataDir, 'keys', 'current.public.pem'), 'utf8'));
    const payload = JSON.stringify(body);
    const init = await fetch(`http://127.0.0.1:${port}/flows/endpoint`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, 'serve-test-secret') } });
    expect(init.status).toBe(200);
    expect(decryptFlowResponse(await init.text(), aesKey, iv)).toEqual({ screen: 'HELLO', data: { campaign: 'autumn' } });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('"msg":"server stopped"');
    expect(p.out()).not.toContain('serve-test-secret');
  });
});
