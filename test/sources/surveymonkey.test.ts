import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { formModelSchema, type FormModel, type FormField } from '../../src/core/form/index.js';
import { compileForm } from '../../src/core/compile/compile-form.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { listSurveyMonkeyCollectors, surveyMonkeySource } from '../../src/sources/surveymonkey/surveymonkey-source.js';
import { findSource } from '../../src/sources/registry.js';
import { expectAppError, onlyUsage, recordingClient } from './source-contract-kit.js';
import { loadFixture, type LoopbackFake } from '../fakes/jotform/loopback-fake.js';
import { startFakeSurveyMonkey } from '../fakes/surveymonkey/fake-surveymonkey.js';

const DIR = '/work/shared/fixtures/sources/surveymonkey';
const STEMS = ['survey-newsletter-details', 'survey-appointment-details', 'survey-nps-feedback-details', 'survey-kyc-onboarding-details', 'survey-large-details'];
type Q = { id: string; family: string; subtype: string; required: unknown; answers?: { choices?: { id: string; text: string }[]; rows?: { id: string }[] } };
type Survey = { id: string; pages: { id: string; questions: Q[] }[] };
const load = (stem: string): Survey => loadFixture(join(DIR, `${stem}.json`)) as Survey;
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const ofQuestion = (m: FormModel, qid: string): FormField[] => fields(m).filter((f) => f.source?.questionId === qid);

