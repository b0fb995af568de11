/**
 * One submission as one spreadsheet row: the submission time, then one cell
 * per form field in the form's order (or the configured columns), then —
 * unless turned off — the submission id, which lets a retry find a row an
 * earlier attempt wrote. Lists are joined with ", ", grid answers as
 * "row: column" pairs; a text starting with "=" is prefixed with "'" so a
 * respondent cannot inject a formula under `USER_ENTERED`.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../core/form/index.js';

/** A cell value as the Sheets API takes it. */
export type Cell = string | number | boolean;

/** The header of the submission-id column. */
export const SUBMISSION_ID_HEADER = 'Submission ID';

/** What shapes the row. */
export interface RowOptions {
  /** Field keys in column order; default: every answerable field of the form, in order. */
  readonly columns?: readonly string[] | undefined;
  readonly submissionIdColumn: boolean;
}

/** The fields that become columns. */
export function columnFields(form: FormModel, options: RowOptions): FormField[] {
  const fields = form.pages.flatMap((p) => p.fields).filter((f) => f.type !== 'statement');
  if (!options.columns) return fields;
  return options.columns.map((key) => fields.find((f) => f.key === key) ?? { id: key, key, type: 'short_text', label: key, required: false });
}

/** The header row. */
export function headerRow(form: FormModel, options: RowOptions): string[] {
  return ['Submitted at', ...columnFields(form, options).map((f) => f.label || f.key), ...(options.submissionIdColumn ? [SUBMISSION_ID_HEADER] : [])];
}

function cell(field: FormField, v: SourceValue | undefined): Cell {
  if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return field.type === 'yes_no' || field.type === 'consent' ? (v === true ? 'Yes' : v === false ? 'No' : String(v)) : v;
  if (typeof v === 'string') return v.startsWith('=') ? `'${v}` : v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : JSON.stringify(x))).join(', ').replace(/^=/, "'=");
  const rows = new Map((field.rows ?? []).map((r) => [r.key, r.label]));
  return Object.entries(v).map(([k, x]) => `${rows.get(k) ?? k}: ${x}`).join('; ').replace(/^=/, "'=");
}

/** `2024-10-01T10:00:05.000Z` → `2024-10-01 10:00:05` (UTC), a form Sheets reads as a date-time. */
export function sheetTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The row for one submission. */
export function sheetRow(form: FormModel, answers: Readonly<Record<string, SourceValue>>, submittedAt: string, submissionId: string, options: RowOptions): Cell[] {
  return [sheetTime(submittedAt), ...columnFields(form, options).map((f) => cell(f, answers[f.key])), ...(options.submissionIdColumn ? [submissionId] : [])];
}

/** A1 column letters of a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
