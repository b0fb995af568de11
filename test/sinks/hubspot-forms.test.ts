import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { hubspotSource } from '../../src/sources/hubspot/hubspot-source.js';
import { typeformSource } from '../../src/sources/typeform/typeform-source.js';
import { encodeHubspotSubmission } from '../../src/sinks/hubspot-forms/encode-hubspot-submission.js';
import { hubspotOutcome } from '../../src/sinks/hubspot-forms/hubspot-error.js';
import { hubspotFormsSink, type HubspotFormsSettings } from '../../src/sinks/hubspot-forms/hubspot-forms-sink.js';
import { startHubspotFormsSinkFake, type HubspotFormsSinkFake } from '../fakes/hubspot-forms-sink/fake-hubspot-forms-sink.js';
import { arbitraryAnswers } from '../fakes/webhook-sink/arbitrary-answers.js';
import { deliveryContext, stripAnnotations, submissionOf } from '../fakes/webhook-sink/sink-test-kit.js';

const json = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const form = (name: string) => hubspotSource.mapDefinition(json(`/work/shared/fixtures/sources/hubspot/${name}`)).model;
const sinkFixture = (name: string): any => stripAnnotations(json(`/work/shared/fixtures/sinks/hubspot/${name}`));
const TOKEN = 'pat-eu1-11111111-2222-3333-4444-555555555555';
const PORTAL = '12345678';

const appointmentAnswers = {
  firstname: 'Jonas', lastname: 'Weber', email: 'jonas.weber@weber-gmbh.example', phone: '+49 30 1234567',
  consultation_type: 'initial_30', preferred_appointment_date: '2024-11-05', preferred_time_slot: 'morning',
};

describe('encodeHubspotSubmission reproduces the submission fixtures', () => {
  it('appointment (secure endpoint, no submittedAt)', () => {
    const body = encodeHubspotSubmission(submissionOf(form('form-appointment.json'), appointmentAnswers), { pageUri: 'https://example.com/whatsapp/book', sendSubmittedAt: false });
    expect(body).toEqual(sinkFixture('submit-appointment-request.json'));
  });

  it('newsletter: multi-select joined with ;, hidden field, explicit consent with communications', () => {
    const answers = {
      email: 'ana.silva@example.com', firstname: 'Ana', lastname: 'Silva', newsletter_topics: ['product_updates', 'events'], utm_source: 'whatsapp',
      'legalConsentOptions.consentToProcess': true, 'legalConsentOptions.communications.999001': true,
    };
    const s = submissionOf(form('form-newsletter.json'), answers, { submittedAt: new Date(1727700000000).toISOString() });
    const body = encodeHubspotSubmission(s, { pageUri: 'https://wa.me/15550001111?flow=newsletter', pageName: 'WhatsApp Flow: Newsletter signup', ipAddress: '203.0.113.10' });
    expect(body).toEqual(sinkFixture('submit-newsletter-request.json'));
  });

  it('KYC: custom-object fields keep their objectTypeId, numbers and booleans as strings, files left out', () => {
    const answers = {
      firstname: 'Lena', lastname: 'Jansen', email: 'lena.jansen@example.nl', mobilephone: '+31612345678', date_of_birth: '1990-02-14', nationality: 'NL',
      id_document_type: 'passport', id_document_number: 'NX1234567', applicant_type: 'individual', source_of_funds: 'salary', expected_monthly_volume: 2500,
      is_pep: 'false', kyc_terms_accepted: true,
    };
    const body = encodeHubspotSubmission(submissionOf(form('form-kyc-onboarding.json'), answers), { pageUri: 'https://example.com/whatsapp/kyc', pageName: 'WhatsApp Flow: KYC onboarding', sendSubmittedAt: false });
    expect(body).toEqual(sinkFixture('submit-kyc-request.json'));
  });

  it('legitimate interest and implicit consent become the matching legalConsentOptions', () => {
    const appointment = form('form-appointment.json');
    const withMeta = (meta: Record<string, any>) => ({ ...appointment, source: { ...appointment.source, meta: { ...appointment.source.meta, ...meta } } });
    const li: any = encodeHubspotSubmission(submissionOf(withMeta({ legalConsentType: 'legitimate_interest', lawfulBasis: 'client', subscriptionTypeIds: ['123'], legitimateInterestText: 'We contact customers.' }), {}), { pageUri: 'https://wa.me/' });
    expect(li.legalConsentOptions).toEqual({ legitimateInterest: { value: true, subscriptionTypeId: 123, legalBasis: 'CUSTOMER', text: 'We contact customers.' } });
    const implicit: any = encodeHubspotSubmission(submissionOf(withMeta({ legalConsentType: 'implicit_consent_to_process', consentToProcessText: 'By submitting…' }), {}), { pageUri: 'https://wa.me/' });
    expect(implicit.legalConsentOptions).toBeUndefined();
    const none: any = encodeHubspotSubmission(submissionOf(appointment, {}), { pageUri: 'https://wa.me/' });
    expect(none.legalConsentOptions).toBeUndefined();
  });

  it('dates given as a ms timestamp or datetime become YYYY-MM-DD', () => {
    const body: any = encodeHubspotSubmission(submissionOf(form('form-appointment.json'), { preferred_appointment_date: Date.UTC(2024, 10, 5) }), { pageUri: 'https://wa.me/' });
    expect(body.fields).toEqual([{ objectTypeId: '0-1', name: 'preferred_appointment_date', value: '2024-11-05' }]);
    expect(body.context.pageName).toBe('WhatsApp Flow: Book a consultation');
    expect(body.submittedAt).toBe(String(Date.parse('2024-10-01T10:00:05.000Z')));
  });
});

