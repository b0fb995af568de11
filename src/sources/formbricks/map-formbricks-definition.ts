/**
 * A Formbricks survey (`GET /api/v1/management/surveys/{id}` → `{data}`) as a
 * FormModel, from either format: classic `questions[]` (one question per
 * step, logic per question with `jumpToQuestion`) or the newer `blocks[]`
 * (elements grouped per block, `jumpToBlock`). Blocks become pages; classic
 * questions are grouped into pages that start at every jump target and end
 * at every question carrying logic, so page jumps keep the survey's paths.
 * @module
 */
import { formModelSchema, type Condition, type FormModelInput } from '../../core/form/index.js';
import { AppError } from '../../core/errors.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { mapFormbricksQuestion, text, type FieldInput } from './formbricks-fields.js';
import { formbricksCondition } from './formbricks-logic.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface Unit { id: string; title: string; elements: { q: Obj; at: string }[]; logic: unknown[]; fallback: string; at: string }
interface Page { id: string; title?: string; fields: FieldInput[]; jumps: { when?: Condition; to: string }[] }

function units(survey: Obj, prefix: string, unmapped: UnmappedItem[]): { list: Unit[]; blocks: boolean } {
  const blocks = Array.isArray(survey.blocks) && survey.blocks.length > 0;
  const raw: unknown[] = blocks ? (survey.blocks as unknown[]) : Array.isArray(survey.questions) ? survey.questions : [];
  const key = blocks ? 'blocks' : 'questions';
  const list: Unit[] = [];
  raw.forEach((u, i) => {
    const at = `${prefix}/${key}/${i}`;
    if (!isObject(u) || str(u.id) === '') return void unmapped.push({ pointer: at, reason: `A ${blocks ? 'block' : 'question'} without an id.` });
    const elements = blocks ? (Array.isArray(u.elements) ? u.elements : []).flatMap((e, ei) => (isObject(e) ? [{ q: e, at: `${at}/elements/${ei}` }] : [])) : [{ q: u, at }];
    list.push({ id: str(u.id), title: blocks ? text(u.name) : '', elements, logic: Array.isArray(u.logic) ? u.logic : [], fallback: str(u.logicFallback), at });
  });
  return { list, blocks };
}

function jumpTargets(u: Unit): string[] {
  const out = u.logic.flatMap((l) => (isObject(l) && Array.isArray(l.actions) ? l.actions.filter(isObject).filter((a) => a.objective === 'jumpToQuestion' || a.objective === 'jumpToBlock').map((a) => str(a.target)).filter((t) => t !== '') : []));
  return u.fallback ? [...out, u.fallback] : out;
}

