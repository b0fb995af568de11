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
import { visitedPages } from './visited-pages.js';

/** The encoded fields in order, or why the answers cannot be posted. */
export type FormResponseEncoding =
  | { readonly ok: true; readonly fields: ReadonlyArray<readonly [string, string]> }
  | { readonly ok: false; readonly reason: string; readonly field: string };

/** The marker value Google's form page posts for the "Other" choice. */
export const OTHER_OPTION = '__other_option__';

class Refusal extends Error {
  constructor(readonly reason: string, readonly field: string) {
    super(reason);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function text(field: FormField, v: SourceValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  throw new Refusal(`'${field.label || field.key}' needs a single value, got ${JSON.stringify(v)}.`, field.key);
}

function choices(field: FormField, v: SourceValue, out: Array<[string, string]>): void {
  const values = Array.isArray(v) ? v.map((x) => text(field, x as SourceValue)) : [text(field, v)];
  const known = new Set((field.options ?? []).map((o) => o.value));
  const others = values.filter((x) => !known.has(x));
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
      if (typeof v !== 'object' || Array.isArray(v)) throw new Refusal(`'${field.label}' needs one answer per row.`, key);
      const rows = new Set((field.rows ?? []).map((r) => r.key));
      const known = new Set((field.options ?? []).map((o) => o.value));
      for (const [row, value] of Object.entries(v)) {
        if (!rows.has(row)) throw new Refusal(`'${row}' is not a row of '${field.label}'.`, key);
        if (!known.has(value)) throw new Refusal(`'${value}' is not a column of '${field.label}'.`, key);
        out.push([row, value]);
      }
      return;
    }
    case 'date':
    case 'datetime': {
      const m = DATE.exec(text(field, v));
      if (!m) throw new Refusal(`'${field.label}' needs a date as YYYY-MM-DD, got ${JSON.stringify(v)}.`, key);
      if (src['includeYear'] !== false) out.push([`${key}_year`, m[1] ?? '']);
      out.push([`${key}_month`, m[2] ?? ''], [`${key}_day`, m[3] ?? '']);
      if (field.type === 'datetime' && m[4] !== undefined) out.push([`${key}_hour`, m[4]], [`${key}_minute`, m[5] ?? '']);
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
