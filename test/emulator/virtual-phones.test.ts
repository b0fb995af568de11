/**
 * Virtual phones against spec §6 shapes: every webhook they post is signed
 * with the app secret and parses with the project's webhook parser into the
 * documented events (statuses sent/delivered/read/failed with conversation,
 * pricing and errors; nfm_reply with response_json and context.id; inbound
 * text with a click-to-WhatsApp referral); an endpoint-powered flow is played
 * against a real encrypted loopback endpoint with the key registered with the
 * emulator; a webhook answered 500 is delivered again.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphEmulator, type GraphEmulator } from '../../src/emulator/graph-emulator.js';
import { createVirtualPhones, type VirtualPhones } from '../../src/emulator/phones/virtual-phones.js';
import type { PhoneScripts } from '../../src/emulator/phones/phone-script.js';
import { createGraphClient, type GraphClient } from '../../src/whatsapp/graph/index.js';
import { verifySignature } from '../../src/whatsapp/hub-signature.js';
import { parseWebhookBody } from '../../src/whatsapp/webhook/parse-webhook-body.js';
import type { WebhookEvent } from '../../src/whatsapp/webhook/webhook-event.js';
import { startLoopbackServer, type LoopbackServer } from '../fakes/shared/loopback-server.js';
import { simpleFlowJson } from '../graph/harness.js';
import { signUpAnswer, signUpFlow, startLoopback, PUBLIC_KEY_FILE, type Loopback } from '../runtime/loopback-server.js';

const SECRET = 'phones-app-secret-5d1e';
const TOKEN = 'EAAphones-token';
const WABA = '102290129340398';
const PHONE_ID = '106540352242922';
const USER = '15551230001';

let emulator: GraphEmulator;
let graph: GraphClient;
let hook: LoopbackServer;
let phones: VirtualPhones | undefined;
let endpoint: Loopback | undefined;

beforeEach(async () => {
  emulator = createGraphEmulator({ accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE_ID, appSecret: SECRET, pairBurst: 5 });
  const url = await emulator.listen();
  graph = createGraphClient({ baseUrl: url, version: 'v23.0', accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE_ID });
  hook = await startLoopbackServer({ handle: () => ({ status: 200 }) });
});

afterEach(async () => {
  phones?.close();
  phones = undefined;
  await endpoint?.close();
  endpoint = undefined;
  await hook.close();
  await emulator.close();
});

function attach(scripts: PhoneScripts = {}, retry = {}): VirtualPhones {
  phones = createVirtualPhones({ emulator, appSecret: SECRET, webhookUrl: `${hook.url}/webhooks/whatsapp`, scripts, retry: { initialDelayMs: 1, ...retry }, sleep: () => Promise.resolve() });
  return phones;
}

/** Every event posted so far, after checking each body's signature. */
function events(): WebhookEvent[] {
  return hook.requests.flatMap((r) => {
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/webhooks/whatsapp');
    expect(r.headers['content-type']).toBe('application/json');
    expect(verifySignature(r.raw, r.headers['x-hub-signature-256'] as string, [SECRET])).toBe(true);
    expect(verifySignature(r.raw, r.headers['x-hub-signature-256'] as string, ['another-secret'])).toBe(false);
    const parsed = parseWebhookBody(r.body);
    if (!parsed.ok) throw new Error('unparseable webhook');
    return parsed.events;
  });
}

async function publish(json: string, endpointUri?: string): Promise<string> {
  const { id } = await graph.createFlow({ name: `flow-${Math.random()}`, categories: ['OTHER'], ...(endpointUri && { endpointUri }) });
  const upload = await graph.uploadFlowJson(id, json);
  expect(upload.validationErrors).toEqual([]);
  await graph.publishFlow(id);
  return id;
}

