import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { formModelSchema, type FormModel, type FormField } from '../../src/core/form/index.js';
import { compileForm } from '../../src/core/compile/compile-form.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { tallySource } from '../../src/sources/tally/tally-source.js';
import { relativeDays } from '../../src/sources/tally/tally-fields.js';
import { findSource } from '../../src/sources/registry.js';
import { expectAppError, onlyUsage, recordingClient } from './source-contract-kit.js';
import { submittedToSource } from './source-roundtrip-kit.js';
import { loadFixture, type LoopbackFake } from '../fakes/jotform/loopback-fake.js';
import { startFakeTally } from '../fakes/tally/fake-tally.js';

const DIR = '/work/shared/fixtures/sources/tally';
const STEMS = ['form-newsletter', 'form-appointment', 'form-nps-feedback', 'form-kyc-onboarding', 'form-large-survey'];
type Block = { uuid: string; type: string; groupUuid: string; groupType: string; payload: Record<string, unknown> };
const load = (stem: string): { id: string; blocks: Block[] } => loadFixture(join(DIR, `${stem}.json`)) as { id: string; blocks: Block[] };
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const byId = (m: FormModel, id: string): FormField | undefined => fields(m).find((f) => f.id === id);
const INPUT_GROUPS = new Set(['QUESTION', 'TEXT', 'PAGE_BREAK', 'CONDITIONAL_LOGIC', 'HIDDEN_FIELDS']);

