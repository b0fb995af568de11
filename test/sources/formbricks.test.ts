import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { formModelSchema, type FormModel, type FormField } from '../../src/core/form/index.js';
import { compileForm } from '../../src/core/compile/compile-form.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { formbricksSource } from '../../src/sources/formbricks/formbricks-source.js';
import { findSource } from '../../src/sources/registry.js';
import { expectAppError, onlyUsage, recordingClient } from './source-contract-kit.js';
import { loadFixture, type LoopbackFake } from '../fakes/jotform/loopback-fake.js';
import { startFakeFormbricks, toBlocksFormat } from '../fakes/formbricks/fake-formbricks.js';

const DIR = '/work/shared/fixtures/sources/formbricks';
const STEMS = ['survey-newsletter', 'survey-appointment', 'survey-nps-feedback', 'survey-kyc-onboarding', 'survey-large'];
type Obj = Record<string, unknown>;
type Survey = { id: string; questions: (Obj & { id: string; type: string; required: boolean })[]; hiddenFields: { fieldIds: string[] } } & Obj;
const load = (stem: string): { data: Survey } => loadFixture(join(DIR, `${stem}.json`)) as { data: Survey };
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const byId = (m: FormModel, id: string): FormField | undefined => fields(m).find((f) => f.id === id);
const KYC_GROUPS = [['legalname', 'dob', 'email', 'phone', 'applicanttype'], ['company'], ['doctype', 'docupload', 'pep', 'pepdetails', 'volume', 'terms']];