describe('HubSpot error bodies are classified in HubSpot\'s words', () => {
  const now = new Date();
  it('validation: every message kept, the first field named', () => {
    const out = hubspotOutcome(400, JSON.stringify(sinkFixture('submit-error-400-validation.json')), null, now);
    expect(out).toEqual({
      kind: 'permanent',
      field: 'email',
      reason: "Error in 'fields.email'. Invalid email address Error in 'fields.preferred_time_slot'. Required field 'preferred_time_slot' is missing Error in 'fields.favourite_colour'. Field 'favourite_colour' is not in the form definition",
    });
  });
  it('date and option errors name their fields', () => {
    expect(hubspotOutcome(400, JSON.stringify(sinkFixture('submit-error-400-date.json')), null, now)).toMatchObject({ kind: 'permanent', field: 'preferred_appointment_date' });
    expect(hubspotOutcome(400, JSON.stringify(sinkFixture('submit-error-400-option.json')), null, now)).toMatchObject({ kind: 'permanent', field: 'consultation_type', reason: "Error in 'fields.consultation_type'. Value 'Initial assessment' is not in the field definition" });
  });
  it('404 form, 429 with the policy window, 5xx', () => {
    expect(hubspotOutcome(404, JSON.stringify(sinkFixture('submit-error-404-form.json')), null, now)).toEqual({ kind: 'permanent', reason: 'Form not found' });
    expect(hubspotOutcome(429, JSON.stringify(sinkFixture('submit-error-429.json')), null, now)).toEqual({ kind: 'retry', reason: 'You have reached your secondly limit.', retryAfterMs: 1000 });
    expect(hubspotOutcome(429, JSON.stringify(sinkFixture('crm-error-429.json')), '3', now)).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
    expect(hubspotOutcome(502, '<html>bad gateway</html>', null, now)).toMatchObject({ kind: 'retry' });
  });
});

