/**
 * End to end on a real port, through the real composition root
 * (startServer): the runtime's endpoint client drives a flow INIT → screens
 * → completion, then a minimal client written here from spec §2.3 does it
 * again. The whole run logs into a buffer at `trace`, which is then searched
 * for secrets.
 * @module
 */
import { constants, createCipheriv, createDecipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createFlowRuntime } from '../../src/core/runtime/index.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { DEFAULT_TOKEN_MESSAGES } from '../../src/services/flow-endpoint.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { CRYPTO_FIXTURE_DIR, testKeys } from '../crypto/crypto-fixtures.js';
import { APP_SECRET, FLOW_ID, appointmentHandlers, bufferLogger, runtimeEndpointClient } from './server-harness.js';

/** examples/flows/book-appointment.json with its last Footer sent to the endpoint, which completes the flow. */
const flow = JSON.parse(readFileSync(new URL('../../examples/flows/book-appointment.json', import.meta.url), 'utf8')) as { screens: Array<{ id: string; layout: { children: Array<Record<string, unknown>> } }> };
const confirm = flow.screens.find((s) => s.id === 'CONFIRM')!;
const footer = confirm.layout.children.find((c) => c.type === 'Footer')!;
footer['on-click-action'] = { name: 'data_exchange', payload: { confirmed: true } };

