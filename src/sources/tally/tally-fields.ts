/**
 * One Tally question — its input block, or the run of option blocks sharing a
 * `groupUuid` — as a FormModel field. Option values are the option blocks'
 * uuids because Tally reports choice answers as option ids (Tally "Webhooks"
 * payload: `value` = array of option ids with `options[{id, text}]`).
 * @module
 */
import { notRepresentable } from '../not-representable.js';
import type { FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];

/** One Tally block as the API returns it. */
export interface TallyBlock {
  readonly uuid: string;
  readonly type: string;
  readonly groupUuid: string;
  readonly groupType: string;
  readonly payload: Record<string, unknown>;
}

/** A question to map: its blocks (one input, or several options), pointers and label. */
export interface TallyQuestion {
  readonly blocks: readonly { block: TallyBlock; index: number }[];
  readonly label: string;
  readonly titleUuid?: string;
}

/** Tally's HTML as plain text. */
export function plainText(html: unknown): string {
  if (typeof html !== 'string') return '';
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
}

const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Option groups: block type of one option → field type. */
export const OPTION_GROUPS: Record<string, FieldInput['type'] | 'ranking'> = {
  MULTIPLE_CHOICE_OPTION: 'single_choice',
  CHECKBOX: 'multiple_choice',
  DROPDOWN_OPTION: 'dropdown',
  MULTI_SELECT_OPTION: 'multiple_choice',
  RANKING_OPTION: 'ranking',
};

