/**
 * A submission as the body of Tally's `FORM_RESPONSE` webhook (Tally
 * "Webhooks"), for consumers built on Tally webhooks: every question of the
 * form in order, answered or `null`. Ids are derived from the idempotency
 * key so a retry or replay carries the same `eventId` and `responseId`.
 * Each entry is `{key:"question_<id>", label, type, value, options?}`;
 * choice values are arrays of option ids with the options listed beside
 * them; unanswered questions are present with `value: null`.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FieldType, FormField } from '../../core/form/index.js';
import type { Submission, SubmissionFile } from '../sink-connector.js';
import { derivedId, derivedUuid } from '../webhook/derived-id.js';

/** Tally block type for a FormModel type (hand-written forms). */
const TALLY_TYPES: Record<FieldType, string | undefined> = {
  short_text: 'INPUT_TEXT', long_text: 'TEXTAREA', email: 'INPUT_EMAIL', phone: 'INPUT_PHONE_NUMBER', number: 'INPUT_NUMBER',
  url: 'INPUT_LINK', date: 'INPUT_DATE', time: 'INPUT_TIME', datetime: 'INPUT_DATE', single_choice: 'MULTIPLE_CHOICE',
  multiple_choice: 'CHECKBOXES', dropdown: 'DROPDOWN', yes_no: 'CHECKBOX', consent: 'CHECKBOX', rating: 'RATING',
  scale: 'LINEAR_SCALE', nps: 'LINEAR_SCALE', file: 'FILE_UPLOAD', grid: 'MATRIX', hidden: 'HIDDEN_FIELDS', statement: undefined,
};

/** One field entry. */
export interface TallyField {
  readonly key: string;
  readonly label: string;
  readonly type: string;
  readonly value: unknown;
  readonly options?: ReadonlyArray<{ readonly id: string; readonly text: string }>;
}

/** The field's Tally type: the imported block type (`source.tallyType`) or the FormModel type's. */
export function tallyType(field: FormField): string | undefined {
  const t = field.source?.tallyType;
  return typeof t === 'string' && t !== '' ? t : TALLY_TYPES[field.type];
}

function value(field: FormField, v: SourceValue | undefined, files: readonly SubmissionFile[]): unknown {
  if (field.type === 'file') {
    const mine = files.filter((f) => f.fieldKey === field.key);
    return mine.length === 0 ? null : mine.map((f) => ({ name: f.fileName, mimeType: f.mimeType, size: f.size }));
  }
  if (v === undefined) return null;
  if (field.options && field.type !== 'grid') return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof v === 'string' ? v : JSON.stringify(v)];
  if (field.type === 'number' || field.type === 'rating' || field.type === 'scale' || field.type === 'nps') {
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (field.type === 'consent' || field.type === 'yes_no') return v === true || v === 'true' || v === 'yes';
  return v;
}

/** The entry, or undefined for statements. */
export function tallyField(field: FormField, v: SourceValue | undefined, files: readonly SubmissionFile[]): TallyField | undefined {
  const type = tallyType(field);
  if (type === undefined || field.type === 'statement') return undefined;
  const base = { key: `question_${field.key}`, label: field.label, type, value: value(field, v, files) };
  if (!field.options || field.type === 'grid') return base;
  return { ...base, options: field.options.map((o) => ({ id: o.value, text: o.label })) };
}

/** Ids a consumer may dedupe on; derived unless given. */
export interface TallyIds {
  readonly eventId?: string;
  readonly responseId?: string;
  readonly respondentId?: string;
}

/** Tally writes timestamps with milliseconds (`2024-10-01T10:00:05.000Z`). */
export function tallyTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString();
}

/** The webhook body (an object; the sink serialises it once and signs those bytes). */
export function encodeTallyResponse(submission: Submission, idempotencyKey: string, ids: TallyIds = {}): Record<string, unknown> {
  const { form, answers } = submission;
  const fields: TallyField[] = [];
  for (const f of form.pages.flatMap((p) => p.fields)) {
    const entry = tallyField(f, answers[f.key], submission.files);
    if (entry) fields.push(entry);
  }
  const responseId = ids.responseId ?? derivedId(idempotencyKey, 'tally-response', 6, 'mixed');
  const createdAt = tallyTime(submission.submittedAt);
  return {
    eventId: ids.eventId ?? derivedUuid(idempotencyKey, 'tally-event'),
    eventType: 'FORM_RESPONSE',
    createdAt,
    data: {
      responseId,
      submissionId: responseId,
      respondentId: ids.respondentId ?? derivedId(submission.contact.phone, 'tally-respondent', 6, 'mixed'),
      formId: form.source.formId ?? form.id,
      formName: form.title,
      createdAt,
      fields,
    },
  };
}
