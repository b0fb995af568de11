/**
 * End to end through every real part on loopback (issue 7, part 5): the real
 * `startServer` (keys, SQLite, encrypted endpoint, webhook route and intake,
 * FlowSender, broadcast service and worker), the Graph emulator and 200
 * virtual phones. An endpoint-powered booking flow is published at the
 * emulator with an approved FLOW-button template (`startJourney`), then
 * broadcast through `POST /api/broadcasts` + `/start` to an opted-in CSV list
 * at 50 messages per second. Some phones abandon at screen 2, some submit
 * invalid answers first (blocked by the client, or refused by the
 * endpoint's handler). Webhooks pass a proxy that fails some first
 * deliveries, so Meta's retries must have no second effect. Every
 * completion must be exactly one stored submission correlated to its
 * broadcast send, abandoned ones none, and the broadcast's counters must
 * match what the emulator and the phones report.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneOutcome } from '../../src/emulator/phones/virtual-phones.js';
import type { PhoneScripts } from '../../src/emulator/phones/phone-script.js';
import { verifyCallbackUrl } from '../../src/emulator/phones/webhook-poster.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { createDatabase, type StoreDatabase } from '../../src/store/create-database.js';
import { appointmentHandlers } from '../server/server-harness.js';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';
import { startJourney, waitFor, type Journey } from './journeys/journey-kit.js';

const PHONES = 200;
const MPS = 50;
const FLOW = 'book-appointment';
const TEMPLATE = 'booking_invite';
const VERIFY_TOKEN = 'e2e-verify-token-91f2';
/** Rows the list refuses: no opt-in, an explicit "no", a number that is not one, a second row for a number. */
const REFUSED_ROWS = ['+12025559001,Nobody,', '+12025559002,Nay,no', '+1 555 100 0001,Fictional,yes', '+12025551000,Again,yes'];

const scripts: PhoneScripts = {
  seed: 'e2e-broadcast',
  population: [
    { share: 0.1, name: 'abandon-2', behaviour: { abandonAt: 2 } },
    { share: 0.05, name: 'invalid-client', behaviour: { invalidFirst: {} } },
    { share: 0.05, name: 'invalid-server', behaviour: { invalidFirst: { screen: 'APPOINTMENT', answers: { service: 'colour', date: '2026-02-02' } }, answers: { APPOINTMENT: { service: 'haircut' } } } },
  ],
};

/** Largest number of `times` (ms, sorted) within any 1,000 ms. */
function largestBurst(times: readonly number[]): number {
  let burst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    burst = Math.max(burst, i - j + 1);
  }
  return burst;
}

interface Counters { total: number; queued: number; sent: number; delivered: number; read: number; failed: number; skipped: number; opened: number; completed: number }

let projectDir: string;
let journey: Journey;
let proxy: FlakyProxy;
let store: StoreDatabase;
let broadcastId: string;
let lateFlowId: string;
let created: { status: number; json: Record<string, unknown> };
let counters: Counters;
let numbers: string[];
/** The phones' outcome of each number's one message. */
const outcomes = new Map<string, PhoneOutcome>();