describe('hubspot-forms sink through the contract fake', () => {
  let fake: HubspotFormsSinkFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const appointment = form('form-appointment.json');
  const guid = appointment.source.formId!;
  const start = async () => (fake = await startHubspotFormsSinkFake({ portalId: PORTAL, token: TOKEN, forms: { [guid]: appointment, [form('form-newsletter.json').source.formId!]: form('form-newsletter.json'), [form('form-large-enterprise.json').source.formId!]: form('form-large-enterprise.json') } }));
  const settings = (url: string, over: Partial<HubspotFormsSettings> = {}): HubspotFormsSettings =>
    hubspotFormsSink.settingsSchema.parse({ portalId: PORTAL, token: TOKEN, baseUrl: url, ...over });

  it('delivers to the secure endpoint with the bearer token', async () => {
    const f = await start();
    expect(await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(appointment, appointmentAnswers))).toEqual({ kind: 'delivered' });
    expect(f.ledger).toHaveLength(1);
    expect(f.requests[0]!.path).toBe(`/submissions/v3/integration/secure/submit/${PORTAL}/${guid}`);
  });

  it('without a token uses the public endpoint', async () => {
    const f = await start();
    const s = hubspotFormsSink.settingsSchema.parse({ portalId: PORTAL, baseUrl: f.url });
    expect((await hubspotFormsSink.deliver(deliveryContext(s), submissionOf(appointment, appointmentAnswers))).kind).toBe('delivered');
    expect(f.requests[0]!.path).toBe(`/submissions/v3/integration/submit/${PORTAL}/${guid}`);
  });

  it('an option value not on the form is permanent with HubSpot\'s message and the field', async () => {
    const f = await start();
    const out = await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(appointment, { ...appointmentAnswers, consultation_type: 'Initial assessment' }));
    expect(out).toEqual({ kind: 'permanent', field: 'consultation_type', reason: "Error in 'fields.consultation_type'. Value 'Initial assessment' is not in the field definition" });
    expect(f.ledger).toHaveLength(0);
  });

  it('a missing required field is permanent and names it', async () => {
    const f = await start();
    const { preferred_time_slot: _x, ...rest } = appointmentAnswers;
    expect(await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(appointment, rest))).toMatchObject({ kind: 'permanent', field: 'preferred_time_slot' });
  });

  it('a wrong token is permanent and the token never appears in the outcome', async () => {
    const f = await start();
    const out = await hubspotFormsSink.deliver(deliveryContext(settings(f.url, { token: 'pat-wrong-token' })), submissionOf(appointment, appointmentAnswers));
    expect(out.kind === 'permanent' && out.reason).toContain('Authentication credentials not found');
    expect(JSON.stringify(out)).not.toContain('pat-wrong-token');
  });

  it('an unknown form is permanent: Form not found', async () => {
    const f = await start();
    const other = { ...appointment, source: { ...appointment.source, formId: 'nope', meta: { formGuid: 'nope' } } };
    expect(await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(other, appointmentAnswers))).toEqual({ kind: 'permanent', reason: 'Form not found' });
  });

  it('429 (fixture body) and 503 are retries; 429 honours Retry-After', async () => {
    const f = await start();
    f.failNext(1, { kind: 'status', status: 429, body: sinkFixture('submit-error-429.json'), retryAfter: '4' });
    f.failNext(1, { kind: 'status', status: 503 });
    const ctx = deliveryContext(settings(f.url));
    expect(await hubspotFormsSink.deliver(ctx, submissionOf(appointment, appointmentAnswers))).toEqual({ kind: 'retry', reason: 'You have reached your secondly limit.', retryAfterMs: 4000 });
    expect((await hubspotFormsSink.deliver(ctx, submissionOf(appointment, appointmentAnswers))).kind).toBe('retry');
    expect((await hubspotFormsSink.deliver(ctx, submissionOf(appointment, appointmentAnswers))).kind).toBe('delivered');
    expect(f.ledger).toHaveLength(1);
  });

  it('a lost response cannot be deduplicated: the retry submits a second time (no idempotency key, no lookup)', async () => {
    const f = await start();
    f.failNext(1, { kind: 'lose' });
    const ctx = deliveryContext(settings(f.url));
    expect((await hubspotFormsSink.deliver(ctx, submissionOf(appointment, appointmentAnswers))).kind).toBe('retry');
    expect((await hubspotFormsSink.deliver(ctx, submissionOf(appointment, appointmentAnswers))).kind).toBe('delivered');
    expect(f.ledger).toHaveLength(2);
  });

  it('explicit consent not given is refused by HubSpot: permanent with its message', async () => {
    const f = await start();
    const newsletter = form('form-newsletter.json');
    const out = await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(newsletter, { email: 'ana@example.com' }));
    expect(out).toEqual({ kind: 'permanent', reason: "Error in 'legalConsentOptions'. Missing processing consent" });
    const ok = await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(newsletter, { email: 'ana@example.com', 'legalConsentOptions.consentToProcess': true }));
    expect(ok.kind).toBe('delivered');
    expect((f.ledger[0]!.body as any).legalConsentOptions.consent.communications).toEqual([{ value: false, subscriptionTypeId: 999001, text: 'I agree to receive marketing emails from Acme Corp.' }]);
  });

  it('files of an optional file field are left out and reported in the outcome note', async () => {
    const withFile = { ...appointment, pages: [{ ...appointment.pages[0]!, fields: [...appointment.pages[0]!.fields, { id: 'attachment', key: 'attachment', type: 'file' as const, label: 'Attachment', required: false, source: { fieldType: 'file', objectTypeId: '0-1' } }] }] };
    fake = await startHubspotFormsSinkFake({ portalId: PORTAL, token: TOKEN, forms: { [guid]: withFile } });
    const file = { fieldKey: 'attachment', fileName: 'a.pdf', mimeType: 'application/pdf', size: 1, read: () => Promise.resolve(new Uint8Array(1)) };
    const out = await hubspotFormsSink.deliver(deliveryContext(settings(fake.url)), submissionOf(withFile, appointmentAnswers, { files: [file] }));
    expect(out).toEqual({ kind: 'delivered', note: "1 file(s) not sent: HubSpot's submission API takes no files." });
    expect((fake.ledger[0]!.body as any).fields.map((x: any) => x.name)).not.toContain('attachment');
  });

  it('checkForm refuses forms from other systems and forms with a required file field', () => {
    const s = hubspotFormsSink.settingsSchema.parse({ portalId: PORTAL });
    expect(hubspotFormsSink.checkForm?.(appointment, s)).toEqual([]);
    const kyc = hubspotFormsSink.checkForm?.(form('form-kyc-onboarding.json'), s) ?? [];
    expect(kyc.some((p) => p.includes("'id_document_upload'") && p.includes('hubspot-crm'))).toBe(true);
    const tf = typeformSource.mapDefinition(json('/work/shared/fixtures/sources/typeform/form-appointment.json')).model;
    expect(hubspotFormsSink.checkForm?.(tf, s)?.[0]).toContain('not HubSpot');
  });

  it('property: random answers are accepted or refused permanently with HubSpot\'s reason', async () => {
    const f = await start();
    let delivered = 0;
    for (const name of ['form-appointment.json', 'form-newsletter.json', 'form-large-enterprise.json']) {
      const m = form(name);
      await fc.assert(
        fc.asyncProperty(arbitraryAnswers(m), async (answers) => {
          const out = await hubspotFormsSink.deliver(deliveryContext(settings(f.url)), submissionOf(m, answers));
          expect(out.kind === 'delivered' || (out.kind === 'permanent' && out.reason.startsWith('Error in '))).toBe(true);
          if (out.kind === 'delivered') delivered++;
        }),
        { numRuns: 60 },
      );
    }
    expect(f.ledger).toHaveLength(delivered);
  });
});
