/**
 * Server-side checks of a compiled form's answers, as the source form would
 * apply them: required on the path actually taken, then each question's own
 * rules (email, phone, URL, time, length, pattern, number range, dates,
 * option membership, selection counts, "other" text, grid rows, files).
 * Pure: used by the endpoint handler and on the nfm_reply path.
 * @module
 */
import { evaluateCondition } from '../form/evaluate-condition.js';
import type { FormField } from '../form/field.js';
import type { FormModel } from '../form/form-model.js';
import type { FieldMap, FieldMapEntry } from './field-map.js';
import { addDays, countWords } from './conditional-rules.js';
import { dateAnswer, neutralAnswers } from './neutral-answers.js';
import { replayPath } from './replay-path.js';

/** The outcome of checking answers: fine, or the first problem (snackbar text) and one message per input name. */
export type AnswerProblems = { ok: true } | { ok: false; message: string; fieldErrors: Record<string, string> };

interface Problem {
  name: string;
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const PHONE = /^\+?[\d\s().-]{6,24}$/u;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/u;

function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  return !Array.isArray(v) || v.length > 0;
}

function isDate(t: string): boolean {
  return DATE.test(t) && new Date(`${t}T00:00:00Z`).toISOString().slice(0, 10) === t;
}

function isUrl(t: string): boolean {
  if (/\s/u.test(t)) return false;
  try {
    const u = new URL(/^[a-z][a-z\d+.-]*:\/\//iu.test(t) ? t : `https://${t}`);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The FormModel schema refuses patterns that do not compile; should one slip through, it is not the person's fault. */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

function rangeMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `Enter a number between ${min} and ${max}.`;
  return min !== undefined ? `Enter a number of at least ${min}.` : `Enter a number of at most ${max ?? 0}.`;
}

/** Problems of a text answer: the source form's length and format rules. */
function textProblem(e: FieldMapEntry, f: FormField | undefined, t: string): string | undefined {
  const v = e.validation ?? f?.validation ?? {};
  const length = [...t].length;
  // The source's own format rule first, so its own message is the one shown.
  if (v.pattern !== undefined && !matches(v.pattern, t)) return v.patternMessage ?? 'The answer is not in the required format.';
  if (e.type === 'email' && !EMAIL.test(t.trim())) return 'Enter a valid email address.';
  if (e.type === 'email' && v.blockedDomains?.some((d) => t.trim().toLowerCase().endsWith(`@${d.toLowerCase().replace(/^@/u, '')}`))) return 'Please use another email address (this domain is not accepted).';
  if (e.type === 'phone' && (!PHONE.test(t.trim()) || t.replace(/\D/gu, '').length < 6)) return 'Enter a valid phone number.';
  if (e.type === 'url' && !isUrl(t.trim())) return 'Enter a valid web address.';
  if (e.type === 'time' && !TIME.test(t.trim())) return 'Enter a time as HH:MM (24 hours).';
  if (v.minLength !== undefined && length < v.minLength) return `Enter at least ${v.minLength} characters.`;
  if (v.maxLength !== undefined && length > v.maxLength) return `Enter at most ${v.maxLength} characters.`;
  const words = countWords(t);
  if (v.minWords !== undefined && words < v.minWords) return `Enter at least ${v.minWords} words.`;
  if (v.maxWords !== undefined && words > v.maxWords) return `Enter at most ${v.maxWords} words.`;
  return undefined;
}

/** Problems of a number answer (free entry or a scale without options). */
function numberProblem(e: FieldMapEntry, f: FormField | undefined, raw: unknown): string | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return 'Enter a number.';
  const v = e.validation ?? f?.validation ?? {};
  const min = v.min ?? f?.scale?.min;
  const max = v.max ?? f?.scale?.max;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) return rangeMessage(min, max);
  if (v.integer === true && !Number.isInteger(n)) return 'Enter a whole number.';
  return undefined;
}

