/**
 * End to end through every real part on loopback (issue 7, part 5): the
 * server (real keys, SQLite, encrypted endpoint with signature checks,
 * webhook route and intake), the Graph emulator and 200 virtual phones.
 * Two flows are published with the Graph client (create, upload, publish),
 * the server's public key is registered, and each phone gets one flow at
 * ~50 messages per second with its own session: half an endpoint-powered
 * booking flow as an interactive message (they wrote first), half a
 * navigate-only contact flow as a template with a FLOW button. Some phones
 * abandon at screen 2, some submit invalid answers first (blocked by the
 * client, or refused by the endpoint). Every completion must be exactly one
 * stored submission correlated to its send, abandoned ones none, and every
 * delivered message's statuses stored.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, virtualPhoneNumbers, type Sandbox } from '../../src/emulator/sandbox.js';
import type { PhoneScripts } from '../../src/emulator/phones/phone-script.js';
import { verifyCallbackUrl } from '../../src/emulator/phones/webhook-poster.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { createGraphClient, type GraphClient } from '../../src/whatsapp/graph/index.js';
import { appointmentHandlers } from '../server/server-harness.js';
import { startE2eServer, startFlakyProxy, type E2eServer, type FlakyProxy } from './e2e-server.js';

const APP_SECRET = 'e2e-app-secret-0c7d21';
const VERIFY_TOKEN = 'e2e-verify-token-91f2';
const PHONES = 200;
const MPS = 50;
const BOOKING = 'book-appointment';
const CONTACT = 'contact-us';

const scripts: PhoneScripts = {
  seed: 'e2e',
  population: [
    { share: 0.1, name: 'abandon-2', behaviour: { abandonAt: 2 } },
    { share: 0.1, name: 'invalid-client', behaviour: { invalidFirst: {} } },
    { share: 0.1, name: 'invalid-server', behaviour: { invalidFirst: { screen: 'APPOINTMENT', answers: { service: 'colour', date: '2026-02-02' } }, answers: { APPOINTMENT: { service: 'haircut' } } } },
  ],
};

/** One send to one phone, as a broadcast would make it. */
interface Send {
  readonly waId: string;
  readonly flow: string;
  readonly flowToken: string;
  readonly wamid: string;
}

/**
 * The send loop: sends launched one after the other, never more than `mps`
 * in any second, each with its own session; returns the sends and their
 * launch times. (To be replaced by the broadcast service when it lands.)
 */