describe('virtual phones', () => {
  it('post sent, delivered and read statuses, then the nfm_reply of a navigate flow, all signed and in spec §6 shapes', async () => {
    const p = attach();
    const flowId = await publish(simpleFlowJson());
    await graph.createTemplate({ name: 'survey_invite', language: 'en_US', category: 'MARKETING', body: 'Tell us', flowButton: { text: 'Open', flow: { id: flowId } } });
    const sent = await graph.sendTemplateMessage({ to: `+${USER}`, name: 'survey_invite', language: 'en_US', flowButton: { flowToken: 'tok-123', flowActionData: { name: 'Ann' } } });
    await p.idle();
    const all = events();
    const statuses = all.filter((e) => e.kind === 'status').map((e) => (e.kind === 'status' ? e.status : undefined)!);
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const s of statuses) {
      expect(s.messageId).toBe(sent.wamid);
      expect(s.recipientId).toBe(USER);
      expect(s.timestamp).toBeInstanceOf(Date);
    }
    expect(statuses[0]!.conversation).toMatchObject({ origin: { type: 'marketing' } });
    expect(statuses[0]!.pricing).toEqual({ billable: true, pricing_model: 'CBP', category: 'marketing' });
    expect(statuses[2]!.conversation).toBeUndefined();
    const reply = all.find((e) => e.kind === 'message');
    if (reply?.kind !== 'message' || reply.message.content.type !== 'nfm_reply') throw new Error('no nfm_reply posted');
    expect(reply.source).toMatchObject({ wabaId: WABA, field: 'messages', phoneNumberId: PHONE_ID, displayPhoneNumber: '15550001111' });
    expect(reply.message.from).toBe(USER);
    expect(reply.message.context?.id).toBe(sent.wamid);
    expect(reply.message.content.reply.name).toBe('flow');
    expect(reply.message.content.reply.flowToken).toBe('tok-123');
    expect(JSON.parse(reply.message.content.reply.responseJson!)).toEqual({ flow_token: 'tok-123' });
    expect(p.outcomeOf(sent.wamid)?.result.kind).toBe('completed');
    // The completion is a message from the person: the 24-hour window is open now.
    await expect(graph.sendText(USER, 'Thanks!')).resolves.toMatchObject({ waId: USER });
  });

  it('play an endpoint flow through a real encrypted endpoint with the registered key, invalid answers first', async () => {
    endpoint = await startLoopback((request: any) => {
      if (request.action === 'data_exchange' && String(request.data?.email).endsWith('@refused.example')) return { screen: 'FORM', data: { heading: 'Again', error_message: 'That address is refused' } };
      return signUpAnswer(request);
    });
    await graph.uploadBusinessPublicKey(readFileSync(PUBLIC_KEY_FILE, 'utf8'));
    const flowId = await publish(JSON.stringify(signUpFlow), endpoint.url);
    const p = attach({ phones: { [USER]: { invalidFirst: { answers: { email: 'ann@refused.example' } }, answers: { FORM: { email: 'ann@example.com' } } } } });
    await p.sendText(USER, 'hi');
    const sent = await graph.sendFlowMessage({ to: USER, flow: { id: flowId }, cta: 'Join', body: 'Join us', flowToken: 'tok-ep', action: { type: 'data_exchange' } });
    await p.idle();
    const outcome = p.outcomeOf(sent.wamid)!;
    expect(outcome.result).toMatchObject({ kind: 'completed', response: { flow_token: 'tok-ep', email: 'ann@example.com' }, invalidAttempt: { screen: 'FORM', outcome: 'refused' } });
    expect(endpoint.requests.map((r) => [r.action, r.data?.email])).toEqual([['INIT', undefined], ['data_exchange', 'ann@refused.example'], ['data_exchange', 'ann@example.com']]);
    expect(endpoint.requests.every((r) => r.flow_token === 'tok-ep')).toBe(true);
    const inbound = events().find((e) => e.kind === 'message' && e.message.content.type === 'text');
    expect(inbound?.kind === 'message' && inbound.message.content).toEqual({ type: 'text', body: 'hi' });
  });

  it('abandon at the screen the population rule names: statuses but no nfm_reply', async () => {
    const flowId = await publish(simpleFlowJson());
    const p = attach({ population: [{ share: 1, name: 'abandon-2', behaviour: { abandonAt: 2 } }] });
    await p.sendText(USER, 'hello');
    const sent = await graph.sendFlowMessage({ to: USER, flow: { id: flowId }, cta: 'Go', body: 'Go', flowToken: 'tok-ab' });
    await p.idle();
    expect(p.outcomeOf(sent.wamid)).toMatchObject({ rule: 'abandon-2', result: { kind: 'abandoned', screens: ['WELCOME', 'DONE'] } });
    expect(events().filter((e) => e.kind === 'message' && e.message.content.type === 'nfm_reply')).toEqual([]);
  });

  it('retry a webhook answered 500 (then 503) until it is accepted, with growing delays', async () => {
    const waits: number[] = [];
    phones = createVirtualPhones({ emulator, appSecret: SECRET, webhookUrl: `${hook.url}/webhooks/whatsapp`, retry: { initialDelayMs: 100, maxAttempts: 4 }, sleep: (ms) => { waits.push(ms); return Promise.resolve(); } });
    hook.failNext({ kind: 'status', status: 500 });
    hook.failNext({ kind: 'status', status: 503 });
    const { delivery } = await phones.sendText(USER, 'hello');
    expect(delivery).toEqual({ ok: true, attempts: 3, statuses: [500, 503, 200] });
    expect(waits).toEqual([100, 200]);
    expect(new Set(hook.requests.map((r) => r.body)).size).toBe(1);
  });

  it('give up after the bounded number of attempts and report it', async () => {
    const p = attach({}, { maxAttempts: 3 });
    hook.failNext({ kind: 'status', status: 500 }, 5);
    const { delivery } = await p.sendText(USER, 'hello');
    expect(delivery).toMatchObject({ ok: false, attempts: 3, statuses: [500, 500, 500], error: 'HTTP 500' });
  });

  it('post a failed status with the error when Meta accepts a send but cannot deliver it', async () => {
    await emulator.close();
    emulator = createGraphEmulator({ accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE_ID, windowErrors: 'status' });
    const url = await emulator.listen();
    graph = createGraphClient({ baseUrl: url, version: 'v23.0', accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE_ID });
    const p = attach();
    const sent = await graph.sendText(USER, 'outside the window');
    await p.idle();
    const statuses = events().flatMap((e) => (e.kind === 'status' ? [e.status] : []));
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ messageId: sent.wamid, status: 'failed', errors: [expect.objectContaining({ code: 131047 })] });
    expect(p.outcomeOf(sent.wamid)?.result).toEqual({ kind: 'failed', code: 131047 });
  });

  it('send an inbound message with a click-to-WhatsApp referral, which opens the 24-hour window', async () => {
    const p = attach();
    await p.sendText(USER, 'I saw your ad', { sourceId: '120208888888', ctwaClid: 'ARAkxyz', headline: 'Spring offer' });
    const [event] = events();
    if (event?.kind !== 'message') throw new Error('no message');
    expect(event.message.referral).toMatchObject({ sourceId: '120208888888', sourceType: 'ad', ctwaClid: 'ARAkxyz', headline: 'Spring offer', sourceUrl: 'https://fb.me/120208888888' });
    expect(event.message.sender).toMatchObject({ waId: USER, name: 'Virtual phone 0001' });
    await expect(graph.sendText(USER, 'inside the window')).resolves.toMatchObject({ waId: USER });
  });

  it('keep only the newest outcomes in a long run', async () => {
    phones = createVirtualPhones({ emulator, appSecret: SECRET, keepOutcomes: 2 });
    const users = ['15551230002', '15551230003', '15551230004'];
    for (const u of users) await phones.sendText(u, 'hi');
    const wamids: string[] = [];
    for (const u of users) {
      wamids.push((await graph.sendText(u, 'x')).wamid);
      await phones.idle();
    }
    expect(phones.outcomes.map((o) => o.wamid)).toEqual(wamids.slice(1));
    expect(phones.outcomeOf(wamids[0]!)).toBeUndefined();
    expect(phones.outcomeOf(wamids[2]!)?.result).toEqual({ kind: 'not-opened' });
  });

  it('refuse inconsistent scripts with the problem named', () => {
    expect(() => attach({ population: [{ share: 0.7, behaviour: {} }, { share: 0.5, behaviour: {} }] })).toThrow(/add up to 1.200/);
    expect(() => attach({ phones: { '+1 555': {} } })).toThrow(/8–15 digits/);
  });
});