/** Map a Formbricks survey (enveloped in `{data}` or bare). */
export function mapFormbricksDefinition(definition: unknown): MappedForm {
  const enveloped = isObject(definition) && isObject(definition.data);
  const survey = enveloped ? (definition as { data: Obj }).data : definition;
  if (!isObject(survey) || (!Array.isArray(survey.questions) && !Array.isArray(survey.blocks))) throw new AppError('USAGE_INVALID', 'Not a Formbricks survey: expected the management API survey ({data: {questions[] | blocks[]}}).');
  const prefix = enveloped ? '/data' : '';
  const unmapped: UnmappedItem[] = [];
  const { list, blocks } = units(survey, prefix, unmapped);
  const targets = new Set(list.flatMap(jumpTargets));
  const pages: Page[] = [];
  const pageOfUnit = new Map<string, Page>();
  const fieldOf = new Map<string, FieldInput>();
  list.forEach((u, i) => {
    const prev = list[i - 1];
    const last = pages[pages.length - 1];
    const start = blocks || !last || targets.has(u.id) || (prev !== undefined && jumpTargets(prev).length > 0);
    const page = start || !last ? { id: u.id, ...(u.title ? { title: u.title } : {}), fields: [], jumps: [] } : last;
    if (page !== last) pages.push(page);
    pageOfUnit.set(u.id, page);
    for (const { q, at } of u.elements) {
      const fields = mapFormbricksQuestion(q, at, unmapped);
      page.fields.push(...fields);
      const first = fields.find((f) => f.type !== 'statement') ?? fields[0];
      if (first) fieldOf.set(str(q.id), first);
    }
  });
  if (pages.length === 0) pages.push({ id: 'page-1', fields: [], jumps: [] });
  const firstPage = pages[0] as Page;
  const welcome = isObject(survey.welcomeCard) && survey.welcomeCard.enabled === true ? survey.welcomeCard : undefined;
  if (welcome) {
    const body = [text(welcome.headline), text(welcome.html)].filter((x) => x !== '').join('\n');
    if (body) firstPage.fields.unshift({ id: '__welcome', key: '__welcome', type: 'statement', label: body, style: 'heading' });
  }
  const hidden = isObject(survey.hiddenFields) && survey.hiddenFields.enabled !== false && Array.isArray(survey.hiddenFields.fieldIds) ? survey.hiddenFields.fieldIds : [];
  const hiddenFields: FieldInput[] = [];
  for (const h of hidden) {
    if (typeof h !== 'string' || h === '' || fieldOf.has(h)) continue;
    const field: FieldInput = { id: h, key: h, type: 'hidden', label: h, source: { formbricksType: 'hiddenField' } };
    hiddenFields.push(field);
    fieldOf.set(h, field);
  }
  // Hidden fields lead the first page: they are known before any question is asked.
  firstPage.fields.splice(welcome ? 1 : 0, 0, ...hiddenFields);
  const endings = (Array.isArray(survey.endings) ? survey.endings : []).filter(isObject);
  const endingIds = new Set(endings.map((e) => str(e.id)));
  const resolve = (target: string): string | undefined => (endingIds.has(target) ? 'end' : pageOfUnit.get(target)?.id);
  const order = (id: string): number => pages.findIndex((p) => p.id === id);
  for (const u of list) {
    const page = pageOfUnit.get(u.id);
    if (!page) continue;
    const jump = (target: string, pointer: string, when?: Condition): void => {
      const to = resolve(target);
      if (!to) return void unmapped.push({ pointer, reason: `Jump target '${target}' is neither a ${blocks ? 'block' : 'question'} nor an ending.` });
      if (to !== 'end' && order(to) <= order(page.id)) return void unmapped.push({ pointer, reason: `Backward jump to '${target}' is not supported.` });
      page.jumps.push({ ...(when ? { when } : {}), to });
    };
    u.logic.forEach((l, li) => {
      const at = `${u.at}/logic/${li}`;
      const actions = isObject(l) && Array.isArray(l.actions) ? l.actions.filter(isObject) : [];
      const when = isObject(l) ? formbricksCondition(l.conditions, (id) => fieldOf.get(id)) : 'not a logic item';
      actions.forEach((a, ai) => {
        const objective = str(a.objective);
        if (objective === 'jumpToQuestion' || objective === 'jumpToBlock') {
          if (typeof when === 'string') return void unmapped.push({ pointer: `${at}/conditions`, reason: `Jump dropped: ${when}.` });
          return jump(str(a.target), `${at}/actions/${ai}`, when);
        }
        if (objective === 'requireAnswer') {
          const target = fieldOf.get(str(a.target));
          if (typeof when === 'string' || !target) return void unmapped.push({ pointer: `${at}/actions/${ai}`, reason: `Conditional required of '${str(a.target)}' dropped: ${typeof when === 'string' ? when : 'no such question'}; the question keeps its static rule.` });
          if (target.required !== true) target.requiredWhen = target.requiredWhen ? { op: 'or', conditions: [target.requiredWhen, when] } : when;
          return;
        }
        unmapped.push({ pointer: `${at}/actions/${ai}`, reason: `Logic action '${objective}' (calculations/variables) is not represented.` });
      });
    });
    if (u.fallback) jump(u.fallback, `${u.at}/logicFallback`);
  }
  if (Array.isArray(survey.variables) && survey.variables.length > 0) unmapped.push({ pointer: `${prefix}/variables`, reason: 'Survey variables (scores, calculations) are not represented.' });
  if (Array.isArray(survey.languages) && survey.languages.length > 0) unmapped.push({ pointer: `${prefix}/languages`, reason: 'Only the default language is imported.' });
  endings.forEach((e, i) => {
    if (str(e.type) === 'redirectToUrl') unmapped.push({ pointer: `${prefix}/endings/${i}`, reason: 'Redirect endings are not followed in WhatsApp.' });
    else if (i > 0) unmapped.push({ pointer: `${prefix}/endings/${i}`, reason: 'Only the first ending\'s message is shown; every ending finishes the form.' });
  });
  const end = endings.find((e) => str(e.type) !== 'redirectToUrl');
  const endMessage = end ? [text(end.headline), text(end.subheader)].filter((x) => x !== '').join('\n') : '';
  const surveyId = str(survey.id);
  const input: FormModelInput = {
    id: surveyId || 'formbricks-survey',
    title: text(survey.name) || 'Formbricks survey',
    source: { system: 'formbricks', ...(surveyId ? { formId: surveyId } : {}), meta: { ...(str(survey.environmentId) ? { environmentId: str(survey.environmentId) } : {}), format: blocks ? 'blocks' : 'questions', ...(str(survey.type) ? { surveyType: str(survey.type) } : {}) } },
    pages: pages.map((p) => ({ id: p.id, ...(p.title ? { title: p.title } : {}), fields: p.fields, ...(p.jumps.length ? { jumps: p.jumps } : {}) })),
    ...(endMessage ? { endMessage } : {}),
  };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) throw new AppError('USAGE_INVALID', `The Formbricks survey does not make a valid form: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  return { model: parsed.data, unmapped };
}
