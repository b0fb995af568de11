/**
 * Contract fake of a consumer of Tally webhooks: checks `Tally-Signature:
 * <base64 HMAC-SHA256(signing secret, raw body)>` (Tally "Webhooks"), the
 * `FORM_RESPONSE` shape, `question_` keys, choice values among the listed
 * option ids, email and date formats, and that the form's required
 * top-level questions are answered. Dedupes on `eventId`.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FormModel } from '../../../src/core/form/index.js';
import { startSignedReceiver, type SignedReceiver } from '../webhook-sink/signed-receiver.js';

/** Options of the fake. */
export interface TallyWebhookSinkFakeOptions {
  readonly secret: string;
  readonly form?: FormModel;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function checkField(f: Obj): string | undefined {
  const key = String(f.key);
  if (!key.startsWith('question_')) return `field key ${key} must start with question_`;
  if (f.value === null) return undefined;
  if (Array.isArray(f.options)) {
    const ids = new Set(f.options.map((o) => obj(o).id));
    return Array.isArray(f.value) && f.value.every((v) => ids.has(v)) ? undefined : `${key}: value is not a list of option ids`;
  }
  if (f.type === 'INPUT_EMAIL') return typeof f.value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.value) ? undefined : `${key}: invalid email`;
  if (f.type === 'INPUT_DATE') return typeof f.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(f.value) ? undefined : `${key}: invalid date`;
  if (f.type === 'INPUT_NUMBER' || f.type === 'RATING' || f.type === 'LINEAR_SCALE') return typeof f.value === 'number' ? undefined : `${key}: not a number`;
  return undefined;
}

/** Start the fake consumer. */
export function startTallyWebhookSinkFake(options: TallyWebhookSinkFakeOptions): Promise<SignedReceiver> {
  return startSignedReceiver({
    verify(req) {
      const got = Buffer.from(String(req.headers['tally-signature'] ?? ''));
      const want = Buffer.from(createHmac('sha256', options.secret).update(req.raw).digest('base64'));
      return got.length === want.length && timingSafeEqual(got, want) ? undefined : 'invalid Tally-Signature';
    },
    validate(p) {
      const problems: string[] = [];
      if (p.eventType !== 'FORM_RESPONSE') problems.push('eventType must be FORM_RESPONSE');
      if (typeof p.eventId !== 'string') problems.push('eventId missing');
      const data = obj(p.data);
      for (const k of ['responseId', 'formId', 'createdAt']) if (typeof data[k] !== 'string') problems.push(`data.${k} missing`);
      const byKey = new Map<string, Obj>();
      for (const f of list(data.fields)) {
        const bad = checkField(obj(f));
        if (bad) problems.push(bad);
        byKey.set(String(obj(f).key), obj(f));
      }
      for (const f of options.form?.pages.flatMap((pg) => pg.fields) ?? []) {
        const got = byKey.get(`question_${f.key}`);
        if (f.type !== 'statement' && got === undefined) problems.push(`question_${f.key} missing`);
        if (f.required && f.visibleWhen === undefined && f.type !== 'hidden' && f.type !== 'statement' && f.type !== 'file' && (got?.value ?? null) === null) problems.push(`required question_${f.key} not answered`);
      }
      return problems;
    },
    eventId: (p) => String(p.eventId),
  });
}