describe('formbricks mapDefinition on every fixture (classic questions[])', () => {
  it.each(STEMS)('%s maps; every question a field or reported, required flags, hidden fields', (stem) => {
    const def = load(stem);
    const { model, unmapped } = formbricksSource.mapDefinition(def);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    def.data.questions.forEach((q, i) => {
      const f = byId(model, q.id) ?? fields(model).find((x) => x.source?.parent === q.id);
      expect(f !== undefined || unmapped.some((u) => u.pointer === `/data/questions/${i}`), `${q.id} ${q.type}`).toBe(true);
      if (f && f.type !== 'statement' && !f.source?.parent) expect(f.required, q.id).toBe(q.required);
    });
    expect(fields(model).filter((f) => f.type === 'hidden').map((f) => f.key)).toEqual(def.data.hiddenFields.fieldIds);
    expect(model.source).toMatchObject({ system: 'formbricks', formId: def.data.id, meta: { environmentId: 'clxenv0000000000000000001', format: 'questions' } });
    expect(model.endMessage).toBe('Thank you!\nWe appreciate your feedback.');
  });

  it('kyc: jump to the document page for individuals, PEP details required when PEP, consent, address parts', () => {
    const { model, unmapped } = formbricksSource.mapDefinition(load('survey-kyc-onboarding'));
    const applicantPage = model.pages.find((p) => p.fields.some((f) => f.id === 'applicanttype'));
    expect(applicantPage?.jumps).toEqual([{ when: { op: 'equals', field: 'applicanttype', value: 'individual-qmsu' }, to: 'doctype' }]);
    expect(model.pages.map((p) => p.id)).toEqual(['legalname', 'company', 'doctype']);
    expect(byId(model, 'pepdetails')?.requiredWhen).toEqual(expect.objectContaining({ op: 'equals', field: 'pep' }));
    expect(unmapped.some((u) => /pepdetails/.test(u.reason))).toBe(false);
    expect(byId(model, 'terms')).toMatchObject({ type: 'consent', label: 'I confirm', required: true });
    expect(byId(model, 'company.label')).toMatchObject({ type: 'statement', label: 'Registered company address' });
    expect(fields(model).filter((f) => f.source?.parent === 'company' && f.type !== 'statement').map((f) => [f.key, f.required])).toEqual([
      ['company.addressLine1', true], ['company.addressLine2', false], ['company.city', true], ['company.zip', true], ['company.country', true],
    ]);
    expect(byId(model, 'docupload')?.file).toEqual({ kind: 'document', maxFiles: 1, maxSizeKb: 10240, mimeTypes: ['image/jpeg', 'image/png', 'application/pdf'] });
    expect(byId(model, 'legalname')?.validation).toEqual({ minLength: 2, maxLength: 100 });
    expect(byId(model, 'volume')?.type).toBe('number');
    expect(byId(model, 'phone')?.type).toBe('phone');
  });

  it('nps: numeric jump, fallback, dangling ending target reported', () => {
    const { model, unmapped } = formbricksSource.mapDefinition(load('survey-nps-feedback'));
    const npsPage = model.pages.find((p) => p.fields.some((f) => f.id === 'nps'));
    expect(npsPage?.jumps).toEqual([{ when: { op: 'lte', field: 'nps', value: 6 }, to: 'whylow' }, { to: 'comment' }]);
    expect(byId(model, 'nps')?.scale).toEqual({ min: 0, max: 10, minLabel: 'Not likely', maxLabel: 'Very likely' });
    expect(byId(model, 'rating')).toMatchObject({ type: 'rating', scale: { min: 1, max: 5, minLabel: 'Bad', maxLabel: 'Great' } });
    expect(unmapped.some((u) => /'endscs003'/.test(u.reason))).toBe(true);
  });

  it('newsletter and appointment: other option, choice values are labels, contact info, dropdown, cal reported', () => {
    const n = formbricksSource.mapDefinition(load('survey-newsletter')).model;
    expect(byId(n, 'topics')).toMatchObject({ type: 'multiple_choice', allowOther: true });
    expect(byId(n, 'topics')?.options?.map((o) => [o.id, o.value])).toEqual([['product-updates-wbgk', 'Product updates'], ['events-lpaf', 'Events']]);
    expect(byId(n, 'email')).toMatchObject({ type: 'email', placeholder: 'you@example.com', required: true });
    const { model, unmapped } = formbricksSource.mapDefinition(load('survey-appointment'));
    expect(fields(model).filter((f) => f.source?.parent === 'fullname').map((f) => [f.type, f.label])).toEqual([['statement', 'Your contact details'], ['short_text', 'First name'], ['short_text', 'Last name'], ['email', 'Email'], ['phone', 'Phone']]);
    expect(byId(model, 'service')?.type).toBe('dropdown');
    expect(unmapped.some((u) => /'cal'/.test(u.reason))).toBe(true);
  });

  it('large: matrix rows keyed by label, picture choice, ranking reported, variables reported', () => {
    const { model, unmapped } = formbricksSource.mapDefinition(load('survey-large'));
    expect(byId(model, 'q11')?.rows?.map((r) => r.key)).toEqual(['Row 1', 'Row 2']);
    expect(byId(model, 'q09')).toMatchObject({ type: 'multiple_choice' });
    expect(unmapped.some((u) => /'ranking'/.test(u.reason))).toBe(true);
    expect(unmapped.some((u) => u.pointer === '/data/variables')).toBe(true);
    expect(fields(model).length).toBeGreaterThanOrEqual(40);
  });

  it.each(STEMS)('%s compiles to a flow the validator accepts', (stem) => {
    const { flow } = compileForm(formbricksSource.mapDefinition(load(stem)).model);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('formbricks blocks[] format', () => {
  it.each(STEMS)('%s in one-block-per-question form maps to the same fields and equivalent jumps', (stem) => {
    const classic = formbricksSource.mapDefinition(load(stem));
    const blocks = formbricksSource.mapDefinition({ data: toBlocksFormat(load(stem).data) });
    expect(blocks.model.source.meta?.format).toBe('blocks');
    expect(fields(blocks.model).map((f) => [f.id, f.type, f.required])).toEqual(fields(classic.model).map((f) => [f.id, f.type, f.required]));
    const head = (fs: FormField[] | undefined): string | undefined => fs?.find((f) => f.type !== 'hidden')?.id;
    const jumps = (m: FormModel): unknown[] => m.pages.flatMap((p) => (p.jumps ?? []).map((j) => [p.fields[p.fields.length - 1]?.id, j.when, j.to === 'end' ? 'end' : head(m.pages.find((x) => x.id === j.to)?.fields)]));
    expect(jumps(blocks.model)).toEqual(jumps(classic.model));
  });

  it('kyc grouped in three blocks: pages are the blocks, jumpToBlock is the page jump', () => {
    const { model } = formbricksSource.mapDefinition({ data: toBlocksFormat(load('survey-kyc-onboarding').data, KYC_GROUPS) });
    expect(model.pages.map((p) => [p.id, p.title, p.fields.length])).toEqual([['blk1', 'Block 1', 6], ['blk2', 'Block 2', 6], ['blk3', 'Block 3', 6]]);
    expect(model.pages[0]?.jumps).toEqual([{ when: { op: 'equals', field: 'applicanttype', value: 'individual-qmsu' }, to: 'blk3' }]);
    const { flow } = compileForm(model);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('formbricks logic edge cases', () => {
  const leaf = (value: string, operator: string, right?: unknown, type = 'question') => ({ id: 'c', leftOperand: { type, value }, operator, ...(right === undefined ? {} : { rightOperand: { type: 'static', value: right } }) });
  const survey = (logic: unknown[], endings: unknown[] = [{ id: 'end1', type: 'endScreen', headline: 'Bye' }]) => ({
    id: 's1', name: 'S', environmentId: 'env', endings, variables: [{ id: 'v', name: 'score', type: 'number', value: 0 }],
    questions: [
      { id: 'a', type: 'multipleChoiceMulti', headline: { default: 'A' }, required: true, choices: [{ id: 'x', label: { default: 'X' } }, { id: 'y', label: { default: 'Y' } }], logic },
      { id: 'b', type: 'openText', headline: { default: 'B' }, required: false, inputType: 'text' },
      { id: 'c', type: 'openText', headline: { default: 'C' }, required: false, inputType: 'text' },
    ],
  });
  const item = (conditions: unknown[], actions: unknown[], connector = 'and') => ({ id: 'l', conditions: { id: 'g', connector, conditions }, actions });

  it('includesOneOf by label, nested groups, jump to an ending', () => {
    const { model } = formbricksSource.mapDefinition({ data: survey([item([leaf('a', 'includesOneOf', ['X', 'y']), { id: 'g2', connector: 'or', conditions: [leaf('a', 'isSubmitted')] }], [{ id: 'j', objective: 'jumpToQuestion', target: 'end1' }])]) });
    expect(model.pages[0]?.jumps).toEqual([{ when: { op: 'and', conditions: [{ op: 'or', conditions: [{ op: 'includes', field: 'a', value: 'x' }, { op: 'includes', field: 'a', value: 'y' }] }, { op: 'answered', field: 'a' }] }, to: 'end' }]);
    expect(model.endMessage).toBe('Bye');
  });

  it('reports variables, calculations, dynamic operands, backward jumps and redirect endings', () => {
    const def = survey([
      item([leaf('v', 'equals', 1, 'variable')], [{ id: 'j', objective: 'jumpToQuestion', target: 'c' }]),
      item([{ ...leaf('a', 'equals'), rightOperand: { type: 'question', value: 'b' } }], [{ id: 'j', objective: 'jumpToQuestion', target: 'c' }]),
      item([leaf('a', 'isSkipped')], [{ id: 'k', objective: 'calculate', variableId: 'v', operator: 'add', value: 1 }]),
    ], [{ id: 'r', type: 'redirectToUrl', url: 'https://x' }]);
    (def.questions[2] as Record<string, unknown>).logic = [item([leaf('c', 'isSubmitted')], [{ id: 'j', objective: 'jumpToQuestion', target: 'a' }])];
    const { model, unmapped } = formbricksSource.mapDefinition(def);
    expect(model.pages.flatMap((p) => p.jumps ?? [])).toEqual([]);
    expect(unmapped.map((u) => u.reason)).toEqual(expect.arrayContaining([
      expect.stringMatching(/variables/), expect.stringMatching(/dynamic right-hand side/), expect.stringMatching(/calculations/), expect.stringMatching(/Backward jump/), expect.stringMatching(/Redirect endings/),
    ]));
    expect(unmapped.some((u) => u.pointer === '/variables')).toBe(true);
  });
});

describe('formbricks mapDefinition fuzz', () => {
  it('random JSON throws nothing but USAGE_INVALID', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => onlyUsage(() => formbricksSource.mapDefinition(v))), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.jsonValue()), fc.boolean(), (list, asBlocks) => onlyUsage(() => formbricksSource.mapDefinition({ data: { id: 's', name: 'n', [asBlocks ? 'blocks' : 'questions']: list } }))), { numRuns: 300 });
  });
  it('random questions of every type with random logic throw nothing but USAGE_INVALID', () => {
    const types = ['openText', 'multipleChoiceSingle', 'multipleChoiceMulti', 'pictureSelection', 'nps', 'rating', 'consent', 'date', 'fileUpload', 'matrix', 'address', 'contactInfo', 'cta', 'cal', 'ranking'];
    const ids = fc.constantFrom('a', 'b', 'c', 'other', 'end1');
    const leaf = fc.record({ leftOperand: fc.record({ type: fc.constantFrom('question', 'element', 'variable', 'hiddenField'), value: ids }), operator: fc.constantFrom('equals', 'doesNotEqual', 'isSubmitted', 'isSkipped', 'isLessThan', 'equalsOneOf', 'includesAllOf', 'contains'), rightOperand: fc.record({ type: fc.constantFrom('static', 'question'), value: fc.oneof(ids, fc.integer(), fc.array(ids)) }) });
    const logic = fc.record({ conditions: fc.record({ connector: fc.constantFrom('and', 'or'), conditions: fc.array(leaf, { maxLength: 2 }) }), actions: fc.array(fc.record({ objective: fc.constantFrom('jumpToQuestion', 'requireAnswer', 'calculate'), target: ids }), { maxLength: 2 }) });
    const question = fc.record({
      id: ids, type: fc.constantFrom(...types), headline: fc.oneof(fc.string(), fc.record({ default: fc.string() })), required: fc.boolean(),
      inputType: fc.constantFrom('text', 'email', 'number', 'phone', 'url'), charLimit: fc.record({ enabled: fc.boolean(), min: fc.integer({ min: -2, max: 5 }), max: fc.integer({ min: -2, max: 50 }) }),
      choices: fc.array(fc.record({ id: ids, label: fc.record({ default: fc.string() }) }), { maxLength: 3 }), range: fc.integer({ min: -1, max: 12 }), scale: fc.constantFrom('star', 'number'),
      rows: fc.array(fc.record({ id: ids, label: fc.string() }), { maxLength: 2 }), columns: fc.array(fc.record({ id: ids, label: fc.string() }), { maxLength: 2 }),
      allowedFileExtensions: fc.array(fc.constantFrom('pdf', 'png', 'xyz')), maxSizeInMB: fc.integer({ min: 0, max: 20 }), logic: fc.array(logic, { maxLength: 2 }), logicFallback: ids,
    }, { requiredKeys: ['id', 'type'] });
    fc.assert(fc.property(fc.array(question, { maxLength: 5 }), fc.boolean(), (questions, asBlocks) => onlyUsage(() => {
      const survey = { id: 's', name: 'S', endings: [{ id: 'end1', type: 'endScreen' }], hiddenFields: { enabled: true, fieldIds: ['a', 'h'] } };
      const def = asBlocks ? { ...survey, blocks: questions.map((q, i) => ({ id: `b${i}`, elements: [q], logic: q.logic, logicFallback: q.logicFallback })) } : { ...survey, questions };
      const { model } = formbricksSource.mapDefinition({ data: def });
      expect(formModelSchema.safeParse(model).success).toBe(true);
    })), { numRuns: 400 });
  });
  it.each(STEMS)('%s with random question fields deleted never crashes', (stem) => {
    const def = load(stem);
    const paths = def.data.questions.flatMap((q, i) => Object.keys(q).map((k) => [i, k] as const));
    fc.assert(fc.property(fc.subarray(paths), (drop) => {
      const copy = structuredClone(def) as unknown as { data: { questions: Obj[] } };
      for (const [i, k] of drop) delete copy.data.questions[i]?.[k];
      onlyUsage(() => formbricksSource.mapDefinition(copy));
    }), { numRuns: 200 });
  });
});

describe('formbricks connector through the contract fake', () => {
  let fake: LoopbackFake | undefined;
  afterEach(async () => fake?.close());
  const client = (url: string, apiKey: string, waits: number[] = []) => recordingClient(formbricksSource, url, { apiKey }, waits);

  it('is registered', () => expect(findSource('formbricks')).toBe(formbricksSource));

  it('lists surveys across pages with the x-api-key header', async () => {
    fake = await startFakeFormbricks({ apiKey: 'k', maxPageSize: 2 });
    const forms = await formbricksSource.listForms({ http: client(fake.url, 'k') });
    expect(forms.map((f) => f.id).sort()).toEqual(STEMS.map((s) => load(s).data.id).sort());
    expect(fake.requests.map((r) => r.query.get('offset'))).toEqual(['0', '2', '4', '5']);
    expect(fake.requests.every((r) => r.headers['x-api-key'] === 'k')).toBe(true);
  });

  it('fetches a blocks-format survey and maps it', async () => {
    const blocks = toBlocksFormat(load('survey-kyc-onboarding').data, KYC_GROUPS);
    fake = await startFakeFormbricks({ apiKey: 'k', extraSurveys: [blocks] });
    const def = await formbricksSource.fetchDefinition({ http: client(fake.url, 'k') }, blocks.id as string);
    expect(def).toEqual({ data: blocks });
    expect(formbricksSource.mapDefinition(def).model.pages).toHaveLength(3);
  });

  it('401 carries Formbricks\' message', async () => {
    fake = await startFakeFormbricks({ apiKey: 'k' });
    await expectAppError(formbricksSource.listForms({ http: client(fake.url, 'nope') }), 'USAGE_INVALID', 'Not authenticated (x-Api-Key: Header not provided or API Key invalid)');
  });

  it('429 then success honours Retry-After', async () => {
    fake = await startFakeFormbricks({ apiKey: 'k' });
    fake.failNext(429, 2);
    const waits: number[] = [];
    expect(await formbricksSource.fetchDefinition({ http: client(fake.url, 'k', waits) }, 'clsrvnewsletter000000001')).toMatchObject({ data: { id: 'clsrvnewsletter000000001' } });
    expect(waits).toEqual([5000, 5000]);
  });

  it('404 for an unknown survey', async () => {
    fake = await startFakeFormbricks({ apiKey: 'k' });
    await expectAppError(formbricksSource.fetchDefinition({ http: client(fake.url, 'k') }, 'nope'), 'ENDPOINT_FAILED', 'Survey not found');
  });
});
