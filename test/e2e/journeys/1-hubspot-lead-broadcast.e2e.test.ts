/**
 * Journey 1 — lead generation from a HubSpot form, end to end on loopback:
 * the HubSpot newsletter form (saved read-API answer) is imported and
 * compiled by the example project, published at the Graph emulator with an
 * approved FLOW-button template, and broadcast through `POST /api/broadcasts`
 * (the server's broadcast worker, through the real FlowSender) to an
 * opted-in CSV list of virtual phones that never wrote (so the template is
 * used). Completions go through
 * the delivery pipeline to the HubSpot Forms contract fake as form
 * submissions naming WhatsApp, with legal consent; one submission is refused
 * by HubSpot (its form lost an option), which raises exactly one Slack
 * alert naming the field and shows as failed in `GET /api/deliveries`;
 * after the HubSpot form is fixed, a replay delivers it. The funnel comes
 * from `GET /api/stats`.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormModel } from '../../../src/core/form/index.js';
import { createDatabase, type StoreDatabase } from '../../../src/store/create-database.js';
import { startHubspotFormsSinkFake, type HubspotFormsSinkFake } from '../../fakes/hubspot-forms-sink/fake-hubspot-forms-sink.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../../fakes/slack/fake-slack-webhook.js';
import { startJourney, waitFor, type Journey } from './journey-kit.js';

const DIR = 'examples/journeys/1-hubspot-lead-broadcast';
const FLOW = 'newsletter';
const SCREEN = 'NEWSLETTER_SIGNUP_WEBSITE_FOOTER';
const PORTAL = '4455667';
const TOKEN = 'pat-eu1-journey-token-7f3a';
const GUID = 'a1b2c3d4-0001-4e5f-9a10-111111111111';

/** Phone → email it types (the correlation key at HubSpot); `events` is the option HubSpot's form lost. */
const PEOPLE = {
  '12025550101': { email: 'ana@example.com', topics: ['product_updates'] },
  '12025550102': { email: 'ben@example.com', topics: ['industry_news', 'product_updates'] },
  '12025550103': { email: 'chloe@example.com', topics: ['events'] },
  '12025550104': { email: 'dev@example.com', topics: [] },
} as const;
const NOT_OPENING = '12025550105';
const ABANDONING = '12025550106';

const answers = (p: { email: string; topics: readonly string[] }) => ({
  [SCREEN]: { email: p.email, firstname: 'Lead', newsletter_topics: [...p.topics], legal_consent_to_process: true, legal_consent_subscription_999001: p.topics.length > 0 },
});

let journey: Journey;
let hubspot: HubspotFormsSinkFake;
let slack: SlackWebhookFake;
let store: StoreDatabase;
let broadcastId: string;
let refusedStart: { status: number; json: Record<string, unknown> };
let fullForm: FormModel;
/** The portal's forms as the fake sees them on every request (swapped to "fix" HubSpot). */
const portalForms: Record<string, FormModel> = {};

