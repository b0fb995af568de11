/**
 * One Jotform question (`GET /form/{id}/questions`, every value a string) as
 * FormModel fields. Compound questions (full name, address) become one field
 * per sub-input, keyed the way a submission names them (`3[first]`), because
 * Jotform's "Submissions" API takes `submission[qid][sub]` for those.
 * @module
 */
import { notRepresentable } from '../not-representable.js';
import type { FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];
/** A raw Jotform question: a map of string properties (sub-labels are an object). */
export type JotformQuestion = Record<string, unknown>;

/** Text of a property, '' when absent or not a string. */
export function prop(q: JotformQuestion, key: string): string {
  const v = q[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Jotform labels and paragraphs are HTML; the model holds plain text. */
export function plainText(html: string): string {
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
}

const num = (s: string): number | undefined => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);
const yes = (s: string): boolean => s.toLowerCase() === 'yes';

const MIME_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', heic: 'image/heic', webp: 'image/webp',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', txt: 'text/plain',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv', zip: 'application/zip',
};

/** Jotform's validation presets as patterns (the web form checks the same character classes). */
const PATTERNS: Record<string, string> = { AlphaNumeric: '^[A-Za-z0-9 ]*$', Alphabetic: '^[A-Za-z ]*$', Numeric: '^[0-9]*$', Cyrillic: '^[\\p{Script=Cyrillic} ]*$' };

/** An input mask (`#` digit, `@` letter, `*` either) as an anchored regular expression. */
export function maskToPattern(mask: string): string {
  let out = '';
  for (const ch of mask) out += ch === '#' ? '\\d' : ch === '@' ? '[A-Za-z]' : ch === '*' ? '[A-Za-z0-9]' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return `^${out}$`;
}

/** The split list of a `A|B|C` property. */
export function splitList(s: string): string[] {
  return s === '' ? [] : s.split('|').map((x) => x.trim()).filter((x) => x !== '');
}

/** Choice options keep the text as the submitted value (Jotform stores the option text). */
function options(values: string[]): NonNullable<FieldInput['options']> {
  return values.map((v, i) => ({ id: `o${i + 1}`, value: v, label: v }));
}

const FULLNAME = ['prefix', 'first', 'middle', 'last', 'suffix'] as const;
const ADDRESS = ['addr_line1', 'addr_line2', 'city', 'state', 'postal', 'country'] as const;
const DEFAULT_SUBLABELS: Record<string, string> = {
  prefix: 'Prefix', first: 'First Name', middle: 'Middle Name', last: 'Last Name', suffix: 'Suffix',
  addr_line1: 'Street Address', addr_line2: 'Street Address Line 2', city: 'City', state: 'State / Province', postal: 'Postal / Zip Code', country: 'Country',
};

function subLabel(q: JotformQuestion, sub: string): string {
  const s = q.sublabels;
  const v = s !== null && typeof s === 'object' ? (s as Record<string, unknown>)[sub] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v : (DEFAULT_SUBLABELS[sub] ?? sub);
}

/**
 * A compound question: a subheading with the question's label (and help),
 * then one short input per sub-field labelled with Jotform's sub-label.
 */
function compound(q: JotformQuestion, base: Omit<FieldInput, 'id' | 'key' | 'type' | 'label'>, label: string, subs: readonly string[], qid: string): FieldInput[] {
  const isName = subs === FULLNAME;
  const { help, ...rest } = base;
  const heading: FieldInput = { id: `q${qid}_label`, key: qid, type: 'statement', label, style: 'subheading', ...(help ? { help } : {}), source: base.source };
  return [heading, ...subs
    .filter((s) => !isName || (s !== 'prefix' && s !== 'middle' && s !== 'suffix') || yes(prop(q, s)))
    .map((s) => ({
      ...rest,
      id: `q${qid}_${s}`,
      key: `${qid}[${s}]`,
      type: 'short_text' as const,
      label: subLabel(q, s),
      required: base.required === true && (isName ? s === 'first' || s === 'last' : s !== 'addr_line2' && s !== 'state'),
    }))];
}

/**
 * Map one question; `at` is its JSON pointer. Returns no field for the submit
 * button and page breaks (handled by the caller) and for what cannot be
 * represented (reported in `unmapped`).
 */
