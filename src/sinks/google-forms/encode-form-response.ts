/**
 * A Submission as the body of a Google Forms public `formResponse` POST
 * (`application/x-www-form-urlencoded`), the way the form page itself posts
 * it (community-documented, unconfirmed by Google; spec "Form sources"
 * §2.3): `entry.<N>=<text or option value>`, a repeated key per ticked
 * checkbox, `__other_option__` plus `entry.<N>.other_option_response` for
 * "Other", dates split into `_year`/`_month`/`_day` (+ `_hour`/`_minute`),
 * times into `_hour`/`_minute`, one entry per grid row, `emailAddress` when
 * the form collects e-mail as typed input, then `fvv=1` and `pageHistory`.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../core/form/index.js';
import { AnswerRefusal as Refusal, answerText as text, choiceTexts, gridEntries, isoDateParts } from '../answer-format.js';
import { visitedPages } from './visited-pages.js';

/** The encoded fields in order, or why the answers cannot be posted. */
export type FormResponseEncoding =
  | { readonly ok: true; readonly fields: ReadonlyArray<readonly [string, string]> }
  | { readonly ok: false; readonly reason: string; readonly field: string };

/** The marker value Google's form page posts for the "Other" choice. */
export const OTHER_OPTION = '__other_option__';


const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;


function choices(field: FormField, v: SourceValue, out: Array<[string, string]>): void {
  const { values, known, others } = choiceTexts(field, v);
  if (others.length > 0 && field.allowOther !== true) {
    throw new Refusal(`'${others[0] ?? ''}' is not an option of '${field.label || field.key}'.`, field.key);
  }
  for (const x of values) if (known.has(x)) out.push([field.key, x]);
  if (others.length > 0) {
    out.push([field.key, OTHER_OPTION], [`${field.key}.other_option_response`, others.join(', ')]);
  }
}

function encodeField(field: FormField, v: SourceValue, out: Array<[string, string]>): void {
  const key = field.key;
  const src = field.source ?? {};
  switch (field.type) {
    case 'single_choice':
    case 'dropdown':
    case 'multiple_choice':
      return choices(field, v, out);
    case 'grid': {
      const { entries, rows, columns: known } = gridEntries(field, v);
      for (const [row, value] of entries) {
        if (!rows.has(row)) throw new Refusal(`'${row}' is not a row of '${field.label}'.`, key);
        if (!known.has(value)) throw new Refusal(`'${value}' is not a column of '${field.label}'.`, key);
        out.push([row, value]);
      }
      return;
    }
    case 'date':
    case 'datetime': {
      const d = isoDateParts(field, v);
      if (src['includeYear'] !== false) out.push([`${key}_year`, d.year]);
      out.push([`${key}_month`, d.month], [`${key}_day`, d.day]);
      if (field.type === 'datetime' && d.hour !== undefined) out.push([`${key}_hour`, d.hour], [`${key}_minute`, d.minute ?? '']);
      return;
    }
    case 'time': {
      const m = TIME.exec(text(field, v));
      if (!m) throw new Refusal(`'${field.label}' needs a time as HH:MM, got ${JSON.stringify(v)}.`, key);
      out.push([`${key}_hour`, (m[1] ?? '').padStart(2, '0')], [`${key}_minute`, m[2] ?? '']);
      if (src['duration'] === true) out.push([`${key}_second`, m[3] ?? '00']);
      return;
    }
    case 'file':
      throw new Refusal(`'${field.label}' is a file upload: Google accepts files only from a signed-in browser session.`, key);
    case 'statement':
      return;
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
    case 'url':
    case 'yes_no':
      out.push([key, text(field, v)]);
  }
}

/** Encode `answers` (keyed by source key) for `form`. Pure; never throws for bad answers. */
export function encodeFormResponse(form: FormModel, answers: Readonly<Record<string, SourceValue>>): FormResponseEncoding {
  const out: Array<[string, string]> = [];
  try {
    for (const page of form.pages) {
      for (const field of page.fields) {
        const v = answers[field.key];
        if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') continue;
        if (field.key === 'emailAddress' && field.source?.['emailCollectionType'] === 'VERIFIED') continue;
        encodeField(field, v, out);
      }
    }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, field: error.field };
    throw error;
  }
  out.push(['fvv', '1'], ['pageHistory', visitedPages(form, answers).join(',')]);
  return { ok: true, fields: out };
}