beforeAll(async () => {
  slack = await startSlackWebhookFake();
  hubspot = await startHubspotFormsSinkFake({ portalId: PORTAL, token: TOKEN, forms: portalForms });
  journey = await startJourney({
    projectFile: `${DIR}/flowbridge.yaml`,
    env: { HUBSPOT_PORTAL_ID: PORTAL, HUBSPOT_TOKEN: TOKEN, HUBSPOT_FORMS_URL: hubspot.url },
    config: { FLOWBRIDGE_ALERT_SLACK_WEBHOOK_URL: slack.url },
    templates: [{ flowId: FLOW, name: 'newsletter_invite', language: 'en_US', category: 'MARKETING', body: 'Our newsletter, in a minute, in WhatsApp.', buttonText: 'Sign up' }],
    scripts: {
      phones: {
        ...Object.fromEntries(Object.entries(PEOPLE).map(([waId, p]) => [waId, { answers: answers(p) }])),
        [NOT_OPENING]: { open: false },
        [ABANDONING]: { abandonAt: 'REVIEW', answers: answers({ email: 'fay@example.com', topics: [] }) },
      },
    },
  });
  fullForm = journey.server.catalogue.get(FLOW)!.form!;
  // HubSpot's form lost the "events" option since the import: that submission is refused.
  const topics = fullForm.pages[0]!.fields.map((f) => (f.key === 'newsletter_topics' ? { ...f, options: f.options!.filter((o) => o.value !== 'events') } : f));
  portalForms[GUID] = { ...fullForm, pages: [{ ...fullForm.pages[0]!, fields: topics }] };

  store = createDatabase(journey.databaseUrl);
  const created = await journey.api('POST', '/broadcasts', { flow: FLOW, csv: readFileSync(`${DIR}/contacts.csv`, 'utf8') });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ recipients: 6, rejected: [] });
  broadcastId = (created.json.broadcast as { id: string }).id;
  // Meta only sends approved templates: while it is pending review the broadcast does not start.
  const template = [...journey.sandbox.emulator.state.templates.values()].find((t) => t.name === 'newsletter_invite')!;
  template.status = 'PENDING';
  refusedStart = await journey.api('POST', `/broadcasts/${broadcastId}/start`);
  template.status = 'APPROVED';
  expect((await journey.api('POST', `/broadcasts/${broadcastId}/start`)).status).toBe(200);
  await waitFor('the broadcast to finish', async () => ((await journey.api('GET', `/broadcasts/${broadcastId}`)).json.broadcast as { state: string }).state === 'done');
  await journey.settle();
  // 4 completions: 3 accepted, 1 refused (permanent, no retry).
  await waitFor('4 deliveries finished', async () => {
    const { json } = await journey.api('GET', `/deliveries?flow=${FLOW}`);
    return (json.deliveries as Array<{ state: string }>).filter((d) => d.state === 'delivered' || d.state === 'failed').length === 4;
  });
  await waitFor('the Slack alert', () => slack.messages.length >= 1);
}, 60_000);

afterAll(async () => {
  await store?.close();
  await journey?.close();
  await hubspot?.close();
  await slack?.close();
});

type Delivery = { id: string; submissionId: string; state: string; lastError: string | null; field: string | null };

