import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { FormModel } from '../../src/core/form/index.js';
import { hubspotSource } from '../../src/sources/hubspot/hubspot-source.js';
import { hubspotCrmSink } from '../../src/sinks/hubspot-crm/hubspot-crm-sink.js';
import type { HubspotCrmSettings } from '../../src/sinks/hubspot-crm/crm-settings.js';
import { startHubspotCrmSinkFake, type HubspotCrmSinkFake } from '../fakes/hubspot-crm-sink/fake-hubspot-crm-sink.js';
import { arbitraryAnswers } from '../fakes/webhook-sink/arbitrary-answers.js';
import { deliveryContext, memoryFile, memoryProgress, stripAnnotations, submissionOf } from '../fakes/webhook-sink/sink-test-kit.js';

const json = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const sinkFixture = (name: string): any => stripAnnotations(json(`/work/shared/fixtures/sinks/hubspot/${name}`));
const TOKEN = 'pat-eu1-99999999-8888-7777-6666-555555555555';

const base = hubspotSource.mapDefinition(json('/work/shared/fixtures/sources/hubspot/form-kyc-onboarding.json')).model;
/** The KYC form plus the hidden `documents_received` record property the fixture record carries. */
const kyc: FormModel = {
  ...base,
  pages: [{ ...base.pages[0]!, fields: [...base.pages[0]!.fields, { id: 'documents_received', key: 'documents_received', type: 'hidden', label: '', required: false, source: { objectTypeId: '2-3508123', fieldType: 'multiple_checkboxes' } }] }],
};
const answers = {
  firstname: 'Lena', lastname: 'Jansen', email: 'lena.jansen@example.nl', mobilephone: '+31612345678', date_of_birth: '1990-02-14', nationality: 'NL',
  id_document_type: 'passport', id_document_number: 'NX1234567', applicant_type: 'individual', source_of_funds: 'salary', expected_monthly_volume: 2500,
  is_pep: 'false', documents_received: 'id_front;proof_of_address',
};
const files = [
  memoryFile('id_document_upload', 'id-front.jpg', 'image/jpeg', new Uint8Array([0xff, 0xd8, 1, 2, 3])),
  memoryFile('proof_of_address', 'proof-of-address.pdf', 'application/pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46])),
];
const submission = (a: Record<string, any> = answers) => submissionOf(kyc, a, { id: '000123', submittedAt: '2024-10-01T10:00:03.000Z', files });

function settings(url: string, over: Record<string, unknown> = {}): HubspotCrmSettings {
  return hubspotCrmSink.settingsSchema.parse({
    token: TOKEN, baseUrl: url, referenceProperty: 'kyc_reference', referencePrefix: 'KYC-2024-', recordProperties: { kyc_status: 'submitted' },
    contactProperties: { lifecyclestage: 'lead' }, folderPath: '/kyc/2024/{reference}', noteBody: 'KYC documents received via WhatsApp Flow (reference {reference}).', ...over,
  });
}

let fake: HubspotCrmSinkFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = async (opts: { missingCustomScope?: boolean } = {}) => (fake = await startHubspotCrmSinkFake({ token: TOKEN, ...opts }));
const bodyOf = (f: HubspotCrmSinkFake, method: string, path: string, n = 0) => f.bodies.filter((b) => b.method === method && b.path === path)[n]?.body;
const counts = (f: HubspotCrmSinkFake) => ({ contacts: f.contacts.size, records: f.records.size, files: f.files.size, notes: f.notes.size });

describe('hubspot-crm sink writes the fixture requests', () => {
  it('contact upsert, private uploads, record with looked-up association, note with attachments', async () => {
    const f = await start();
    const out = await hubspotCrmSink.deliver(deliveryContext(settings(f.url, { duplicateValidationStrategy: 'NONE' })), submission());
    expect(out).toMatchObject({ kind: 'delivered', externalId: '21876543210' });
    expect(bodyOf(f, 'POST', '/crm/v3/objects/contacts/batch/upsert')).toEqual(sinkFixture('crm-contacts-batch-upsert-request.json'));
    expect(bodyOf(f, 'POST', '/files/v3/files')).toMatchObject({ folderPath: '/kyc/2024/KYC-2024-000123', fileName: 'id-front', options: json('/work/shared/fixtures/sinks/hubspot/files-upload-request.json')._parts.options, file: { name: 'id-front.jpg', type: 'image/jpeg', size: 5 } });
    expect(bodyOf(f, 'POST', '/crm/v3/objects/2-3508123')).toEqual(sinkFixture('crm-custom-object-create-request.json'));
    expect(bodyOf(f, 'POST', '/crm/v3/objects/notes')).toEqual(sinkFixture('note-with-attachment-request.json'));
    expect([...f.files.values()].every((x) => x.access === 'PRIVATE')).toBe(true);
    expect(counts(f)).toEqual({ contacts: 1, records: 1, files: 2, notes: 1 });
  });

  it('without an email the contact is found by phone and updated, not created twice', async () => {
    const f = await start();
    const { email: _e, ...noEmail } = answers;
    expect((await hubspotCrmSink.deliver(deliveryContext(settings(f.url)), submission(noEmail))).kind).toBe('delivered');
    expect((await hubspotCrmSink.deliver(deliveryContext(settings(f.url)), { ...submission({ ...noEmail, firstname: 'Lena M.' }), id: '000124' })).kind).toBe('delivered');
    expect(f.contacts.size).toBe(1);
    expect([...f.contacts.values()][0]!.properties.firstname).toBe('Lena M.');
    expect(f.records.size).toBe(2);
  });
});

describe('hubspot-crm sink: failures and retries', () => {
  it('every request losing its response, then a retry: exactly one contact, record, note and one upload per file', async () => {
    const clean = await start();
    await hubspotCrmSink.deliver(deliveryContext(settings(clean.url)), submission());
    const total = clean.requests.length;
    await clean.close();
    for (let k = 0; k < total; k++) {
      for (const failure of [{ kind: 'lose' } as const, { kind: 'status', status: 503 } as const]) {
        const f = await start();
        f.failRequest(k, failure);
        const progress = memoryProgress();
        const first = await hubspotCrmSink.deliver(deliveryContext(settings(f.url), { progress }), submission());
        expect(first.kind).toBe('retry');
        expect(await hubspotCrmSink.deliver(deliveryContext(settings(f.url), { progress }), submission())).toMatchObject({ kind: 'delivered' });
        expect(counts(f), `request ${k} (${failure.kind})`).toEqual({ contacts: 1, records: 1, files: 2, notes: 1 });
        await f.close();
        fake = undefined;
      }
    }
  });

  it('progress alone (no reference property) resumes after a failure without a second record or file', async () => {
    const f = await start();
    f.failRequest(8, { kind: 'status', status: 500 });
    const progress = memoryProgress();
    const s = settings(f.url, { referenceProperty: undefined, duplicateValidationStrategy: 'NONE' });
    expect((await hubspotCrmSink.deliver(deliveryContext(s, { progress }), submission())).kind).toBe('retry');
    expect((await hubspotCrmSink.deliver(deliveryContext(s, { progress }), submission())).kind).toBe('delivered');
    expect(counts(f)).toEqual({ contacts: 1, records: 1, files: 2, notes: 1 });
  });

  it('without a reference property a lost record-creation answer cannot be detected: the retry creates a second record', async () => {
    const f = await start();
    f.failRequest(4, { kind: 'lose' });
    const progress = memoryProgress();
    const s = settings(f.url, { referenceProperty: undefined });
    expect((await hubspotCrmSink.deliver(deliveryContext(s, { progress }), submission())).kind).toBe('retry');
    expect((await hubspotCrmSink.deliver(deliveryContext(s, { progress }), submission())).kind).toBe('delivered');
    expect(counts(f)).toEqual({ contacts: 1, records: 2, files: 2, notes: 1 });
  });

  it('an invalid option is permanent with HubSpot\'s message and the property; after the fix a replay reuses contact and files', async () => {
    const f = await start();
    const progress = memoryProgress();
    const out = await hubspotCrmSink.deliver(deliveryContext(settings(f.url), { progress }), submission({ ...answers, id_document_type: 'Passport' }));
    expect(out).toEqual({ kind: 'permanent', field: 'id_document_type', reason: 'Passport was not one of the allowed options: [allowed options: passport national_id driving_licence]' });
    expect(counts(f)).toEqual({ contacts: 1, records: 0, files: 2, notes: 0 });
    expect((await hubspotCrmSink.deliver(deliveryContext(settings(f.url), { progress }), submission())).kind).toBe('delivered');
    expect(counts(f)).toEqual({ contacts: 1, records: 1, files: 2, notes: 1 });
  });

  it('missing scopes and a wrong token are permanent in HubSpot\'s words; the token never shows', async () => {
    const f = await start({ missingCustomScope: true });
    const out = await hubspotCrmSink.deliver(deliveryContext(settings(f.url)), submission());
    expect(out.kind === 'permanent' && out.reason).toContain("This app hasn't been granted all required scopes");
    const wrong = await hubspotCrmSink.deliver(deliveryContext(settings(f.url, { token: 'pat-not-valid-xyz' })), submission());
    expect(wrong.kind === 'permanent' && wrong.reason).toContain('Authentication credentials not found');
    expect(JSON.stringify([out, wrong])).not.toMatch(/pat-/);
  });

  it('429 with HubSpot\'s rate-limit body waits for the ten-second window', async () => {
    const f = await start();
    f.failNext(1, { kind: 'status', status: 429, body: sinkFixture('crm-error-429.json') });
    expect(await hubspotCrmSink.deliver(deliveryContext(settings(f.url)), submission())).toEqual({ kind: 'retry', reason: 'You have reached your ten_secondly_rolling limit.', retryAfterMs: 10_000 });
  });

  it('an association label that does not exist is permanent; a labelled one is looked up', async () => {
    const f = await start();
    expect(await hubspotCrmSink.deliver(deliveryContext(settings(f.url, { associationLabel: 'Guarantor' })), submission())).toMatchObject({ kind: 'permanent', reason: expect.stringContaining("labelled 'Guarantor'") });
    expect((await hubspotCrmSink.deliver(deliveryContext(settings(f.url, { associationLabel: 'Primary applicant' })), submission())).kind).toBe('delivered');
    expect([...f.records.values()][0]!.associations).toEqual([{ toId: [...f.contacts.keys()][0], typeId: 117 }]);
  });

  it('checkForm refuses a form with no custom object unless objectType is set', () => {
    const s = hubspotCrmSink.settingsSchema.parse({ token: TOKEN });
    const plain: FormModel = { ...kyc, pages: [{ ...kyc.pages[0]!, fields: kyc.pages[0]!.fields.filter((x) => x.source?.objectTypeId === '0-1') }] };
    expect(hubspotCrmSink.checkForm?.(kyc, s)).toEqual([]);
    expect(hubspotCrmSink.checkForm?.(plain, s)).toHaveLength(1);
    expect(hubspotCrmSink.checkForm?.(plain, { ...s, objectType: '2-3508123' })).toEqual([]);
  });

  it('property: random KYC answers are delivered exactly once or refused permanently with a reason', async () => {
    const f = await start();
    let delivered = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryAnswers(kyc), async (a) => {
        const s = submissionOf(kyc, a, { id: `p${n++}`, files: [] });
        const out = await hubspotCrmSink.deliver(deliveryContext(settings(f.url)), s);
        expect(out.kind === 'delivered' || (out.kind === 'permanent' && out.reason.length > 0)).toBe(true);
        if (out.kind === 'delivered') delivered++;
      }),
      { numRuns: 60 },
    );
    expect(f.records.size).toBe(delivered);
  });
});
