/**
 * Answers a source form refuses, derived from each question's own rules in
 * the FormModel (required, format, length, pattern, range, dates, options,
 * selection counts, file count), with the words the refusal must use.
 * @module
 */
import type { FieldMapEntry } from '../../src/core/compile/field-map.js';
import type { FormField } from '../../src/core/form/field.js';
import { shiftDate, TODAY } from './form-paths.js';

/** One refused answer: a flow input set to `value` (`undefined` = removed), and what the message must say. */
export interface InvalidCase {
  rule: string;
  name: string;
  value: unknown;
  message: RegExp;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

function nonMatching(pattern: string): string | undefined {
  const re = new RegExp(pattern, 'u');
  return ['!!', '#', 'zz zz', '1', 'A'].find((c) => !re.test(c));
}

/** Invalid answers of one question, in flow terms (`e` gives the input names and option ids). */
export function invalidCases(f: FormField, e: FieldMapEntry): InvalidCase[] {
  const name = e.rows?.[0]?.flowName ?? e.flowName;
  if (name === undefined || e.searchable) return [];
  const v = f.validation ?? {};
  const out: InvalidCase[] = [];
  const add = (rule: string, value: unknown, message: RegExp, at = name): void => void out.push({ rule, name: at, value, message });
  if (f.required) add('required', undefined, f.type === 'consent' ? /Please agree/u : /needs an answer/u);
  const text = ['short_text', 'long_text', 'email', 'phone', 'url', 'time'].includes(f.type);
  if (text && v.pattern !== undefined) {
    const bad = nonMatching(v.pattern);
    if (bad !== undefined) add('pattern', bad, v.patternMessage === undefined ? /required format/u : new RegExp(escape(v.patternMessage), 'u'));
  }
  if (f.type === 'email' && v.pattern === undefined) add('email', 'not-an-email', /valid email/u);
  if (f.type === 'email' && v.blockedDomains?.[0] !== undefined) add('blocked domain', `ana@${v.blockedDomains[0].replace(/^@/u, '')}`, /domain is not accepted/u);
  if (f.type === 'phone' && v.pattern === undefined) add('phone', 'call me', /valid phone/u);
  if (f.type === 'url' && v.pattern === undefined) add('url', 'not a web address', /valid web address/u);
  if (f.type === 'time') add('time', '25:99', /HH:MM/u);
  // Of the length asked, in the question's own format (an e-mail stays an e-mail).
  const ofLength = (n: number): string => (f.type === 'email' ? `${'a'.repeat(Math.max(1, n - 12))}@example.com` : 'x'.repeat(n));
  const plain = text && v.pattern === undefined && !['phone', 'url', 'time'].includes(f.type);
  if (plain && v.minLength !== undefined && v.minLength > (f.type === 'email' ? 13 : 1)) add('min length', ofLength(v.minLength - 1), new RegExp(`at least ${v.minLength} characters`, 'u'));
  if (plain && v.maxLength !== undefined) add('max length', ofLength(v.maxLength + 1), new RegExp(`at most ${v.maxLength} characters`, 'u'));
  if (text && v.maxWords !== undefined) add('most words', 'w '.repeat(v.maxWords + 1).trim(), new RegExp(`at most ${v.maxWords} words`, 'u'));
  if (text && v.minWords !== undefined && v.minWords > 1) add('fewest words', 'w '.repeat(v.minWords - 1).trim(), new RegExp(`at least ${v.minWords} words`, 'u'));
  if (f.type === 'number') {
    if (v.min !== undefined) add('minimum', String(v.min - 1), /Enter a number (between|of at least)/u);
    if (v.max !== undefined) add('maximum', String(v.max + 1), /Enter a number (between|of at most)/u);
    if (v.integer === true) add('whole number', String((v.min ?? 0) + 0.5), /whole number/u);
    add('not a number', 'abc', /Enter a number/u);
  }
  if (f.type === 'date' || f.type === 'datetime') {
    if (v.minDate !== undefined) add('earliest date', '1900-01-01', new RegExp(`on or after ${v.minDate}`, 'u'));
    if (v.maxDate !== undefined) add('latest date', '2999-12-31', new RegExp(`on or before ${v.maxDate}`, 'u'));
    if (v.minDateOffset !== undefined) add('earliest day (relative)', shiftDate(TODAY, v.minDateOffset - 1), new RegExp(`on or after ${shiftDate(TODAY, v.minDateOffset)}`, 'u'));
    if (v.maxDateOffset !== undefined) add('latest day (relative)', shiftDate(TODAY, v.maxDateOffset + 1), new RegExp(`on or before ${shiftDate(TODAY, v.maxDateOffset)}`, 'u'));
    add('not a date', '2026-02-30', /valid date/u);
  }
  if (e.options && e.valueType !== 'number') {
    add('option not offered', e.valueType === 'string[]' ? ['no-such-option'] : 'no-such-option', /Choose from the options/u);
    const ids = e.options.map((o) => o.flowId).filter((id) => id !== '__other__');
    if (v.minSelected !== undefined && v.minSelected > 1) add('fewest choices', ids.slice(0, v.minSelected - 1), new RegExp(`at least ${v.minSelected}`, 'u'));
    if (v.maxSelected !== undefined && ids.length > v.maxSelected) add('most choices', ids.slice(0, v.maxSelected + 1), new RegExp(`at most ${v.maxSelected}`, 'u'));
  }
  if ((f.type === 'rating' || f.type === 'scale' || f.type === 'nps') && e.options) add('outside the scale', String(Math.max(...e.options.map((o) => Number(o.optionId))) + 1), /Choose from the options/u);
  if (f.type === 'file') {
    const max = f.file?.maxFiles ?? 1;
    add('file count', Array.from({ length: max + 1 }, (_, i) => ({ media_id: `m${i}`, file_name: `f${i}.pdf`, mime_type: 'application/pdf' })), new RegExp(`at most ${max} file`, 'u'));
  }
  return out;
}
