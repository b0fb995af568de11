/**
 * One Formbricks question/element as FormModel fields. Texts are i18n objects
 * (`{default: "…"}`); only the default language is kept. Choice values are
 * the labels because Formbricks stores choice answers as label text (client
 * API "Create response": `data` values), option ids stay the choice ids.
 * @module
 */
import { notRepresentable } from '../not-representable.js';
import type { FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The default-language text of an i18n string (plain strings pass through), HTML removed. */
export function text(v: unknown): string {
  const raw = typeof v === 'string' ? v : isObject(v) ? (typeof v.default === 'string' ? v.default : Object.values(v).find((x): x is string => typeof x === 'string') ?? '') : '';
  return raw.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', txt: 'text/plain', csv: 'text/csv',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip: 'application/zip',
};
const ADDRESS = ['addressLine1', 'addressLine2', 'city', 'state', 'zip', 'country'] as const;
const CONTACT = ['firstName', 'lastName', 'email', 'phone', 'company'] as const;

/** Map one question (JSON pointer `at`). */
export function mapFormbricksQuestion(q: Obj, at: string, unmapped: UnmappedItem[]): FieldInput[] {
  const id = typeof q.id === 'string' ? q.id : '';
  const type = typeof q.type === 'string' ? q.type : '';
  const label = text(q.headline) || `Question ${id}`;
  const help = text(q.subheader);
  const required = q.required === true;
  const placeholder = text(q.placeholder);
  const skip = (pointer: string, reason: string): FieldInput[] => (unmapped.push({ pointer: `${at}${pointer}`, reason }), []);
  const base = (extra: Partial<FieldInput> & Pick<FieldInput, 'type'>): FieldInput => ({ id, key: id, label, required, ...(help ? { help } : {}), ...(placeholder ? { placeholder } : {}), source: { formbricksType: type }, ...extra });
  for (const media of ['imageUrl', 'videoUrl'] as const) if (typeof q[media] === 'string' && q[media] !== '') unmapped.push({ pointer: `${at}/${media}`, reason: 'Question media is not shown in WhatsApp.' });
  if (typeof q.shuffleOption === 'string' && q.shuffleOption !== 'none') unmapped.push({ pointer: `${at}/shuffleOption`, reason: 'Options are shown in their defined order, not shuffled.' });
  const choices = (Array.isArray(q.choices) ? q.choices : []).filter(isObject).filter((c) => typeof c.id === 'string' && c.id !== '');
  switch (type) {
    case 'openText': {
      const limit = isObject(q.charLimit) && q.charLimit.enabled === true ? q.charLimit : undefined;
      const min = num(limit?.min);
      const max = num(limit?.max);
      const v = { ...(min !== undefined && min > 0 ? { minLength: Math.floor(min) } : {}), ...(max !== undefined && max > 0 ? { maxLength: Math.floor(max) } : {}) };
      const input = typeof q.inputType === 'string' ? q.inputType : 'text';
      const t: FieldInput['type'] = input === 'email' ? 'email' : input === 'url' ? 'url' : input === 'number' ? 'number' : input === 'phone' ? 'phone' : q.longAnswer === true ? 'long_text' : 'short_text';
      return [base({ type: t, ...(Object.keys(v).length && t !== 'number' ? { validation: v } : {}) })];
    }
    case 'multipleChoiceSingle':
    case 'multipleChoiceMulti': {
      const other = choices.find((c) => c.id === 'other');
      const options = choices.filter((c) => c !== other).map((c) => ({ id: c.id as string, value: text(c.label) || (c.id as string), label: text(c.label) || (c.id as string) }));
      if (options.length === 0) return skip('/choices', 'A choice question without choices cannot be asked.');
      const t = type === 'multipleChoiceMulti' ? 'multiple_choice' : q.displayType === 'dropdown' ? 'dropdown' : 'single_choice';
      return [base({ type: t, options, ...(other ? { allowOther: true } : {}) })];
    }
    case 'pictureSelection': {
      if (choices.length === 0) return skip('/choices', 'A picture choice without pictures cannot be asked.');
      unmapped.push({ pointer: `${at}/choices`, reason: 'Pictures are offered as numbered options (images are not shown in the list).' });
      const options = choices.map((c, i) => ({ id: c.id as string, value: c.id as string, label: `Picture ${i + 1}` }));
      return [base({ type: q.allowMulti === true ? 'multiple_choice' : 'single_choice', options })];
    }
    case 'nps':
      return [base({ type: 'nps', scale: { min: 0, max: 10, ...(text(q.lowerLabel) ? { minLabel: text(q.lowerLabel) } : {}), ...(text(q.upperLabel) ? { maxLabel: text(q.upperLabel) } : {}) } })];
    case 'rating': {
      const range = Math.max(2, num(q.range) ?? 5);
      return [base({ type: q.scale === 'number' ? 'scale' : 'rating', scale: { min: 1, max: range, ...(text(q.lowerLabel) ? { minLabel: text(q.lowerLabel) } : {}), ...(text(q.upperLabel) ? { maxLabel: text(q.upperLabel) } : {}) }, source: { formbricksType: type, scale: typeof q.scale === 'string' ? q.scale : 'number' } })];
    }
    case 'consent': {
      const body = text(q.html);
      return [base({ type: 'consent', label: text(q.label) || label, help: [label, body, help].filter((x) => x !== '').join('\n') })];
    }
    case 'date':
      return [base({ type: 'date', source: { formbricksType: type, format: typeof q.format === 'string' ? q.format : 'y-M-d' } })];
    case 'fileUpload': {
      const exts = (Array.isArray(q.allowedFileExtensions) ? q.allowedFileExtensions : []).filter((e): e is string => typeof e === 'string').map((e) => e.replace(/^\./, '').toLowerCase());
      const mimes = [...new Set(exts.map((e) => MIME[e]).filter((m): m is string => m !== undefined))];
      const unknown = exts.filter((e) => MIME[e] === undefined);
      if (unknown.length > 0) unmapped.push({ pointer: `${at}/allowedFileExtensions`, reason: `Extensions without a known MIME type are not restricted: ${unknown.join(', ')}.` });
      const multi = q.allowMultipleFiles === true;
      if (multi) unmapped.push({ pointer: `${at}/allowMultipleFiles`, reason: 'Formbricks sets no file count; WhatsApp allows up to 30 files.' });
      const mb = num(q.maxSizeInMB);
      const kind = mimes.length > 0 && mimes.every((m) => m.startsWith('image/')) ? 'image' : mimes.length > 0 ? 'document' : 'any';
      return [base({ type: 'file', file: { kind, maxFiles: multi ? 30 : 1, ...(mb ? { maxSizeKb: Math.round(mb * 1024) } : {}), ...(mimes.length ? { mimeTypes: mimes } : {}) } })];
    }
    case 'matrix': {
      const rows = (Array.isArray(q.rows) ? q.rows : []).filter(isObject);
      const cols = (Array.isArray(q.columns) ? q.columns : []).filter(isObject);
      if (rows.length === 0 || cols.length === 0) return skip('', 'A matrix without rows or columns cannot be asked.');
      return [base({
        type: 'grid',
        options: cols.map((c, i) => ({ id: typeof c.id === 'string' && c.id ? c.id : `c${i + 1}`, value: text(c.label) || `Column ${i + 1}`, label: text(c.label) || `Column ${i + 1}` })),
        rows: rows.map((r, i) => ({ id: typeof r.id === 'string' && r.id ? r.id : `r${i + 1}`, key: text(r.label) || `Row ${i + 1}`, label: text(r.label) || `Row ${i + 1}` })),
      })];
    }
    case 'address':
    case 'contactInfo': {
      const subs = type === 'address' ? ADDRESS : CONTACT;
      const heading: FieldInput = { id: `${id}.label`, key: id, type: 'statement', label, style: 'subheading', ...(help ? { help } : {}), source: { formbricksType: type, parent: id } };
      return [heading, ...subs.flatMap((sub, index) => {
        const cfg = isObject(q[sub]) ? q[sub] : { show: true, required };
        if (cfg.show === false) return [];
        const subLabel = text(cfg.placeholder) || sub;
        const t: FieldInput['type'] = sub === 'email' ? 'email' : sub === 'phone' ? 'phone' : 'short_text';
        return [{ id: `${id}.${sub}`, key: `${id}.${sub}`, type: t, label: subLabel, required: required && cfg.required === true, source: { formbricksType: type, parent: id, index } }];
      })];
    }
    case 'cta': {
      if (typeof q.buttonUrl === 'string' && q.buttonUrl !== '') unmapped.push({ pointer: `${at}/buttonUrl`, reason: `The call-to-action button (${q.buttonUrl}) is shown as text only.` });
      const body = [label, text(q.html), help, typeof q.buttonUrl === 'string' ? q.buttonUrl : ''].filter((x) => x !== '').join('\n');
      return [{ id, key: id, type: 'statement', label: body, style: 'paragraph', source: { formbricksType: type } }];
    }
    case 'ranking':
      return skip('', notRepresentable(`Formbricks question type 'ranking'`, 'ranking', required));
    default:
      return skip('', `Formbricks question type '${type || '(none)'}' has no WhatsApp Flow equivalent${required ? ' (required in the source survey)' : ''}.`);
  }
}
