/**
 * The build `npm run build` makes (scripts/build.ts: dependencies bundled into
 * a few ES modules) runs the server as the sources do: a bundling mistake
 * (a package that reads files beside itself, a dynamic require, a chunk that
 * lost a side effect) would only show in a process started from the build.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build.js';
import { createDatabase } from '../../src/store/create-database.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';
import { decryptFlowResponse, encryptFlowRequest } from '../../src/whatsapp/flow-crypto.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { startServe, type ServeProcess } from '../reliability/serve-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project, so the packages left external resolve from node_modules.
const BUILD = join(ROOT, 'node_modules', '.cache', 'flowbridge-build-test');
const SECRET = 'built-serve-secret-7d2a';
const dirs: string[] = [];
let server: ServeProcess | undefined;

beforeAll(async () => {
  await buildCli(join(BUILD, 'dist'), {}, { clean: true });
  // Under node_modules the root package.json's "type" does not apply; the sandbox's demo project is ../examples.
  writeFileSync(join(BUILD, 'dist', 'package.json'), '{ "type": "module" }\n');
  rmSync(join(BUILD, 'examples'), { force: true });
  mkdirSync(BUILD, { recursive: true });
  symlinkSync(join(ROOT, 'examples'), join(BUILD, 'examples'));
}, 60_000);

afterAll(async () => {
  await server?.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function post(url: string, plaintext: unknown, publicKeyPem: string): Promise<{ status: number; reply: () => unknown }> {
  const { body, aesKey, iv } = encryptFlowRequest(plaintext, publicKeyPem);
  const payload = JSON.stringify(body);
  const res = await fetch(`${url}/flows/endpoint`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, SECRET) } });
  const text = await res.text();
  return { status: res.status, reply: () => decryptFlowResponse(text, aesKey, iv) };
}

describe('flowbridge serve from the build in dist/', () => {
  it('answers the encrypted endpoint with a developer\'s TypeScript handlers and stops gracefully', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fb-built-'));
    dirs.push(dataDir);
    // A handlers module in TypeScript using the project's helpers, as the journeys' examples are written:
    // the build has no TypeScript loader of its own and registers tsx for it.
    const handlersFile = join(dataDir, 'flows.mts');
    const api = JSON.stringify(new URL('../../src/services/flow-handlers.js', import.meta.url).href);
    writeFileSync(handlersFile, `import { next } from ${api};\nconst screen: string = 'HELLO';\nexport const flows = { demo: { INIT: ({ session }: { session: { campaign?: string } }) => next(screen, { campaign: session.campaign }) } };\n`);
    const store = createDatabase(`sqlite:${join(dataDir, 'flowbridge.db')}`);
    server = await startServe({ FLOWBRIDGE_DATA_DIR: dataDir, FLOWBRIDGE_APP_SECRET: SECRET, FLOWBRIDGE_LOG_LEVEL: 'info' }, { cli: join(BUILD, 'dist', 'cli', 'main.js'), args: ['--handlers', handlersFile] });
    try {
      await server.ready();
      const publicKey = readFileSync(join(dataDir, 'keys', 'current.public.pem'), 'utf8');
      const ping = await post(server.url, { version: '3.0', action: 'ping' }, publicKey);
      expect(ping.status).toBe(200);
      expect(ping.reply()).toEqual({ data: { status: 'active' } });

      const session = await createSessionRepo(store.db).createSession({ flowId: 'demo', contactPhone: '15550007777', campaign: 'spring' });
      const init = await post(server.url, { version: '3.0', action: 'INIT', flow_token: session.flowToken }, publicKey);
      expect(init.status).toBe(200);
      expect(init.reply()).toEqual({ screen: 'HELLO', data: { campaign: 'spring' } });
      const unsigned = await fetch(`${server.url}/flows/endpoint`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(unsigned.status).toBe(432);
    } finally {
      await store.close();
    }
    await server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"server stopped"');
    expect(server.output()).not.toContain(SECRET);
  }, 60_000);
});
