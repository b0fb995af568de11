/**
 * Answer formatting the form-API sinks (Google Forms, Jotform,
 * SurveyMonkey) share: the refusal that carries why an answer cannot be
 * posted, a single value as text, choices split into known options and
 * "Other" texts, grid rows, ISO dates and 24-hour clock times read from the
 * runtime's answers. Each sink writes the parts in its own wire format.
 * Pure; sinks may import this file but not each other.
 * @module
 */
import type { SourceValue } from '../core/compile/map-answers-to-source.js';
import type { FormField } from '../core/form/index.js';

/** Why an answer cannot be sent; encoders catch it and return it as data. */
export class AnswerRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly field: string,
  ) {
    super(reason);
  }
}

/** A single value as the text the form APIs take (booleans as Yes/No). */
export function answerText(field: FormField, v: SourceValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  throw new AnswerRefusal(`'${field.label || field.key}' needs a single value, got ${JSON.stringify(v)}.`, field.key);
}

/** A choice answer's texts, and those that are no option of the field (candidates for "Other"). */
export function choiceTexts(field: FormField, v: SourceValue): { readonly values: string[]; readonly known: ReadonlySet<string>; readonly others: string[] } {
  const values = Array.isArray(v) ? v.map((x) => answerText(field, x as SourceValue)) : [answerText(field, v)];
  const known = new Set((field.options ?? []).map((o) => o.value));
  return { values, known, others: values.filter((x) => !known.has(x)) };
}

/** A grid answer's `[row, column]` pairs with the field's rows and columns (validation messages stay the sink's). */
export function gridEntries(field: FormField, v: SourceValue): { readonly entries: Array<[string, string]>; readonly rows: ReadonlySet<string>; readonly columns: ReadonlySet<string> } {
  if (typeof v !== 'object' || Array.isArray(v)) throw new AnswerRefusal(`'${field.label}' needs one answer per row.`, field.key);
  return { entries: Object.entries(v), rows: new Set((field.rows ?? []).map((r) => r.key)), columns: new Set((field.options ?? []).map((o) => o.value)) };
}

/** An ISO date (`YYYY-MM-DD`, optionally `THH:MM`) split into its parts. */
export interface IsoDateParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour?: string | undefined;
  readonly minute?: string | undefined;
}

/** Read `v` as an ISO date (the runtime's DatePicker format), or refuse. */
export function isoDateParts(field: FormField, v: SourceValue): IsoDateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(answerText(field, v));
  if (!m) throw new AnswerRefusal(`'${field.label}' needs a date as YYYY-MM-DD, got ${JSON.stringify(v)}.`, field.key);
  return { year: m[1] ?? '', month: m[2] ?? '', day: m[3] ?? '', hour: m[4], minute: m[4] === undefined ? undefined : (m[5] ?? '') };
}

/** Read `v` as a 24-hour `H:MM`/`HH:MM` time (hour ≤ 23), or refuse; `shown` is what the refusal quotes. */
export function clockTime(field: FormField, v: SourceValue, shown: unknown = v): { readonly hour: number; readonly minute: string } {
  const m = /^(\d{1,2}):(\d{2})/.exec(answerText(field, v));
  const hour = Number(m?.[1]);
  if (!m || hour > 23) throw new AnswerRefusal(`'${field.label}' needs a time as HH:MM, got ${JSON.stringify(shown)}.`, field.key);
  return { hour, minute: m[2] ?? '' };
}

/** A 24-hour hour on a 12-hour clock (0 and 12 → 12) with its AM/PM. */
export function twelveHour(hour: number): { readonly hour: number; readonly meridiem: 'AM' | 'PM' } {
  return { hour: hour % 12 === 0 ? 12 : hour % 12, meridiem: hour < 12 ? 'AM' : 'PM' };
}
