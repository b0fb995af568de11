/**
 * A Submission as the `data` of a Formbricks response (client API `POST
 * /api/v1/client/{environmentId}/responses`, management API `POST
 * /api/v1/management/responses`; spec "Form sources" §7): keyed by question
 * or hidden-field id; open text as a string (numbers too: an `openText`
 * number input stores text), choices as their LABELS, multi-choice as a label
 * array, NPS/rating as numbers, dates `YYYY-MM-DD`, consent `"accepted"`,
 * matrix `{rowLabel: columnLabel}`, file answers as storage URLs, contact-info
 * and address questions as one string array in Formbricks' sub-field order.
 *
 * A compound question arrives as one FormModel field per sub-field (the
 * Formbricks source maps `fullname.firstName` with `source.parent` and
 * `source.index`); keys shaped `id[sub]` or `id/sub` are understood too.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../core/form/index.js';

/** Formbricks' sub-field order for compound questions. */
const PARTS: Record<string, readonly string[]> = {
  contactInfo: ['firstName', 'lastName', 'email', 'phone', 'company'],
  address: ['addressLine1', 'addressLine2', 'city', 'state', 'zip', 'country'],
};

/** A response's `data`, or why the answers cannot be sent. */
export type FormbricksEncoding = { readonly ok: true; readonly data: Record<string, unknown> } | { readonly ok: false; readonly reason: string; readonly field: string };

class Refusal extends Error {
  constructor(readonly reason: string, readonly field: string) {
    super(reason);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The compound question this field is a part of: its id, array length and position. */
function partOf(field: FormField): { id: string; size: number; index: number } | undefined {
  const src = field.source ?? {};
  const kind = src['formbricksType'];
  const parent = str(src['parent']);
  const at = src['index'];
  if (parent !== undefined && typeof at === 'number' && (kind === 'contactInfo' || kind === 'address')) {
    return { id: parent, size: PARTS[kind]?.length ?? 0, index: at };
  }
  const m = /^([^[./]+)(?:\[|\.|\/)([A-Za-z0-9_]+)\]?$/.exec(field.key);
  const id = str(src['questionId']) ?? parent ?? m?.[1];
  const sub = str(src['subField']) ?? m?.[2];
  if (id === undefined || sub === undefined) return undefined;
  for (const parts of Object.values(PARTS)) {
    const index = parts.indexOf(sub);
    if (index >= 0) return { id, size: parts.length, index };
  }
  return undefined;
}

function text(field: FormField, v: SourceValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  throw new Refusal(`'${field.label || field.key}' needs a single value, got ${JSON.stringify(v)}.`, field.key);
}

function label(field: FormField, value: string): string {
  const option = field.options?.find((o) => o.value === value);
  if (option) return option.label;
  if (field.allowOther === true) return value;
  throw new Refusal(`'${value}' is not a choice of '${field.label}'.`, field.key);
}

function valueOf(field: FormField, v: SourceValue): unknown {
  switch (field.type) {
    case 'single_choice':
    case 'dropdown':
      return label(field, text(field, v));
    case 'multiple_choice':
      return (Array.isArray(v) ? v : [v]).map((x) => label(field, text(field, x as SourceValue)));
    case 'nps':
    case 'rating':
    case 'scale': {
      const n = typeof v === 'number' ? v : Number(text(field, v));
      if (!Number.isFinite(n) || (field.scale && (n < field.scale.min || n > field.scale.max))) throw new Refusal(`${JSON.stringify(v)} is not on the scale of '${field.label}'.`, field.key);
      return n;
    }
    case 'consent':
      return v === true || v === 'accepted' ? 'accepted' : undefined;
    case 'date': {
      const m = /^\d{4}-\d{2}-\d{2}/.exec(text(field, v));
      if (!m) throw new Refusal(`'${field.label}' needs a date as YYYY-MM-DD, got ${JSON.stringify(v)}.`, field.key);
      return m[0];
    }
    case 'grid': {
      if (typeof v !== 'object' || Array.isArray(v)) throw new Refusal(`'${field.label}' needs one answer per row.`, field.key);
      const out: Record<string, string> = {};
      for (const [rowKey, col] of Object.entries(v)) {
        const row = field.rows?.find((r) => r.key === rowKey);
        if (!row) throw new Refusal(`'${rowKey}' is not a row of '${field.label}'.`, field.key);
        out[row.label] = label({ ...field, allowOther: false }, col);
      }
      return out;
    }
    case 'file': {
      const urls = Array.isArray(v) ? v : [v];
      if (!urls.every((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u))) throw new Refusal(`'${field.label}' holds files that are not uploaded to Formbricks storage.`, field.key);
      return urls;
    }
    case 'datetime':
    case 'email':
    case 'hidden':
    case 'long_text':
    case 'number':
    case 'phone':
    case 'short_text':
    case 'statement':
    case 'time':
    case 'url':
    case 'yes_no':
      return text(field, v);
  }
}

/** Encode `answers` (keyed by source key) for `form`. Pure; never throws for bad answers. */
export function encodeFormbricksData(form: FormModel, answers: Readonly<Record<string, SourceValue>>): FormbricksEncoding {
  const data: Record<string, unknown> = {};
  try {
    for (const field of form.pages.flatMap((p) => p.fields)) {
      const v = answers[field.key];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || field.type === 'statement') continue;
      const part = partOf(field);
      if (part) {
        const arr = Array.isArray(data[part.id]) ? (data[part.id] as string[]) : Array.from({ length: part.size }, () => '');
        arr[part.index] = text(field, v);
        data[part.id] = arr;
        continue;
      }
      const value = valueOf(field, v);
      if (value !== undefined) data[str(field.source?.['questionId']) ?? field.key] = value;
    }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, field: error.field };
    throw error;
  }
  return { ok: true, data };
}