describe('surveymonkey mapDefinition on every fixture', () => {
  it.each(STEMS)('%s maps; pages kept, every question a field or reported, required flags and choice ids kept', (stem) => {
    const survey = load(stem);
    const { model, unmapped } = surveyMonkeySource.mapDefinition(survey);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    expect(model.pages.map((p) => p.id)).toEqual(survey.pages.map((p) => p.id));
    survey.pages.forEach((p, pi) => p.questions.forEach((q, qi) => {
      const mapped = ofQuestion(model, q.id);
      expect(mapped.length > 0 || unmapped.some((u) => u.pointer === `/pages/${pi}/questions/${qi}`), `${q.id} ${q.family}/${q.subtype}`).toBe(true);
      for (const f of mapped) {
        if (f.type !== 'statement') expect(f.required, q.id).toBe(q.required !== null);
        if (f.options && f.type !== 'grid') expect(f.options.map((o) => o.value)).toEqual(q.answers?.choices?.map((c) => c.id));
      }
    }));
    expect(fields(model).find((f) => f.type === 'hidden')).toMatchObject({ key: 'ref', label: 'Customer reference' });
    expect(unmapped[0]?.reason).toMatch(/skip logic/);
  });

  it('newsletter: e-mail validation, demographic rows, other option', () => {
    const { model } = surveyMonkeySource.mapDefinition(load('survey-newsletter-details'));
    expect(ofQuestion(model, '4385172010')[0]).toMatchObject({ type: 'email', required: true });
    expect(ofQuestion(model, '4385172011')[0]).toMatchObject({ type: 'statement', label: 'Your details', style: 'subheading' });
    expect(ofQuestion(model, '4385172011').slice(1).map((f) => [f.type, f.key, f.label])).toEqual([
      ['short_text', '4385172011/4385172001', 'Name'], ['short_text', '4385172011/4385172002', 'Company'], ['email', '4385172011/4385172003', 'Email Address'], ['phone', '4385172011/4385172004', 'Phone Number'],
    ]);
    expect(ofQuestion(model, '4385172012')[0]).toMatchObject({ type: 'multiple_choice', allowOther: true, source: { otherId: '4385172008' } });
  });

  it('nps feedback: NPS and star rating keep their choice ids, matrix is a grid', () => {
    const survey = load('survey-nps-feedback-details');
    const { model } = surveyMonkeySource.mapDefinition(survey);
    const nps = ofQuestion(model, '4385172050')[0];
    expect(nps).toMatchObject({ type: 'nps', scale: { min: 0, max: 10 }, source: { rowId: '4385172025' } });
    expect(nps?.source?.choiceIds).toEqual(survey.pages[0]?.questions[0]?.answers?.choices?.map((c) => c.id));
    expect(ofQuestion(model, '4385172051')[0]).toMatchObject({ type: 'rating', scale: { min: 1, max: 5 } });
    expect(ofQuestion(model, '4385172052')[0]?.rows?.map((r) => r.label)).toEqual(['Speed', 'Friendliness']);
    expect(ofQuestion(model, '4385172053')[0]?.type).toBe('long_text');
  });

  it('appointment and kyc: lengths, menus, dates, number range, regex and file reported or mapped', () => {
    const a = surveyMonkeySource.mapDefinition(load('survey-appointment-details')).model;
    expect(ofQuestion(a, '4385172020')[0]?.validation).toEqual({ minLength: 2, maxLength: 80 });
    expect(ofQuestion(a, '4385172021')[0]?.type).toBe('dropdown');
    expect(ofQuestion(a, '4385172022')[0]).toMatchObject({ type: 'datetime', source: { dateFormat: 'DD/MM/YYYY' } });
    const { model, unmapped } = surveyMonkeySource.mapDefinition(load('survey-kyc-onboarding-details'));
    expect(ofQuestion(model, '4385172079')[0]?.validation).toEqual({ min: 1, max: 100000, integer: true });
    expect(ofQuestion(model, '4385172078').filter((f) => f.type === 'short_text').map((f) => f.label)).toEqual(['Registered name', 'Registration number', 'VAT number']);
    expect(unmapped.some((u) => u.pointer === '/pages/2/questions/1/validation')).toBe(true);
    expect(ofQuestion(model, '4385172083')[0]?.type).toBe('file');
    expect(model.source).toMatchObject({ system: 'surveymonkey', formId: '512000004' });
  });

  it('collector ids are kept when the collectors list is passed alongside', () => {
    const { model } = surveyMonkeySource.mapDefinition({ survey: load('survey-appointment-details'), collectors: loadFixture(join(DIR, 'list-collectors.json')) });
    expect(model.source.meta).toMatchObject({ collectorId: '431000001', collectorIds: ['431000001'] });
  });

  it('large: ranking reported, presentation is a statement', () => {
    const { model, unmapped } = surveyMonkeySource.mapDefinition(load('survey-large-details'));
    expect(unmapped.some((u) => /Ranking/.test(u.reason))).toBe(true);
    expect(ofQuestion(model, '4385172192')[0]?.type).toBe('statement');
    expect(fields(model).length).toBeGreaterThanOrEqual(40);
  });

  it('hidden choices, random order and question-level rules are reported, not silently dropped', () => {
    const survey = load('survey-newsletter-details') as unknown as { pages: { questions: Record<string, unknown>[] }[] };
    const q = survey.pages[0]?.questions[2] as { answers: { choices: { visible: boolean }[] }; sorting: unknown; required: unknown };
    (q.answers.choices[1] as { visible: boolean }).visible = false;
    q.sorting = { type: 'random', ignore_last: false };
    q.required = { text: 'Pick two', type: 'at_least', amount: '2' };
    const { model, unmapped } = surveyMonkeySource.mapDefinition(survey);
    expect(ofQuestion(model, '4385172012')[0]).toMatchObject({ options: [{ label: 'Product updates' }, { label: 'Industry news' }], validation: { minSelected: 2 }, required: true });
    expect(unmapped.map((u) => u.pointer)).toEqual(expect.arrayContaining(['/pages/0/questions/2/answers/choices/1', '/pages/0/questions/2/sorting']));
  });

  it.each(STEMS)('%s compiles to a flow the validator accepts', (stem) => {
    const { flow } = compileForm(surveyMonkeySource.mapDefinition(load(stem)).model);
    expect(validateFlow(flow).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('surveymonkey mapDefinition fuzz', () => {
  it('random JSON throws nothing but USAGE_INVALID', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => onlyUsage(() => surveyMonkeySource.mapDefinition(v))), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.jsonValue()), (questions) => onlyUsage(() => surveyMonkeySource.mapDefinition({ id: '1', title: 't', pages: [{ id: 'p', questions }] }))), { numRuns: 300 });
  });
  it('random questions of every family with random answers throw nothing but USAGE_INVALID', () => {
    const families = ['single_choice', 'multiple_choice', 'matrix', 'open_ended', 'demographic', 'datetime', 'presentation', 'file_upload', 'slider'];
    const subtypes = ['vertical', 'menu', 'single', 'multi', 'rating', 'ranking', 'numerical', 'essay', 'international', 'date_only', 'time_only', 'both', 'descriptive_text', 'image', ''];
    const entry = fc.record({ id: fc.constantFrom('1', '2', '3', ''), text: fc.oneof(fc.string(), fc.constantFrom('0', '1', '5', '10')), visible: fc.boolean(), type: fc.constantFrom('email', 'phone', 'name') });
    const question = fc.record({
      id: fc.constantFrom('q1', 'q2', 'q3'), family: fc.constantFrom(...families), subtype: fc.constantFrom(...subtypes), visible: fc.boolean(),
      headings: fc.array(fc.record({ heading: fc.string(), description: fc.string() }), { maxLength: 1 }),
      required: fc.oneof(fc.constant(null), fc.record({ type: fc.constantFrom('all', 'at_least', 'at_most', 'exactly', 'range'), amount: fc.constantFrom('0', '2', 'x') })),
      validation: fc.oneof(fc.constant(null), fc.record({ type: fc.constantFrom('integer', 'decimal', 'email', 'text_length', 'regex', 'date_us', 'date_intl', 'sum'), min: fc.oneof(fc.constant(null), fc.constantFrom('1', '01/02/2024', 'x')), max: fc.oneof(fc.constant(null), fc.constantFrom('10', '2024-12-31')) })),
      answers: fc.record({ choices: fc.array(entry, { maxLength: 4 }), rows: fc.array(entry, { maxLength: 3 }), other: fc.oneof(fc.constant(undefined), entry) }, { requiredKeys: [] }),
      sorting: fc.oneof(fc.constant(null), fc.record({ type: fc.constantFrom('default', 'random') })),
    }, { requiredKeys: ['id', 'family'] });
    fc.assert(fc.property(fc.array(question, { maxLength: 5 }), fc.dictionary(fc.string(), fc.string()), (questions, vars) => onlyUsage(() => {
      const { model } = surveyMonkeySource.mapDefinition({ id: '1', title: 'T', custom_variables: vars, pages: [{ id: 'p1', questions }] });
      expect(formModelSchema.safeParse(model).success).toBe(true);
    })), { numRuns: 400 });
  });
  it.each(STEMS)('%s with random question fields deleted never crashes', (stem) => {
    const survey = load(stem);
    const paths = survey.pages.flatMap((p, pi) => p.questions.flatMap((q, qi) => Object.keys(q).map((k) => [pi, qi, k] as const)));
    fc.assert(fc.property(fc.subarray(paths), (drop) => {
      const copy = structuredClone(survey) as unknown as { pages: { questions: Record<string, unknown>[] }[] };
      for (const [pi, qi, k] of drop) delete copy.pages[pi]?.questions[qi]?.[k];
      onlyUsage(() => surveyMonkeySource.mapDefinition(copy));
    }), { numRuns: 200 });
  });
});

