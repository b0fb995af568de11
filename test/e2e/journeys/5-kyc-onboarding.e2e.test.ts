/**
 * Journey 5 — KYC onboarding, end to end on loopback. The HubSpot form "KYC
 * onboarding - individual & business" (saved Forms v3 answer) is imported
 * and compiled by the example project (identity → ID document → account
 * purpose with business-only questions → consent), published at the Graph
 * emulator, and started by a keyword: each virtual phone writes "KYC", the
 * server answers with the flow, and the phone plays it against the real
 * encrypted endpoint. Picker answers are real uploads (spec §3.1): a JPEG
 * photo of the ID and PDFs, encrypted with fresh keys on the emulator's
 * CDN. The server downloads, verifies (hashes, 10-byte HMAC), decrypts and
 * stores them privately; a file with a broken MAC is refused with a
 * per-file screen error and the phone uploads again. Each completion reaches
 * the HubSpot CRM contract fake as one contact, one KYC application record
 * associated with it, and every document uploaded PRIVATE and attached by a
 * note — exactly once, even when HubSpot's answer to the record creation is
 * lost and the delivery retried. No document byte and no secret lands in a
 * log line.
 *
 * The media intake is wired into the compiled-form handler here
 * ({@link kycHandlers}) because `startServer` does not wire it yet; see the
 * journey's report for the main.ts wiring this stands for.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { emulatorCdnAllows } from '../../../src/emulator/graph-emulator.js';
import type { PhoneBehaviour } from '../../../src/emulator/phones/phone-script.js';
import { PHONE_FILE_MARKER, type UploadedItem } from '../../../src/emulator/phones/phone-media.js';
import { createCompiledFormHandler } from '../../../src/services/compiled-form-handler.js';
import { createHandlerRegistry, type FlowRequestContext, type HandlerResult } from '../../../src/services/flow-handlers.js';
import { createMediaIntake, type MediaIntake } from '../../../src/services/media-intake.js';
import { createMediaStore } from '../../../src/services/media-store.js';
import { loadProjectValue } from '../../../src/services/project/load-project.js';
import { createDatabase, type StoreDatabase } from '../../../src/store/create-database.js';
import { createFlowMediaRepo, type FlowMediaRepo } from '../../../src/store/repos/flow-media-repo.js';
import { startHubspotCrmSinkFake, type HubspotCrmSinkFake } from '../../fakes/hubspot-crm-sink/fake-hubspot-crm-sink.js';
import { startLoopbackServer, type LoopbackServer } from '../../fakes/shared/loopback-server.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../../fakes/slack/fake-slack-webhook.js';
import { startJourney, waitFor, type Journey } from './journey-kit.js';

const DIR = 'examples/journeys/5-kyc-onboarding';
const FLOW = 'kyc-onboarding';
const TOKEN = 'pat-eu1-kyc-journey-token-3e9d';
const S1 = 'KYC_ONBOARDING_INDIVIDUAL_BUSINE';
const S2 = `${S1}_B`;
const S3 = `${S1}_C`;

const IDA = '4915110000001';
const BAD_UPLOAD = '4915110000002';
const BUSINESS = '4915110000003';
const QUITTER = '4915110000004';

const person = (email: string, first: string): PhoneBehaviour['answers'] => ({
  [S1]: {
    firstname: first, lastname: 'Keller', email, mobilephone: '+49 151 1000 0001', date_of_birth: '1990-04-12', nationality: 'DE',
    id_document_type: 'passport', id_document_number: 'C01X00T47', applicant_type: 'individual',
  },
  [S2]: { source_of_funds: 'salary', expected_monthly_volume: '2500' },
  [S3]: { is_pep: 'false', kyc_terms_accepted: true },
});

/** A business customer: the conditional company questions, the certificate of incorporation and (volume > 10 000) proof of funds, both PDFs. */
const business: PhoneBehaviour['answers'] = {
  [S1]: { ...person('carla@example.com', 'Carla')![S1], applicant_type: 'business', company_name: 'Keller Trading GmbH', company_registration_number: 'HRB 123456' },
  [S2]: { source_of_funds: 'business_income', expected_monthly_volume: '25000' },
  [S3]: { is_pep: 'false', kyc_terms_accepted: true },
};