beforeAll(async () => {
  // A one-flow project: the endpoint-powered booking flow, sent by template (the people never wrote).
  projectDir = mkdtempSync(join(tmpdir(), 'fb-e2e-project-'));
  copyFileSync(resolve('examples/flows/book-appointment.json'), join(projectDir, 'booking.json'));
  writeFileSync(join(projectDir, 'flowbridge.yaml'), [
    'flows:',
    `  - id: ${FLOW}`,
    '    name: Book an appointment',
    '    flow: ./booking.json',
    '    categories: [APPOINTMENT_BOOKING]',
    `    message: { body: Book your next visit, cta: Book, template: ${TEMPLATE}, templateLanguage: en_US }`,
    '',
  ].join('\n'));
  const handlers = createHandlerRegistry();
  handlers.register(FLOW, appointmentHandlers);
  journey = await startJourney({
    projectFile: join(projectDir, 'flowbridge.yaml'),
    config: { FLOWBRIDGE_VERIFY_TOKEN: VERIFY_TOKEN },
    templates: [{ flowId: FLOW, name: TEMPLATE, language: 'en_US', category: 'UTILITY', body: 'Book your next visit in WhatsApp.', buttonText: 'Book' }],
    scripts, handlers,
  });
  const webhookUrl = `${journey.server.url}/webhooks/whatsapp`;
  // Meta checks the callback URL before it posts anything.
  expect(await verifyCallbackUrl(webhookUrl, VERIFY_TOKEN)).toEqual({ ok: true });
  expect(await verifyCallbackUrl(webhookUrl, 'wrong-token')).toMatchObject({ ok: false, reason: expect.stringContaining('HTTP 403') });
  // Every 7th webhook fails its first delivery (refused, or stored but answered 500): Meta retries.
  proxy = await startFlakyProxy(webhookUrl, 7);
  journey.sandbox.phones.setWebhookUrl(proxy.url);
  store = createDatabase(journey.databaseUrl);
  // A flow published while the server runs: its FLOW_STATUS_CHANGE webhooks (DRAFT, then PUBLISHED) reach it.
  const { graph } = journey;
  lateFlowId = (await graph.createFlow({ name: 'contact-us', categories: ['OTHER'] })).id;
  expect((await graph.uploadFlowJson(lateFlowId, readFileSync('examples/flows/contact-us.json', 'utf8'))).validationErrors).toEqual([]);
  await graph.publishFlow(lateFlowId);

  // Valid numbers (the list checks them against the numbering plan): +1 202-555-1000 …
  numbers = Array.from({ length: PHONES }, (_, i) => String(12025551000 + i));
  const csv = ['phone,name,opt_in', ...numbers.map((n, i) => `+${n},Person ${i},yes`), ...REFUSED_ROWS].join('\n');
  created = await journey.api('POST', '/broadcasts', { flow: FLOW, csv, rate: MPS });
  expect(created.status, JSON.stringify(created.json).slice(0, 600)).toBe(201);
  broadcastId = (created.json.broadcast as { id: string }).id;
  expect((await journey.api('POST', `/broadcasts/${broadcastId}/start`)).status).toBe(200);
  await waitFor('the broadcast to finish', async () => ((await journey.api('GET', `/broadcasts/${broadcastId}`)).json.broadcast as { state: string }).state === 'done', 20_000);
  await journey.settle();
  await journey.sandbox.flowEvents.idle();
  await journey.server.intake.drain();
  for (const o of journey.sandbox.phones.outcomes) outcomes.set(o.waId, o);
  // The counters come from statuses and sessions written by the intake; settle() waited for both.
  counters = (await journey.api('GET', `/broadcasts/${broadcastId}`)).json.counters as Counters;
}, 60_000);

afterAll(async () => {
  await store?.close();
  await journey?.close();
  await proxy?.close();
  if (projectDir !== undefined) rmSync(projectDir, { recursive: true, force: true });
});

