/**
 * Journey 6 (/work/shared/guides/journeys.md): support intake started by an
 * agent during a 1:1 chat, by the bot on a keyword, or by a click-to-WhatsApp
 * ad, end to end on loopback — the example project
 * `examples/journeys/6-support-intake/` (a compiled ticket form) served by
 * the real server, the Graph emulator, scripted virtual phones, the helpdesk
 * as the Standard Webhooks consumer fake (it verifies every signature and
 * refuses what does not verify) and an alert webhook fake.
 *
 * Each entry path must send the flow once, record where the session came
 * from, and end as exactly one signed delivery to the helpdesk that names the
 * customer's WhatsApp number, the entry point and the submission; a failed
 * delivery is listed with its reason, alerts, and is replayed once fixed.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHelpdeskReceiver } from '../../../examples/journeys/6-support-intake/helpdesk-receiver.js';
import { parseFormModelFile } from '../../../src/core/form/index.js';
import type { PhoneScripts } from '../../../src/emulator/phones/phone-script.js';
import { createDatabase, type StoreDatabase } from '../../../src/store/create-database.js';
import { createEntryPointRepo } from '../../../src/store/repos/entry-point-repo.js';
import { startAlertWebhookFake, type AlertWebhookFake } from '../../fakes/alert-webhook/fake-alert-webhook.js';
import { startWebhookSinkFake } from '../../fakes/webhook-sink/fake-webhook-sink.js';
import type { SignedReceiver } from '../../fakes/webhook-sink/signed-receiver.js';
import { JOURNEY_API_KEY, startJourney, waitFor, type Journey } from './journey-kit.js';

const PROJECT = 'examples/journeys/6-support-intake/flowbridge.yaml';
const FLOW = 'support-ticket';
const AD_ID = '120210000000042';
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

const CHAT = '15551000601';
const BOT = '15551000602';
const AD = '15551000603';
const LATE = '15551000604';
const referral = { sourceId: AD_ID, sourceType: 'ad' as const, sourceUrl: 'https://fb.me/2Xk9support', headline: 'Order trouble? We answer on WhatsApp', ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-ctwa-0042' };

const ticket = (description: string, urgency: string) => ({
  YOUR_ISSUE: { topic: 'order', order_number: 'A-1001', description },
  HOW_TO_REACH_YOU: { urgency },
});
const scripts: PhoneScripts = {
  phones: {
    [CHAT]: { answers: ticket('The parcel arrived broken.', 'high'), profileName: 'Chat Customer' },
    [BOT]: { answers: ticket('The app crashes at checkout.', 'normal') },
    [AD]: { answers: ticket('Where is my refund for A-1001?', 'low') },
    [LATE]: { answers: ticket('The invoice shows the wrong address.', 'normal') },
  },
};

let helpdesk: SignedReceiver;
let alerts: AlertWebhookFake;
let journey: Journey;
let store: StoreDatabase;
/** The agent's send, as POST /api/sends answered it. */
let agentSend: { status: number; json: Record<string, unknown> };
let agentRepeat: { status: number; json: Record<string, unknown> };
let agentConflict: { status: number; json: Record<string, unknown> };
const inbound = new Map<string, string>();

const flowMessagesTo = (waId: string) => journey.sandbox.emulator.state.messages.filter((m) => m.waId === waId && m.flow !== undefined);
const eventOf = (waId: string) => helpdesk.ledger.filter((e) => (e.payload.data as { contact: { phone: string } }).contact.phone === waId);

async function settleUntil(what: string, check: () => boolean): Promise<void> {
  await waitFor(what, async () => {
    await journey.settle();
    return check();
  });
}

beforeAll(async () => {
  const form = parseFormModelFile(readFileSync('examples/journeys/6-support-intake/ticket-form.yaml', 'utf8'), 'yaml', parseYaml);
  if (!form.ok) throw new Error(JSON.stringify(form.errors));
  helpdesk = await startWebhookSinkFake({ secret: SECRET, form: form.model });
  alerts = await startAlertWebhookFake();
  journey = await startJourney({
    projectFile: PROJECT, scripts,
    env: { HELPDESK_WEBHOOK_URL: `${helpdesk.url}/tickets/whatsapp`, HELPDESK_WEBHOOK_SECRET: SECRET, SUPPORT_AD_ID: AD_ID },
    config: { FLOWBRIDGE_ALERT_WEBHOOK_URL: alerts.url },
  });
  store = createDatabase(journey.databaseUrl);
  const phones = journey.sandbox.phones;

  // 1. A 1:1 chat: the customer writes, the agent sends the ticket flow through the API (twice, same key).
  inbound.set(CHAT, (await phones.sendText(CHAT, 'Hi, my parcel arrived broken')).messageId);
  await journey.settle();
  const body = { to: `+${CHAT}`, flow: FLOW, campaign: 'helpdesk-chat' };
  agentSend = await send(body, 'zendesk-ticket-88123');
  agentRepeat = await send(body, 'zendesk-ticket-88123');
  // 2. The bot: a keyword. 3. A click-to-WhatsApp ad opens the chat.
  inbound.set(BOT, (await phones.sendText(BOT, '  help ')).messageId);
  await journey.settle();
  // The agent's key reused for another customer (whose window is open now) is refused, not sent.
  agentConflict = await send({ ...body, to: `+${BOT}` }, 'zendesk-ticket-88123');
  inbound.set(AD, (await phones.sendText(AD, 'Hi! I have a question about my order', referral)).messageId);
  await settleUntil('three tickets at the helpdesk', () => helpdesk.ledger.length >= 3);
  await settleUntil('deliveries finished', () => true);
}, 60_000);