export function mapJotformQuestion(q: JotformQuestion, at: string, unmapped: UnmappedItem[]): FieldInput[] {
  const qid = prop(q, 'qid');
  const type = prop(q, 'type');
  const label = plainText(prop(q, 'text')) || prop(q, 'name') || `Question ${qid}`;
  const help = plainText(prop(q, 'description') || prop(q, 'subLabel'));
  const base = {
    required: yes(prop(q, 'required')),
    ...(help !== '' ? { help } : {}),
    source: { qid, name: prop(q, 'name'), jotformType: type },
  };
  const field = (extra: Partial<FieldInput> & Pick<FieldInput, 'type'>): FieldInput => ({ id: `q${qid}`, key: qid, label, ...base, ...extra });
  const skip = (pointer: string, reason: string): void => void unmapped.push({ pointer: `${at}${pointer}`, reason });
  const maxsize = num(prop(q, 'maxsize'));
  const minsize = num(prop(q, 'minsize'));
  const lengths = { ...(minsize !== undefined && minsize > 0 ? { minLength: minsize } : {}), ...(maxsize !== undefined && maxsize > 0 ? { maxLength: maxsize } : {}) };
  if (prop(q, 'readonly') === 'Yes') skip('/readonly', 'Read-only questions are shown as normal inputs in WhatsApp.');
  switch (type) {
    case 'control_head': {
      const sub = plainText(prop(q, 'subHeader'));
      return [{ id: `q${qid}`, key: qid, type: 'statement', label, style: 'heading', ...(sub !== '' ? { help: sub } : {}), source: base.source }];
    }
    case 'control_text': {
      const text = plainText(prop(q, 'labelText') || prop(q, 'text'));
      return text === '' ? [] : [{ id: `q${qid}`, key: qid, type: 'statement', label: text, style: 'paragraph', source: base.source }];
    }
    case 'control_textbox': {
      const v = prop(q, 'validation');
      if (yes(prop(q, 'hidden'))) return [field({ type: 'hidden', default: prop(q, 'defaultValue'), required: false })];
      const pattern = PATTERNS[v];
      if (v !== '' && v !== 'None' && v !== 'Email' && v !== 'Url' && pattern === undefined) skip('/validation', `Validation '${v}' is not known; the answer is not checked.`);
      const validation = { ...lengths, ...(pattern !== undefined ? { pattern, patternMessage: `Use ${v === 'AlphaNumeric' ? 'letters and digits' : v === 'Numeric' ? 'digits' : 'letters'} only.` } : {}) };
      const t = v === 'Email' ? 'email' : v === 'Url' ? 'url' : 'short_text';
      const def = prop(q, 'defaultValue');
      return [field({ type: t, ...(Object.keys(validation).length ? { validation } : {}), ...(def !== '' ? { default: def } : {}), ...(prop(q, 'hint') ? { placeholder: prop(q, 'hint') } : {}) })];
    }
    case 'control_textarea': {
      const limit = /^(Words|Letters)-(\d+)$/.exec(prop(q, 'entryLimit'));
      const maxLength = limit?.[1] === 'Letters' ? Math.min(Number(limit[2]), maxsize ?? Infinity) : maxsize;
      const maxWords = limit?.[1] === 'Words' && Number(limit[2]) > 0 ? Number(limit[2]) : undefined;
      const validation = { ...(maxLength !== undefined && maxLength > 0 ? { maxLength } : {}), ...(maxWords !== undefined ? { maxWords } : {}) };
      return [field({ type: 'long_text', ...(Object.keys(validation).length ? { validation } : {}) })];
    }
    case 'control_email':
      if (yes(prop(q, 'confirmation'))) skip('/confirmation', 'The "confirm e-mail" second box is not repeated in WhatsApp.');
      if (yes(prop(q, 'disallowFree'))) skip('/disallowFree', 'Jotform\'s free-mail block list is not published; free addresses are not refused.');
      return [field({ type: 'email', ...(maxsize ? { validation: { maxLength: maxsize } } : {}), ...(prop(q, 'hint') ? { placeholder: prop(q, 'hint') } : {}) })];
    case 'control_phone': {
      const masked = prop(q, 'inputMask') === 'enable' && prop(q, 'inputMaskValue') !== '';
      const message = subLabel(q, 'masked');
      return [{ ...field({ type: 'phone', ...(masked ? { validation: { pattern: maskToPattern(prop(q, 'inputMaskValue')), patternMessage: message }, placeholder: prop(q, 'inputMaskValue') } : {}) }), key: `${qid}[full]` }];
    }
    case 'control_number':
    case 'control_spinner': {
      const min = num(prop(q, 'minValue'));
      const max = num(prop(q, 'maxValue'));
      const step = num(prop(q, 'addAmount'));
      if (step !== undefined && step !== 1) skip('/addAmount', `The step of ${step} is not enforced.`);
      return [field({ type: 'number', ...(min !== undefined || max !== undefined ? { validation: { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) } } : {}) })];
    }
    case 'control_dropdown':
    case 'control_radio':
    case 'control_checkbox': {
      const opts = splitList(prop(q, 'options'));
      if (opts.length === 0) {
        skip('/options', 'A choice question without options cannot be asked.');
        return [];
      }
      if (prop(q, 'calcValues').replace(/\|/g, '') !== '') skip('/calcValues', 'Calculation values of options are not carried.');
      const special = prop(q, 'special');
      if (special !== '' && special !== 'None') skip('/special', `Predefined option list '${special}' is not expanded.`);
      const multi = type === 'control_checkbox';
      const minSel = num(prop(q, 'minSelection'));
      const maxSel = num(prop(q, 'maxSelection'));
      const validation = multi ? { ...(minSel ? { minSelected: minSel } : {}), ...(maxSel ? { maxSelected: maxSel } : {}) } : {};
      const empty = prop(q, 'emptyText');
      return [field({
        type: multi ? 'multiple_choice' : type === 'control_dropdown' ? 'dropdown' : 'single_choice',
        options: options(opts),
        ...(yes(prop(q, 'allowOther')) ? { allowOther: true } : {}),
        ...(Object.keys(validation).length ? { validation } : {}),
        ...(empty !== '' ? { placeholder: empty } : {}),
      })];
    }
    case 'control_datetime': {
      // "No past dates" / "No future dates": bounds relative to the day of answering.
      const relative = { ...(prop(q, 'past') === 'No' ? { minDateOffset: 0 } : {}), ...(prop(q, 'future') === 'No' ? { maxDateOffset: 0 } : {}) };
      if (prop(q, 'days') !== '') skip('/days', 'Allowed weekdays cannot be enforced by a Flow DatePicker.');
      return [field({ type: yes(prop(q, 'allowTime')) ? 'datetime' : 'date', source: { ...base.source, format: prop(q, 'format') }, ...(Object.keys(relative).length ? { validation: relative } : {}) })];
    }
    case 'control_time':
      if (prop(q, 'minuteStepping') !== '') skip('/minuteStepping', `Minute steps of ${prop(q, 'minuteStepping')} are not enforced.`);
      return [field({ type: 'time', source: { ...base.source, timeFormat: prop(q, 'timeFormat') } })];
    case 'control_scale': {
      const from = num(prop(q, 'scaleFrom')) ?? 1;
      const to = num(prop(q, 'scaleAmount')) ?? 5;
      const labels = { ...(prop(q, 'fromText') ? { minLabel: prop(q, 'fromText') } : {}), ...(prop(q, 'toText') ? { maxLabel: prop(q, 'toText') } : {}) };
      return [field({ type: from === 0 && to === 10 ? 'nps' : 'scale', scale: { min: from, max: Math.max(to, from + 1), ...labels } })];
    }
    case 'control_rating':
      return [field({ type: 'rating', scale: { min: 1, max: Math.max(2, num(prop(q, 'stars')) ?? 5) } })];
    case 'control_yesno':
      return [field({ type: 'yes_no' })];
    case 'control_matrix': {
      const rows = splitList(prop(q, 'mrows'));
      const cols = splitList(prop(q, 'mcolumns'));
      const input = prop(q, 'inputType');
      if (rows.length === 0 || cols.length === 0) {
        skip('', 'A matrix without rows or columns cannot be asked.');
        return [];
      }
      if (input !== '' && input !== 'Radio Button') skip('/inputType', `Matrix cells of type '${input}' are asked as one choice per row.`);
      return [field({ type: 'grid', options: options(cols), rows: rows.map((r, i) => ({ id: `r${i + 1}`, key: `${qid}[${i}]`, label: r })) })];
    }
    case 'control_fileupload': {
      const exts = prop(q, 'extensions').split(/[ ,]+/).map((e) => e.replace(/^\./, '').toLowerCase()).filter((e) => e !== '');
      const mimes = [...new Set(exts.map((e) => MIME_BY_EXT[e]).filter((m): m is string => m !== undefined))];
      const unknown = exts.filter((e) => MIME_BY_EXT[e] === undefined);
      if (unknown.length > 0) skip('/extensions', `Extensions without a known MIME type are not restricted: ${unknown.join(', ')}.`);
      const size = num(prop(q, 'maxFileSize'));
      const kb = size === undefined || size <= 0 ? undefined : Math.round(prop(q, 'sizeUnits') === 'MB' ? size * 1024 : size);
      const multiple = yes(prop(q, 'multiple'));
      if (multiple) skip('/multiple', 'Jotform sets no file count; WhatsApp allows up to 30 files.');
      const kind = mimes.length > 0 && mimes.every((m) => m.startsWith('image/')) ? 'image' : mimes.length > 0 ? 'document' : 'any';
      return [field({ type: 'file', file: { kind, maxFiles: multiple ? 30 : 1, ...(kb ? { maxSizeKb: kb } : {}), ...(mimes.length ? { mimeTypes: mimes } : {}) } })];
    }
    case 'control_fullname':
      return compound(q, base, label, FULLNAME, qid);
    case 'control_address':
      return compound(q, base, label, ADDRESS, qid);
    case 'control_signature':
      skip('', notRepresentable(`Jotform question type 'control_signature'`, 'signature', base.required === true));
      return [];
    default:
      skip('', `Jotform question type '${type || '(none)'}' has no WhatsApp Flow equivalent${base.required ? ' (it is required in the source form: the submission may be refused)' : ''}.`);
      return [];
  }
}
