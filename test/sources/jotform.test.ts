import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { formModelSchema, type FormModel, type FormField } from '../../src/core/form/index.js';
import { jotformSource } from '../../src/sources/jotform/jotform-source.js';
import { findSource } from '../../src/sources/registry.js';
import { expectAppError, onlyUsage, recordingClient } from './source-contract-kit.js';
import { compileForm } from '../../src/core/compile/compile-form.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { loadFixture } from '../fakes/jotform/loopback-fake.js';
import { startFakeJotform } from '../fakes/jotform/fake-jotform.js';
import type { LoopbackFake } from '../fakes/jotform/loopback-fake.js';

const DIR = '/work/shared/fixtures/sources/jotform';
const load = (stem: string): unknown => {
  const props = stem === 'form-kyc-onboarding' ? loadFixture(join(DIR, `${stem}-properties.json`)) : undefined;
  return { questions: loadFixture(join(DIR, `${stem}-questions.json`)), ...(props ? { properties: props } : {}) };
};
const STEMS = ['form-newsletter', 'form-appointment', 'form-nps-feedback', 'form-kyc-onboarding', 'form-large-intake'];
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const byKey = (m: FormModel, key: string): FormField | undefined => fields(m).find((f) => f.key === key);

describe('jotform mapDefinition on every fixture', () => {
  it.each(STEMS)('%s maps to a valid FormModel with every question accounted for', (stem) => {
    const def = load(stem) as { questions: { content: Record<string, { type: string; qid: string }> } };
    const { model, unmapped } = jotformSource.mapDefinition(def);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    for (const q of Object.values(def.questions.content)) {
      if (q.type === 'control_button' || q.type === 'control_pagebreak') continue;
      const mapped = fields(model).some((f) => f.source?.qid === q.qid);
      const reported = unmapped.some((u) => u.pointer === `/questions/content/${q.qid}`);
      expect(mapped || reported, `qid ${q.qid} (${q.type})`).toBe(true);
    }
    const breaks = Object.values(def.questions.content).filter((q) => q.type === 'control_pagebreak').length;
    expect(model.pages.length).toBe(breaks + 1);
    expect(model.source.system).toBe('jotform');
  });

  it('newsletter: hidden field with default, checkbox with other and max selection, compound name', () => {
    const { model } = jotformSource.mapDefinition(load('form-newsletter'));
    expect(byKey(model, '6')).toMatchObject({ type: 'hidden', default: 'website' });
    const topics = byKey(model, '5');
    expect(topics).toMatchObject({ type: 'multiple_choice', allowOther: true, validation: { maxSelected: 2 } });
    expect(topics?.options?.map((o) => o.value)).toEqual(['Product updates', 'Events', 'Industry news']);
    expect(byKey(model, '3[first]')?.required).toBe(false);
    expect(byKey(model, '3[middle]')).toBeUndefined();
    expect(byKey(model, '4')).toMatchObject({ type: 'email', required: true, placeholder: 'ex: myname@example.com', validation: { maxLength: 100 } });
    expect(model.source.meta?.submitText).toBe('Subscribe');
  });

  it('appointment: masked phone becomes a pattern, "no past dates" a relative bound, a word limit maxWords', () => {
    const { model, unmapped } = jotformSource.mapDefinition(load('form-appointment'));
    const phone = byKey(model, '4[full]');
    expect(phone?.type).toBe('phone');
    expect(new RegExp(phone?.validation?.pattern ?? '^$').test('+44 770 090 0123')).toBe(true);
    expect(new RegExp(phone?.validation?.pattern ?? '^$').test('447700900123')).toBe(false);
    expect(byKey(model, '6')).toMatchObject({ type: 'date', required: true, help: 'We are closed at weekends.' });
    expect(unmapped.map((u) => u.pointer)).toEqual(expect.arrayContaining(['/questions/content/6/days']));
    expect(unmapped.map((u) => u.pointer)).not.toEqual(expect.arrayContaining(['/questions/content/6/past']));
    expect(byKey(model, '6')?.validation).toEqual({ minDateOffset: 0 });
    expect(byKey(model, '8')?.validation).toEqual({ maxLength: 500, maxWords: 100 });
    expect(byKey(model, '3[first]')?.required).toBe(true);
  });

  it('nps: 0–10 scale is an NPS, rating has 5 stars, matrix is a grid with row keys', () => {
    const { model } = jotformSource.mapDefinition(load('form-nps-feedback'));
    expect(byKey(model, '3')).toMatchObject({ type: 'nps', scale: { min: 0, max: 10, minLabel: 'Not likely', maxLabel: 'Very likely' } });
    expect(byKey(model, '4')).toMatchObject({ type: 'rating', scale: { min: 1, max: 5 } });
    const grid = byKey(model, '5');
    expect(grid?.rows?.map((r) => r.label)).toEqual(['Speed', 'Friendliness']);
    expect(grid?.options?.map((o) => o.value)).toEqual(['Poor', 'OK', 'Good', 'Excellent']);
  });

  it('kyc: page skip, show-if, the require condition as requiredWhen, no future birth dates', () => {
    const { model, unmapped } = jotformSource.mapDefinition(load('form-kyc-onboarding'));
    expect(model.pages.map((p) => p.id)).toEqual(['page-1', 'page-2', 'page-3']);
    const applicant = byKey(model, '7');
    const individual = applicant?.options?.find((o) => o.value === 'Individual');
    expect(model.pages[0]?.jumps).toEqual([{ when: { op: 'equals', field: applicant?.id, value: individual?.id }, to: 'page-3' }]);
    expect(byKey(model, '17')?.visibleWhen).toEqual({ op: 'equals', field: byKey(model, '16')?.id, value: true });
    expect(unmapped.some((u) => u.pointer.startsWith('/properties/content/conditions/2'))).toBe(false);
    // Its Require rule targets a question that is required anyway: nothing to add.
    expect(byKey(model, '14')).toMatchObject({ required: true });
    expect(byKey(model, '14')?.requiredWhen).toBeUndefined();
    expect(byKey(model, '5')?.validation).toEqual({ maxDateOffset: 0 });
    expect(unmapped.some((u) => u.pointer === '/questions/content/19')).toBe(true);
    expect(byKey(model, '15')).toMatchObject({ type: 'file', file: { maxSizeKb: 10240, maxFiles: 1, mimeTypes: ['application/pdf', 'image/jpeg', 'image/png'] } });
    expect(byKey(model, '11')?.validation).toMatchObject({ minLength: 5, maxLength: 20 });
    expect(byKey(model, '18')?.validation).toEqual({ min: 0, max: 1000000 });
    expect(model.endMessage).toBe('Thank you! We will review your documents.');
    expect(model.title).toBe('KYC Onboarding');
  });

  it.each(STEMS)('%s compiles to a flow the validator accepts', (stem) => {
    const { flow } = compileForm(jotformSource.mapDefinition(load(stem)).model);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('jotform conditions', () => {
  const q = (qid: string, order: number, extra: Record<string, string>) => ({ qid, order: String(order), name: `n${qid}`, text: `Q${qid}`, ...extra });
  const questions = {
    content: {
      1: q('1', 1, { type: 'control_checkbox', options: 'Red|Green|Blue' }),
      2: q('2', 2, { type: 'control_number' }),
      3: q('3', 3, { type: 'control_textbox' }),
      4: q('4', 4, { type: 'control_pagebreak' }),
      5: q('5', 5, { type: 'control_textarea' }),
    },
  };
  const cond = (type: string, link: string, terms: unknown[], action: unknown[]) => ({ type, link, terms: JSON.stringify(terms), action: JSON.stringify(action) });
  const map = (conditions: unknown[]) => jotformSource.mapDefinition({ questions, properties: { content: { id: '9', title: 'T', conditions } } });

  it('Show and Hide rules on one field combine; checkbox equals is includes; All is and', () => {
    const { model } = map([
      cond('field', 'All', [{ field: '1', operator: 'equals', value: 'Green' }, { field: '2', operator: 'lessThan', value: '5' }], [{ visibility: 'Show', field: '3' }]),
      cond('field', 'Any', [{ field: '2', operator: 'isEmpty', value: '' }], [{ visibility: 'Hide', field: '3' }]),
    ]);
    expect(byKey(model, '3')?.visibleWhen).toEqual({
      op: 'and',
      conditions: [
        { op: 'and', conditions: [{ op: 'includes', field: 'q1', value: 'o2' }, { op: 'lt', field: 'q2', value: 5 }] },
        { op: 'not', condition: { op: 'not_answered', field: 'q2' } },
      ],
    });
  });

  it('skips to the end, maps require rules, and reports unknown pages, unknown options and free-text contains', () => {
    const { model, unmapped } = map([
      cond('page', 'Any', [{ field: '3', operator: 'notEquals', value: 'x' }], [{ visibility: 'SkipTo', skipTo: 'end' }]),
      cond('page', 'Any', [{ field: '3', operator: 'isFilled', value: '' }], [{ visibility: 'SkipTo', skipTo: 'page-7' }]),
      cond('field', 'Any', [{ field: '1', operator: 'equals', value: 'Purple' }], [{ visibility: 'Show', field: '5' }]),
      cond('field', 'Any', [{ field: '3', operator: 'contains', value: 'a' }], [{ visibility: 'Show', field: '5' }]),
      cond('require', 'Any', [{ field: '3', operator: 'isFilled', value: '' }], [{ visibility: 'Require', field: '5' }]),
      { type: 'field', terms: 'not json', action: '[]' },
    ]);
    expect(model.pages[0]?.jumps).toEqual([{ when: { op: 'not', condition: { op: 'equals', field: 'q3', value: 'x' } }, to: 'end' }]);
    expect(byKey(model, '5')?.visibleWhen).toBeUndefined();
    expect(byKey(model, '5')?.requiredWhen).toEqual({ op: 'answered', field: 'q3' });
    expect(unmapped.map((u) => u.reason)).toEqual(expect.arrayContaining([
      expect.stringMatching(/page-7/), expect.stringMatching(/Purple/), expect.stringMatching(/contains/), expect.stringMatching(/not readable/),
    ]));
  });
});

describe('jotform mapDefinition fuzz', () => {
  it('random JSON throws nothing but USAGE_INVALID', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => onlyUsage(() => jotformSource.mapDefinition(v))), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), (v) => onlyUsage(() => jotformSource.mapDefinition({ questions: { content: { 3: v } }, properties: { content: { conditions: [v] } } }))), { numRuns: 300 });
  });
  it('random questions of every known type with random property values throw nothing but USAGE_INVALID', () => {
    const types = ['control_head', 'control_text', 'control_textbox', 'control_textarea', 'control_email', 'control_phone', 'control_number', 'control_spinner', 'control_dropdown', 'control_radio', 'control_checkbox', 'control_datetime', 'control_time', 'control_scale', 'control_rating', 'control_yesno', 'control_matrix', 'control_fileupload', 'control_fullname', 'control_address', 'control_pagebreak', 'control_button', 'control_widget'];
    const keys = ['text', 'required', 'hidden', 'options', 'allowOther', 'minSelection', 'maxSelection', 'validation', 'maxsize', 'minsize', 'minValue', 'maxValue', 'scaleFrom', 'scaleAmount', 'stars', 'mrows', 'mcolumns', 'extensions', 'maxFileSize', 'sizeUnits', 'multiple', 'sublabels', 'inputMask', 'inputMaskValue', 'entryLimit', 'defaultValue', 'order', 'days', 'addAmount'];
    const question = fc.record({ type: fc.constantFrom(...types), props: fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.string(), fc.jsonValue(), fc.constantFrom('Yes', 'No', '0', '10', 'A|B', 'Email', 'AlphaNumeric', 'MB', '###'))) }).map((r) => ({ ...r.props, type: r.type }));
    const term = fc.record({ field: fc.constantFrom('1', '2', '3', '9'), operator: fc.constantFrom('equals', 'notEquals', 'isEmpty', 'isFilled', 'greaterThan', 'lessThan', 'contains', 'x'), value: fc.oneof(fc.string(), fc.constantFrom('A', 'Yes', '5')) });
    const condition = fc.record({ type: fc.constantFrom('field', 'page', 'require'), link: fc.constantFrom('Any', 'All'), terms: fc.array(term, { maxLength: 3 }).map((t) => JSON.stringify(t)), action: fc.array(fc.record({ visibility: fc.constantFrom('Show', 'Hide', 'SkipTo'), field: fc.constantFrom('1', '2', '3'), skipTo: fc.constantFrom('page-1', 'page-2', 'end', 'x') }), { maxLength: 2 }).map((a) => JSON.stringify(a)) });
    fc.assert(fc.property(fc.array(question, { maxLength: 6 }), fc.array(condition, { maxLength: 4 }), (qs, conditions) => {
      const content = Object.fromEntries(qs.map((q, i) => [String(i + 1), q]));
      onlyUsage(() => {
        const { model } = jotformSource.mapDefinition({ questions: { content }, properties: { content: { conditions } } });
        expect(formModelSchema.safeParse(model).success).toBe(true);
      });
    }), { numRuns: 400 });
  });
  it.each(STEMS)('%s with random properties deleted never crashes', (stem) => {
    const def = load(stem) as { questions: { content: Record<string, Record<string, unknown>> } };
    const paths = Object.entries(def.questions.content).flatMap(([k, q]) => Object.keys(q).map((p) => [k, p] as const));
    fc.assert(fc.property(fc.subarray(paths), (drop) => {
      const copy = structuredClone(def);
      for (const [k, p] of drop) delete copy.questions.content[k]?.[p];
      onlyUsage(() => jotformSource.mapDefinition(copy));
    }), { numRuns: 200 });
  });
});

