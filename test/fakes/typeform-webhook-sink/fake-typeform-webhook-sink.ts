/**
 * Contract fake of a consumer of Typeform webhooks: checks
 * `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>`
 * (Typeform "Webhooks: secure your webhooks"), the `form_response` shape,
 * that every answer points at a definition field with a value of the right
 * kind (email, `YYYY-MM-DD` date, number, choice among the field's choices,
 * E.164 phone), and that the form's required top-level questions are
 * answered. Dedupes on `event_id`.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FormModel } from '../../../src/core/form/index.js';
import { startSignedReceiver, type SignedReceiver } from '../webhook-sink/signed-receiver.js';

/** Options of the fake. */
export interface TypeformWebhookSinkFakeOptions {
  readonly secret: string;
  readonly form?: FormModel;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function checkAnswer(a: Obj, defs: Map<string, Obj>): string | undefined {
  const ref = obj(a.field).ref;
  const def = typeof ref === 'string' ? defs.get(ref) : undefined;
  if (!def) return `answer for unknown field ${JSON.stringify(ref)}`;
  if (obj(a.field).id !== def.id) return `answer field id does not match definition for ${String(ref)}`;
  const choiceIds = new Set(list(def.choices).map((c) => obj(c).id));
  switch (a.type) {
    case 'email':
      return typeof a.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email) ? undefined : `invalid email for ${String(ref)}`;
    case 'date':
      return typeof a.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a.date) ? undefined : `invalid date for ${String(ref)}`;
    case 'number':
      return typeof a.number === 'number' && Number.isFinite(a.number) ? undefined : `invalid number for ${String(ref)}`;
    case 'phone_number':
      return typeof a.phone_number === 'string' && /^\+[1-9]\d{6,14}$/.test(a.phone_number) ? undefined : `invalid phone number for ${String(ref)}`;
    case 'boolean':
      return typeof a.boolean === 'boolean' ? undefined : `invalid boolean for ${String(ref)}`;
    case 'text':
      return typeof a.text === 'string' ? undefined : `invalid text for ${String(ref)}`;
    case 'url':
      return typeof a.url === 'string' ? undefined : `invalid url for ${String(ref)}`;
    case 'choice': {
      const c = obj(a.choice);
      if (typeof c.other === 'string') return def.allow_other_choice === true ? undefined : `'other' not allowed for ${String(ref)}`;
      return choiceIds.has(c.id) ? undefined : `choice not among the choices of ${String(ref)}`;
    }
    case 'choices': {
      const c = obj(a.choices);
      if (!list(c.ids).every((id) => choiceIds.has(id))) return `choices not among the choices of ${String(ref)}`;
      if (c.other !== undefined && def.allow_other_choice !== true) return `'other' not allowed for ${String(ref)}`;
      return list(c.ids).length === 0 && typeof c.other !== 'string' ? `empty choices for ${String(ref)}` : undefined;
    }
    default:
      return `unknown answer type ${JSON.stringify(a.type)}`;
  }
}

/** Start the fake consumer. */
export function startTypeformWebhookSinkFake(options: TypeformWebhookSinkFakeOptions): Promise<SignedReceiver> {
  return startSignedReceiver({
    verify(req) {
      const got = Buffer.from(String(req.headers['typeform-signature'] ?? ''));
      const want = Buffer.from(`sha256=${createHmac('sha256', options.secret).update(req.raw).digest('base64')}`);
      return got.length === want.length && timingSafeEqual(got, want) ? undefined : 'invalid Typeform-Signature';
    },
    validate(p) {
      const problems: string[] = [];
      if (p.event_type !== 'form_response') problems.push('event_type must be form_response');
      const fr = obj(p.form_response);
      for (const k of ['form_id', 'token', 'landed_at', 'submitted_at']) if (typeof fr[k] !== 'string') problems.push(`form_response.${k} missing`);
      const defs = new Map(list(obj(fr.definition).fields).map((f) => [String(obj(f).ref), obj(f)]));
      const answered = new Set<string>();
      for (const a of list(fr.answers)) {
        const bad = checkAnswer(obj(a), defs);
        if (bad) problems.push(bad);
        answered.add(String(obj(obj(a).field).ref));
      }
      for (const f of options.form?.pages.flatMap((pg) => pg.fields) ?? []) {
        if (f.required && f.visibleWhen === undefined && f.type !== 'hidden' && f.type !== 'statement' && f.type !== 'file' && !answered.has(f.key)) problems.push(`required field ${f.key} not answered`);
      }
      return problems;
    },
    eventId: (p) => String(p.event_id),
  });
}