async function sendAtRate<T>(items: readonly T[], mps: number, sendOne: (item: T) => Promise<Send>): Promise<{ sends: Send[]; launches: number[] }> {
  const launches: number[] = [];
  const pending: Promise<Send>[] = [];
  const start = performance.now();
  for (const [i, item] of items.entries()) {
    for (;;) {
      const now = performance.now();
      const inLastSecond = launches.filter((t) => t > now - 1000).length;
      const wait = Math.max(start + (i * 1000) / mps - now, inLastSecond >= mps ? launches[launches.length - mps]! + 1000 - now : 0);
      if (wait <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    launches.push(performance.now());
    pending.push(sendOne(item));
  }
  return { sends: await Promise.all(pending), launches };
}

/** Largest number of `times` (ms, sorted) within any 1,000 ms. */
function largestBurst(times: readonly number[]): number {
  let burst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    burst = Math.max(burst, i - j + 1);
  }
  return burst;
}

let dir: string;
let server: E2eServer;
let proxy: FlakyProxy;
let sandbox: Sandbox;
let graph: GraphClient;
let sends: Send[];
let launches: number[];
let inboundRetries = 0;
let sendMs: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fb-e2e-'));
  const handlers = createHandlerRegistry();
  handlers.register(BOOKING, appointmentHandlers);
  server = await startE2eServer({ dataDir: dir, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, handlers });
  // Meta checks the callback URL before it posts anything.
  expect(await verifyCallbackUrl(server.webhookUrl, VERIFY_TOKEN)).toEqual({ ok: true });
  expect(await verifyCallbackUrl(server.webhookUrl, 'wrong-token')).toMatchObject({ ok: false, reason: expect.stringContaining('HTTP 403') });
  // Every 7th webhook fails its first delivery (refused, or stored but answered 500): Meta retries.
  proxy = await startFlakyProxy(server.webhookUrl, 7);
  sandbox = await startSandbox({ appSecret: APP_SECRET, webhookUrl: proxy.url, scripts, mps: 80, retry: { initialDelayMs: 50, maxAttempts: 5 } });
  graph = createGraphClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: sandbox.accessToken, wabaId: sandbox.wabaId, phoneNumberId: sandbox.phoneNumberId });

  await graph.uploadBusinessPublicKey(server.keys.publicKeyPem);
  const metaIds = new Map<string, string>();
  for (const [name, endpointUri] of [[BOOKING, server.endpointUrl], [CONTACT, undefined]] as const) {
    const { id } = await graph.createFlow({ name, categories: ['OTHER'], ...(endpointUri && { endpointUri }) });
    const upload = await graph.uploadFlowJson(id, readFileSync(`examples/flows/${name}.json`, 'utf8'));
    expect(upload.validationErrors).toEqual([]);
    await graph.publishFlow(id);
    metaIds.set(name, id);
  }
  await graph.createTemplate({ name: 'contact_invite', language: 'en_US', category: 'UTILITY', body: 'Questions? Write to us.', flowButton: { text: 'Contact us', flow: { id: metaIds.get(CONTACT)! }, navigateScreen: 'CONTACT' } });

  const numbers = virtualPhoneNumbers(PHONES);
  const interactive = new Set(numbers.slice(0, PHONES / 2));
  // Those who get the interactive message wrote first (the 24-hour window).
  for (const n of interactive) {
    const { delivery } = await sandbox.phones.sendText(n, 'book');
    expect(delivery.ok).toBe(true);
    if (delivery.attempts > 1) inboundRetries++;
  }

  const began = performance.now();
  ({ sends, launches } = await sendAtRate(numbers, MPS, async (waId) => {
    const flow = interactive.has(waId) ? BOOKING : CONTACT;
    const session = await server.sessions.issue({ flowId: flow, contactPhone: waId, entryPoint: 'broadcast', campaign: 'e2e' });
    const sent = flow === BOOKING
      ? await graph.sendFlowMessage({ to: waId, flow: { id: metaIds.get(BOOKING)! }, cta: 'Book', body: 'Book your next visit', flowToken: session.flowToken, action: { type: 'data_exchange' } })
      : await graph.sendTemplateMessage({ to: `+${waId}`, name: 'contact_invite', language: 'en_US', flowButton: { flowToken: session.flowToken } });
    return { waId, flow, flowToken: session.flowToken, wamid: sent.wamid };
  }));
  sendMs = performance.now() - began;
  await sandbox.phones.idle();
  await server.intake.drain();
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await proxy?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`${PHONES} virtual phones through the real server`, () => {
  it('every phone received its flow and acted as its script says', () => {
    expect(sends).toHaveLength(PHONES);
    const byRule = new Map<string, string[]>();
    for (const s of sends) {
      const outcome = sandbox.phones.outcomeOf(s.wamid);
      expect(outcome, s.waId).toBeDefined();
      expect(outcome!.flowToken).toBe(s.flowToken);
      const kind = outcome!.result.kind;
      byRule.set(outcome!.rule, [...(byRule.get(outcome!.rule) ?? []), kind]);
      if (outcome!.rule === 'abandon-2') expect(kind, s.waId).toBe('abandoned');
      else expect(outcome!.result, s.waId).toMatchObject({ kind: 'completed' });
      const attempt = 'invalidAttempt' in outcome!.result ? outcome!.result.invalidAttempt : undefined;
      if (outcome!.rule === 'invalid-client') expect(attempt?.outcome).toBe('blocked');
      if (outcome!.rule === 'invalid-server' && s.flow === BOOKING) expect(attempt).toMatchObject({ outcome: 'refused', screen: 'APPOINTMENT' });
      for (const w of outcome!.webhooks) expect(w.delivery.ok).toBe(true);
    }
    // Every rule was exercised by the population draw.
    for (const rule of ['abandon-2', 'invalid-client', 'invalid-server', 'default']) expect(byRule.get(rule)?.length ?? 0, rule).toBeGreaterThan(5);
  });

  it('every completion is exactly one submission correlated to its send; abandoned sessions have none', async () => {
    const rows = await sql<{ flow_token: string; response_json: string; contact_phone: string; flow_id: string; status: string }>`
      select s.flow_token, s.response_json, f.contact_phone, f.flow_id, f.status
      from submissions s join flow_sessions f on f.flow_token = s.flow_token`.execute(server.store.db);
    const byToken = new Map(rows.rows.map((r) => [r.flow_token, r]));
    expect(byToken.size).toBe(rows.rows.length);
    let completed = 0;
    for (const s of sends) {
      const outcome = sandbox.phones.outcomeOf(s.wamid)!;
      const row = byToken.get(s.flowToken);
      if (outcome.result.kind === 'completed') {
        completed++;
        expect(row, s.waId).toBeDefined();
        expect(row).toMatchObject({ contact_phone: s.waId, flow_id: s.flow, status: 'completed' });
        const stored = JSON.parse(row!.response_json);
        expect(stored.flow_token).toBe(s.flowToken);
        if (s.flow === BOOKING) expect(stored).toMatchObject({ confirmed: true });
        else expect(Object.keys(stored).sort()).toEqual(expect.arrayContaining(['email', 'full_name', 'message', 'topic']));
      } else expect(row, s.waId).toBeUndefined();
    }
    expect(rows.rows).toHaveLength(completed);
    expect(completed).toBeGreaterThan(PHONES * 0.8);
  });

  it('webhooks whose first delivery failed were delivered again, with no second effect', () => {
    const retried = [...sandbox.phones.outcomes.flatMap((o) => o.webhooks), ...sandbox.flowEvents.deliveries].filter((w) => w.delivery.attempts > 1);
    expect(proxy.refused).toBeGreaterThan(10);
    expect(proxy.lost).toBeGreaterThan(10);
    expect(retried.length).toBe(proxy.refused + proxy.lost - inboundRetries);
    expect(retried.every((w) => w.delivery.ok && w.delivery.attempts === 2)).toBe(true);
  });

  it('stores the FLOW_STATUS_CHANGE webhooks of publishing: created as DRAFT, then PUBLISHED', async () => {
    const rows = await sql<{ flow_id: string; payload_json: string; waba_id: string }>`select flow_id, payload_json, waba_id from flow_alerts where event = 'FLOW_STATUS_CHANGE'`.execute(server.store.db);
    const changes = rows.rows.map((r) => { const v = JSON.parse(r.payload_json); return `${v.old_status ?? '-'}>${v.new_status}`; }).sort();
    expect(changes).toEqual(['->DRAFT', '->DRAFT', 'DRAFT>PUBLISHED', 'DRAFT>PUBLISHED']);
    expect(new Set(rows.rows.map((r) => r.waba_id))).toEqual(new Set([sandbox.wabaId]));
  });

  it('stores the sent, delivered and read statuses of every message', async () => {
    const rows = await sql<{ message_id: string; status: string; recipient_id: string }>`select message_id, status, recipient_id from message_statuses`.execute(server.store.db);
    const byMessage = new Map<string, string[]>();
    for (const r of rows.rows) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r.status]);
    for (const s of sends) expect(byMessage.get(s.wamid)?.sort(), s.waId).toEqual(['delivered', 'read', 'sent']);
    expect(rows.rows.every((r) => sends.some((s) => s.waId === r.recipient_id))).toBe(true);
  });

  it('sent at the configured rate, never above it, and the emulator (80 mps) refused none', () => {
    expect(largestBurst(launches)).toBeLessThanOrEqual(MPS);
    // 200 sends at 50 per second take at least 3.98 s.
    expect(sendMs).toBeGreaterThanOrEqual(((PHONES - 1) * 1000) / MPS - 5);
    expect(sandbox.emulator.state.messages.filter((m) => m.type !== 'text')).toHaveLength(PHONES);
  });
});