/** Problems of a choice answer: every chosen id among the field's options, the selection count, the "other" text. */
function choiceProblem(e: FieldMapEntry, f: FormField | undefined, raw: unknown, values: Readonly<Record<string, unknown>>, name: string): Problem | undefined {
  const ids = new Set((e.options ?? []).map((o) => o.flowId));
  const multi = e.valueType === 'string[]';
  const chosen = multi ? (Array.isArray(raw) ? raw : [raw]) : [raw];
  if (multi && !Array.isArray(raw)) return { name, message: 'Choose from the options in the list.' };
  if (chosen.some((c) => (typeof c !== 'string' && typeof c !== 'number') || !ids.has(String(c)))) return { name, message: 'Choose from the options in the list.' };
  const v = e.validation ?? f?.validation ?? {};
  if (multi && v.minSelected !== undefined && chosen.length < v.minSelected) return { name, message: `Choose at least ${v.minSelected} options.` };
  if (multi && v.maxSelected !== undefined && chosen.length > v.maxSelected) return { name, message: `Choose at most ${v.maxSelected} options.` };
  if (e.otherFlowName !== undefined && chosen.includes('__other__')) {
    const other = values[e.otherFlowName];
    if (typeof other !== 'string' || other.trim() === '') return { name: e.otherFlowName, message: 'Please say what "Other" is.' };
  }
  return undefined;
}

/** Problems of a file answer: the count and the accepted types of the source form. */
function mediaProblem(e: FieldMapEntry, f: FormField | undefined, raw: unknown): string | undefined {
  if (!Array.isArray(raw) || raw.some((m) => typeof m !== 'object' || m === null)) return 'Upload the file again.';
  const max = f?.file?.maxFiles ?? 1;
  if (raw.length > max) return `Upload at most ${max} file${max === 1 ? '' : 's'}.`;
  const types = f?.file?.mimeTypes;
  if (types !== undefined && types.length > 0 && e.serverChecks.includes('file-types')) {
    const bad = raw.some((m: Record<string, unknown>) => typeof m.mime_type === 'string' && !types.includes(m.mime_type));
    if (bad) return `This file type is not accepted (accepted: ${types.join(', ')}).`;
  }
  return undefined;
}

/** What a field's rules need besides its own answer: whether it is required here, and the day of answering. */
interface FieldRules {
  required: boolean;
  today: string;
}

/** Problems of a date answer: valid date, fixed and relative bounds (as of `today`). */
function dateProblem(e: FieldMapEntry, f: FormField | undefined, raw: unknown, today: string): string | undefined {
  const d = dateAnswer(raw);
  const v = e.validation ?? f?.validation ?? {};
  if (d === undefined || !isDate(d)) return 'Enter a valid date.';
  const min = [v.minDate, v.minDateOffset === undefined ? undefined : addDays(today, v.minDateOffset)].filter((x): x is string => x !== undefined).sort().pop();
  const max = [v.maxDate, v.maxDateOffset === undefined ? undefined : addDays(today, v.maxDateOffset)].filter((x): x is string => x !== undefined).sort().shift();
  if (min !== undefined && d < min) return `Choose a date on or after ${min}.`;
  if (max !== undefined && d > max) return `Choose a date on or before ${max}.`;
  return undefined;
}

