/**
 * Jotform's definition (the `questions` and `properties` responses) as a
 * FormModel. Page breaks split pages (`page-1`, `page-2`… — the names
 * Jotform's SkipTo actions use), the submit button's text is kept as
 * metadata, and conditions become visibility and jumps.
 * @module
 */
import { formModelSchema, type Condition, type FormModelInput } from '../../core/form/index.js';
import { AppError } from '../../core/errors.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { mapJotformConditions, type QidTarget } from './jotform-conditions.js';
import { mapJotformQuestion, plainText, prop, type FieldInput, type JotformQuestion } from './jotform-fields.js';

/** What `fetchDefinition` returns for Jotform: both read responses, as received. */
export interface JotformDefinition {
  readonly questions: unknown;
  readonly properties?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `content` of a Jotform envelope, or the value itself when it is not wrapped. */
function content(v: unknown): Record<string, unknown> | undefined {
  if (!isObject(v)) return undefined;
  return 'responseCode' in v || 'content' in v ? (isObject(v.content) ? v.content : undefined) : v;
}

/** Map `{ questions, properties }` (a bare questions response is accepted too). */
export function mapJotformDefinition(definition: unknown): MappedForm {
  const pair: JotformDefinition | undefined = isObject(definition) ? ('questions' in definition ? (definition as unknown as JotformDefinition) : { questions: definition }) : undefined;
  const questions = pair ? content(pair.questions) : undefined;
  if (!questions) throw new AppError('USAGE_INVALID', 'Not a Jotform definition: expected { questions, properties } with the GET /form/{id}/questions response (content = map of questions).');
  const properties = pair?.properties === undefined ? {} : content(pair.properties);
  if (!properties) throw new AppError('USAGE_INVALID', 'The Jotform properties response has no content object.');
  const unmapped: UnmappedItem[] = [];
  const list = Object.entries(questions)
    .filter((e): e is [string, JotformQuestion] => isObject(e[1]))
    .map(([key, q]) => ({ key, q: { ...q, qid: key } }))
    .sort((a, b) => (Number(prop(a.q, 'order')) || 0) - (Number(prop(b.q, 'order')) || 0));
  const pages: { id: string; fields: FieldInput[]; jumps: { when: Condition; to: string }[] }[] = [{ id: 'page-1', fields: [], jumps: [] }];
  const qids = new Map<string, QidTarget>();
  let submitText: string | undefined;
  for (const { key, q } of list) {
    const at = `/questions/content/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const type = prop(q, 'type');
    if (type === 'control_pagebreak') {
      pages.push({ id: `page-${pages.length + 1}`, fields: [], jumps: [] });
      continue;
    }
    if (type === 'control_button') {
      submitText = plainText(prop(q, 'text')) || submitText;
      continue;
    }
    const page = pages[pages.length - 1];
    if (!page) continue;
    const fields = mapJotformQuestion(q, at, unmapped);
    page.fields.push(...fields);
    if (fields.length > 0) qids.set(prop(q, 'qid'), { fields, pageIndex: pages.length - 1 });
  }
  const rules = new Map<string, { show: Condition[]; hide: Condition[] }>();
  const requires = new Map<string, Condition[]>();
  mapJotformConditions(properties.conditions, qids, {
    visibility: (qid, kind, when) => {
      const r = rules.get(qid) ?? { show: [], hide: [] };
      r[kind].push(when);
      rules.set(qid, r);
    },
    jump: (pageIndex, when, to) => {
      if (to !== 'end' && !pages.some((p) => p.id === to)) return void unmapped.push({ pointer: '/properties/content/conditions', reason: `Skip to '${to}': the form has no such page.` });
      pages[pageIndex]?.jumps.push({ when, to });
    },
    require: (qid, when) => requires.set(qid, [...(requires.get(qid) ?? []), when]),
  }, unmapped, '/properties/content/conditions');
  const any = (cs: Condition[]): Condition | undefined => (cs.length === 0 ? undefined : cs.length === 1 ? cs[0] : { op: 'or', conditions: cs });
  for (const [qid, r] of rules) {
    const show = any(r.show);
    const hide = any(r.hide);
    const notHidden: Condition | undefined = hide ? { op: 'not', condition: hide } : undefined;
    const when = show && notHidden ? { op: 'and' as const, conditions: [show, notHidden] } : (show ?? notHidden);
    for (const f of qids.get(qid)?.fields ?? []) if (when) f.visibleWhen = when;
  }
  for (const [qid, whens] of requires) {
    const when = any(whens);
    for (const f of qids.get(qid)?.fields ?? []) if (when && f.type !== 'statement' && f.required !== true) f.requiredWhen = when;
  }
  const firstHead = list.find(({ q }) => prop(q, 'type') === 'control_head');
  const title = plainText(prop(properties, 'title')) || (firstHead ? plainText(prop(firstHead.q, 'text')) : '') || 'Jotform form';
  const formId = prop(properties, 'id');
  const thanks = plainText(prop(properties, 'thanktext'));
  if (prop(properties, 'activeRedirect') === 'thankurl' && prop(properties, 'thankurl') !== '') unmapped.push({ pointer: '/properties/content/thankurl', reason: 'The redirect after submission is not followed in WhatsApp.' });
  const input: FormModelInput = {
    id: formId || 'jotform-form',
    title,
    source: { system: 'jotform', ...(formId ? { formId } : {}), meta: { ...(submitText ? { submitText } : {}) } },
    pages: pages.filter((p, i) => i === 0 || p.fields.length > 0 || pages.some((o) => o.jumps.some((j) => j.to === p.id))).map((p) => ({ id: p.id, fields: p.fields, ...(p.jumps.length ? { jumps: p.jumps } : {}) })),
    ...(thanks ? { endMessage: thanks } : {}),
  };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) throw new AppError('USAGE_INVALID', `The Jotform definition does not make a valid form: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { model: parsed.data, unmapped };
}
