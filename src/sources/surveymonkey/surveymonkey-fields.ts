/**
 * One SurveyMonkey question (`GET /surveys/{id}/details` → pages[].questions[])
 * as FormModel fields, by family and subtype. Choice options keep the
 * `choice_id` as their value and rows their `row_id` in `source`, because a
 * response is written back as `{choice_id}` / `{row_id, text}` ("Create a
 * response" in SurveyMonkey's API v3 docs).
 * @module
 */
import { notRepresentable } from '../not-representable.js';
import type { FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | undefined => (str(v).trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** SurveyMonkey headings may hold HTML; the model holds text. */
export function plainText(html: unknown): string {
  return str(html).replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
}

function visibleList(v: unknown): Obj[] {
  return (Array.isArray(v) ? v.filter(isObject) : []).filter((x) => x.visible !== false && str(x.id) !== '').sort((a, b) => (num(a.position) ?? 0) - (num(b.position) ?? 0));
}

/** A date bound as SurveyMonkey prints it (US or international order) in ISO form. */
function isoDate(v: unknown, us: boolean): string | undefined {
  const t = str(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (!m) return undefined;
  const [mm, dd] = us ? [m[1], m[2]] : [m[2], m[1]];
  return `${m[3]}-${(mm ?? '').padStart(2, '0')}-${(dd ?? '').padStart(2, '0')}`;
}

/** Map one question at `at` (a JSON pointer); what cannot be mapped goes to `unmapped`. */
export function mapSurveyMonkeyQuestion(q: Obj, pageId: string, at: string, unmapped: UnmappedItem[]): FieldInput[] {
  const qid = str(q.id);
  const family = str(q.family);
  const subtype = str(q.subtype);
  const heading = Array.isArray(q.headings) && isObject(q.headings[0]) ? q.headings[0] : {};
  const label = plainText(heading.heading) || `Question ${qid}`;
  const help = plainText(heading.description);
  const req = isObject(q.required) ? q.required : undefined;
  const required = req !== undefined;
  const validation = isObject(q.validation) ? q.validation : undefined;
  const vType = str(validation?.type);
  const answers = isObject(q.answers) ? q.answers : {};
  const choices = visibleList(answers.choices);
  const rows = visibleList(answers.rows);
  const skip = (pointer: string, reason: string): FieldInput[] => (unmapped.push({ pointer: `${at}${pointer}`, reason }), []);
  const meta = { questionId: qid, pageId, family, subtype };
  const base = (extra: Partial<FieldInput> & Pick<FieldInput, 'type'>, row?: Obj): FieldInput => ({
    id: row ? `${qid}_${str(row.id)}` : qid,
    key: row ? `${qid}/${str(row.id)}` : qid,
    label: row && rows.length > 1 ? plainText(row.text) || str(row.id) : label,
    required,
    ...(help && !(row && rows.length > 1) ? { help } : {}),
    ...extra,
    source: { ...meta, ...(row ? { rowId: str(row.id) } : {}), ...(extra.source ?? {}) },
  });
  const options = choices.map((c) => ({ id: str(c.id), value: str(c.id), label: plainText(c.text) || str(c.id) }));
  const other = isObject(answers.other) && answers.other.visible !== false && str(answers.other.id) !== '' ? answers.other : undefined;
  const otherMeta = other ? { allowOther: true, source: { otherId: str(other.id) } } : {};
  const rowsOrOne = rows.length > 0 ? rows : [undefined];
  /** Several rows: a subheading with the question, then one input per row labelled with the row text. */
  const perRow = (make: (row: Obj | undefined) => FieldInput): FieldInput[] => {
    const inputs = rowsOrOne.map(make);
    if (rows.length < 2) return inputs;
    return [{ id: `${qid}_label`, key: qid, type: 'statement', label, style: 'subheading', ...(help ? { help } : {}), source: meta }, ...inputs];
  };
  for (const list of ['choices', 'rows', 'cols'] as const) {
    const all = Array.isArray(answers[list]) ? (answers[list] as unknown[]) : [];
    all.forEach((c, i) => {
      if (isObject(c) && c.visible === false) unmapped.push({ pointer: `${at}/answers/${list}/${i}`, reason: 'Hidden (visible: false) entries are not offered.' });
    });
  }
  if (isObject(q.sorting) && str(q.sorting.type) !== '' && str(q.sorting.type) !== 'default') unmapped.push({ pointer: `${at}/sorting`, reason: `Choice order '${str(q.sorting.type)}' is not applied: choices keep their defined order.` });
  if (q.forced_ranking === true) unmapped.push({ pointer: `${at}/forced_ranking`, reason: 'Forced ranking (one choice per column) is not enforced.' });
  if (req && str(req.type) !== 'all' && family !== 'multiple_choice') unmapped.push({ pointer: `${at}/required`, reason: `Required rule '${str(req.type)}' is applied as "all rows required".` });
  switch (family) {
    case 'single_choice':
    case 'multiple_choice': {
      if (options.length === 0) return skip('/answers', 'A choice question without visible choices cannot be asked.');
      const multi = family === 'multiple_choice';
      const amount = num(req?.amount);
      const rule = str(req?.type);
      const count = multi && amount !== undefined && amount > 0
        ? { validation: { ...(rule === 'at_least' || rule === 'exactly' ? { minSelected: amount } : {}), ...(rule === 'at_most' || rule === 'exactly' ? { maxSelected: amount } : {}) } }
        : {};
      if (multi && rule === 'range') unmapped.push({ pointer: `${at}/required`, reason: 'A selection range rule is not carried (its bounds are not in the API).' });
      return [base({ type: multi ? 'multiple_choice' : subtype === 'menu' ? 'dropdown' : 'single_choice', options, ...otherMeta, ...count, required: required && (!multi || rule !== 'at_most') })];
    }
    case 'matrix': {
      if (subtype === 'ranking') return skip('', notRepresentable('Ranking question', 'ranking', required));
      if (subtype === 'menu') return skip('', 'Matrix of drop-downs (columns with their own choices) has no FormModel type.');
      if (options.length === 0 || rows.length === 0) return skip('/answers', 'A matrix without rows or choices cannot be asked.');
      const texts = choices.map((c) => num(c.text));
      const consecutive = texts.every((t, i) => t !== undefined && t === (texts[0] ?? 0) + i);
      const [row] = rows;
      if (subtype === 'rating' && rows.length === 1 && row && consecutive && choices.length > 1) {
        const min = texts[0] ?? 0;
        const max = min + choices.length - 1;
        const type = min === 0 && max === 10 ? 'nps' : str(isObject(q.display_options) ? q.display_options.display_subtype : '') === 'star' || min === 1 ? 'rating' : 'scale';
        return [{ ...base({ type, scale: { min, max } }, row), label, source: { ...meta, rowId: str(row.id), choiceIds: choices.map((c) => str(c.id)) } }];
      }
      if (subtype === 'multi') unmapped.push({ pointer: at, reason: 'Several answers per row are asked as one answer per row.' });
      if (other) unmapped.push({ pointer: `${at}/answers/other`, reason: 'The comment box of a matrix is not asked.' });
      return [base({ type: 'grid', options, rows: rows.map((r) => ({ id: str(r.id), key: str(r.id), label: plainText(r.text) || str(r.id) })) })];
    }
    case 'open_ended': {
      if (subtype === 'essay') return [base({ type: 'long_text' })];
      if (subtype === 'numerical' || vType === 'integer' || vType === 'decimal') {
        const min = num(validation?.min);
        const max = num(validation?.max);
        const v = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(vType === 'integer' ? { integer: true } : {}) };
        return perRow((r) => base({ type: 'number', ...(Object.keys(v).length ? { validation: v } : {}) }, r));
      }
      const extra: Partial<FieldInput> = {};
      let type: FieldInput['type'] = 'short_text';
      if (vType === 'email') type = 'email';
      else if (vType === 'text_length') {
        const min = num(validation?.min);
        const max = num(validation?.max);
        extra.validation = { ...(min !== undefined && min >= 0 ? { minLength: Math.floor(min) } : {}), ...(max !== undefined && max > 0 ? { maxLength: Math.floor(max) } : {}) };
      } else if (vType === 'date_us' || vType === 'date_intl') type = 'date';
      else if (vType === 'regex') unmapped.push({ pointer: `${at}/validation`, reason: `The regular expression is not exposed by the API; only its message is known: "${str(validation?.text)}".` });
      else if (vType !== '') unmapped.push({ pointer: `${at}/validation`, reason: `Validation '${vType}' is not carried.` });
      return perRow((r) => base({ type, ...extra }, r));
    }
    case 'demographic': {
      if (rows.length === 0) return skip('/answers', 'A contact-information question without rows cannot be asked.');
      return perRow((r) => base({ type: str(r?.type) === 'email' ? 'email' : str(r?.type) === 'phone' ? 'phone' : 'short_text', source: { demographic: str(r?.type) } }, r));
    }
    case 'datetime': {
      const type = subtype === 'time_only' ? 'time' : subtype === 'both' ? 'datetime' : 'date';
      const us = vType !== 'date_intl';
      const minDate = isoDate(validation?.min, us);
      const maxDate = isoDate(validation?.max, us);
      const bounds = { ...(minDate ? { minDate } : {}), ...(maxDate ? { maxDate } : {}) };
      return perRow((r) => base({ type, ...(Object.keys(bounds).length && type !== 'time' ? { validation: bounds } : {}), source: { dateFormat: vType === 'date_intl' ? 'DD/MM/YYYY' : 'MM/DD/YYYY' } }, r));
    }
    case 'presentation':
      if (subtype === 'descriptive_text') return [{ id: qid, key: qid, type: 'statement', label, style: 'paragraph', ...(help ? { help } : {}), source: meta }];
      return skip('', `Presentation '${subtype}' (image/video) is not shown in WhatsApp.`);
    case 'file_upload':
      return [base({ type: 'file', file: { kind: 'any', maxFiles: 1 } })];
    default:
      return skip('', `Question family '${family || '(none)'}' has no FormModel type.`);
  }
}
