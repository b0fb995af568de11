import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForm } from '../../src/core/compile/index.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { formModelSchema, type FormField, type FormModel } from '../../src/core/form/index.js';
import { findSource } from '../../src/sources/registry.js';
import { assertKeyDeletionSafe, assertValidModelOrUsage, expectAppError, recordingClient } from './source-contract-kit.js';
import { typeformSource } from '../../src/sources/typeform/typeform-source.js';
import { startFakeTypeform, typeformFixtureForms, type FakeTypeform } from '../fakes/typeform/fake-typeform.js';

const dir = '/work/shared/fixtures/sources/typeform';
type RawField = { id: string; ref: string; type: string; title: string; validations?: { required?: boolean }; properties: { fields?: RawField[]; choices?: Array<{ id: string; ref: string; label: string }> } };
type RawForm = { id: string; fields: RawField[]; hidden?: string[]; logic?: unknown[] };
const raw = (name: string): RawForm => JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as RawForm;
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const byId = (m: FormModel, id: string): FormField => {
  const f = fields(m).find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};
const names = ['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'];
const UNASKABLE = new Set(['payment', 'calendly']);

describe('typeform mapDefinition on every fixture', () => {
  it.each(names)('%s: every askable field, by ref, with required flag, choices and hidden fields', (name) => {
    const def = raw(name);
    const { model, unmapped } = typeformSource.mapDefinition(def);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    // A compound field's parts are required only when the compound is.
    const leaves = def.fields
      .flatMap((f) => (f.type === 'group' ? f.properties.fields ?? [] : [f]))
      .flatMap((f) => (f.type === 'contact_info' || f.type === 'address' ? (f.properties.fields ?? []).map((s) => ({ ...s, validations: { required: s.validations?.required === true && f.validations?.required === true } })) : [f]));
    for (const leaf of leaves) {
      if (UNASKABLE.has(leaf.type)) {
        expect(fields(model).some((f) => f.key === leaf.ref)).toBe(false);
        expect(unmapped.some((u) => u.reason.includes(`'${leaf.ref}'`))).toBe(true);
        continue;
      }
      const f = fields(model).find((x) => x.key === leaf.ref) as FormField;
      expect(f.label).toBe(leaf.title);
      if (leaf.type !== 'statement') expect(f.required).toBe(leaf.validations?.required === true || false);
      if (leaf.type !== 'matrix' && leaf.properties.choices) {
        const alphabetical = (leaf.properties as { alphabetical_order?: boolean }).alphabetical_order === true;
        const expected = alphabetical ? [...leaf.properties.choices].sort((a, b) => a.label.localeCompare(b.label)) : leaf.properties.choices;
        expect(f.options?.map((o) => [o.id, o.value])).toEqual(expected.map((c) => [c.id, c.label]));
        expect(f.source?.choiceRefs).toEqual(f.options?.map((o) => leaf.properties.choices?.find((c) => c.id === o.id)?.ref));
      }
    }
    const hidden = fields(model).filter((f) => f.type === 'hidden').map((f) => f.key);
    expect(hidden).toEqual(def.hidden ?? []);
    expect(model.source).toMatchObject({ system: 'typeform', formId: def.id });
  });

  it.each(names)('%s compiles to a flow the validator accepts with no error', (name) => {
    const { model } = typeformSource.mapDefinition(raw(name));
    const result = validateFlow(compileForm(model).flow);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('KYC: groups are pages, jumps between pages on choice ids and a yes/no constant', () => {
    const { model } = typeformSource.mapDefinition(raw('form-kyc-onboarding'));
    const page = (id: string) => model.pages.find((p) => p.id === id);
    expect(page('personal')?.fields.map((f) => f.key)).toEqual(['full_name', 'dob', 'kyc_email', 'mobile']);
    expect(page('p_applicant_type')?.jumps).toEqual([
      { when: { op: 'equals', field: 'applicant_type', value: '3fS2qHx6kwXo' }, to: 'id_doc' },
      { when: { op: 'equals', field: 'applicant_type', value: 'IIXGvOoNZYW2' }, to: 'company' },
    ]);
    expect(page('p_is_pep')?.jumps).toEqual([{ when: { op: 'equals', field: 'is_pep', value: false }, to: 'p_monthly_volume' }]);
    expect(model.pages.findIndex((p) => p.id === 'p_pep_details')).toBe(model.pages.findIndex((p) => p.id === 'p_is_pep') + 1);
    expect(byId(model, 'company_reg_no').validation).toEqual({ maxLength: 20 });
    expect(byId(model, 'monthly_volume').validation).toEqual({ min: 0, max: 1000000 });
    expect(byId(model, 'city')).toMatchObject({ required: true, source: { parentRef: 'company_address', subfieldKey: 'city' } });
    expect(byId(model, 'terms').type).toBe('consent');
    expect(byId(model, 'is_pep').type).toBe('yes_no');
    expect(byId(model, 'doc_upload').type).toBe('file');
  });

  it('NPS: ordered jumps with an "always" fallback and a jump to the ending', () => {
    const { model } = typeformSource.mapDefinition(raw('form-nps-feedback'));
    expect(model.pages[0]?.jumps).toEqual([{ when: { op: 'lte', field: 'nps', value: 6 }, to: 'p_why_low' }, { to: 'p_comment' }]);
    expect(model.pages.find((p) => p.id === 'p_why_low')?.jumps).toEqual([{ to: 'end' }]);
    expect(byId(model, 'nps')).toMatchObject({ type: 'nps', scale: { min: 0, max: 10 } });
    expect(byId(model, 'ease')).toMatchObject({ type: 'scale', scale: { min: 1, max: 7 } });
  });

  it('large survey: matrix, ranking, picture choice, payment and variables', () => {
    const { model, unmapped } = typeformSource.mapDefinition(raw('form-large-survey'));
    const grid = byId(model, 'q16_matrix');
    expect(grid).toMatchObject({ type: 'grid', required: true });
    expect(grid.rows?.map((r) => r.key)).toEqual(['row_15_Support', 'row_15_Docs']);
    expect(grid.options?.map((o) => o.value)).toEqual(['Poor', 'OK', 'Good']);
    expect(byId(model, 'q15_ranking').type).toBe('multiple_choice');
    expect(unmapped.some((u) => /ranking/.test(u.reason))).toBe(true);
    expect(unmapped.some((u) => u.pointer === '/variables')).toBe(true);
    expect(unmapped.some((u) => /payment/.test(u.reason) && u.reason.includes('q40_payment'))).toBe(true);
  });

  it('conditions that cannot be expressed drop their jump with a reason', () => {
    const def = structuredClone(raw('form-nps-feedback')) as RawForm & { logic: Array<{ actions: Array<{ condition: unknown }> }> };
    const first = def.logic[0]?.actions[0];
    if (first) first.condition = { op: 'contains', vars: [{ type: 'field', value: 'nps' }, { type: 'constant', value: 'x' }] };
    const { model, unmapped } = typeformSource.mapDefinition(def);
    expect(model.pages[0]?.jumps).toEqual([{ to: 'p_comment' }]);
    expect(unmapped.some((u) => u.pointer === '/logic/0/actions/0/condition')).toBe(true);
  });
});

describe('typeform connector against the contract fake', () => {
  let fake: FakeTypeform;
  const waits: number[] = [];
  const client = (token = 'tfp_test_token') =>
    recordingClient(typeformSource, fake.url, { token }, waits, 3);
  beforeAll(async () => {
    fake = await startFakeTypeform();
  });
  afterAll(() => fake.close());

  it('is registered and points at the real API', () => {
    expect(findSource('typeform')).toBe(typeformSource);
    expect(typeformSource.defaultBaseUrl).toBe('https://api.typeform.com');
  });

  it('lists forms across pages', async () => {
    fake.requests.length = 0;
    const forms = await typeformSource.listForms({ http: client() });
    expect(forms.map((f) => f.id).sort()).toEqual([...typeformFixtureForms().keys()].sort());
    expect(fake.requests.map((r) => r.query.page)).toEqual(['1', '2', '3']);
    expect(fake.requests.every((r) => r.query.page_size === '200' && r.headers.authorization === 'Bearer tfp_test_token')).toBe(true);
  });

  it('fetches exactly the definition the API returns (with _links, a real Typeform key)', async () => {
    const def = await typeformSource.fetchDefinition({ http: client() }, 'KyC00004');
    expect(def).toEqual(raw('form-kyc-onboarding'));
  });

  it('401 surfaces Typeform\'s own message', async () => {
    await expectAppError(typeformSource.listForms({ http: client('nope') }), 'USAGE_INVALID', 'Authentication credentials not found on the Request Headers (AUTHENTICATION_FAILED)');
  });

  it('404 surfaces FORM_NOT_FOUND', async () => {
    const error = await typeformSource.fetchDefinition({ http: client() }, 'Zz999999').catch((e: unknown) => e);
    expect((error as Error).message).toContain('Non existing form with uid Zz999999 (FORM_NOT_FOUND)');
  });

  it('the fake refuses page_size over 200 with a VALIDATION_ERROR', async () => {
    const error = await client().get('/forms', { page: 1, page_size: 500 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/400.*The request is invalid\. \(VALIDATION_ERROR\)/);
  });

  it('429 then success honours Retry-After', async () => {
    waits.length = 0;
    fake.failNext(429, 2, '1');
    const def = await typeformSource.fetchDefinition({ http: client() }, 'Fdbk0003');
    expect((def as { id: string }).id).toBe('Fdbk0003');
    expect(waits).toEqual([1000, 1000]);
  });
});

describe('typeform mapDefinition fuzz', () => {
  it('random JSON: a valid model or AppError USAGE_INVALID with a message', () => {
    assertValidModelOrUsage((v) => typeformSource.mapDefinition(v), fc.oneof(fc.jsonValue(), fc.record({ id: fc.string(), fields: fc.array(fc.jsonValue()), logic: fc.array(fc.jsonValue()), hidden: fc.array(fc.string()) })));
  });

  it('fixtures with random keys deleted never crash', () => {
    assertKeyDeletionSafe((v) => typeformSource.mapDefinition(v), [...typeformFixtureForms().values()]);
  });
});
