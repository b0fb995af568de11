/**
 * `startSandbox`, as `serve` uses it without Meta credentials: a generated
 * token the emulator accepts, the business key registered through the Graph
 * API check, the webhook URL settable after start (the server's port is
 * known only then), and a clear refusal of a bad key with nothing left open.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox, virtualPhoneNumbers } from '../../src/emulator/sandbox.js';
import { Secret } from '../../src/config/secret.js';
import { isSandboxMode, startServeSandbox } from '../../src/emulator/serve-sandbox.js';
import { createGraphClient } from '../../src/whatsapp/graph/index.js';
import { startLoopbackServer } from '../fakes/shared/loopback-server.js';
import { PUBLIC_KEY_FILE } from '../runtime/loopback-server.js';

describe('startSandbox', () => {
  it('starts an emulator with a fresh token, the given key registered, and phones posting to a URL set later', async () => {
    const pem = readFileSync(PUBLIC_KEY_FILE, 'utf8');
    const sandbox = await startSandbox({ appSecret: 's3cret', businessPublicKeyPem: pem });
    const hook = await startLoopbackServer({ handle: () => ({ status: 200 }) });
    try {
      expect(sandbox.accessToken).toMatch(/^sandbox-[\w-]{24}$/);
      expect([sandbox.wabaId, sandbox.phoneNumberId]).toEqual([SANDBOX_WABA_ID, SANDBOX_PHONE_NUMBER_ID]);
      const graph = createGraphClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: sandbox.accessToken, phoneNumberId: sandbox.phoneNumberId });
      await expect(graph.getBusinessPublicKey()).resolves.toMatchObject({ signatureStatus: 'VALID' });
      const [phone] = virtualPhoneNumbers(1);
      expect((await sandbox.phones.sendText(phone!, 'hi')).delivery).toMatchObject({ ok: false, attempts: 0, error: 'no webhook URL configured' });
      sandbox.phones.setWebhookUrl(`${hook.url}/webhooks/whatsapp`);
      expect((await sandbox.phones.sendText(phone!, 'hi')).delivery).toEqual({ ok: true, attempts: 1, statuses: [200] });
      const other = createGraphClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: 'not-the-token', phoneNumberId: sandbox.phoneNumberId });
      await expect(other.getThroughput()).rejects.toThrow(/Graph API error 190 \(HTTP 401/);
    } finally {
      await hook.close();
      await sandbox.close();
      await sandbox.close();
    }
    await expect(fetch(sandbox.url)).rejects.toThrow();
  });

  it('refuses a key Meta would refuse, and frees its port', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(startSandbox({ appSecret: 's', businessPublicKeyPem: small, port: 0 })).rejects.toThrow(/The business public key was refused by the sandbox: .*2048-bit RSA/);
    await expect(startSandbox({ appSecret: '' })).rejects.toThrow(/non-empty app secret/);
  });
});

describe('startServeSandbox (serve without Meta credentials)', () => {
  const pem = readFileSync(PUBLIC_KEY_FILE, 'utf8');

  it('is sandbox mode exactly when no access token is configured', () => {
    expect(isSandboxMode({ accessToken: undefined })).toBe(true);
    expect(isSandboxMode({ accessToken: new Secret('EAA') })).toBe(false);
  });

  it('gives the server the emulator\'s URL, token and ids, and a fresh app secret the phones sign with', async () => {
    const { sandbox, config } = await startServeSandbox({ config: { appSecret: undefined, sandboxPort: 0 }, businessPublicKeyPem: pem });
    try {
      expect(config.graphApiBaseUrl).toBe(sandbox.url);
      expect(config.accessToken.reveal()).toBe(sandbox.accessToken);
      expect(String(config.accessToken)).toBe('[redacted]');
      expect([config.phoneNumberId, config.wabaId]).toEqual([sandbox.phoneNumberId, sandbox.wabaId]);
      expect(config.appSecret.map((s) => s.reveal())).toEqual([sandbox.appSecret]);
      expect(sandbox.appSecret).toMatch(/^[0-9a-f]{64}$/);
      const graph = createGraphClient({ baseUrl: config.graphApiBaseUrl, version: 'v23.0', accessToken: config.accessToken.reveal(), phoneNumberId: config.phoneNumberId });
      await expect(graph.getBusinessPublicKey()).resolves.toMatchObject({ publicKey: pem, signatureStatus: 'VALID' });
    } finally {
      await sandbox.close();
    }
  });

  it('keeps configured app secrets and signs with the first', async () => {
    const configured = [new Secret('first-secret'), new Secret('second-secret')];
    const { sandbox, config } = await startServeSandbox({ config: { appSecret: configured, sandboxPort: 0 }, businessPublicKeyPem: pem });
    try {
      expect(sandbox.appSecret).toBe('first-secret');
      expect(config.appSecret.map((s) => s.reveal())).toEqual(['first-secret', 'second-secret']);
    } finally {
      await sandbox.close();
    }
  });
});