/** Map a question; undefined (and an `unmapped` entry) when the model cannot hold it. */
export function mapTallyQuestion(q: TallyQuestion, unmapped: UnmappedItem[]): FieldInput | undefined {
  const first = q.blocks[0];
  if (!first) return undefined;
  const { block } = first;
  const p = block.payload;
  const at = `/blocks/${first.index}`;
  const skip = (pointer: string, reason: string): undefined => void unmapped.push({ pointer: `${at}${pointer}`, reason });
  const required = q.blocks.some((b) => b.block.payload.isRequired === true);
  const placeholder = s(p.placeholder);
  const base: FieldInput = {
    id: block.groupUuid,
    key: block.groupUuid,
    type: 'short_text',
    label: q.label || plainText(p.title) || 'Untitled question',
    required,
    ...(placeholder !== '' ? { placeholder } : {}),
    source: { tallyType: block.groupType, blockUuid: block.uuid, ...(q.titleUuid ? { titleUuid: q.titleUuid } : {}) },
  };
  const lengths = { ...(p.hasMinCharacters === true && n(p.minCharacters) !== undefined ? { minLength: n(p.minCharacters) } : {}), ...(p.hasMaxCharacters === true && n(p.maxCharacters) ? { maxLength: n(p.maxCharacters) } : {}) };
  const withValidation = (f: FieldInput, v: Record<string, unknown>): FieldInput => (Object.keys(v).length ? { ...f, validation: v } : f);
  const optionType = OPTION_GROUPS[block.type];
  if (optionType !== undefined) {
    if (optionType === 'ranking') return skip('', notRepresentable('Ranking question', 'ranking', required));
    const other = q.blocks.find((b) => b.block.payload.isOtherOption === true);
    const opts = q.blocks
      .filter((b) => b !== other)
      .map((b) => ({ id: b.block.uuid, value: b.block.uuid, label: plainText(b.block.payload.text) || `Option ${n(b.block.payload.index) ?? ''}`.trim() }));
    if (opts.length === 0) return skip('', 'A choice question without options cannot be asked.');
    const multi = optionType === 'multiple_choice' || p.allowMultiple === true;
    const min = p.hasMinChoices === true ? n(p.minChoices) : undefined;
    const max = p.hasMaxChoices === true ? n(p.maxChoices) : undefined;
    return withValidation(
      { ...base, type: multi && optionType !== 'dropdown' ? 'multiple_choice' : optionType, options: opts, ...(other ? { allowOther: true, source: { ...base.source, otherOptionUuid: other.block.uuid } } : {}) },
      multi ? { ...(min ? { minSelected: min } : {}), ...(max ? { maxSelected: max } : {}) } : {},
    );
  }
  switch (block.type) {
    case 'INPUT_TEXT':
      return withValidation(base, lengths);
    case 'TEXTAREA':
      return withValidation({ ...base, type: 'long_text' }, lengths);
    case 'INPUT_EMAIL':
      return { ...base, type: 'email' };
    case 'INPUT_LINK':
      return { ...base, type: 'url' };
    case 'INPUT_PHONE_NUMBER':
      return { ...base, type: 'phone', source: { ...base.source, ...(s(p.defaultCountryCode) ? { defaultCountryCode: s(p.defaultCountryCode) } : {}) } };
    case 'INPUT_TIME':
      return { ...base, type: 'time' };
    case 'INPUT_NUMBER': {
      const min = p.hasMinNumber === true ? n(p.minNumber) : undefined;
      const max = p.hasMaxNumber === true ? n(p.maxNumber) : undefined;
      return withValidation({ ...base, type: 'number' }, { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
    }
    case 'INPUT_DATE': {
      const bounds: Record<string, string | number> = {};
      for (const [flag, key] of [['hasMinDate', 'minDate'], ['hasMaxDate', 'maxDate']] as const) {
        if (p[flag] !== true) continue;
        const v = s(p[key]);
        const offset = relativeDays(v);
        if (ISO_DATE.test(v)) bounds[key] = v;
        else if (offset !== undefined) bounds[`${key}Offset`] = offset;
        else skip(`/payload/${key}`, `Date bound '${v}' is neither a date (YYYY-MM-DD) nor a day relative to today ('today', 'today+30', '+30 days'): not applied.`);
      }
      return withValidation({ ...base, type: 'date', source: { ...base.source, ...(s(p.format) ? { format: s(p.format) } : {}) } }, bounds);
    }
    case 'LINEAR_SCALE': {
      const start = n(p.start) ?? 1;
      const end = Math.max(n(p.end) ?? 5, start + 1);
      if ((n(p.step) ?? 1) !== 1) skip('/payload/step', `Scale step ${String(p.step)} is not kept: every integer is offered.`);
      const labels = { ...(p.hasLeftLabel === true && s(p.leftLabel) ? { minLabel: s(p.leftLabel) } : {}), ...(p.hasRightLabel === true && s(p.rightLabel) ? { maxLabel: s(p.rightLabel) } : {}) };
      return { ...base, type: start === 0 && end === 10 ? 'nps' : 'scale', scale: { min: start, max: end, ...labels } };
    }
    case 'RATING':
      return { ...base, type: 'rating', scale: { min: 1, max: Math.max(2, n(p.stars) ?? 5) } };
    case 'FILE_UPLOAD': {
      const types = Array.isArray(p.allowedFileTypes) ? p.allowedFileTypes.filter((t): t is string => typeof t === 'string') : [];
      const mb = n(p.maxFileSize);
      const maxFiles = Math.min(30, Math.max(1, n(p.maxFiles) ?? 1));
      if ((n(p.maxFiles) ?? 1) > 30) skip('/payload/maxFiles', 'WhatsApp accepts at most 30 files per picker.');
      const kind = types.length > 0 && types.every((t) => t.startsWith('image/')) ? 'image' : types.length > 0 ? 'document' : 'any';
      return { ...base, type: 'file', file: { kind, maxFiles, ...(mb ? { maxSizeKb: Math.round(mb * 1024) } : {}), ...(types.length ? { mimeTypes: types } : {}) } };
    }
    case 'SIGNATURE':
      return skip('', notRepresentable(`Tally block type 'SIGNATURE'`, 'signature', required));
    default:
      return skip('', `Tally block type '${block.type}' has no WhatsApp Flow equivalent${required ? ' (required in the source form)' : ''}.`);
  }
}

/** A relative day ('today', 'today+30', 'today - 7 days', '+30 days', 'tomorrow', 'yesterday') as days from today. */
export function relativeDays(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'today' || t === 'now') return 0;
  if (t === 'tomorrow') return 1;
  if (t === 'yesterday') return -1;
  const m = /^(?:today\s*)?([+-])\s*(\d{1,5})\s*(?:d|days?)?$/u.exec(t);
  return m ? (m[1] === '-' ? -1 : 1) * Number(m[2]) : undefined;
}