describe('journey 1: HubSpot lead generation by broadcast', () => {
  it('a broadcast does not start while its template is not approved', () => {
    expect(refusedStart.status).toBe(409);
    expect(String(refusedStart.json.message)).toContain('PENDING, not APPROVED');
  });

  it('sent the approved template with a FLOW button to every opted-in contact, once', async () => {
    const sent = journey.sandbox.emulator.state.messages;
    expect(sent.map((m) => m.waId).sort()).toEqual(['12025550101', '12025550102', '12025550103', '12025550104', '12025550105', '12025550106']);
    for (const m of sent) {
      expect(m.type).toBe('template');
      expect(JSON.stringify(m.request)).toContain('newsletter_invite');
    }
    const { rows } = await sql<{ wa_id: string; kind: string; entry: string; state: string }>`select wa_id, kind, entry, state from sends`.execute(store.db);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.kind === 'template' && r.entry === 'broadcast' && r.state === 'sent')).toBe(true);
    const { json } = await journey.api('GET', '/stats?flow=newsletter');
    expect((json.flows as Array<{ sent: number }>)[0]?.sent).toBe(6);
  });

  it('each accepted completion reached HubSpot exactly once as a form submission naming WhatsApp, with legal consent', () => {
    const emails = hubspot.ledger.map((e) => (e.body.fields as Array<{ name: string; value: string }>).find((f) => f.name === 'email')?.value).sort();
    expect(emails).toEqual(['ana@example.com', 'ben@example.com', 'dev@example.com']);
    for (const entry of hubspot.ledger) {
      expect(entry.formGuid).toBe(GUID);
      expect(entry.body.context).toMatchObject({ pageName: 'WhatsApp newsletter signup', pageUri: 'https://wa.me/15550009999' });
      expect(entry.body.legalConsentOptions).toMatchObject({ consent: { consentToProcess: true, text: expect.stringContaining('store and process') } });
    }
    const ben = hubspot.ledger.find((e) => JSON.stringify(e.body).includes('ben@example.com'))!;
    expect(ben.body.fields).toContainEqual({ objectTypeId: '0-1', name: 'newsletter_topics', value: 'industry_news;product_updates' });
    expect((ben.body.legalConsentOptions as { consent: { communications: unknown[] } }).consent.communications).toEqual([{ value: true, subscriptionTypeId: 999001, text: 'I agree to receive marketing emails from Acme Corp.' }]);
  });

  it('the refused write raised exactly one alert naming the field, and the deliveries API says why', async () => {
    expect(slack.messages).toHaveLength(1);
    const alert = JSON.stringify(slack.messages[0]);
    expect(alert).toContain('newsletter_topics');
    expect(alert).not.toContain(TOKEN);
    const { status, json } = await journey.api('GET', '/deliveries?state=failed');
    expect(status).toBe(200);
    const failed = json.deliveries as Delivery[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ field: 'newsletter_topics', lastError: expect.stringContaining("Value 'events' is not in the field definition") });
    const detail = await journey.api('GET', `/deliveries/${failed[0]!.id}`);
    expect(detail.json.submission).toMatchObject({ flowId: FLOW, contactPhone: expect.stringContaining('12025550103'), entryPoint: 'broadcast' });
  });

  it('after HubSpot is fixed, a replay delivers the refused submission once, and nothing else twice', async () => {
    portalForms[GUID] = fullForm;
    const failed = (await journey.api('GET', '/deliveries?state=failed')).json.deliveries as Delivery[];
    const replay = await journey.api('POST', '/deliveries/replay', { submissionId: failed[0]!.submissionId });
    expect(replay.status).toBe(200);
    await waitFor('the replayed delivery', () => hubspot.ledger.length === 4);
    await waitFor('no failed delivery left', async () => ((await journey.api('GET', '/deliveries?state=failed')).json.deliveries as Delivery[]).length === 0);
    const emails = hubspot.ledger.map((e) => JSON.stringify(e.body).match(/"value":"([^"]+@example\.com)"/)?.[1]);
    expect(emails.filter((e) => e === 'chloe@example.com')).toHaveLength(1);
    expect(new Set(emails).size).toBe(4);
    expect(slack.messages).toHaveLength(1);
  });

  it('the funnel (stats and the broadcast counters) shows sent, opened, completed and who dropped off', async () => {
    const { json } = await journey.api('GET', '/stats?flow=newsletter');
    const funnel = (json.flows as Array<{ flowId: string; sent: number; opened: number; completed: number; inProgress: number }>)[0]!;
    expect(funnel).toMatchObject({ flowId: FLOW, sent: 6, completed: 4 });
    // A navigate-only flow never calls the endpoint: an opened-but-abandoned flow is not visible to the server.
    expect(funnel.opened).toBe(4);
    expect(funnel.inProgress).toBe(2);
    const rules = Object.fromEntries(journey.sandbox.phones.outcomes.map((o) => [o.waId, o.result.kind]));
    expect(rules[NOT_OPENING]).toBe('not-opened');
    expect(rules[ABANDONING]).not.toBe('completed');
    const progress = await journey.api('GET', `/broadcasts/${broadcastId}`);
    expect(progress.json.counters).toMatchObject({ total: 6, sent: 6, delivered: 6, failed: 0, opened: 4, completed: 4 });
  });

  it('no secret in the logs', () => {
    const log = journey.logLines.join('\n');
    expect(log).toContain('delivery delivered');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('chloe@example.com');
  });
});