let journey: Journey;
let slack: SlackWebhookFake;
let crm: HubspotCrmSinkFake;
/** Loses HubSpot's answer to the first record creation (the record is created; the sink sees a 502). */
let lossy: LoopbackServer;
let lostAnswers = 0;
let store: StoreDatabase;
let intake: MediaIntake | undefined;
let mediaRepo: FlowMediaRepo | undefined;
const endpointRequests: FlowRequestContext[] = [];
const handlerResults = new Map<FlowRequestContext, HandlerResult>();

/** The compiled-form handler of the KYC flow with the media intake: picker files are checked, decrypted and stored before the answers are. */
async function kycHandlers() {
  const project = parseYaml(readFileSync(`${DIR}/flowbridge.yaml`, 'utf8')) as unknown;
  const { catalogue } = await loadProjectValue(project, DIR, { env: { HUBSPOT_TOKEN: TOKEN, HUBSPOT_CRM_URL: 'http://127.0.0.1:9' } });
  const flow = catalogue.get(FLOW)!;
  const handlers = createHandlerRegistry();
  const inner = createCompiledFormHandler({
    fieldMap: flow.fieldMap!, model: flow.form!,
    // Built lazily: the data dir and the emulator's CDN address exist once the journey has started.
    media: {
      intake: { acceptPickerFiles: (value, options) => intake!.acceptPickerFiles(value, options) },
      repo: { addMedia: (row) => mediaRepo!.addMedia(row), markDownloaded: (id) => mediaRepo!.markDownloaded(id) },
    },
  });
  handlers.register(FLOW, {
    ...inner,
    fallback: async (request) => {
      endpointRequests.push(request);
      const result = await inner.fallback!(request);
      handlerResults.set(request, result);
      return result;
    },
  });
  return handlers;
}

beforeAll(async () => {
  crm = await startHubspotCrmSinkFake({ token: TOKEN });
  slack = await startSlackWebhookFake();
  lossy = await startLoopbackServer({
    handle: async (req) => {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) if (req.headers[name] !== undefined) headers[name] = String(req.headers[name]);
      const query = req.query.toString();
      const answer = await fetch(`${crm.url}${req.path}${query === '' ? '' : `?${query}`}`, { method: req.method, headers, ...(req.raw.length > 0 && { body: req.raw }) });
      const text = await answer.text();
      if (req.method === 'POST' && req.path === '/crm/v3/objects/2-3508123' && answer.status === 201 && lostAnswers === 0) {
        lostAnswers += 1;
        return { status: 502, body: 'Bad Gateway' };
      }
      return { status: answer.status, headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' }, body: text };
    },
  });
  journey = await startJourney({
    projectFile: `${DIR}/flowbridge.yaml`,
    env: { HUBSPOT_TOKEN: TOKEN, HUBSPOT_CRM_URL: lossy.url },
    handlers: await kycHandlers(),
    config: { FLOWBRIDGE_ALERT_SLACK_WEBHOOK_URL: slack.url },
    scripts: {
      phones: {
        [IDA]: { answers: person('ida@example.com', 'Ida'), files: { id_document_upload: 'jpeg' }, profileName: 'Ida' },
        [BAD_UPLOAD]: { answers: person('bo@example.com', 'Bo'), files: { id_document_upload: 'jpeg' }, badUpload: 'hmac' },
        [BUSINESS]: { answers: business, files: { id_document_upload: 'jpeg' } },
        [QUITTER]: { answers: person('quinn@example.com', 'Quinn'), abandonAt: S2 },
      },
    },
  });
  store = createDatabase(journey.databaseUrl);
  mediaRepo = createFlowMediaRepo(store.db);
  intake = createMediaIntake({ store: createMediaStore(join(journey.dataDir, 'media')), allowUrl: emulatorCdnAllows(journey.sandbox.url) });
  for (const waId of [IDA, BAD_UPLOAD, BUSINESS, QUITTER]) await journey.sandbox.phones.sendText(waId, 'KYC');
  await waitFor('every phone to finish with the flow', () => journey.sandbox.phones.outcomes.filter((o) => o.flowId !== undefined).length === 4, 15_000);
  await journey.settle();
  await waitFor('two delivered CRM records', async () => {
    const { json } = await journey.api('GET', `/deliveries?flow=${FLOW}&state=delivered`);
    return (json.deliveries as unknown[] | undefined)?.length === 2;
  }, 15_000);
}, 60_000);