describe('jotform connector through the contract fake', () => {
  let fake: LoopbackFake | undefined;
  afterEach(async () => fake?.close());
  const client = (url: string, apiKey: string, waits: number[] = []) => recordingClient(jotformSource, url, { apiKey }, waits);

  it('is registered', () => expect(findSource('jotform')).toBe(jotformSource));

  it('lists forms across pages with the APIKEY header', async () => {
    fake = await startFakeJotform({ apiKey: 'k1', maxPageSize: 2 });
    const forms = await jotformSource.listForms({ http: client(fake.url, 'k1') });
    expect(forms.map((f) => f.id)).toEqual(['241234567890001', '241234567890002', '241234567890003', '241234567890004', '241234567890005']);
    expect(fake.requests.map((r) => r.query.get('offset'))).toEqual(['0', '2', '4']);
    expect(fake.requests.every((r) => r.headers.apikey === 'k1')).toBe(true);
  });

  it('fetches questions and properties, and the result maps', async () => {
    fake = await startFakeJotform({ apiKey: 'k1' });
    const def = await jotformSource.fetchDefinition({ http: client(fake.url, 'k1') }, '241234567890004');
    expect(fake.requests.map((r) => r.path)).toEqual(['/form/241234567890004/questions', '/form/241234567890004/properties']);
    expect(jotformSource.mapDefinition(def).model.pages).toHaveLength(3);
  });

  it('401 carries Jotform\'s own message', async () => {
    fake = await startFakeJotform({ apiKey: 'k1' });
    await expectAppError(jotformSource.listForms({ http: client(fake.url, 'wrong') }), 'USAGE_INVALID', "You're not authorized to use");
  });

  it('429 is retried after Retry-After, then succeeds', async () => {
    fake = await startFakeJotform({ apiKey: 'k1' });
    fake.failNext(429, 2);
    const waits: number[] = [];
    const forms = await jotformSource.listForms({ http: client(fake.url, 'k1', waits) });
    expect(forms).toHaveLength(5);
    expect(waits).toEqual([2000, 2000]);
  });

  it('404 carries "Form not found"', async () => {
    fake = await startFakeJotform({ apiKey: 'k1' });
    await expectAppError(jotformSource.fetchDefinition({ http: client(fake.url, 'k1') }, '999'), 'ENDPOINT_FAILED', 'Form not found');
  });
});
