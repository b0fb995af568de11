/**
 * A Submission as the body of SurveyMonkey's "Create a response" call
 * (`POST /collectors/{id}/responses`, API v3): answers grouped by page and
 * question, `{choice_id}` for choices, `{other_id, text}` for "Other",
 * `{text}` for open questions, `{row_id, text}` for row-based questions
 * (contact info, numerical, date/time), `{row_id, choice_id}` for matrix and
 * rating rows, custom variables from hidden fields. Dates are written in the
 * survey's own format (`MM/DD/YYYY` or `DD/MM/YYYY`, times as `hh:mm AM`).
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../core/form/index.js';
import { AnswerRefusal as Refusal, answerText as text, choiceTexts, clockTime, gridEntries, isoDateParts, twelveHour } from '../answer-format.js';

/** One answer object of a question. */
export type SurveyMonkeyAnswer = Readonly<Record<string, string>>;

/** The request body (without the `ip_address` a caller may add). */
export interface SurveyMonkeyResponseBody {
  custom_variables?: Record<string, string>;
  response_status: 'completed';
  ip_address?: string;
  pages: Array<{ id: string; questions: Array<{ id: string; answers: SurveyMonkeyAnswer[] }> }>;
}

/** The encoded body, or why the answers cannot be sent. */
export type SurveyMonkeyEncoding = { readonly ok: true; readonly body: SurveyMonkeyResponseBody } | { readonly ok: false; readonly reason: string; readonly field: string };


const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);


function clock(hour24: number, m: string): string {
  const { hour, meridiem } = twelveHour(hour24);
  return `${String(hour).padStart(2, '0')}:${m} ${meridiem}`;
}

/** A date/time answer in the survey's format (date_us `MM/DD/YYYY`, date_intl `DD/MM/YYYY`; unconfirmed for times). */
function dateText(field: FormField, v: SourceValue): string {
  const t = text(field, v);
  const intl = field.source?.['dateFormat'] === 'DD/MM/YYYY';
  if (field.type === 'time') {
    const { hour, minute } = clockTime(field, t);
    return clock(hour, minute);
  }
  const d = isoDateParts(field, t);
  const date = intl ? `${d.day}/${d.month}/${d.year}` : `${d.month}/${d.day}/${d.year}`;
  return field.type === 'datetime' && d.hour !== undefined ? `${date} ${clock(Number(d.hour), d.minute ?? '00')}` : date;
}

function choiceAnswers(field: FormField, v: SourceValue): SurveyMonkeyAnswer[] {
  const { values, known, others } = choiceTexts(field, v);
  const otherId = str(field.source?.['otherId']);
  if (others.length > 0 && (field.allowOther !== true || otherId === undefined)) {
    throw new Refusal(`'${others[0] ?? ''}' is not a choice of '${field.label}'.`, field.key);
  }
  const out: SurveyMonkeyAnswer[] = values.filter((x) => known.has(x)).map((choice_id) => ({ choice_id }));
  if (others.length > 0 && otherId !== undefined) out.push({ other_id: otherId, text: others.join(', ') });
  return out;
}

function answersOf(field: FormField, v: SourceValue): SurveyMonkeyAnswer[] {
  const rowId = str(field.source?.['rowId']);
  const row: Record<string, string> = rowId === undefined ? {} : { row_id: rowId };
  const choiceIds = field.source?.['choiceIds'];
  if (Array.isArray(choiceIds) && field.scale) {
    const n = typeof v === 'number' ? v : Number(text(field, v));
    const id = Number.isInteger(n) ? choiceIds[n - field.scale.min] : undefined;
    if (typeof id !== 'string') throw new Refusal(`${JSON.stringify(v)} is not on the scale of '${field.label}' (${field.scale.min}–${field.scale.max}).`, field.key);
    return [{ ...row, choice_id: id }];
  }
  switch (field.type) {
    case 'single_choice':
    case 'dropdown':
    case 'multiple_choice':
      return choiceAnswers(field, v);
    case 'grid': {
      const { entries, rows, columns: known } = gridEntries(field, v);
      return entries.map(([r, c]) => {
        if (!rows.has(r) || !known.has(c)) throw new Refusal(`'${r}: ${c}' is not a row and choice of '${field.label}'.`, field.key);
        return { row_id: r, choice_id: c };
      });
    }
    case 'date':
    case 'datetime':
    case 'time':
      return [{ ...row, text: dateText(field, v) }];
    case 'file':
      throw new Refusal(`'${field.label}' is a file upload: SurveyMonkey's API does not take files.`, field.key);
    case 'consent':
    case 'email':
    case 'hidden':
    case 'long_text':
    case 'nps':
    case 'number':
    case 'phone':
    case 'rating':
    case 'scale':
    case 'short_text':
    case 'statement':
    case 'url':
    case 'yes_no':
      return [{ ...row, text: text(field, v) }];
  }
}

/** Encode `answers` (keyed by source key) for `form`. Pure; never throws for bad answers. */
export function encodeSurveyResponse(form: FormModel, answers: Readonly<Record<string, SourceValue>>): SurveyMonkeyEncoding {
  const body: SurveyMonkeyResponseBody = { response_status: 'completed', pages: [] };
  try {
    for (const page of form.pages) {
      const questions: Array<{ id: string; answers: SurveyMonkeyAnswer[] }> = [];
      for (const field of page.fields) {
        const v = answers[field.key];
        if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || field.type === 'statement') continue;
        if (field.type === 'hidden') {
          if (field.source?.['customVariable'] === true) body.custom_variables = { ...body.custom_variables, [field.key]: text(field, v) };
          continue;
        }
        const qid = str(field.source?.['questionId']) ?? field.key;
        const list = answersOf(field, v);
        const existing = questions.find((q) => q.id === qid);
        if (existing) existing.answers.push(...list);
        else questions.push({ id: qid, answers: list });
      }
      if (questions.length > 0) body.pages.push({ id: str(page.source?.['pageId']) ?? page.id, questions });
    }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, field: error.field };
    throw error;
  }
  return { ok: true, body };
}