describe('tally mapDefinition on every fixture', () => {
  it.each(STEMS)('%s maps to a valid FormModel; every input group is a field or reported', (stem) => {
    const def = load(stem);
    const { model, unmapped } = tallySource.mapDefinition(def);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    const groups = new Set(def.blocks.filter((b) => !INPUT_GROUPS.has(b.groupType)).map((b) => b.groupUuid));
    for (const g of groups) {
      const index = def.blocks.findIndex((b) => b.groupUuid === g);
      expect(byId(model, g) !== undefined || unmapped.some((u) => u.pointer === `/blocks/${index}`), `${g} ${def.blocks[index]?.type}`).toBe(true);
    }
    const required = def.blocks.filter((b) => b.payload.isRequired === true && byId(model, b.groupUuid)).map((b) => b.groupUuid);
    for (const g of required) expect(byId(model, g)?.required).toBe(true);
    expect(model.pages).toHaveLength(def.blocks.filter((b) => b.type === 'PAGE_BREAK').length + 1);
    expect(model.source).toMatchObject({ system: 'tally', formId: def.id });
  });

  it('newsletter: other option, placeholder, hidden fields keyed by name', () => {
    const { model } = tallySource.mapDefinition(load('form-newsletter'));
    const topics = fields(model).find((f) => f.label === 'Topics');
    expect(topics).toMatchObject({ type: 'multiple_choice', allowOther: true });
    expect(topics?.options?.map((o) => o.label)).toEqual(['Product updates', 'Events', 'Industry news']);
    expect(topics?.options?.every((o) => o.value === o.id)).toBe(true);
    expect(fields(model).find((f) => f.type === 'email')).toMatchObject({ label: 'Email', required: true, placeholder: 'you@example.com' });
    expect(fields(model).filter((f) => f.type === 'hidden').map((f) => f.key)).toEqual(['utm_source', 'ref']);
    expect(model.title).toBe('Newsletter sign-up');
  });

  it('appointment and nps: "today" as a relative min date, scale labels, rating', () => {
    const a = tallySource.mapDefinition(load('form-appointment'));
    const date = fields(a.model).find((f) => f.type === 'date');
    expect(date?.validation).toEqual({ minDateOffset: 0 });
    expect(a.unmapped.some((u) => u.pointer.endsWith('/payload/minDate'))).toBe(false);
    expect(fields(a.model).find((f) => f.type === 'long_text')?.validation?.maxLength).toBe(500);
    expect(fields(a.model).find((f) => f.type === 'dropdown')?.options).toHaveLength(3);
    const n = tallySource.mapDefinition(load('form-nps-feedback')).model;
    expect(fields(n).find((f) => f.type === 'nps')).toMatchObject({ required: true, scale: { min: 0, max: 10, minLabel: 'Not likely', maxLabel: 'Very likely' } });
    expect(fields(n).find((f) => f.type === 'rating')?.scale).toEqual({ min: 1, max: 5 });
  });

  it('kyc: show-if on the PEP answer, jump from the logic block\'s page, signature reported, file limits', () => {
    const def = load('form-kyc-onboarding');
    const { model, unmapped } = tallySource.mapDefinition(def);
    const pep = fields(model).find((f) => f.label === 'Are you a politically exposed person?');
    const yes = pep?.options?.find((o) => o.label === 'Yes');
    expect(fields(model).find((f) => f.label === 'Describe your public function')?.visibleWhen).toEqual({ op: 'equals', field: pep?.id, value: yes?.id });
    const applying = fields(model).find((f) => f.label === 'Applying as');
    const individual = applying?.options?.find((o) => o.label === 'Individual');
    const jumpPage = model.pages.find((p) => p.jumps?.length);
    expect(jumpPage?.jumps).toEqual([{ when: { op: 'equals', field: applying?.id, value: individual?.id }, to: 'page-3' }]);
    expect(jumpPage?.id).toBe('page-2');
    expect(unmapped.some((u) => /SIGNATURE/.test(u.reason))).toBe(true);
    expect(fields(model).find((f) => f.type === 'file')?.file).toEqual({ kind: 'document', maxFiles: 1, maxSizeKb: 10240, mimeTypes: ['image/*', 'application/pdf'] });
    expect(fields(model).find((f) => f.type === 'number')?.validation).toEqual({ min: 0, max: 1000000 });
    expect(fields(model).find((f) => f.label === 'Company registration number')?.validation).toEqual({ minLength: 5, maxLength: 20 });
  });

  it('kyc: the "Individual → page 3" jump stands on page 2, after the business questions: Individuals are still asked them (said in the report)', async () => {
    const { model, unmapped } = tallySource.mapDefinition(load('form-kyc-onboarding'));
    const note = unmapped.find((u) => u.pointer === '/blocks/15/payload')?.reason ?? '';
    expect(note).toMatch(/stands on page 2, after its questions/);
    expect(note).toMatch(/'Registered company name' \(required\), 'Company registration number' \(required\)/);
    expect(note).toMatch(/page 3 follows page 2 anyway, so the jump changes nothing/);
    const result = compileForm(model);
    const applying = fields(model).find((f) => f.label === 'Applying as');
    const individual = applying?.options?.find((o) => o.label === 'Individual')?.id ?? '';
    const submitted = await submittedToSource(result, { [applying?.id ?? '']: individual });
    const business = fields(model).filter((f) => f.label === 'Registered company name' || f.label === 'Company registration number').map((f) => f.key);
    expect(business).toHaveLength(2);
    expect(Object.keys(submitted)).toEqual(expect.arrayContaining(business));
  });

  it('reads relative date bounds: today, tomorrow, today±N, ±N days; anything else is not a bound (property)', () => {
    expect(['today', 'Tomorrow', 'yesterday', 'today+30', 'today - 7 days', '+1 day', '-3d'].map(relativeDays)).toEqual([0, 1, -1, 30, -7, 1, -3]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('+', '-'), fc.constantFrom('', 'today', 'TODAY '), fc.constantFrom('', 'd', ' days', 'day'), (n, sign, prefix, unit) => {
      expect(relativeDays(`${prefix}${sign}${n}${unit}`)).toBe(sign === '-' ? -n : n);
    }));
    fc.assert(fc.property(fc.string(), (text) => {
      const r = relativeDays(text);
      expect(r === undefined || Number.isInteger(r)).toBe(true);
    }), { numRuns: 300 });
    expect(relativeDays('2026-01-01')).toBeUndefined();
  });

  it('large: ranking is reported, multi-select is multiple choice, texts become statements', () => {
    const { model, unmapped } = tallySource.mapDefinition(load('form-large-survey'));
    expect(unmapped.filter((u) => /Ranking/.test(u.reason)).length).toBeGreaterThan(0);
    expect(fields(model).filter((f) => f.type === 'multiple_choice').length).toBeGreaterThanOrEqual(2);
    expect(fields(model).some((f) => f.type === 'statement' || f.help === 'Help text 1')).toBe(true);
    expect(fields(model).filter((f) => f.type !== 'statement' && f.type !== 'hidden').length).toBeGreaterThanOrEqual(40);
  });

  it.each(STEMS)('%s compiles to a flow the validator accepts', (stem) => {
    const { flow } = compileForm(tallySource.mapDefinition(load(stem)).model);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('tally logic and layout', () => {
  const b = (uuid: string, type: string, groupUuid: string, payload: Record<string, unknown> = {}) => ({ uuid, type, groupUuid, groupType: type, payload });
  const field = (uuid: string, questionType: string) => ({ uuid, type: 'INPUT_FIELD', questionType, blockGroupUuid: uuid, title: '' });
  const logic = (uuid: string, op: string, conditionals: unknown[], actions: unknown[]) => b(uuid, 'CONDITIONAL_LOGIC', uuid, { logicalOperator: op, conditionals, actions });
  const blocks = [
    b('t1', 'TITLE', 'gt1', { html: '<b>Age</b>' }),
    b('n1', 'INPUT_NUMBER', 'g-age', { isRequired: true }),
    b('t2', 'TITLE', 'gt2', { html: 'Nick' }),
    b('x1', 'INPUT_TEXT', 'g-nick'),
    b('h1', 'HEADING_2', 'gh', { html: 'More' }),
    logic('l1', 'OR', [
      { type: 'SINGLE', payload: { field: field('g-age', 'INPUT_NUMBER'), comparison: 'IS_LESS_THAN', value: 18 } },
      { type: 'GROUP', payload: { logicalOperator: 'AND', conditionals: [{ type: 'SINGLE', payload: { field: field('g-nick', 'INPUT_TEXT'), comparison: 'IS_NOT_EMPTY' } }] } },
    ], [{ type: 'HIDE_BLOCKS', payload: { hideBlocks: ['t2', 'x1'] } }, { type: 'REQUIRE_ANSWER', payload: {} }]),
    b('p1', 'PAGE_BREAK', 'gp1'),
    b('x2', 'TEXTAREA', 'g-more'),
    logic('l2', 'AND', [{ type: 'SINGLE', payload: { field: field('g-age', 'INPUT_NUMBER'), comparison: 'IS', value: 30 } }], [{ type: 'JUMP_TO_PAGE', payload: { jumpToPage: 1 } }]),
    b('ty', 'THANK_YOU_PAGE', 'gty'),
    b('ty2', 'TEXT', 'gty2', { html: '<p>Thanks a lot</p>' }),
  ];

  it('maps HIDE_BLOCKS with groups, headings, and the thank-you page; reports REQUIRE_ANSWER and backward jumps', () => {
    const { model, unmapped } = tallySource.mapDefinition({ id: 'f1', name: 'Form', blocks });
    expect(byId(model, 'g-nick')?.visibleWhen).toEqual({ op: 'not', condition: { op: 'or', conditions: [{ op: 'lt', field: 'g-age', value: 18 }, { op: 'answered', field: 'g-nick' }] } });
    expect(byId(model, 'g-age')).toMatchObject({ label: 'Age', required: true, type: 'number' });
    expect(byId(model, 'h1')).toMatchObject({ type: 'statement', style: 'subheading', label: 'More' });
    expect(model.endMessage).toBe('Thanks a lot');
    expect(unmapped.map((u) => u.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/REQUIRE_ANSWER/), expect.stringMatching(/backward/)]));
    expect(model.pages.every((p) => !p.jumps)).toBe(true);
  });
});

describe('tally mapDefinition fuzz', () => {
  it('random JSON throws nothing but USAGE_INVALID', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => onlyUsage(() => tallySource.mapDefinition(v))), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.jsonValue()), (blocks) => onlyUsage(() => tallySource.mapDefinition({ id: 'x', blocks }))), { numRuns: 300 });
  });
  it('random blocks of every known type with random payloads throw nothing but USAGE_INVALID', () => {
    const types = ['FORM_TITLE', 'TITLE', 'TEXT', 'HEADING_1', 'INPUT_TEXT', 'INPUT_NUMBER', 'INPUT_EMAIL', 'INPUT_PHONE_NUMBER', 'INPUT_LINK', 'INPUT_DATE', 'INPUT_TIME', 'TEXTAREA', 'LINEAR_SCALE', 'RATING', 'FILE_UPLOAD', 'MULTIPLE_CHOICE_OPTION', 'CHECKBOX', 'DROPDOWN_OPTION', 'RANKING_OPTION', 'HIDDEN_FIELDS', 'PAGE_BREAK', 'THANK_YOU_PAGE', 'CONDITIONAL_LOGIC', 'SIGNATURE', 'DIVIDER'];
    const keys = ['html', 'title', 'text', 'isRequired', 'isOtherOption', 'placeholder', 'hasMinNumber', 'minNumber', 'hasMaxNumber', 'maxNumber', 'hasMinCharacters', 'minCharacters', 'hasMaxCharacters', 'maxCharacters', 'start', 'end', 'step', 'stars', 'maxFiles', 'maxFileSize', 'allowedFileTypes', 'hiddenFields', 'hasMinDate', 'minDate', 'logicalOperator', 'conditionals', 'actions', 'isThankYouPage'];
    const ids = fc.constantFrom('a', 'b', 'c', 'd');
    const cond = fc.record({ type: fc.constantFrom('SINGLE', 'GROUP'), payload: fc.record({ field: fc.record({ uuid: ids, blockGroupUuid: ids }), comparison: fc.constantFrom('IS', 'IS_NOT', 'IS_EMPTY', 'IS_GREATER_THAN', 'CONTAINS', 'X'), value: fc.oneof(ids, fc.integer(), fc.string()) }) });
    const action = fc.record({ type: fc.constantFrom('SHOW_BLOCKS', 'HIDE_BLOCKS', 'JUMP_TO_PAGE', 'REQUIRE_ANSWER'), payload: fc.record({ showBlocks: fc.array(ids), jumpToPage: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.string()) }) });
    const value = fc.oneof(fc.jsonValue(), fc.boolean(), fc.integer({ min: -5, max: 20 }), fc.array(cond, { maxLength: 2 }), fc.array(action, { maxLength: 2 }), fc.constant([{ uuid: 'h', name: 'x' }]));
    const block = fc.record({ uuid: ids, type: fc.constantFrom(...types), groupUuid: ids, groupType: fc.constantFrom('QUESTION', 'TEXT', 'INPUT_TEXT'), payload: fc.dictionary(fc.constantFrom(...keys), value) });
    fc.assert(fc.property(fc.array(block, { maxLength: 10 }), (blocks) => onlyUsage(() => {
      const { model } = tallySource.mapDefinition({ id: 'f', name: 'F', blocks });
      expect(formModelSchema.safeParse(model).success).toBe(true);
    })), { numRuns: 400 });
  });
  it.each(STEMS)('%s with random block fields deleted never crashes', (stem) => {
    const def = load(stem);
    const paths = def.blocks.flatMap((b, i) => [...Object.keys(b), ...Object.keys(b.payload).map((k) => `payload.${k}`)].map((k) => [i, k] as const));
    fc.assert(fc.property(fc.subarray(paths), (drop) => {
      const copy = structuredClone(def) as unknown as { blocks: Record<string, Record<string, unknown>>[] };
      for (const [i, k] of drop) {
        const b = copy.blocks[i];
        if (!b) continue;
        if (k.startsWith('payload.')) delete b.payload?.[k.slice(8)];
        else delete b[k];
      }
      onlyUsage(() => tallySource.mapDefinition(copy));
    }), { numRuns: 200 });
  });
});