describe('surveymonkey connector through the contract fake', () => {
  let fake: LoopbackFake | undefined;
  afterEach(async () => fake?.close());
  const client = (url: string, accessToken: string, waits: number[] = []) => recordingClient(surveyMonkeySource, `${url}/v3`, { accessToken }, waits);

  it('is registered', () => expect(findSource('surveymonkey')).toBe(surveyMonkeySource));

  it('lists surveys across pages following links.next', async () => {
    fake = await startFakeSurveyMonkey({ token: 't1', maxPageSize: 2 });
    const forms = await surveyMonkeySource.listForms({ http: client(fake.url, 't1') });
    expect(forms.map((f) => f.id)).toEqual(['512000001', '512000002', '512000003', '512000004', '512000005']);
    expect(fake.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer t1' && r.path === '/v3/surveys')).toBe(true);
  });

  it('fetches details and collectors', async () => {
    fake = await startFakeSurveyMonkey({ token: 't1' });
    const http = client(fake.url, 't1');
    const survey = await surveyMonkeySource.fetchDefinition({ http }, '512000004');
    expect(survey).toEqual(load('survey-kyc-onboarding-details'));
    expect((await listSurveyMonkeyCollectors({ http }, '512000004')).map((c) => c.id)).toEqual(['431000001']);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v3/surveys/512000004/details', '/v3/surveys/512000004/collectors']);
  });

  it('401 carries SurveyMonkey\'s message', async () => {
    fake = await startFakeSurveyMonkey({ token: 't1' });
    await expectAppError(surveyMonkeySource.listForms({ http: client(fake.url, 'bad') }), 'USAGE_INVALID', 'The authorization token provided was invalid. (error 1011)');
  });

  it('429 then success honours Retry-After', async () => {
    fake = await startFakeSurveyMonkey({ token: 't1' });
    fake.failNext(429, 3);
    const waits: number[] = [];
    expect(await surveyMonkeySource.fetchDefinition({ http: client(fake.url, 't1', waits) }, '512000001')).toMatchObject({ id: '512000001' });
    expect(waits).toEqual([1000, 1000, 1000]);
  });

  it('404 for an unknown survey', async () => {
    fake = await startFakeSurveyMonkey({ token: 't1' });
    await expectAppError(surveyMonkeySource.fetchDefinition({ http: client(fake.url, 't1') }, '1'), 'ENDPOINT_FAILED', 'There was an error retrieving the requested resource.');
  });
});
