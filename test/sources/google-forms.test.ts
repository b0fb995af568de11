import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForm } from '../../src/core/compile/index.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { formModelSchema, type FormField, type FormModel } from '../../src/core/form/index.js';
import { googleFormsSource } from '../../src/sources/google-forms/google-forms-source.js';
import { createHttpClient } from '../../src/sources/http-client.js';
import { findSource } from '../../src/sources/registry.js';
import { assertKeyDeletionSafe, assertValidModelOrUsage, expectAppError, recordingClient } from './source-contract-kit.js';
import { googleFixtureForms, startFakeGoogleForms, type FakeGoogleForms } from '../fakes/google-forms/fake-google-forms.js';

const dir = '/work/shared/fixtures/sources/google-forms';
type Item = Record<string, unknown> & { itemId: string; title?: string };
const raw = (name: string): { formId: string; items: Item[] } => JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as { formId: string; items: Item[] };
const fields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);
const names = ['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'];

describe('google-forms mapDefinition on every fixture', () => {
  it.each(names)('%s: one page per section, one field per question keyed entry.<hex id as decimal>', (name) => {
    const def = raw(name);
    const { model } = googleFormsSource.mapDefinition(def);
    expect(formModelSchema.safeParse(model).success).toBe(true);
    expect(model.pages.length).toBe(1 + def.items.filter((i) => 'pageBreakItem' in i).length);
    const questions = def.items.filter((i) => 'questionItem' in i);
    for (const item of questions) {
      const q = (item.questionItem as { question: { questionId: string; required?: boolean } }).question;
      const f = fields(model).find((x) => x.id === q.questionId) as FormField;
      expect(f.key).toBe(`entry.${parseInt(q.questionId, 16)}`);
      expect(f.label).toBe(item.title);
      expect(f.required).toBe(q.required === true);
      const choice = (q as { choiceQuestion?: { options: Array<{ value?: string; isOther?: boolean }> } }).choiceQuestion;
      if (choice) {
        expect(f.options?.map((o) => o.value)).toEqual(choice.options.filter((o) => !o.isOther).map((o) => o.value));
        expect(f.allowOther === true).toBe(choice.options.some((o) => o.isOther));
      }
    }
    expect(model.source.meta?.publishedId).toMatch(/^1FAIpQL/);
  });

  it.each(names)('%s compiles to a flow the validator accepts with no error', (name) => {
    const { model } = googleFormsSource.mapDefinition(raw(name));
    const result = validateFlow(compileForm(model).flow);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('KYC: goToSectionId options become jumps of the section holding the question', () => {
    const { model, unmapped } = googleFormsSource.mapDefinition(raw('form-kyc-onboarding'));
    expect(model.pages.map((p) => p.id)).toEqual(['start', '5e000002', '5e000003', '5e000004', '5e000005']);
    expect(model.pages[0]?.jumps).toEqual([
      { when: { op: 'equals', field: '1a2b3c2b', value: 'individual' }, to: '5e000003' },
      { when: { op: 'equals', field: '1a2b3c2b', value: 'business' }, to: '5e000002' },
    ]);
    expect(model.pages[2]?.jumps?.map((j) => j.to)).toEqual(['5e000005', '5e000004']);
    const email = fields(model)[0];
    expect(email).toMatchObject({ key: 'emailAddress', type: 'email', required: true });
    const upload = fields(model).find((f) => f.type === 'file');
    expect(upload?.file).toMatchObject({ maxFiles: 1, maxSizeKb: 10240 });
    expect(upload?.file?.mimeTypes).toEqual(expect.arrayContaining(['application/pdf', 'image/jpeg']));
    expect(unmapped.map((u) => u.pointer)).toContain('/settings/emailCollectionType');
  });

  it('NPS: scale, rating and a grid whose rows keep their own entry keys', () => {
    const { model } = googleFormsSource.mapDefinition(raw('form-nps-feedback'));
    const [scale, rating, grid] = fields(model);
    expect(scale).toMatchObject({ type: 'scale', scale: { min: 0, max: 10, minLabel: 'Not at all likely', maxLabel: 'Extremely likely' } });
    expect(rating).toMatchObject({ type: 'rating', scale: { min: 1, max: 5 }, source: { iconType: 'STAR' } });
    expect(grid?.type).toBe('grid');
    expect(grid?.rows?.map((r) => r.key)).toEqual(['1a2b3c1e', '1a2b3c1f', '1a2b3c20'].map((h) => `entry.${parseInt(h, 16)}`));
    expect(grid?.options?.map((o) => o.value)).toEqual(['Poor', 'OK', 'Good', 'Excellent']);
  });

  it('appointment and large survey: dates, times, datetime, month-day dates and display items reported', () => {
    const appt = googleFormsSource.mapDefinition(raw('form-appointment')).model;
    expect(fields(appt).map((f) => f.type)).toEqual(expect.arrayContaining(['date', 'time', 'datetime']));
    const { model, unmapped } = googleFormsSource.mapDefinition(raw('form-large-survey'));
    const noYear = fields(model).filter((f) => f.source?.includeYear === false && f.type === 'date');
    expect(noYear.length).toBeGreaterThan(0);
    expect(unmapped.filter((u) => u.pointer.endsWith('includeYear'))).toHaveLength(noYear.length);
    expect(unmapped.some((u) => /Image item/.test(u.reason))).toBe(true);
    expect(unmapped.some((u) => /Video item/.test(u.reason))).toBe(true);
    expect(fields(model).length).toBeGreaterThanOrEqual(40);
  });

  it('goToAction SUBMIT_FORM ends the form, NEXT_SECTION goes on, RESTART_FORM is reported', () => {
    const def = structuredClone(raw('form-kyc-onboarding'));
    const pep = def.items.find((i) => i.itemId === '1a2b3c38') as unknown as { questionItem: { question: { choiceQuestion: { options: Array<Record<string, unknown>> } } } };
    pep.questionItem.question.choiceQuestion.options = [{ value: 'No', goToAction: 'SUBMIT_FORM' }, { value: 'Yes', goToAction: 'NEXT_SECTION' }, { value: 'Maybe', goToAction: 'RESTART_FORM' }];
    const { model, unmapped } = googleFormsSource.mapDefinition(def);
    expect(model.pages[2]?.jumps).toEqual([
      { when: { op: 'equals', field: '1a2b3c39', value: 'no' }, to: 'end' },
      { when: { op: 'equals', field: '1a2b3c39', value: 'yes' }, to: '5e000004' },
    ]);
    expect(unmapped.some((u) => /restart/.test(u.reason))).toBe(true);
  });
});

describe('google-forms mapDefinition edge cases', () => {
  it('unknown section targets, images, shuffles, quizzes and checkbox grids are reported', () => {
    const def = structuredClone(raw('form-kyc-onboarding')) as unknown as Record<string, unknown> & { items: Array<Record<string, unknown>> };
    const applicant = def.items.find((i) => i.itemId === '1a2b3c2a') as unknown as { questionItem: { image?: unknown; question: { choiceQuestion: { shuffle?: boolean; options: Array<Record<string, unknown>> } } } };
    applicant.questionItem.question.choiceQuestion.options[0] = { value: 'Individual', goToSectionId: 'ffffffff' };
    applicant.questionItem.question.choiceQuestion.shuffle = true;
    applicant.questionItem.image = { contentUri: 'https://example.com/x.png' };
    def.settings = { quizSettings: { isQuiz: true } };
    def.items.push({ itemId: 'aa000001', title: 'Grid', questionGroupItem: { questions: [{ questionId: 'aa000002', required: true, rowQuestion: { title: 'R1' } }, { questionId: 'aa000003', rowQuestion: { title: 'R2' } }], grid: { columns: { type: 'CHECKBOX', options: [{ value: 'A' }, { value: 'B' }] } } } });
    const { model, unmapped } = googleFormsSource.mapDefinition(def);
    const pointers = unmapped.map((u) => u.pointer);
    expect(model.pages[0]?.jumps).toEqual([{ when: { op: 'equals', field: '1a2b3c2b', value: 'business' }, to: '5e000002' }]);
    expect(pointers).toEqual(expect.arrayContaining(['/items/4/questionItem/question/choiceQuestion/options', '/items/4/questionItem/question/choiceQuestion/shuffle', '/items/4/questionItem/image', '/settings/quizSettings/isQuiz', '/items/18/questionGroupItem/grid/columns/type', '/items/18/questionGroupItem/questions']));
    expect(fields(model).find((f) => f.id === 'aa000001')).toMatchObject({ type: 'grid', required: true });
    expect(model.source.meta?.emailCollectionType).toBeUndefined();
  });
});

describe('google-forms connector against the contract fake', () => {
  let fake: FakeGoogleForms;
  const waits: number[] = [];
  const client = (token = 'ya29.test-token') =>
    recordingClient(googleFormsSource, fake.url, { token }, waits, 3);
  beforeAll(async () => {
    fake = await startFakeGoogleForms();
  });
  afterAll(() => fake.close());

  it('is registered and points at the real API', () => {
    expect(findSource('google-forms')).toBe(googleFormsSource);
    expect(googleFormsSource.defaultBaseUrl).toBe('https://forms.googleapis.com');
  });

  it('lists forms through Drive across page tokens', async () => {
    fake.requests.length = 0;
    const forms = await googleFormsSource.listForms({ http: client() });
    expect(forms.map((f) => f.id).sort()).toEqual([...googleFixtureForms().keys()].sort());
    expect(fake.requests.map((r) => r.path)).toEqual(['/drive/v3/files', '/drive/v3/files']);
    expect(fake.requests[1]?.query.pageToken).toBe('page-3');
    expect(fake.requests[0]?.query.q).toContain("mimeType='application/vnd.google-apps.form'");
  });

  it('uses ctx.driveHttp for the listing when given', async () => {
    fake.requests.length = 0;
    const ctx = { http: createHttpClient({ baseUrl: 'http://127.0.0.1:9' }), driveHttp: client() };
    expect(await googleFormsSource.listForms(ctx)).toHaveLength(5);
  });

  it('fetches exactly the definition the API returns', async () => {
    const def = await googleFormsSource.fetchDefinition({ http: client() }, '1FAIpKYCOnboard04abcdefghijklmnopqrstuvwxyzA');
    expect(def).toEqual(raw('form-kyc-onboarding'));
  });

  it('401 surfaces Google\'s own message', async () => {
    const message = await expectAppError(googleFormsSource.fetchDefinition({ http: client('bad') }, 'x'), 'USAGE_INVALID', 'Request had invalid authentication credentials');
    expect(message).toContain('UNAUTHENTICATED');
  });

  it('404 surfaces NOT_FOUND', async () => {
    const error = await googleFormsSource.fetchDefinition({ http: client() }, 'nope').catch((e: unknown) => e);
    expect((error as Error).message).toContain('Requested entity was not found. (NOT_FOUND)');
  });

  it('the fake refuses a Drive listing that is not filtered to forms and unknown page tokens', async () => {
    const http = client();
    await expect(http.get('/drive/v3/files', { q: "mimeType='text/plain'" })).rejects.toThrow(/INVALID_ARGUMENT/);
    await expect(http.get('/drive/v3/files', { q: "mimeType='application/vnd.google-apps.form'", pageToken: 'forged' })).rejects.toThrow(/Invalid Value/);
  });

  it('429 then success honours Retry-After', async () => {
    waits.length = 0;
    fake.failNext(429, 1, '7');
    const def = await googleFormsSource.fetchDefinition({ http: client() }, '1FAIpNewsletter01abcdefghijklmnopqrstuvwxyzAB');
    expect((def as { formId: string }).formId).toBe('1FAIpNewsletter01abcdefghijklmnopqrstuvwxyzAB');
    expect(waits).toEqual([7000]);
  });
});

describe('google-forms mapDefinition fuzz', () => {
  it('random JSON: a valid model or AppError USAGE_INVALID with a message', () => {
    assertValidModelOrUsage((v) => googleFormsSource.mapDefinition(v), fc.oneof(fc.jsonValue(), fc.record({ formId: fc.string(), items: fc.array(fc.jsonValue()) })));
  });

  it('fixtures with random keys deleted never crash', () => {
    assertKeyDeletionSafe((v) => googleFormsSource.mapDefinition(v), [...googleFixtureForms().values()]);
  });
});
