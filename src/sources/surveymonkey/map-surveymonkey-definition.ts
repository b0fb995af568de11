/**
 * A SurveyMonkey survey (`GET /surveys/{id}/details`) as a FormModel: pages
 * stay pages, questions map by family (see `surveymonkey-fields.ts`), custom
 * variables become hidden fields. Skip logic is not returned by the API, so
 * the pages are linear and that is reported. Collector ids (needed to write a
 * response) are added when the collectors list is passed alongside.
 * @module
 */
import { formModelSchema, type FormModelInput } from '../../core/form/index.js';
import { AppError } from '../../core/errors.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { mapSurveyMonkeyQuestion, plainText, type FieldInput } from './surveymonkey-fields.js';

/** The details response, optionally with the survey's collectors list (`GET /surveys/{id}/collectors`). */
export interface SurveyMonkeyDefinition {
  readonly survey: unknown;
  readonly collectors?: unknown;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Map the details response, or `{ survey, collectors }`. */
export function mapSurveyMonkeyDefinition(definition: unknown): MappedForm {
  const pair = isObject(definition) && 'survey' in definition ? definition : { survey: definition };
  const survey = pair.survey;
  if (!isObject(survey) || !Array.isArray(survey.pages)) throw new AppError('USAGE_INVALID', 'Not a SurveyMonkey survey: expected the GET /surveys/{id}/details response with pages[].');
  const rawPages: unknown[] = survey.pages;
  const unmapped: UnmappedItem[] = [{ pointer: '/pages', reason: 'SurveyMonkey\'s API does not return skip logic or page logic: pages are followed in order (check the survey for branching).' }];
  const seen = new Set<string>();
  const pages = rawPages.flatMap((p, pi) => {
    if (!isObject(p) || str(p.id) === '' || seen.has(str(p.id))) {
      unmapped.push({ pointer: `/pages/${pi}`, reason: 'Page without a unique id.' });
      return [];
    }
    seen.add(str(p.id));
    const questions = Array.isArray(p.questions) ? p.questions : [];
    const fields: FieldInput[] = [];
    questions.forEach((q, qi) => {
      const at = `/pages/${pi}/questions/${qi}`;
      if (!isObject(q) || str(q.id) === '') return void unmapped.push({ pointer: at, reason: 'Question without an id.' });
      if (q.visible === false) return void unmapped.push({ pointer: at, reason: 'Hidden question (visible: false) is not asked.' });
      fields.push(...mapSurveyMonkeyQuestion(q, str(p.id), at, unmapped));
    });
    const title = plainText(p.title);
    const description = plainText(p.description);
    return [{ id: str(p.id), ...(title ? { title } : {}), ...(description ? { description } : {}), fields }];
  });
  const first = pages[0];
  if (!first) throw new AppError('USAGE_INVALID', 'The SurveyMonkey survey has no pages.');
  if (isObject(survey.custom_variables)) {
    for (const [name, label] of Object.entries(survey.custom_variables)) {
      first.fields.push({ id: `custom_variable_${name}`, key: name, type: 'hidden', label: plainText(label) || name, source: { customVariable: true } });
    }
  }
  const collectors = isObject(pair.collectors) && Array.isArray(pair.collectors.data) ? pair.collectors.data.filter(isObject) : [];
  const buttons = isObject(survey.buttons_text) ? survey.buttons_text : {};
  const surveyId = str(survey.id);
  const meta = {
    ...(str(survey.language) ? { language: str(survey.language) } : {}),
    ...(str(buttons.done_button) ? { submitText: str(buttons.done_button) } : {}),
    ...(collectors.length ? { collectorIds: collectors.map((c) => str(c.id)), collectorId: str((collectors.find((c) => c.type === 'weblink') ?? collectors[0])?.id) } : {}),
  };
  const input: FormModelInput = {
    id: surveyId || 'surveymonkey-survey',
    title: plainText(survey.title) || str(survey.nickname) || 'SurveyMonkey survey',
    source: { system: 'surveymonkey', ...(surveyId ? { formId: surveyId } : {}), meta },
    pages,
  };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) throw new AppError('USAGE_INVALID', `The SurveyMonkey survey does not make a valid form: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  return { model: parsed.data, unmapped };
}
