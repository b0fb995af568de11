/**
 * A Submission as the form-encoded body of Jotform's `POST
 * /form/{id}/submissions` ("Add a submission" in Jotform's API docs):
 * `submission[<qid>]=value`, compound questions by sub-field
 * (`submission[3][first]`, `submission[4][full]`), dates as
 * `[day]`/`[month]`/`[year]`, times as `[hourSelect]`/`[minuteSelect]`
 * (+ `[ampm]` on 12-hour questions), matrix rows as `submission[<qid>][<row>]`.
 * Sub-keys and the newline join of checkbox values are unconfirmed (the
 * batch fixture joins with `\n`); Jotform stores option texts, "Other"
 * included as typed.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../core/form/index.js';
import { AnswerRefusal as Refusal, answerText as text, choiceTexts, clockTime, gridEntries, isoDateParts, twelveHour } from '../answer-format.js';

/** The encoded pairs, or why the answers cannot be sent. */
export type JotformEncoding = { readonly ok: true; readonly fields: ReadonlyArray<readonly [string, string]> } | { readonly ok: false; readonly reason: string; readonly field: string };


/** `3[first]` → `submission[3][first]`. */
function name(key: string, sub?: string): string {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  const base = m ? `submission[${m[1] ?? ''}]${m[2] ?? ''}` : `submission[${key}]`;
  return sub === undefined ? base : `${base}[${sub}]`;
}


function choices(field: FormField, v: SourceValue): string {
  const { values, others } = choiceTexts(field, v);
  const other = others[0];
  if (other !== undefined && field.allowOther !== true) throw new Refusal(`'${other}' is not an option of '${field.label}'.`, field.key);
  return values.join('\n');
}

function encodeField(field: FormField, v: SourceValue, out: Array<[string, string]>): void {
  const key = field.key;
  switch (field.type) {
    case 'single_choice':
    case 'dropdown':
    case 'multiple_choice':
      return void out.push([name(key), choices(field, v)]);
    case 'grid': {
      const { entries, rows, columns: known } = gridEntries(field, v);
      for (const [row, col] of entries) {
        if (!rows.has(row) || !known.has(col)) throw new Refusal(`'${row}: ${col}' is not a row and column of '${field.label}'.`, key);
        out.push([name(row), col]);
      }
      return;
    }
    case 'date':
    case 'datetime': {
      const d = isoDateParts(field, v);
      out.push([name(key, 'day'), d.day], [name(key, 'month'), d.month], [name(key, 'year'), d.year]);
      if (field.type === 'datetime' && d.hour !== undefined) out.push([name(key, 'hour'), d.hour], [name(key, 'min'), d.minute ?? '']);
      return;
    }
    case 'time': {
      const { hour, minute } = clockTime(field, v);
      const twelve = /am|pm|12/i.test(String(field.source?.['timeFormat'] ?? ''));
      const h = twelve ? String(twelveHour(hour).hour) : String(hour);
      out.push([name(key, 'hourSelect'), h.padStart(2, '0')], [name(key, 'minuteSelect'), minute]);
      if (twelve) out.push([name(key, 'ampm'), twelveHour(hour).meridiem]);
      return;
    }
    case 'file':
      throw new Refusal(`'${field.label}' is a file upload: Jotform's API does not take files.`, key);
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
      out.push([name(key), text(field, v)]);
  }
}

/** Encode `answers` (keyed by source key) for `form`. Pure; never throws for bad answers. */
export function encodeJotformSubmission(form: FormModel, answers: Readonly<Record<string, SourceValue>>): JotformEncoding {
  const out: Array<[string, string]> = [];
  try {
    for (const field of form.pages.flatMap((p) => p.fields)) {
      const v = answers[field.key];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      encodeField(field, v, out);
    }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, field: error.field };
    throw error;
  }
  return { ok: true, fields: out };
}
