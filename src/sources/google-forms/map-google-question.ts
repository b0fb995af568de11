/**
 * One Google Forms `Question` (Forms API v1 `forms.get`) as a FormModel
 * field. The field key is the public form's `entry.<N>` name, N being the
 * questionId read as hexadecimal (community-documented, unconfirmed by
 * Google), which is what a formResponse write-back needs.
 * @module
 */
import type { FieldType, FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];
/** A choice option with Google's navigation, kept for page jumps. */
export interface GoogleBranch {
  readonly optionId: string;
  readonly goToAction?: string;
  readonly goToSectionId?: string;
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

/** `entry.<N>` for a questionId (hex), or undefined when it is not hexadecimal. */
export function entryKey(questionId: string): string | undefined {
  return /^[0-9a-f]{1,13}$/i.test(questionId) ? `entry.${parseInt(questionId, 16)}` : undefined;
}

/** A unique id-safe slug of `text` (lowercase letters, digits, `_`). */
export function slugId(text: string, taken: Set<string>): string {
  const base = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'option';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

const IMAGE_MIME = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic'];
const MIME: Record<string, string[]> = {
  IMAGE: IMAGE_MIME,
  PDF: ['application/pdf'],
  DOCUMENT: ['application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text', 'text/plain', 'application/rtf'],
  PRESENTATION: ['application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/vnd.oasis.opendocument.presentation'],
  SPREADSHEET: ['application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.spreadsheet', 'text/csv'],
};

/** Choice options of a `ChoiceQuestion`: options, "other", and per-option navigation. */
export function mapChoiceOptions(choice: Record<string, unknown>, pointer: string, unmapped: UnmappedItem[]): { options: NonNullable<FieldInput['options']>; allowOther: boolean; branches: GoogleBranch[] } {
  const taken = new Set<string>();
  const options: NonNullable<FieldInput['options']> = [];
  const branches: GoogleBranch[] = [];
  let allowOther = false;
  arr(choice.options).forEach((o, i) => {
    const opt = rec(o);
    if (opt.isOther === true) {
      allowOther = true;
      if (opt.goToSectionId !== undefined || opt.goToAction !== undefined) unmapped.push({ pointer: `${pointer}/options/${i}`, reason: 'Navigation on the "Other" option is not kept (the FormModel branches on option ids only).' });
      return;
    }
    const value = str(opt.value);
    if (value === undefined || value.trim() === '') {
      unmapped.push({ pointer: `${pointer}/options/${i}`, reason: 'Option without a value; dropped.' });
      return;
    }
    const id = slugId(value, taken);
    options.push({ id, value, label: value });
    if (opt.image !== undefined) unmapped.push({ pointer: `${pointer}/options/${i}/image`, reason: 'Option image cannot be shown in a WhatsApp Flow; the option text is kept.' });
    const goToAction = str(opt.goToAction);
    const goToSectionId = str(opt.goToSectionId);
    if (goToAction !== undefined || goToSectionId !== undefined) branches.push({ optionId: id, ...(goToAction ? { goToAction } : {}), ...(goToSectionId ? { goToSectionId } : {}) });
  });
  if (choice.shuffle === true) unmapped.push({ pointer: `${pointer}/shuffle`, reason: 'Options are shuffled in Google Forms; shown in their stored order here.' });
  return { options, allowOther, branches };
}

/** Map one question; `base` carries id, key, label, help and required. Returns undefined when the kind is unknown. */
export function mapGoogleQuestion(question: Record<string, unknown>, base: FieldInput, pointer: string, unmapped: UnmappedItem[]): { field: FieldInput; branches: GoogleBranch[] } | undefined {
  const field: FieldInput = { ...base };
  const set = (type: FieldType): void => {
    field.type = type;
  };
  let branches: GoogleBranch[] = [];
  const source: Record<string, string | number | boolean> = { ...(base.source as Record<string, string | number | boolean>) };
  if (question.grading !== undefined) unmapped.push({ pointer: `${pointer}/grading`, reason: 'Quiz grading (points, correct answers, feedback) is not part of a WhatsApp Flow; dropped.' });
  if ('textQuestion' in question) {
    set(rec(question.textQuestion).paragraph === true ? 'long_text' : 'short_text');
  } else if ('choiceQuestion' in question) {
    const choice = rec(question.choiceQuestion);
    const kind = str(choice.type);
    set(kind === 'CHECKBOX' ? 'multiple_choice' : kind === 'DROP_DOWN' ? 'dropdown' : 'single_choice');
    const mapped = mapChoiceOptions(choice, `${pointer}/choiceQuestion`, unmapped);
    field.options = mapped.options;
    if (mapped.allowOther) field.allowOther = true;
    if (kind === 'CHECKBOX' && mapped.branches.length > 0) unmapped.push({ pointer: `${pointer}/choiceQuestion/options`, reason: 'Navigation on checkbox options is ignored (Google Forms only branches on radio and drop-down questions).' });
    else branches = mapped.branches;
    if (field.options.length === 0) {
      if (!mapped.allowOther) return undefined;
      set('short_text');
      delete field.options;
      delete field.allowOther;
    }
  } else if ('scaleQuestion' in question) {
    const s = rec(question.scaleQuestion);
    const min = int(s.low) ?? 1;
    const max = int(s.high) ?? 5;
    set('scale');
    field.scale = { min, max: max > min ? max : min + 1, ...(str(s.lowLabel) ? { minLabel: str(s.lowLabel) } : {}), ...(str(s.highLabel) ? { maxLabel: str(s.highLabel) } : {}) };
  } else if ('ratingQuestion' in question) {
    const r = rec(question.ratingQuestion);
    set('rating');
    field.scale = { min: 1, max: Math.max(2, int(r.ratingScaleLevel) ?? 5) };
    if (typeof r.iconType === 'string') source.iconType = r.iconType;
  } else if ('dateQuestion' in question) {
    const d = rec(question.dateQuestion);
    set(d.includeTime === true ? 'datetime' : 'date');
    source.includeYear = d.includeYear === true;
    source.includeTime = d.includeTime === true;
    if (d.includeYear !== true) unmapped.push({ pointer: `${pointer}/dateQuestion/includeYear`, reason: 'Google asks only month and day; a full date is asked and its year is dropped on write-back (source.includeYear = false).' });
  } else if ('timeQuestion' in question) {
    set('time');
    if (rec(question.timeQuestion).duration === true) {
      source.duration = true;
      unmapped.push({ pointer: `${pointer}/timeQuestion/duration`, reason: 'An elapsed-time (duration) answer is asked as a time of day (hours and minutes).' });
    }
  } else if ('fileUploadQuestion' in question) {
    const u = rec(question.fileUploadQuestion);
    const types = arr(u.types).filter((t): t is string => typeof t === 'string');
    const known = types.filter((t) => MIME[t] !== undefined);
    const any = types.length === 0 || types.some((t) => MIME[t] === undefined);
    const kind = !any && known.every((t) => t === 'IMAGE') ? 'image' : !any && known.every((t) => t !== 'IMAGE') ? 'document' : 'any';
    const size = int(u.maxFileSize);
    set('file');
    field.file = {
      kind,
      maxFiles: Math.min(30, Math.max(1, int(u.maxFiles) ?? 1)),
      ...(size !== undefined && size >= 1024 ? { maxSizeKb: Math.floor(size / 1024) } : {}),
      ...(any ? {} : { mimeTypes: [...new Set(known.flatMap((t) => MIME[t] ?? []))] }),
    };
    if (any && types.some((t) => t !== 'ANY')) unmapped.push({ pointer: `${pointer}/fileUploadQuestion/types`, reason: `File types ${types.join(', ')} include kinds without a MIME list (video, audio, drawing); any file is accepted.` });
    if (typeof u.folderId === 'string') source.folderId = u.folderId;
    unmapped.push({ pointer: `${pointer}/fileUploadQuestion`, reason: 'Google accepts uploads only from a signed-in browser session: the file cannot be written back to this form, only to another sink.' });
  } else {
    return undefined;
  }
  field.source = source;
  return { field, branches };
}