afterAll(async () => {
  await journey?.close();
  await store?.close();
  await helpdesk?.close();
  await alerts?.close();
});

async function send(body: Record<string, unknown>, key: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${journey.server.url}/api/sends`, {
    method: 'POST',
    headers: { authorization: `Bearer ${JOURNEY_API_KEY}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() as Record<string, unknown> };
}

describe('journey 6: support intake by agent, bot keyword or ad', () => {
  it('the agent sends the flow once in the open chat; the same Idempotency-Key answers the same send', () => {
    expect(agentSend.status).toBe(201);
    expect(agentSend.json).toMatchObject({ kind: 'interactive', waId: CHAT });
    expect(agentRepeat.status).toBe(200);
    expect(agentRepeat.json).toEqual(agentSend.json);
    expect(agentConflict.status).toBe(422);
    expect(agentConflict.json).toMatchObject({ error: 'idempotency_conflict' });
    expect(flowMessagesTo(CHAT)).toHaveLength(1);
    expect(flowMessagesTo(CHAT)[0]?.wamid).toBe(agentSend.json.wamid);
  });

  it('the bot answers the keyword and the ad click with the flow, once each', () => {
    for (const waId of [BOT, AD]) {
      const messages = flowMessagesTo(waId);
      expect(messages, waId).toHaveLength(1);
      expect(messages[0]!.type).toBe('interactive');
    }
  });

  it('the flow answers the keyword message as a reply (context.message_id)', () => {
    expect(flowMessagesTo(BOT)[0]!.request).toMatchObject({ context: { message_id: inbound.get(BOT) } });
  });

  it('each session records where it came from: api, keyword, or the ad with its click id', async () => {
    const token = (waId: string) => flowMessagesTo(waId)[0]!.flow!.flowToken;
    const sessions = await store.db.selectFrom('flow_sessions').select(['flow_token', 'contact_phone', 'entry_point', 'campaign', 'status']).where('flow_id', '=', FLOW).execute();
    const byToken = new Map(sessions.map((s) => [s.flow_token, s]));
    expect(byToken.get(token(CHAT))).toMatchObject({ contact_phone: CHAT, entry_point: 'api', campaign: 'helpdesk-chat', status: 'completed' });
    expect(byToken.get(token(BOT))).toMatchObject({ contact_phone: BOT, entry_point: 'keyword', status: 'completed' });
    expect(byToken.get(token(AD))).toMatchObject({ contact_phone: AD, entry_point: 'ad', campaign: AD_ID, status: 'completed' });
    const entries = createEntryPointRepo(store.db);
    expect(await entries.getAttribution(token(BOT))).toMatchObject({ entry: 'keyword', keyword: 'HELP', waId: BOT, inboundMessageId: inbound.get(BOT) });
    expect(await entries.getAttribution(token(AD))).toMatchObject({
      entry: 'ad', adId: AD_ID, ctwaClid: referral.ctwaClid, sourceUrl: referral.sourceUrl, headline: referral.headline, waId: AD, inboundMessageId: inbound.get(AD),
    });
    expect(await entries.getAttribution(token(CHAT))).toBeUndefined();
  });

  it('every completion is exactly one signed delivery to the helpdesk, with the answers under the form keys', () => {
    // The fake accepts only requests whose Standard Webhooks signature verifies with the shared secret.
    expect(helpdesk.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(helpdesk.ledger).toHaveLength(3);
    expect(helpdesk.uniqueEvents()).toBe(3);
    for (const e of helpdesk.ledger) {
      expect(e.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(e.payload.type).toBe('form.submission.completed');
    }
    expect(eventOf(CHAT)[0]?.payload.data).toMatchObject({
      form: { id: FLOW, system: 'file', formId: FLOW }, entryPoint: 'api', contact: { phone: CHAT },
      answers: { topic: 'order', order_number: 'A-1001', description: 'The parcel arrived broken.', urgency: 'high', channel: 'whatsapp' },
    });
    expect(eventOf(BOT)[0]?.payload.data).toMatchObject({ entryPoint: 'keyword', answers: { description: 'The app crashes at checkout.' } });
    expect(eventOf(AD)[0]?.payload.data).toMatchObject({ entryPoint: 'ad', answers: { description: 'Where is my refund for A-1001?', urgency: 'low' } });
  });

  it('the helpdesk correlates each ticket to the conversation: submission id → flow_token and send of that chat', async () => {
    const submissionId = String((eventOf(CHAT)[0]!.payload.data as { submissionId: string }).submissionId);
    const row = await store.db.selectFrom('submissions').select(['flow_token']).where('id', '=', submissionId).executeTakeFirstOrThrow();
    expect(row.flow_token).toBe(agentSend.json.flowToken);
    const { json } = await journey.api('GET', `/deliveries?submission=${submissionId}`);
    expect(json.deliveries).toMatchObject([{ submissionId, flowId: FLOW, sink: 'helpdesk', state: 'delivered' }]);
    const sent = await journey.api('GET', `/sends/${String(agentSend.json.sendId)}`);
    expect(sent.json).toMatchObject({ sendId: agentSend.json.sendId, waId: CHAT, entry: 'api', state: 'sent' });
    expect((sent.json.statuses as Array<{ status: string }>).map((s) => s.status)).toEqual(expect.arrayContaining(['sent', 'delivered', 'read']));
  });

  it('the payload itself names the flow_token of the conversation', () => {
    const data = eventOf(CHAT)[0]!.payload.data as Record<string, unknown>;
    expect(data.flowToken).toBe(agentSend.json.flowToken);
  });

  it('a delivery the helpdesk refuses is listed with its reason, alerts, and is delivered once by a replay after the fix', async () => {
    helpdesk.failNext(1, { kind: 'status', status: 410, body: { message: 'Tickets endpoint moved to /v2' } });
    expect((await journey.sandbox.phones.sendText(LATE, 'Hello, I need help with an invoice')).delivery.ok).toBe(true);
    await journey.settle();
    const late = await send({ to: LATE, flow: FLOW }, 'zendesk-ticket-88124');
    expect(late.status).toBe(201);
    let failed: Array<Record<string, unknown>> = [];
    await waitFor('the refused delivery', async () => {
      await journey.settle();
      failed = (await journey.api('GET', `/deliveries?flow=${FLOW}&state=failed`)).json.deliveries as Array<Record<string, unknown>>;
      return failed.length === 1;
    });
    expect(failed[0]).toMatchObject({ sink: 'helpdesk', state: 'failed', lastError: expect.stringContaining('HTTP 410') });
    expect(String(failed[0]!.lastError)).toContain('Tickets endpoint moved');
    await waitFor('the alert', () => alerts.events.length > 0);
    expect(alerts.events[0]?.data).toMatchObject({ kind: 'delivery_rejected', subject: expect.stringContaining('helpdesk'), title: 'helpdesk rejected a submission' });
    expect(JSON.stringify(alerts.events[0])).toContain('Tickets endpoint moved');
    expect(JSON.stringify(alerts.events)).not.toContain('wrong address');
    expect(eventOf(LATE)).toHaveLength(0);

    const replay = await journey.api('POST', '/deliveries/replay', { submissionId: failed[0]!.submissionId });
    expect(replay.status).toBe(200);
    await waitFor('the replayed delivery', () => eventOf(LATE).length === 1);
    await journey.settle();
    expect(eventOf(LATE)[0]?.payload.data).toMatchObject({ entryPoint: 'api', contact: { phone: LATE }, answers: { description: 'The invoice shows the wrong address.' } });
    const { json } = await journey.api('GET', `/deliveries?flow=${FLOW}`);
    expect((json.deliveries as Array<{ state: string }>).map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(helpdesk.uniqueEvents()).toBe(4);
  });

  it('the funnel counts every send, open and completion of the ticket flow', async () => {
    const { json } = await journey.api('GET', `/stats?flow=${FLOW}`);
    expect(json.flows).toEqual([expect.objectContaining({ flowId: FLOW, sent: 4, opened: 4, completed: 4, droppedAt: [] })]);
  });

  it('the example helpdesk receiver opens one ticket per verified delivery and refuses what does not verify', async () => {
    const receiver = await startHelpdeskReceiver({ secret: SECRET });
    try {
      const body = JSON.stringify(eventOf(BOT)[0]!.payload);
      // Sign `body` with `signedWith` as Flowbridge does, and send `sent` (a tampered body when it differs).
      const post = (id: string, signedWith: string, sent = body) => {
        const at = new Date();
        const signature = new Webhook(signedWith).sign(id, at, body);
        return fetch(`${receiver.url}/tickets`, { method: 'POST', body: sent, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature } });
      };
      expect((await post('msg_a', SECRET)).status).toBe(200);
      expect((await post('msg_a', SECRET)).status).toBe(200);
      expect((await post('msg_b', SECRET, body.replace('crashes', 'works'))).status).toBe(401);
      expect((await post('msg_c', `whsec_${randomBytes(24).toString('base64')}`)).status).toBe(401);
      expect(receiver.tickets).toEqual([expect.objectContaining({ id: 'msg_a', phone: BOT, entryPoint: 'keyword', answers: expect.objectContaining({ description: 'The app crashes at checkout.' }) })]);
    } finally {
      await receiver.close();
    }
  });

  it('no log line carries an answer or the signing secret', () => {
    const logs = journey.logLines.join('\n');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain('The parcel arrived broken');
    expect(logs).not.toContain('wrong address');
  });
});
