import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForm } from '../../src/core/compile/index.js';
import { isAppError } from '../../src/core/errors.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { formModelSchema, type FormField, type FormModel } from '../../src/core/form/index.js';
import { hubspotSource } from '../../src/sources/hubspot/hubspot-source.js';
import { findSource } from '../../src/sources/registry.js';
import { assertKeyDeletionSafe, assertValidModelOrUsage, expectAppError, recordingClient } from './source-contract-kit.js';
import { hubspotFixtureForms, startFakeHubspot, type FakeHubspot } from '../fakes/hubspot/fake-hubspot.js';

const dir = '/work/shared/fixtures/sources/hubspot';
const raw = (name: string): unknown => JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8'));
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const byId = (m: FormModel, id: string): FormField => {
  const f = fields(m).find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};
/** Every field of a raw definition, dependents included. */
function rawFields(def: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (f: Record<string, unknown>): void => {
    out.push(f);
    for (const d of (f.dependentFields as Array<Record<string, unknown>>) ?? []) walk(d.dependentField as Record<string, unknown>);
  };
  for (const g of (def as { fieldGroups: Array<{ fields: Array<Record<string, unknown>> }> }).fieldGroups) g.fields.forEach(walk);
  return out;
}

describe('hubspot mapDefinition on every fixture', () => {
  const names = ['form-appointment', 'form-kyc-onboarding', 'form-large-enterprise', 'form-newsletter', 'form-nps-feedback'];
  it.each(names)('%s: every HubSpot field is a model field with its name, required flag and options', (name) => {
    const def = raw(name);
    const { model } = hubspotSource.mapDefinition(def);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    const questions = fields(model).filter((f) => !f.key.startsWith('legalConsentOptions') && f.type !== 'statement');
    const source = rawFields(def);
    expect(questions.map((f) => f.key)).toEqual(source.map((f) => f.name));
    for (const s of source) {
      const f = questions.find((q) => q.key === s.name) as FormField;
      expect(f.source?.objectTypeId).toBe(s.objectTypeId);
      if (s.hidden === true) {
        expect(f.type).toBe('hidden');
        expect(f.default).toBe(s.defaultValue);
      } else expect(f.required).toBe(s.required);
      const opts = s.options as Array<{ value: string; label: string }> | undefined;
      if (opts && s.hidden !== true) expect(f.options?.map((o) => [o.value, o.label])).toEqual(opts.map((o) => [o.value, o.label]));
    }
    expect(model.source).toMatchObject({ system: 'hubspot', formId: (def as { id: string }).id, meta: { formGuid: (def as { id: string }).id } });
  });

  it.each(names)('%s compiles to a flow the validator accepts with no error', (name) => {
    const { model } = hubspotSource.mapDefinition(raw(name));
    const { flow } = compileForm(model);
    const result = validateFlow(flow);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('KYC: dependent fields follow their parent with visibleWhen on the option value, number comparisons and headings', () => {
    const { model } = hubspotSource.mapDefinition(raw('form-kyc-onboarding'));
    const ids = fields(model).map((f) => f.id);
    expect(ids.indexOf('company_name')).toBe(ids.indexOf('applicant_type') + 1);
    expect(byId(model, 'company_registration_document').visibleWhen).toEqual({ op: 'equals', field: 'applicant_type', value: 'business' });
    expect(byId(model, 'proof_of_funds').visibleWhen).toEqual({ op: 'gt', field: 'expected_monthly_volume', value: 10000 });
    expect(byId(model, 'company_registration_document').file?.maxFiles).toBeGreaterThan(1);
    expect(byId(model, 'id_document_upload').file?.maxFiles).toBe(1);
    expect(byId(model, 'kyc_terms_accepted').type).toBe('consent');
    expect(byId(model, 'mobilephone').validation?.pattern).toBeDefined();
    const pattern = new RegExp(byId(model, 'mobilephone').validation?.pattern ?? '');
    expect(pattern.test('+49 151 2345 6789')).toBe(true);
    expect(pattern.test('1234567')).toBe(false);
    const headings = fields(model).filter((f) => f.type === 'statement' && f.style === 'heading').map((f) => f.label);
    expect(headings).toEqual(['1. Personal details', '2. Identity document', '3. Account purpose']);
    expect(model.endMessage).toBe('Thanks for submitting the form.');
  });

  it('newsletter: explicit consent becomes consent fields keyed for the submission, hidden field keeps its default', () => {
    const { model } = hubspotSource.mapDefinition(raw('form-newsletter'));
    const process = fields(model).find((f) => f.key === 'legalConsentOptions.consentToProcess');
    expect(process).toMatchObject({ type: 'consent', required: true, label: 'I agree to allow Acme Corp to store and process my personal data.' });
    const comms = fields(model).find((f) => f.key === 'legalConsentOptions.communications.999001');
    expect(comms).toMatchObject({ type: 'consent', required: false, source: { subscriptionTypeId: '999001' } });
    expect(byId(model, 'utm_source')).toMatchObject({ type: 'hidden', default: 'website' });
    expect(model.source.meta?.legalConsentType).toBe('explicit_consent_to_process');
  });

  it('appointment: blocked domains, redirect and default block list are reported', () => {
    const { model, unmapped } = hubspotSource.mapDefinition(raw('form-appointment'));
    expect(byId(model, 'email').validation?.blockedDomains).toEqual(['gmail.com', 'yahoo.com']);
    expect(unmapped.map((u) => u.pointer)).toEqual(expect.arrayContaining(['/configuration/postSubmitAction', '/fieldGroups/1/fields/0/validation/useDefaultBlockList']));
    expect(model.endMessage).toBeUndefined();
  });

  it('maps dependent conditions of every operator family', () => {
    const def = structuredClone(raw('form-newsletter')) as { fieldGroups: Array<{ fields: Array<Record<string, unknown>> }> };
    const topics = def.fieldGroups.flatMap((g) => g.fields).find((f) => f.name === 'newsletter_topics') as Record<string, unknown>;
    const child = (name: string, cond: Record<string, unknown>): Record<string, unknown> => ({ dependentCondition: cond, dependentField: { name, label: name, fieldType: 'single_line_text', required: true, dependentFields: [] } });
    topics.dependentFields = [child('c_any', { operator: 'set_any', values: ['events', 'industry_news'] }), child('c_not', { operator: 'set_not_any', values: ['events'] }), child('c_text', { operator: 'str_starts_with', value: 'x' })];
    const { model, unmapped } = hubspotSource.mapDefinition(def);
    expect(byId(model, 'c_any').visibleWhen).toEqual({ op: 'or', conditions: [{ op: 'includes', field: 'newsletter_topics', value: 'events' }, { op: 'includes', field: 'newsletter_topics', value: 'industry_news' }] });
    expect(byId(model, 'c_not').visibleWhen).toEqual({ op: 'excludes', field: 'newsletter_topics', value: 'events' });
    expect(byId(model, 'c_text')).toMatchObject({ required: false, visibleWhen: { op: 'answered', field: 'newsletter_topics' } });
    expect(unmapped.some((u) => u.pointer.endsWith('dependentFields/2/dependentCondition'))).toBe(true);
  });
});

describe('hubspot mapDefinition edge cases', () => {
  it('progressive groups become optional questions, image rich text and legitimate interest are reported or kept', () => {
    const def = structuredClone(raw('form-newsletter')) as Record<string, unknown> & { fieldGroups: Array<Record<string, unknown>> };
    def.fieldGroups.push({ groupType: 'progressive', richTextType: 'text', fields: [{ objectTypeId: '0-1', name: 'jobtitle', label: 'Job title', required: true, hidden: false, fieldType: 'single_line_text', dependentFields: [] }] });
    def.fieldGroups.push({ groupType: 'default_group', richTextType: 'image', richText: '<img src="x.png">Logo', fields: [] });
    def.legalConsentOptions = { type: 'legitimate_interest', subscriptionTypeIds: [111, 222], lawfulBasis: 'lead', privacyText: '<p>We process your data &amp; keep it safe.</p>' };
    const { model, unmapped } = hubspotSource.mapDefinition(def);
    expect(byId(model, 'jobtitle').required).toBe(false);
    expect(unmapped.some((u) => u.pointer === '/fieldGroups/4/groupType')).toBe(true);
    expect(unmapped.some((u) => u.pointer === '/fieldGroups/5/richText')).toBe(true);
    expect(fields(model).some((f) => f.type === 'statement' && f.label === 'We process your data & keep it safe.')).toBe(true);
    expect(model.source.meta).toMatchObject({ legalConsentType: 'legitimate_interest', lawfulBasis: 'lead', subscriptionTypeIds: ['111', '222'] });
    expect(fields(model).some((f) => f.type === 'consent')).toBe(false);
  });

  it('nested dependents combine their parents\' conditions; hidden choice fields keep their default', () => {
    const def = structuredClone(raw('form-kyc-onboarding')) as { fieldGroups: Array<{ fields: Array<Record<string, unknown>> }> };
    const parent = def.fieldGroups.flatMap((g) => g.fields).find((f) => f.name === 'applicant_type') as { dependentFields: Array<{ dependentField: Record<string, unknown> }> };
    const company = parent.dependentFields[0]?.dependentField as Record<string, unknown>;
    company.dependentFields = [{ dependentCondition: { operator: 'is_not_empty' }, dependentField: { name: 'vat', label: 'VAT', fieldType: 'single_line_text', required: false, dependentFields: [] } }];
    def.fieldGroups.push({ fields: [{ name: 'segment', label: 'Segment', fieldType: 'dropdown', hidden: true, options: [{ label: 'SMB', value: 'smb' }], defaultValues: ['smb'], dependentFields: [] }] });
    const { model } = hubspotSource.mapDefinition(def);
    expect(byId(model, 'vat').visibleWhen).toEqual({ op: 'and', conditions: [{ op: 'equals', field: 'applicant_type', value: 'business' }, { op: 'answered', field: 'company_name' }] });
    expect(byId(model, 'segment')).toMatchObject({ type: 'hidden', default: 'smb' });
  });
});

describe('hubspot connector against the contract fake', () => {
  let fake: FakeHubspot;
  const waits: number[] = [];
  const client = (token = 'hs-test-token') =>
    recordingClient(hubspotSource, fake.url, { token }, waits, 3);
  beforeAll(async () => {
    fake = await startFakeHubspot();
  });
  afterAll(() => fake.close());

  it('is registered and points at the real API', () => {
    expect(findSource('hubspot')).toBe(hubspotSource);
    expect(hubspotSource.defaultBaseUrl).toBe('https://api.hubapi.com');
    expect(hubspotSource.credentialsSchema.safeParse({}).success).toBe(false);
  });

  it('lists forms across cursor pages with the documented query', async () => {
    fake.requests.length = 0;
    const forms = await hubspotSource.listForms({ http: client() });
    expect(forms.map((f) => f.id)).toEqual([...hubspotFixtureForms().keys()].sort());
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.query).toMatchObject({ archived: 'false', formTypes: 'hubspot', limit: '100' });
    expect(fake.requests[1]?.query.after).toBe('Mw%3D%3D');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer hs-test-token');
  });

  it('fetches exactly the definition the API returns', async () => {
    const def = await hubspotSource.fetchDefinition({ http: client() }, 'a1b2c3d4-0004-4e5f-9a10-444444444444');
    expect(def).toEqual(raw('form-kyc-onboarding'));
  });

  it('401 surfaces HubSpot\'s own message', async () => {
    await expectAppError(hubspotSource.listForms({ http: client('wrong') }), 'USAGE_INVALID', 'Authentication credentials not found');
  });

  it('404 surfaces the not-found envelope', async () => {
    const error = await hubspotSource.fetchDefinition({ http: client() }, 'missing-form').catch((e: unknown) => e);
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toMatch(/404.*missing-form does not exist \(OBJECT_NOT_FOUND\)/);
  });

  it('the fake refuses what HubSpot refuses: limit over 100, other methods, unknown cursors', async () => {
    const http = client();
    await expect(http.get('/marketing/v3/forms/', { limit: 500 })).rejects.toThrow(/limit must be between 1 and 100, got '500' \(VALIDATION_ERROR\)/);
    await expect(http.request('DELETE', '/marketing/v3/forms/x')).rejects.toThrow(/405/);
    await expect(http.get('/marketing/v3/forms/', { after: 'bogus' })).rejects.toThrow(/Invalid paging cursor/);
  });

  it('429 then success: waits what Retry-After says', async () => {
    waits.length = 0;
    fake.failNext(429, 2, '4');
    const def = await hubspotSource.fetchDefinition({ http: client() }, 'a1b2c3d4-0001-4e5f-9a10-111111111111');
    expect((def as { id: string }).id).toBe('a1b2c3d4-0001-4e5f-9a10-111111111111');
    expect(waits).toEqual([4000, 4000]);
  });
});

describe('hubspot mapDefinition fuzz', () => {
  it('random JSON: returns a valid model or throws AppError USAGE_INVALID with a message', () => {
    assertValidModelOrUsage((v) => hubspotSource.mapDefinition(v), fc.oneof(fc.jsonValue(), fc.record({ id: fc.string(), fieldGroups: fc.array(fc.jsonValue()) })));
  });

  it('fixtures with random keys deleted never crash', () => {
    assertKeyDeletionSafe((v) => hubspotSource.mapDefinition(v), [...hubspotFixtureForms().values()]);
  });
});