describe('tally connector through the contract fake', () => {
  let fake: LoopbackFake | undefined;
  afterEach(async () => fake?.close());
  const client = (url: string, apiKey: string, waits: number[] = []) => recordingClient(tallySource, url, { apiKey }, waits);

  it('is registered', () => expect(findSource('tally')).toBe(tallySource));

  it('lists forms across pages with the Bearer key', async () => {
    fake = await startFakeTally({ apiKey: 'tly-1', maxPageSize: 2 });
    const forms = await tallySource.listForms({ http: client(fake.url, 'tly-1') });
    expect(forms.map((f) => f.id)).toEqual(['wMz8Xq', 'nPq2Lk', 'kR7vTy', 'y3Hd6B', 'bV5nQe']);
    expect(fake.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer tly-1')).toBe(true);
  });

  it('fetches the definition as returned', async () => {
    fake = await startFakeTally({ apiKey: 'tly-1' });
    const def = await tallySource.fetchDefinition({ http: client(fake.url, 'tly-1') }, 'y3Hd6B');
    expect(def).toEqual(load('form-kyc-onboarding'));
  });

  it('401 carries Tally\'s message', async () => {
    fake = await startFakeTally({ apiKey: 'tly-1' });
    await expectAppError(tallySource.listForms({ http: client(fake.url, 'nope') }), 'USAGE_INVALID', 'Unauthorized');
  });

  it('429 then success honours Retry-After', async () => {
    fake = await startFakeTally({ apiKey: 'tly-1' });
    fake.failNext(429, 1);
    const waits: number[] = [];
    expect(await tallySource.fetchDefinition({ http: client(fake.url, 'tly-1', waits) }, 'wMz8Xq')).toMatchObject({ id: 'wMz8Xq' });
    expect(waits).toEqual([3000]);
  });

  it('404 for an unknown form', async () => {
    fake = await startFakeTally({ apiKey: 'tly-1' });
    await expectAppError(tallySource.fetchDefinition({ http: client(fake.url, 'tly-1') }, 'zzz'), 'ENDPOINT_FAILED', 'Form not found');
  });
});