describe(`a broadcast to ${PHONES} virtual phones through the real server`, () => {
  it('takes the opted-in rows and refuses the others with their line and reason', () => {
    expect(created.json.recipients).toBe(PHONES);
    const rejected = created.json.rejected as Array<{ line: number; reason: string }>;
    expect(rejected.map((r) => r.line)).toEqual([PHONES + 2, PHONES + 3, PHONES + 4, PHONES + 5]);
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('no opt-in (the opt_in column is empty)'),
      expect.stringContaining('no opt-in (opt_in is "no"'),
      expect.stringContaining('is not a valid number for country code +1'),
      expect.stringMatching(/duplicate|already|again/i),
    ]);
  });

  it('sent exactly one template message to every recipient and none to the refused rows', () => {
    const sent = journey.sandbox.emulator.state.messages;
    expect(sent.filter((m) => m.failure !== undefined)).toEqual([]);
    expect(sent.map((m) => m.waId).sort()).toEqual([...numbers].sort());
    for (const m of sent) {
      expect(m.type).toBe('template');
      expect(m.template?.name).toBe(TEMPLATE);
      expect(m.flow?.action).toBe('data_exchange');
    }
  });

  it('never sent more than 50 messages in any second (emulator timestamps), so 200 took at least ~4 s', () => {
    const times = journey.sandbox.emulator.state.messages.map((m) => m.at).sort((a, b) => a - b);
    expect(largestBurst(times)).toBeLessThanOrEqual(MPS);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((PHONES - MPS) * 1000) / MPS);
  });

  it('every phone opened its flow and acted as its script says', () => {
    const byRule = new Map<string, number>();
    for (const n of numbers) {
      const o = outcomes.get(n);
      expect(o, n).toBeDefined();
      byRule.set(o!.rule, (byRule.get(o!.rule) ?? 0) + 1);
      // The message names the phone and what happened to it (a stuck phone's reason).
      const seen = `${n}: ${JSON.stringify(o!.result)}`;
      if (o!.rule === 'abandon-2') expect(o!.result, seen).toMatchObject({ kind: 'abandoned', screens: ['APPOINTMENT', 'DETAILS'] });
      else expect(o!.result, seen).toMatchObject({ kind: 'completed' });
      const attempt = 'invalidAttempt' in o!.result ? o!.result.invalidAttempt : undefined;
      if (o!.rule === 'invalid-client') expect(attempt?.outcome, n).toBe('blocked');
      if (o!.rule === 'invalid-server') expect(attempt, n).toMatchObject({ outcome: 'refused', screen: 'APPOINTMENT' });
      for (const w of o!.webhooks) expect(w.delivery.ok, n).toBe(true);
    }
    for (const rule of ['abandon-2', 'invalid-client', 'invalid-server', 'default']) expect(byRule.get(rule) ?? 0, rule).toBeGreaterThan(3);
  });

  it('each send is a broadcast session of this campaign, with the token the phone received', async () => {
    const { rows } = await sql<{ wa_id: string; flow_token: string; wamid: string; kind: string; entry: string; campaign: string; state: string; entry_point: string; session_campaign: string }>`
      select s.wa_id, s.flow_token, s.wamid, s.kind, s.entry, s.campaign, s.state, f.entry_point, f.campaign as session_campaign
      from sends s join flow_sessions f on f.flow_token = s.flow_token`.execute(store.db);
    expect(rows).toHaveLength(PHONES);
    for (const r of rows) {
      expect(r).toMatchObject({ kind: 'template', entry: 'broadcast', campaign: broadcastId, state: 'sent', entry_point: 'broadcast', session_campaign: broadcastId });
      const o = outcomes.get(r.wa_id)!;
      expect(o.wamid).toBe(r.wamid);
      expect(o.flowToken).toBe(r.flow_token);
    }
  });

  it('every completion is exactly one submission whose flow_token is its recipient\'s send; abandoned sessions have none', async () => {
    const { rows } = await sql<{ flow_token: string; response_json: string; wa_id: string; entry: string; campaign: string; status: string }>`
      select sub.flow_token, sub.response_json, s.wa_id, s.entry, s.campaign, f.status
      from submissions sub
      join flow_sessions f on f.flow_token = sub.flow_token
      left join sends s on s.flow_token = sub.flow_token`.execute(store.db);
    const byPhone = new Map(rows.map((r) => [r.wa_id, r]));
    expect(byPhone.size).toBe(rows.length);
    let completed = 0;
    for (const n of numbers) {
      const o = outcomes.get(n)!;
      const row = byPhone.get(n);
      if (o.result.kind === 'completed') {
        completed++;
        expect(row, n).toMatchObject({ flow_token: o.flowToken, entry: 'broadcast', campaign: broadcastId, status: 'completed' });
        expect(JSON.parse(row!.response_json), n).toMatchObject({ flow_token: o.flowToken, confirmed: true });
      } else expect(row, n).toBeUndefined();
    }
    expect(rows).toHaveLength(completed);
    expect(completed).toBeGreaterThan(PHONES * 0.8);
  });

  it('the broadcast counters equal what the emulator and the phones report', () => {
    const results = numbers.map((n) => outcomes.get(n)!.result.kind);
    const opened = results.filter((k) => k !== 'not-opened' && k !== 'failed').length;
    const completed = results.filter((k) => k === 'completed').length;
    const statuses = numbers.flatMap((n) => outcomes.get(n)!.webhooks.filter((w) => w.delivery.ok).map((w) => w.what));
    expect(counters).toEqual({
      total: PHONES, queued: 0, failed: 0, skipped: 0,
      sent: journey.sandbox.emulator.state.messages.length,
      delivered: statuses.filter((s) => s === 'delivered').length,
      read: statuses.filter((s) => s === 'read').length,
      opened, completed,
    });
    expect(counters).toMatchObject({ sent: PHONES, delivered: PHONES, read: PHONES, opened: PHONES });
  });

  it('webhooks whose first delivery failed were delivered again, with no second effect', async () => {
    const { sandbox } = journey;
    const retried = [...sandbox.phones.outcomes.flatMap((o) => o.webhooks), ...sandbox.flowEvents.deliveries].filter((w) => w.delivery.attempts > 1);
    expect(proxy.refused).toBeGreaterThan(10);
    expect(proxy.lost).toBeGreaterThan(10);
    expect(retried.length).toBe(proxy.refused + proxy.lost);
    expect(retried.every((w) => w.delivery.ok && w.delivery.attempts === 2)).toBe(true);
    const { rows } = await sql<{ message_id: string; status: string }>`select message_id, status from message_statuses`.execute(store.db);
    const byMessage = new Map<string, string[]>();
    for (const r of rows) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r.status]);
    for (const n of numbers) expect(byMessage.get(outcomes.get(n)!.wamid)?.sort(), n).toEqual(['delivered', 'read', 'sent']);
  });

  it('stores the FLOW_STATUS_CHANGE webhooks of a flow published while it runs: created as DRAFT, then PUBLISHED', async () => {
    const { rows } = await sql<{ flow_id: string; payload_json: string; waba_id: string }>`select flow_id, payload_json, waba_id from flow_alerts where event = 'FLOW_STATUS_CHANGE'`.execute(store.db);
    const changes = rows.map((r) => { const v = JSON.parse(r.payload_json) as { old_status?: string; new_status: string }; return `${v.old_status ?? '-'}>${v.new_status}`; }).sort();
    expect(changes).toEqual(['->DRAFT', 'DRAFT>PUBLISHED']);
    expect(rows.every((r) => r.flow_id === lateFlowId && r.waba_id === journey.sandbox.wabaId)).toBe(true);
  });
});