afterAll(async () => {
  await journey?.close();
  await store?.close();
  await lossy?.close();
  await slack?.close();
  await crm?.close();
});

const isUpload = (v: unknown): v is UploadedItem => typeof v === 'object' && v !== null && 'cdn_url' in v && 'encryption_metadata' in v;
/** Every picker item the phones sent to the endpoint (optionally only for one input). */
const uploadsSent = (field?: string) => endpointRequests.flatMap((r) => Object.entries(r.data ?? {})
  .filter(([k, v]) => (field === undefined || k === field) && Array.isArray(v))
  .flatMap(([, v]) => (v as unknown[]).filter(isUpload)));
const outcome = (waId: string) => journey.sandbox.phones.outcomes.find((o) => o.waId === waId && o.flowId !== undefined);

describe('journey 5: KYC onboarding with documents', () => {
  it('the keyword starts the flow; three people complete it, one closes it on the second screen', () => {
    expect(outcome(IDA)?.result.kind).toBe('completed');
    expect(outcome(BAD_UPLOAD)?.result.kind).toBe('completed');
    expect(outcome(BUSINESS)?.result.kind).toBe('completed');
    expect(outcome(QUITTER)?.result).toMatchObject({ kind: 'abandoned', screens: [S1, S2] });
  });

  it('business customers get the conditional questions and upload PDFs (certificate, proof of funds)', () => {
    const response = outcome(BUSINESS)!.result as { response: Record<string, unknown> };
    expect(response.response).toMatchObject({ applicant_type: 'business', company_name: 'Keller Trading GmbH', company_registration_number: 'HRB 123456' });
    for (const field of ['company_registration_document', 'proof_of_funds']) {
      const files = uploadsSent(field);
      expect(files, field).toHaveLength(1);
      expect(files[0]!.file_name).toMatch(/\.pdf$/);
    }
    // Individuals never see them.
    expect(endpointRequests.filter((r) => isUpload((r.data?.company_registration_document as unknown[] | undefined)?.[0]))).toHaveLength(1);
  });

  it('the phone uploads a real encrypted JPEG of the ID with data_exchange (cdn_url + encryption_metadata)', () => {
    const ids = uploadsSent('id_document_upload');
    expect(ids.length).toBeGreaterThanOrEqual(4); // three completions and one refused attempt
    const item = ids[0]!;
    expect(item).toMatchObject({ media_id: expect.any(String), file_name: expect.stringMatching(/\.jpg$/), cdn_url: expect.stringContaining('/_emulator/cdn/') });
    expect(Object.keys(item.encryption_metadata as object).sort()).toEqual(['encrypted_hash', 'encryption_key', 'hmac_key', 'iv', 'plaintext_hash']);
  });

  it('a file with a broken HMAC is refused with a per-file error and nothing of it is kept; the good upload is taken', async () => {
    const result = outcome(BAD_UPLOAD)!.result;
    expect(result.kind === 'completed' && result.invalidAttempt).toMatchObject({ screen: S1, outcome: 'refused' });
    const token = outcome(BAD_UPLOAD)!.flowToken!;
    const requests = endpointRequests.filter((r) => r.flowToken === token && r.screen === S1);
    const attempts = requests.map((r) => (r.data.id_document_upload as UploadedItem[])[0]!.media_id);
    expect(attempts).toHaveLength(2);
    // The endpoint's answer: the screen again, the picker's error-message data key holding a message for that file (keyed by media_id), and a banner.
    const message = 'This file failed its security check (its signature does not match). Remove it and choose the file again.';
    expect(handlerResults.get(requests[0]!)).toEqual({
      kind: 'next', screen: S1,
      data: { id_document_upload_errors: { [attempts[0]!]: message }, error_message: 'A file could not be accepted.' },
    });
    // The phone shows it on the picker (the file it holds), not only as a banner.
    expect(result.kind === 'completed' && result.invalidAttempt?.errors).toEqual({ id_document_upload: message, $banner: 'A file could not be accepted.' });
    const kept = (await mediaRepo!.listForSession(token)).map((r) => r.mediaId);
    expect(kept).toHaveLength(1);
    expect(kept).not.toContain(attempts[0]);
    expect(await createMediaStore(join(journey.dataDir, 'media')).get(attempts[0]!)).toBeUndefined();
  });

  it('each person is one contact, one KYC record associated with it, and the ID uploaded PRIVATE and attached by a note — exactly once despite a lost answer', () => {
    expect(lostAnswers).toBe(1);
    const contacts = [...crm.contacts.values()].filter((c) => c.properties.email !== 'carla@example.com');
    expect(contacts.map((c) => c.properties.email).sort()).toEqual(['bo@example.com', 'ida@example.com']);
    expect(crm.records.size).toBe(2);
    expect(crm.notes.size).toBe(2);
    for (const contact of contacts) {
      const record = [...crm.records.values()].find((r) => r.associations.some((a) => a.toId === contact.id));
      expect(record, contact.properties.email).toBeDefined();
      expect(record!.properties).toMatchObject({ applicant_type: 'individual', id_document_type: 'passport', kyc_status: 'submitted', kyc_reference: expect.stringMatching(/^WA-/) });
      const note = [...crm.notes.values()].find((n) => n.associations.some((a) => a.toId === record!.id));
      expect(note, `note of ${contact.properties.email}`).toBeDefined();
      const fileIds = note!.properties.hs_attachment_ids!.split(';');
      expect(fileIds).toHaveLength(1);
      const file = crm.files.get(fileIds[0]!)!;
      expect(file.access).toBe('PRIVATE');
      expect(record!.properties.id_document_upload).toBe(file.id);
    }
  });

  it('the documents are decrypted, stored privately on the server, and HubSpot gets the original bytes', async () => {
    const sentHashes = new Set(uploadsSent().map((u) => Buffer.from(u.encryption_metadata.plaintext_hash, 'base64').toString('hex')));
    const media = createMediaStore(join(journey.dataDir, 'media'));
    for (const waId of [IDA, BAD_UPLOAD]) {
      const rows = await mediaRepo!.listForSession(outcome(waId)!.flowToken!);
      expect(rows.map((r) => [r.field, r.downloadedAt !== null])).toEqual([['id_document_upload', true]]);
      const stored = await media.get(rows[0]!.mediaId);
      expect(Buffer.from(stored!.bytes.subarray(0, 3))).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // decrypted JPEG
      expect(stored!.media.fileName).toMatch(/\.jpg$/);
    }
    for (const name of readdirSync(join(journey.dataDir, 'media'))) expect(statSync(join(journey.dataDir, 'media', name)).mode & 0o077).toBe(0);
    for (const file of crm.files.values()) expect(sentHashes.has(file.hash)).toBe(true);
    const { json } = await journey.api('GET', `/deliveries?flow=${FLOW}`);
    const deliveries = json.deliveries as Array<{ state: string; attempts: number; lastError: string | null }>;
    expect(deliveries.filter((d) => d.state === 'delivered')).toHaveLength(2);
    // The lost answer: retried once, found by its kyc_reference, no second record.
    expect(deliveries.filter((d) => d.state === 'delivered' && d.attempts === 2)).toEqual([expect.objectContaining({ lastError: expect.stringContaining('502') })]);
  });

  // Known gap (reported): picker items carry no mime_type (spec §3.1) and the intake stores none, so
  // HubSpot receives application/octet-stream. Flips to passing once the server derives it (name or bytes).
  it('picker files keep their MIME type through to HubSpot', async () => {
    const rows = await mediaRepo!.listForSession(outcome(IDA)!.flowToken!);
    expect(rows[0]!.mimeType).toBe('image/jpeg');
    const uploads = crm.bodies.filter((b) => b.path === '/files/v3/files').map((b) => (b.body as { file: { type: string } }).file.type);
    // Two individuals' ID photos, and the business customer's ID photo and two PDFs: each with its real type.
    expect([...uploads].sort()).toEqual(['application/pdf', 'application/pdf', 'image/jpeg', 'image/jpeg', 'image/jpeg']);
  });

  it('a write HubSpot refuses (the portal lacks the business properties) fails visibly, alerts once, and a retry adds no duplicate', async () => {
    const failed = (await journey.api('GET', `/deliveries?flow=${FLOW}&state=failed`)).json.deliveries as Array<{ id: string; field: string; lastError: string }>;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ field: 'company_registration_number', lastError: expect.stringContaining('Property "company_registration_number" does not exist') });
    const detail = await journey.api('GET', `/deliveries/${failed[0]!.id}`);
    expect(detail.json.submission).toMatchObject({ flowId: FLOW, contactPhone: expect.stringContaining(BUSINESS) });
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toContain('company_registration_number');
    expect(slack.messages[0]!.text).toContain(failed[0]!.id);
    expect(slack.messages[0]!.text).not.toContain(TOKEN);
    // The three documents went up (PRIVATE) before HubSpot refused the record; a retry re-uses them.
    const files = crm.files.size;
    expect(files).toBe(5);
    expect([...crm.files.values()].every((f) => f.access === 'PRIVATE')).toBe(true);
    const retry = await journey.api('POST', `/deliveries/${failed[0]!.id}/retry`);
    expect(retry.status).toBe(200);
    await waitFor('the retried delivery to fail again', async () => {
      const { json } = await journey.api('GET', `/deliveries/${failed[0]!.id}`);
      return (json.job as { state: string }).state === 'failed' && (json.attempts as unknown[]).length === 2;
    });
    expect(crm.files.size).toBe(files);
    expect(crm.records.size).toBe(2);
    expect(slack.messages).toHaveLength(1); // the same incident: no second alert
    expect([...crm.contacts.values()].filter((c) => c.properties.email === 'carla@example.com')).toHaveLength(1);
  });

  it('the funnel: four sent and opened, three completed, one dropped off on the second screen', async () => {
    const { json } = await journey.api('GET', `/stats?flow=${FLOW}`);
    expect((json.flows as Array<Record<string, unknown>>)[0]).toMatchObject({ sent: 4, opened: 4, completed: 3, droppedAt: [{ screen: S2, sessions: 1 }] });
  });

  it('no document content, key or secret in any log line', () => {
    const log = journey.logLines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(PHONE_FILE_MARKER);
    expect(log).not.toContain(TOKEN);
    for (const upload of uploadsSent()) {
      expect(log).not.toContain(upload.encryption_metadata.encryption_key);
      expect(log).not.toContain(upload.encryption_metadata.hmac_key);
      expect(log).not.toContain(upload.cdn_url);
    }
    expect(log).not.toMatch(/JVBERi0|\/9j\/4AAQ/); // base64 of "%PDF-" and of a JPEG header
  });
});
