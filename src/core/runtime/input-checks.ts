/**
 * The checks the WhatsApp client runs on an input before it lets an action
 * through (spec §1.9 per component): required, input-type, character limits,
 * pattern (≥6.2), selection counts, date bounds, unavailable dates and week
 * days, range lengths, file counts. Returns the message shown, or undefined.
 * @module
 */
import { isObject, type JsonObject } from '../flow/json.js';
import { isAtLeast } from '../flow/version.js';
import { asText, isEmptyValue, MULTI_SELECT_TYPES, PICKER_TYPES, SELECTION_TYPES } from './components.js';
import { dayProblem, isoDate, LEGACY_MAX_DAY, LEGACY_MIN_DAY, toDay, type DateRules } from './dates.js';
import { features } from './flow-document.js';
import { resolveFlag, resolveNumber, resolveValue, type Scope } from './scope.js';

/**
 * The texts the emulated client shows under a field when its own checks
 * block an action. WhatsApp does not publish its wording; these are ours,
 * kept short (they fit the 30–80 char error areas) and stable so that tests,
 * the CLI and the web preview can rely on them.
 */
export const CHECK_MESSAGES = {
  required: 'This field is required.',
  optInRequired: 'Check this box to continue.',
  email: 'Enter a valid email address.',
  number: 'Enter a valid number.',
  phone: 'Enter a valid phone number.',
  passcode: 'Enter digits only.',
  pattern: 'Enter a value in the expected format.',
  minChars: (n: number) => `Enter at least ${n} characters.`,
  maxChars: (n: number) => `Enter no more than ${n} characters.`,
  notAnOption: 'Choose one of the listed options.',
  minSelected: (n: number) => `Select at least ${n} ${n === 1 ? 'option' : 'options'}.`,
  maxSelected: (n: number) => `Select no more than ${n} ${n === 1 ? 'option' : 'options'}.`,
  invalidDate: 'Enter a valid date.',
  beforeMin: (d: string) => `Choose a date on or after ${d}.`,
  afterMax: (d: string) => `Choose a date on or before ${d}.`,
  unavailable: 'This date is not available.',
  excludedDay: 'This day of the week is not available.',
  rangeOrder: 'The end date cannot be before the start date.',
  minDays: (n: number) => `Choose a range of at least ${n} days.`,
  maxDays: (n: number) => `Choose a range of no more than ${n} days.`,
  minFiles: (n: number) => `Add at least ${n} ${n === 1 ? 'file' : 'files'}.`,
  maxFiles: (n: number) => `Add no more than ${n} ${n === 1 ? 'file' : 'files'}.`,
} as const;
const M = CHECK_MESSAGES;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const numberPattern = /^-?\d+(\.\d+)?$/;
const phonePattern = /^\+?[\d\s()-]{5,20}$/;
const digitsPattern = /^\d+$/;

/** The resolved date rules of a DatePicker or CalendarPicker. */
export function dateRulesOf(node: JsonObject, scope: Scope): DateRules {
  const legacy = node.type === 'DatePicker' && !features(scope.doc.version).isoDates;
  const unavailable = resolveValue(node['unavailable-dates'], scope);
  const include = resolveValue(node['include-days'], scope);
  return {
    min: toDay(resolveValue(node['min-date'], scope)) ?? (legacy ? LEGACY_MIN_DAY : undefined),
    max: toDay(resolveValue(node['max-date'], scope)) ?? (legacy ? LEGACY_MAX_DAY : undefined),
    unavailable: new Set((Array.isArray(unavailable) ? unavailable : []).map(toDay).filter((d): d is number => d !== undefined)),
    includeDays: node.type === 'CalendarPicker' && Array.isArray(include) ? new Set(include.map(String)) : undefined,
  };
}

function checkDay(value: unknown, rules: DateRules): string | undefined {
  const day = toDay(value);
  if (day === undefined) return M.invalidDate;
  switch (dayProblem(day, rules)) {
    case 'before-min': return M.beforeMin(isoDate(rules.min ?? day));
    case 'after-max': return M.afterMax(isoDate(rules.max ?? day));
    case 'unavailable': return M.unavailable;
    case 'excluded-day': return M.excludedDay;
    case undefined: return undefined;
  }
}

