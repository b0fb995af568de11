/**
 * A submission as the body of Typeform's `form_response` webhook (Typeform
 * "Webhooks: example payload"), for consumers built on Typeform webhooks:
 * the same `definition` (fields with ids, refs, choices) and `answers` in
 * form order, hidden fields under `hidden`. Typeform's own score variables,
 * endings and file download URLs are not known to Flowbridge and are left out.
 * @module
 */
import type { FormField } from '../../core/form/index.js';
import type { Submission } from '../sink-connector.js';
import { derivedId } from '../webhook/derived-id.js';
import { typeformAnswer, typeformChoices, typeformFieldId, typeformType } from './typeform-answer.js';

/** Ids a consumer may dedupe on; derived from the idempotency key unless given. */
export interface TypeformIds {
  readonly eventId?: string;
  readonly token?: string;
  readonly landedAt?: string;
}

/** Typeform writes timestamps to the second (`2024-10-01T10:00:05Z`). */
export function typeformTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function definitionField(field: FormField): Record<string, unknown> | undefined {
  const type = typeformType(field);
  if (type === undefined || field.type === 'statement' || field.type === 'grid') return undefined;
  const out: Record<string, unknown> = { id: typeformFieldId(field), ref: field.key, type, title: field.label, properties: {} };
  if (field.options && field.options.length > 0) {
    out.choices = typeformChoices(field);
    out.allow_multiple_selections = field.type === 'multiple_choice';
    out.allow_other_choice = field.allowOther === true;
  }
  return out;
}

/** The webhook body (an object; the sink serialises it once and signs those bytes). */
export function encodeTypeformResponse(submission: Submission, idempotencyKey: string, ids: TypeformIds = {}): Record<string, unknown> {
  const { form, answers } = submission;
  const fields = form.pages.flatMap((p) => p.fields);
  const hidden: Record<string, string> = {};
  const definitionFields: Record<string, unknown>[] = [];
  const answerList: Record<string, unknown>[] = [];
  for (const field of fields) {
    const value = answers[field.key];
    if (field.type === 'hidden') {
      if (value !== undefined) hidden[field.key] = Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
      continue;
    }
    const def = definitionField(field);
    if (def === undefined) continue;
    definitionFields.push(def);
    if (value === undefined) continue;
    const answer = typeformAnswer(field, value);
    if (answer) answerList.push(answer);
  }
  const formId = form.source.formId ?? form.id;
  const submittedAt = typeformTime(submission.submittedAt);
  return {
    event_id: ids.eventId ?? derivedId(idempotencyKey, 'typeform-event', 26, 'ulid'),
    event_type: 'form_response',
    form_response: {
      form_id: formId,
      token: ids.token ?? derivedId(idempotencyKey, 'typeform-token', 21, 'lower'),
      landed_at: ids.landedAt ?? submittedAt,
      submitted_at: submittedAt,
      hidden,
      definition: { id: formId, title: form.title, fields: definitionFields },
      answers: answerList,
    },
  };
}