const log = bufferLogger('trace');
let dataDir: string;
let server: RunningServer;
const usedTokens: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fb-e2e-'));
  mkdirSync(join(dataDir, 'keys'));
  copyFileSync(join(CRYPTO_FIXTURE_DIR, 'test-private-key-encrypted.pem'), join(dataDir, 'keys', 'current.pem'));
  const config = loadConfig({
    env: { FLOWBRIDGE_DATA_DIR: dataDir, FLOWBRIDGE_HOST: '127.0.0.1', FLOWBRIDGE_APP_SECRET: `${APP_SECRET},second-secret`, FLOWBRIDGE_KEY_PASSPHRASE: testKeys.passphrase, FLOWBRIDGE_LOG_LEVEL: 'trace' },
    readFile: (p) => readFileSync(p, 'utf8'),
  });
  const handlers = createHandlerRegistry();
  handlers.register(FLOW_ID, appointmentHandlers);
  server = await startServer({ ...config, port: 0 }, { handlers, logger: log.logger, handleSignals: false });
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a real flow over a real port', () => {
  it('the runtime\'s endpoint client completes it: INIT → APPOINTMENT → DETAILS → CONFIRM → SUCCESS', async () => {
    const session = await server.sessions.issue({ flowId: FLOW_ID, contactPhone: '15551234567', campaign: 'spring', entryPoint: 'qr' });
    expect(session.flowToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    usedTokens.push(session.flowToken);
    const endpoint = runtimeEndpointClient(server);
    const rt = createFlowRuntime(flow, { flowToken: session.flowToken, endpoint });
    if (typeof rt === 'string') throw new Error(rt);
    expect((await rt.start()).ok).toBe(true);
    expect(rt.view().screen).toBe('APPOINTMENT');
    // The server refuses "colour" with an inline error; the user picks again.
    await rt.answer('service', 'colour');
    rt.setValue('date', '2026-02-02');
    await rt.press('footer');
    expect(rt.view()).toMatchObject({ screen: 'APPOINTMENT', banner: { text: 'Colour is fully booked' } });
    await rt.answer('service', 'haircut');
    expect((await rt.press('footer')).ok).toBe(true);
    expect(rt.view().screen).toBe('DETAILS');
    rt.setValue('full_name', 'Ann Lee');
    rt.setValue('phone', '+15551234567');
    expect((await rt.press('footer')).ok).toBe(true);
    expect(rt.view().screen).toBe('CONFIRM');
    await rt.press('footer');
    expect(rt.status).toBe('completed');
    expect(rt.response).toEqual({ flow_token: session.flowToken, booked: true });

    // Replaying the token: the client gets 427 with the business's message.
    const again = createFlowRuntime(flow, { flowToken: session.flowToken, endpoint });
    if (typeof again === 'string') throw new Error(again);
    await again.start();
    expect(again.events.some((e) => e.type === 'client-error' && JSON.stringify(e).includes(DEFAULT_TOKEN_MESSAGES.completed))).toBe(true);
  });

  it('a minimal client written from spec §2.3 completes it too', async () => {
    const session = await server.sessions.issue({ flowId: FLOW_ID, contactPhone: '15557654321' });
    const publicKeyPem = server.keys.publicKeyPem;
    /** Spec §2.3: fresh AES-128 key and IV, AES-GCM with the tag appended, key wrapped with RSA-OAEP-SHA256; reply under the flipped IV. */
    async function call(plaintext: object): Promise<{ status: number; reply: unknown }> {
      const aesKey = randomBytes(16);
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-128-gcm', aesKey, iv);
      const data = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final(), cipher.getAuthTag()]);
      const key = publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey);
      const body = JSON.stringify({ encrypted_flow_data: data.toString('base64'), encrypted_aes_key: key.toString('base64'), initial_vector: iv.toString('base64') });
      const res = await fetch(`${server.url}/flows/endpoint`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${(await import('node:crypto')).createHmac('sha256', 'second-secret').update(body).digest('hex')}` } });
      const text = await res.text();
      if (res.status !== 200 && res.status !== 427) return { status: res.status, reply: text };
      const sealed = Buffer.from(text, 'base64');
      const flipped = Buffer.from(iv.map((b) => ~b & 0xff));
      const decipher = createDecipheriv('aes-128-gcm', aesKey, flipped);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
      return { status: res.status, reply: JSON.parse(plain.toString('utf8')) };
    }
    const token = session.flowToken;
    usedTokens.push(token);
    expect(await call({ version: '3.0', action: 'ping' })).toEqual({ status: 200, reply: { data: { status: 'active' } } });
    expect((await call({ version: '3.0', action: 'INIT', flow_token: token })).reply).toMatchObject({ screen: 'APPOINTMENT' });
    expect((await call({ version: '3.0', action: 'data_exchange', screen: 'APPOINTMENT', flow_token: token, data: { service: 'haircut', date: '2026-03-01' } })).reply)
      .toEqual({ screen: 'DETAILS', data: { slot_label: 'haircut on 2026-03-01' } });
    expect((await call({ version: '3.0', action: 'data_exchange', screen: 'DETAILS', flow_token: token, data: { full_name: 'Bo', phone: '1' } })).reply)
      .toEqual({ screen: 'CONFIRM', data: { summary: 'Booking for Bo' } });
    expect(await call({ version: '3.0', action: 'data_exchange', screen: 'CONFIRM', flow_token: token, data: { confirmed: true } }))
      .toEqual({ status: 200, reply: { screen: 'SUCCESS', data: { extension_message_response: { params: { flow_token: token, booked: true } } } } });
    expect(await call({ version: '3.0', action: 'data_exchange', screen: 'CONFIRM', flow_token: token, data: { confirmed: true } }))
      .toEqual({ status: 427, reply: { error_msg: DEFAULT_TOKEN_MESSAGES.completed } });
    const readyz = await fetch(`${server.url}/readyz`);
    expect(readyz.status).toBe(200);
  });
});

describe('logs of the whole run', () => {
  it('hold one line per endpoint request and none of the secrets, the private key or a flow token', async () => {
    // A few refused requests too, whose handling must not log what they carried.
    await fetch(`${server.url}/flows/endpoint`, { method: 'POST', body: `{"encrypted_flow_data":"${APP_SECRET}"}`, headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_SECRET}`, 'x-hub-signature-256': signBody(`{"encrypted_flow_data":"${APP_SECRET}"}`, APP_SECRET) } });
    await fetch(`${server.url}/flows/endpoint`, { method: 'POST', body: testKeys.passphrase, headers: { 'content-type': 'text/plain' } });
    const text = log.text();
    expect(text).toContain('"outcome":"complete"');
    expect(text).toContain('"outcome":"malformed-body"');
    const forbidden = [APP_SECRET, 'second-secret', testKeys.passphrase, 'PRIVATE KEY'];
    // Every base64 line of both private key PEMs (the plain and the encrypted form of the key).
    for (const pem of [testKeys.privatePem, testKeys.encryptedPrivatePem]) {
      forbidden.push(...pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')));
    }
    for (const secret of forbidden) expect(text.includes(secret), `log contains ${secret.slice(0, 12)}…`).toBe(false);
    expect(usedTokens).toHaveLength(2);
    for (const token of usedTokens) expect(text.includes(token)).toBe(false);
    const sessionsInLog = /"flow_token"|flowToken/.test(text);
    expect(sessionsInLog).toBe(false);
  });
});