function checkText(node: JsonObject, value: unknown, scope: Scope): string | undefined {
  const text = asText(value);
  const length = [...text].length;
  if (node.type === 'TextArea') {
    const max = resolveNumber(node['max-length'], scope) ?? 600;
    return length > max ? M.maxChars(max) : undefined;
  }
  const min = resolveNumber(node['min-chars'], scope);
  const max = resolveNumber(node['max-chars'], scope) ?? 80;
  if (min !== undefined && length < min) return M.minChars(min);
  if (length > max) return M.maxChars(max);
  const inputType = typeof node['input-type'] === 'string' ? node['input-type'] : 'text';
  if (inputType === 'email' && !emailPattern.test(text)) return M.email;
  if (inputType === 'number' && !numberPattern.test(text)) return M.number;
  if (inputType === 'phone' && !phonePattern.test(text)) return M.phone;
  if (inputType === 'passcode' && !digitsPattern.test(text)) return M.passcode;
  const pattern = resolveValue(node.pattern, scope);
  if (typeof pattern === 'string' && isAtLeast(scope.doc.version, '6.2') && ['text', 'number', 'password', 'passcode'].includes(inputType)) {
    try {
      // Search semantics (RegExp.test): Meta's own example pairs pattern "007" with "Contains: 007".
      if (!new RegExp(pattern, 'u').test(text)) return M.pattern;
    } catch {
      return undefined; // an invalid pattern is the validator's problem, not the person's
    }
  }
  return undefined;
}

function optionIds(node: JsonObject, scope: Scope): string[] {
  const source = resolveValue(node['data-source'], scope);
  return Array.isArray(source) ? source.filter(isObject).map((o) => asText(o.id)) : [];
}

function checkSelection(node: JsonObject, value: unknown, scope: Scope): string | undefined {
  const ids = optionIds(node, scope);
  const chosen = Array.isArray(value) ? value : [value];
  if (chosen.some((c) => !ids.includes(asText(c)))) return M.notAnOption;
  if (!MULTI_SELECT_TYPES.has(String(node.type))) return undefined;
  const min = resolveNumber(node['min-selected-items'], scope);
  const max = resolveNumber(node['max-selected-items'], scope);
  if (min !== undefined && chosen.length < min) return M.minSelected(min);
  if (max !== undefined && chosen.length > max) return M.maxSelected(max);
  return undefined;
}

function checkPicker(node: JsonObject, value: unknown, scope: Scope): string | undefined {
  const kind = node.type === 'PhotoPicker' ? 'photos' : 'documents';
  const count = Array.isArray(value) ? value.length : 0;
  const min = resolveNumber(node[`min-uploaded-${kind}`], scope) ?? 0;
  const max = resolveNumber(node[`max-uploaded-${kind}`], scope) ?? 30;
  if (count < min) return M.minFiles(min);
  if (count > max) return M.maxFiles(max);
  return undefined;
}

function checkRange(node: JsonObject, value: unknown, scope: Scope): string | undefined {
  const range = isObject(value) ? value : {};
  const required = resolveValue(node.required, scope);
  const rules = dateRulesOf(node, scope);
  for (const end of ['start-date', 'end-date'] as const) {
    const v = range[end];
    const needed = isObject(required) ? required[end] === true : required === true;
    if (v === undefined || v === '') {
      if (needed) return M.required;
      continue;
    }
    const problem = checkDay(v, rules);
    if (problem) return problem;
  }
  const start = toDay(range['start-date']);
  const end = toDay(range['end-date']);
  if (start === undefined || end === undefined) return undefined;
  if (end < start) return M.rangeOrder;
  const days = end - start + 1; // decision: inclusive day count (unconfirmed)
  const min = resolveNumber(node['min-days'], scope);
  const max = resolveNumber(node['max-days'], scope);
  if (min !== undefined && days < min) return M.minDays(min);
  if (max !== undefined && days > max) return M.maxDays(max);
  return undefined;
}

/** The client's verdict on one visible input: the error text, or undefined when it passes. */
export function checkInput(node: JsonObject, value: unknown, scope: Scope): string | undefined {
  const type = String(node.type);
  if (!resolveFlag(node.enabled, scope, true)) return undefined; // a disabled input cannot be fixed by the person
  if (PICKER_TYPES.has(type)) return checkPicker(node, value, scope);
  if (type === 'CalendarPicker' && node.mode === 'range') return checkRange(node, value, scope);
  if (isEmptyValue(value)) {
    if (!resolveFlag(node.required, scope, false)) return undefined;
    return type === 'OptIn' ? M.optInRequired : M.required;
  }
  if (type === 'TextInput' || type === 'TextArea') return checkText(node, value, scope);
  if (SELECTION_TYPES.has(type)) return checkSelection(node, value, scope);
  if (type === 'DatePicker' || type === 'CalendarPicker') return checkDay(value, dateRulesOf(node, scope));
  return undefined;
}
