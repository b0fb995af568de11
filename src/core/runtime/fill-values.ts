/**
 * Valid values for one visible input, derived from what the view shows
 * (constraints already resolved): the candidates auto-fill tries in order.
 * @module
 */
import { isEmptyValue, MULTI_SELECT_TYPES, PICKER_TYPES, SELECTION_TYPES } from './components.js';
import { firstPickableDay, isoDate, toDay, type DateRules } from './dates.js';
import { fakeMedia } from './media.js';
import { regexSamples } from './regex-sample.js';
import type { ComponentView } from './screen-view.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
/** A Monday, the start of the search when a date input has no bounds. */
const REFERENCE_DAY = toDay('2025-01-06') ?? 0;

const baseTexts: Record<string, string[]> = {
  email: ['user@example.com', 'a@b.co'],
  phone: ['+15551234567', '5551234'],
  number: ['42', '7', '1000'],
  passcode: ['1234', '123456'],
  password: ['Passw0rd!', 'secret'],
  text: ['Sample text', 'Sample', 'A'],
};

function fitLength(text: string, min: number | undefined, max: number | undefined, pad: string): string {
  let out = text;
  if (min !== undefined) while ([...out].length < min) out = pad === '@' ? `a${out}` : out + pad;
  if (max !== undefined && [...out].length > max) out = [...out].slice(0, max).join('');
  return out;
}

function textCandidates(c: ComponentView): string[] {
  const k = c.constraints ?? {};
  if (c.type === 'TextArea') return [fitLength('Sample text', undefined, num(k['max-length']), 'x')];
  const inputType = typeof k['input-type'] === 'string' ? k['input-type'] : 'text';
  const pattern = typeof k.pattern === 'string' ? regexSamples(k.pattern) : [];
  const pad = inputType === 'email' ? '@' : ['number', 'passcode', 'phone'].includes(inputType) ? '1' : 'x';
  const raw = [...pattern, ...(baseTexts[inputType] ?? baseTexts.text ?? [])];
  return [...new Set(raw.map((t) => fitLength(t, num(k['min-chars']), num(k['max-chars']), pad)))];
}

function rulesOf(c: ComponentView): DateRules {
  const k = c.constraints ?? {};
  const unavailable = Array.isArray(k['unavailable-dates']) ? k['unavailable-dates'] : [];
  return {
    min: toDay(k['min-date']),
    max: toDay(k['max-date']),
    unavailable: new Set(unavailable.map(toDay).filter((d): d is number => d !== undefined)),
    includeDays: Array.isArray(k['include-days']) ? new Set(k['include-days'].map(String)) : undefined,
  };
}

function dateCandidates(c: ComponentView): unknown[] {
  const rules = rulesOf(c);
  const from = rules.min ?? (rules.max !== undefined ? Math.min(REFERENCE_DAY, rules.max) : REFERENCE_DAY);
  const k = c.constraints ?? {};
  if (c.type !== 'CalendarPicker' || k.mode !== 'range') {
    const day = firstPickableDay(from, rules);
    return day === undefined ? [] : [isoDate(day)];
  }
  const minDays = Math.max(num(k['min-days']) ?? 1, 1);
  const maxDays = num(k['max-days']) ?? minDays + 30;
  for (let start = firstPickableDay(from, rules); start !== undefined; start = firstPickableDay(start + 1, rules)) {
    for (let len = minDays; len <= maxDays; len++) {
      const end = start + len - 1;
      if (firstPickableDay(end, rules) === end) return [{ 'start-date': isoDate(start), 'end-date': isoDate(end) }];
      if (rules.max !== undefined && end > rules.max) break;
    }
    if (rules.max !== undefined && start > rules.max) break;
  }
  return [];
}

function selectionCandidates(c: ComponentView): unknown[] {
  const ids = (c.options ?? []).filter((o) => o.enabled).map((o) => o.id);
  if (ids.length === 0) return [];
  if (!MULTI_SELECT_TYPES.has(c.type)) return ids.slice(0, 3);
  const k = c.constraints ?? {};
  const want = Math.min(Math.max(num(k['min-selected-items']) ?? 1, 1), num(k['max-selected-items']) ?? ids.length, ids.length);
  return [ids.slice(0, want)];
}

function pickerCandidates(c: ComponentView): unknown[] {
  const k = c.constraints ?? {};
  const photo = c.type === 'PhotoPicker';
  const min = num(k[photo ? 'min-uploaded-photos' : 'min-uploaded-documents']) ?? 0;
  const max = num(k[photo ? 'max-uploaded-photos' : 'max-uploaded-documents']) ?? 30;
  const n = Math.min(Math.max(min, 1), max);
  return [Array.from({ length: n }, (_, i) => fakeMedia(photo ? 'photo' : 'document', i))];
}

/** Values to try for an input, best first; empty when none can be derived. */
export function fillCandidates(c: ComponentView): unknown[] {
  if (c.type === 'TextInput' || c.type === 'TextArea') return textCandidates(c);
  if (c.type === 'DatePicker' || c.type === 'CalendarPicker') return dateCandidates(c);
  if (SELECTION_TYPES.has(c.type)) return selectionCandidates(c);
  if (PICKER_TYPES.has(c.type)) return pickerCandidates(c);
  if (c.type === 'OptIn') return [true];
  return [];
}

/** True when the input already holds something worth keeping (e.g. an init-value). */
export function hasValue(c: ComponentView): boolean {
  return !isEmptyValue(c.value);
}
