/**
 * `flowbridge emulator` in-process: what it prints is what works (base URL,
 * access token, ids), `--phones` numbers have their window open, webhooks
 * go to `--webhook-url` signed with the app secret, and bad options exit 2
 * with the reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEmulator, type EmulatorCliOptions } from '../../src/cli/commands/emulator.js';
import type { Sandbox } from '../../src/emulator/sandbox.js';
import { createGraphClient } from '../../src/whatsapp/graph/index.js';
import { verifySignature } from '../../src/whatsapp/hub-signature.js';
import { startLoopbackServer } from '../fakes/shared/loopback-server.js';

const dir = mkdtempSync(join(tmpdir(), 'fb-emulator-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the command until `use` is done with the started sandbox. */
async function run(options: Partial<EmulatorCliOptions>, use: (s: Sandbox, out: string) => Promise<void> | void = () => undefined, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  let used: Promise<void> = Promise.resolve();
  const code = await runEmulator({ port: '0', phones: '3', mps: '80', ...options }, {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    stop: stopped,
    env,
    onStarted: (s) => { used = Promise.resolve().then(() => use(s, out)).finally(stop); },
  });
  await used;
  return { code, out, err };
}

describe('flowbridge emulator', () => {
  it('prints a base URL, token and ids that work, and lists phones whose window is open', async () => {
    const hook = await startLoopbackServer({ handle: () => ({ status: 200 }) });
    try {
      const result = await run({ webhookUrl: `${hook.url}/webhooks/whatsapp`, appSecret: 'cli-secret-1', phones: '2', auto: true, mps: '7' }, async (s, out) => {
        expect(out).toContain(`Graph API base URL   ${s.url}`);
        expect(out).toContain(`access token         ${s.accessToken}`);
        expect(out).toContain(`FLOWBRIDGE_PHONE_NUMBER_ID=${s.phoneNumberId}`);
        expect(out).toContain('virtual phones       15551000001, 15551000002');
        expect(out).toContain('phones open flows    yes');
        expect(out).toContain('throughput           7 messages per second');
        expect(out).not.toContain('cli-secret-1');
        const graph = createGraphClient({ baseUrl: s.url, version: 'v23.0', accessToken: s.accessToken, phoneNumberId: s.phoneNumberId });
        await expect(graph.getThroughput()).resolves.toEqual({ level: 'STANDARD' });
        const sent = await graph.sendText('15551000002', 'hello');
        await s.phones.idle();
        expect(s.phones.outcomeOf(sent.wamid)?.webhooks.map((w) => w.what)).toEqual(['sent', 'delivered', 'read']);
      });
      expect(result.code).toBe(0);
      expect(result.err).toContain('emulator stopped');
      expect(hook.requests).toHaveLength(3);
      for (const r of hook.requests) expect(verifySignature(r.raw, r.headers['x-hub-signature-256'] as string, ['cli-secret-1'])).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('generates and prints an app secret when none is given, and takes FLOWBRIDGE_APP_SECRET otherwise', async () => {
    const generated = await run({});
    expect(generated.out).toMatch(/app secret {11}[0-9a-f]{32} \(generated: set FLOWBRIDGE_APP_SECRET to it\)/);
    expect(generated.out).toContain('phones open flows    no (pass --auto or --script)');
    const fromEnv = await run({}, (s) => { expect(s.appSecret).toBe('env-secret'); }, { FLOWBRIDGE_APP_SECRET: 'env-secret, older-secret' });
    expect(fromEnv.out).toContain('app secret           (FLOWBRIDGE_APP_SECRET)');
    expect(fromEnv.out).not.toContain('env-secret');
  });

  it('checks the webhook URL as Meta does when a verify token is given', async () => {
    const hook = await startLoopbackServer({ handle: (r) => (r.query.get('hub.verify_token') === 'vt-1' && r.query.get('hub.mode') === 'subscribe' ? { status: 200, body: r.query.get('hub.challenge') ?? '' } : { status: 403 }) });
    try {
      const ok = await run({ webhookUrl: `${hook.url}/webhooks/whatsapp`, verifyToken: 'vt-1' });
      expect(ok.code).toBe(0);
      expect(ok.err).toContain('webhook URL verified');
      const wrong = await run({ webhookUrl: `${hook.url}/webhooks/whatsapp`, verifyToken: 'other' }, () => { throw new Error('must not start'); });
      expect(wrong.code).toBe(2);
      expect(wrong.err).toContain('failed: the callback URL answered HTTP 403 (is the verify token the same on both sides?)');
    } finally {
      await hook.close();
    }
  });

  it('reads a phone script', async () => {
    const file = join(dir, 'phones.json');
    writeFileSync(file, JSON.stringify({ phones: { '15551000001': { abandonAt: 1 } } }));
    await run({ script: file }, (s) => {
      expect(s.phones.behaviourOf('15551000001')).toEqual({ behaviour: { abandonAt: 1 }, rule: 'phone' });
    });
  });

  it('exits 2 with the reason on bad options, leaving nothing running', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ population: [{ share: 2, behaviour: {} }] }));
    const cases: Array<[Partial<EmulatorCliOptions>, RegExp]> = [
      [{ port: '70000' }, /--port must be a number from 0 to 65535, got "70000"/],
      [{ phones: '-1' }, /--phones must be a number from 0 to 10000/],
      [{ mps: '0' }, /--mps must be a number from 1 to 100000, got "0"/],
      [{ webhookUrl: 'ftp://x' }, /--webhook-url must be an http\(s\) URL/],
      [{ appSecret: '' }, /--app-secret must not be empty/],
      [{ verifyToken: 'x' }, /--verify-token needs --webhook-url/],
      [{ script: join(dir, 'missing.json') }, /cannot read the script .*missing\.json/],
      [{ script: bad }, /the script .*bad\.json is invalid:\n {2}population\.0\.share/],
    ];
    for (const [options, message] of cases) {
      const result = await run(options, () => { throw new Error('must not start'); });
      expect(result.code, JSON.stringify(options)).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.out).toBe('');
    }
  });

  it('exits 2 when the port is taken', async () => {
    await run({}, async (s) => {
      const port = new URL(s.url).port;
      const second = await run({ port }, () => { throw new Error('must not start'); });
      expect(second.code).toBe(2);
      expect(second.err).toContain(`The sandbox port ${port} is already in use`);
    });
  });
});