/** The first problem of one field's answer, at the input that shows it. */
function fieldProblem(e: FieldMapEntry, f: FormField | undefined, values: Readonly<Record<string, unknown>>, rules: FieldRules): Problem | undefined {
  const required = e.type === 'consent' ? 'Please agree to continue.' : 'This question needs an answer.';
  const isRequired = rules.required;
  if (e.rows) {
    for (const r of e.rows) {
      const raw = values[r.flowName];
      if (!present(raw)) {
        if (isRequired) return { name: r.flowName, message: required };
        continue;
      }
      const p = choiceProblem({ ...e, valueType: 'string', otherFlowName: undefined }, f, raw, values, r.flowName);
      if (p) return p;
    }
    return undefined;
  }
  const name = e.flowName ?? e.fieldId;
  const raw = values[name];
  if (e.type === 'consent') {
    const agreed = raw === true || raw === 'true';
    if (present(raw) && typeof raw !== 'boolean' && raw !== 'true' && raw !== 'false') return { name, message: 'Please tick the box or leave it.' };
    return isRequired && !agreed ? { name, message: required } : undefined;
  }
  if (!present(raw)) return isRequired ? { name, message: required } : undefined;
  if (e.options) return choiceProblem(e, f, raw, values, name);
  if (e.valueType === 'media') {
    const m = mediaProblem(e, f, raw);
    return m === undefined ? undefined : { name, message: m };
  }
  if (e.valueType === 'number') {
    const m = numberProblem(e, f, raw);
    return m === undefined ? undefined : { name, message: m };
  }
  if (e.valueType === 'date' || e.valueType === 'datetime') {
    const m = dateProblem(e, f, raw, rules.today);
    if (m !== undefined) return { name, message: m };
    const time = e.timeFlowName === undefined ? undefined : values[e.timeFlowName];
    if (e.timeFlowName !== undefined && present(time) && (typeof time !== 'string' || !TIME.test(time.trim()))) return { name: e.timeFlowName, message: 'Enter a time as HH:MM (24 hours).' };
    return undefined;
  }
  if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) return { name, message: 'This answer is not valid.' };
  const m = textProblem(e, f, String(raw));
  return m === undefined ? undefined : { name, message: m };
}

/** Where {@link answerProblems} looks: the screens up to one (a data_exchange step) or the whole path (a completion). */
export interface CheckScope {
  upToScreen?: string;
  /** Check questions whose answers only travel to the endpoint (files). */
  checkEndpointFields: boolean;
  /** The day of answering (`YYYY-MM-DD`) for relative date bounds; default: today in UTC. */
  today?: string;
}

/**
 * Every problem of the answers on the respondent's path: the source form's
 * required rule for the questions shown on that path, then each question's
 * own rules. Questions on branches not taken are not checked.
 */
export function answerProblems(fieldMap: FieldMap, model: FormModel, values: Readonly<Record<string, unknown>>, scope: CheckScope): AnswerProblems {
  const fields = new Map(model.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
  const order = new Map(fieldMap.screens.map((s, i) => [s.id, i]));
  const until = scope.upToScreen === undefined ? undefined : fieldMap.screens.find((s) => s.id === scope.upToScreen);
  const limit = until === undefined ? undefined : order.get(until.id);
  const path = replayPath(fieldMap, neutralAnswers(fieldMap, values), until?.pageId);
  const fieldErrors: Record<string, string> = {};
  const today = scope.today ?? new Date().toISOString().slice(0, 10);
  let message: string | undefined;
  for (const e of fieldMap.fields) {
    if (e.delivery === 'server' || e.screen === undefined || e.type === 'statement' || e.type === 'hidden') continue;
    if ((e.delivery === 'endpoint' && !scope.checkEndpointFields) || !path.shownFields.has(e.fieldId)) continue;
    const at = order.get(e.screen);
    if (limit !== undefined && (at === undefined || at > limit)) continue;
    const f = fields.get(e.fieldId);
    const requiredNow = e.required || (e.requiredWhen !== undefined && evaluateCondition(e.requiredWhen, (id) => path.known.get(id)));
    const p = fieldProblem(e, f, values, { required: requiredNow, today });
    if (p === undefined || Object.hasOwn(fieldErrors, p.name)) continue;
    fieldErrors[p.name] = p.message;
    message ??= `${f?.label ?? e.sourceKey}: ${p.message}`;
  }
  return message === undefined ? { ok: true } : { ok: false, message: message.slice(0, 200), fieldErrors };
}
