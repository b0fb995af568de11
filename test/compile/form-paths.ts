/**
 * Test oracle over a FormModel, independent of the compiler: valid answers
 * for every question, the branch paths the form's conditions allow (a
 * generic enumerator: each page's deciding answers are varied, the form's
 * own jump rules followed), and what the source form would submit on a path
 * (visited pages, questions shown there, hidden defaults), in source values.
 * @module
 */
import { expect } from 'vitest';
import type { Condition } from '../../src/core/form/condition.js';
import { evaluateCondition, isAnswered } from '../../src/core/form/evaluate-condition.js';
import type { FormField } from '../../src/core/form/field.js';
import type { FormModel } from '../../src/core/form/form-model.js';

/** The day of answering used by the round trips (relative date bounds). */
export const TODAY = new Date().toISOString().slice(0, 10);

/** `date` moved by `days` (test-side, independent of the compiler's). */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A neutral answer per field id (option ids, numbers, booleans, dates); `null` = left unanswered. */
export type Answers = Record<string, unknown>;

/** One branch path: the answers that take it and the pages it visits. */
export interface FormPath {
  answers: Answers;
  pages: string[];
}

const allFields = (m: FormModel): FormField[] => m.pages.flatMap((p) => p.fields);

/** Scale bounds as the FormModel documents them (NPS 0–10, rating 1–5 by default). */
export function scaleOf(f: FormField): { min: number; max: number } {
  if (f.scale) return { min: f.scale.min, max: f.scale.max };
  return f.type === 'nps' ? { min: 0, max: 10 } : { min: 1, max: f.type === 'rating' ? 5 : 10 };
}

/** Samples tried against a pattern, per type. */
const SAMPLES: Partial<Record<FormField['type'], string[]>> = {
  phone: ['+447700900123', '+44 770 090 0123', '07700 900123', '(555) 555-1234', '555-1234'],
  email: ['ana@example.com', 'ana@mail.example.org'],
  url: ['https://example.com', 'example.com'],
};

function fitText(base: string, f: FormField): string | undefined {
  const v = f.validation ?? {};
  let t = base;
  if (v.maxLength !== undefined) t = t.slice(0, v.maxLength);
  if (v.minLength !== undefined && t.length < v.minLength) t = t.padEnd(v.minLength, 'x');
  if (v.pattern === undefined) return t;
  const re = new RegExp(v.pattern, 'u');
  return [t, ...(SAMPLES[f.type] ?? []), 'ABC123', 'AB123456', 'abc123', '123456', 'ABCDEF', 'A1B2C3D4', 'Sample'].find((c) => re.test(c) && (v.minLength ?? 0) <= c.length && c.length <= (v.maxLength ?? Infinity));
}

/** A valid answer the source form accepts for `f`; `undefined` when the runtime should pick (files, unguessable patterns). */
export function validAnswer(f: FormField): unknown {
  const v = f.validation ?? {};
  switch (f.type) {
    case 'short_text': return fitText('Sample answer', f);
    case 'long_text': return fitText(v.minWords !== undefined ? 'word '.repeat(v.minWords).trim() : 'A longer sample answer.', f);
    case 'email': return fitText(v.blockedDomains?.includes('example.com') ? 'ana@mail.example.org' : 'ana@example.com', f);
    case 'phone': return fitText('+447700900123', f);
    case 'url': return fitText('https://example.com', f);
    case 'number': return Math.min(Math.max(1, v.min ?? 1), v.max ?? Infinity);
    case 'date': case 'datetime': {
      let d = v.minDateOffset !== undefined ? shiftDate(TODAY, v.minDateOffset + 1) : v.maxDateOffset !== undefined ? shiftDate(TODAY, v.maxDateOffset - 1) : '2026-06-15';
      if (v.minDate !== undefined && d < v.minDate) d = v.minDate;
      if (v.maxDate !== undefined && d > v.maxDate) d = v.maxDate;
      return f.type === 'date' ? d : `${d}T09:30`;
    }
    case 'time': return '09:30';
    case 'single_choice': case 'dropdown': return f.options?.[0]?.id;
    case 'multiple_choice': return (f.options ?? []).slice(0, Math.max(1, v.minSelected ?? 1)).map((o) => o.id);
    case 'yes_no': case 'consent': return true;
    case 'rating': case 'scale': case 'nps': return scaleOf(f).min + 1;
    case 'grid': return Object.fromEntries((f.rows ?? []).map((r) => [r.id, f.options?.[0]?.id ?? '']));
    case 'file': case 'hidden': case 'statement': return undefined;
  }
}

/** Leaves of a condition (field, op, value). */
function leaves(c: Condition, out: Extract<Condition, { field: string }>[] = []): Extract<Condition, { field: string }>[] {
  if ('conditions' in c) c.conditions.forEach((x) => leaves(x, out));
  else if ('condition' in c) leaves(c.condition, out);
  else out.push(c);
  return out;
}

/** Answers of `f` worth trying because some condition reads them: each value a condition names, values either side of a bound, and none when optional. */
export function decidingValues(f: FormField, conditions: readonly Condition[]): unknown[] {
  const used = conditions.flatMap((c) => leaves(c)).filter((l) => l.field === f.id);
  const out: unknown[] = [];
  const add = (v: unknown): void => {
    if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
  };
  const ids = (f.options ?? []).map((o) => o.id);
  for (const l of used) {
    const value = 'value' in l ? l.value : undefined;
    if (f.type === 'multiple_choice') {
      if (typeof value === 'string') add([value]);
      add(ids.filter((i) => i !== value).slice(0, 1));
    } else if (f.options) {
      if (typeof value === 'string' && ids.includes(value)) add(value);
      add(ids.find((i) => i !== value));
    } else if (typeof value === 'number') {
      const { min, max } = f.type === 'number' ? { min: f.validation?.min ?? -Infinity, max: f.validation?.max ?? Infinity } : scaleOf(f);
      for (const n of [value - 1, value, value + 1]) if (n >= min && n <= max) add(n);
    } else if (typeof value === 'boolean') {
      add(true);
      add(false);
    } else if (typeof value === 'string' && value !== '') add(value);
    if (!f.required && (l.op === 'answered' || l.op === 'not_answered' || value === '')) add(null);
  }
  const valid = validAnswer(f);
  if (valid !== undefined) add(valid);
  return out.filter((v) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}

/** The page index after `index` under the form's jumps (first matching rule; jumps back are not taken: a flow only routes forward). */
export function nextPage(model: FormModel, index: number, known: ReadonlyMap<string, unknown>): number | undefined {
  for (const j of model.pages[index]?.jumps ?? []) {
    const to = j.to === 'end' ? Infinity : model.pages.findIndex((p) => p.id === j.to);
    if (to <= index || (j.when && !evaluateCondition(j.when, (id) => known.get(id)))) continue;
    return Number.isFinite(to) ? to : undefined;
  }
  return index + 1 < model.pages.length ? index + 1 : undefined;
}

/** What the source form shows on a path: pages, shown fields and the answers it knows (hidden defaults, shown answers). */
export function simulate(model: FormModel, answers: Answers): { pages: string[]; shown: Set<string>; known: Map<string, unknown> } {
  const known = new Map<string, unknown>();
  for (const f of allFields(model)) if (f.type === 'hidden' && f.default !== undefined) known.set(f.id, f.default);
  const pages: string[] = [];
  const shown = new Set<string>();
  for (let i: number | undefined = 0; i !== undefined; i = nextPage(model, i, known)) {
    const page = model.pages[i];
    if (!page) break;
    pages.push(page.id);
    const onPage = new Map(page.fields.map((f) => [f.id, answers[f.id]]));
    for (const f of page.fields) {
      if (f.type === 'hidden' || f.type === 'statement') continue;
      const lookup = (id: string): unknown => (known.has(id) ? known.get(id) : onPage.get(id) ?? undefined);
      if (f.visibleWhen && !evaluateCondition(f.visibleWhen, lookup)) continue;
      shown.add(f.id);
      const a = answers[f.id];
      if (a !== undefined && a !== null) known.set(f.id, a);
    }
  }
  return { pages, shown, known };
}

/** Every condition of the form (visibility, conditional required and jumps). */
export function formConditions(model: FormModel): Condition[] {
  return [...allFields(model).flatMap((f) => [f.visibleWhen, f.requiredWhen].filter((c): c is Condition => c !== undefined)), ...model.pages.flatMap((p) => (p.jumps ?? []).flatMap((j) => (j.when ? [j.when] : [])))];
}

/**
 * Branch paths through the form: starting from valid answers everywhere,
 * each deciding question on each reached page takes each of its deciding
 * values in turn (one at a time), and the search follows the form's own
 * jumps from there. Paths are distinct by pages visited, fields shown and
 * the conditional required rules that hold.
 */
export function enumeratePaths(model: FormModel, options: { flowRequired?: ReadonlySet<string>; max?: number } = {}): FormPath[] {
  const conditions = formConditions(model);
  const readers = new Set(conditions.flatMap((c) => leaves(c).map((l) => l.field)));
  const base: Answers = {};
  for (const f of allFields(model)) base[f.id] = validAnswer(f);
  const seen = new Map<string, FormPath>();
  const max = options.max ?? 40;
  const visit = (answers: Answers, depth: number): void => {
    const run = simulate(model, answers);
    // Paths differ by the pages visited, the questions shown, and which conditional required rules hold.
    const requiredNow = allFields(model).filter((f) => f.requiredWhen && run.shown.has(f.id) && evaluateCondition(f.requiredWhen, (id) => run.known.get(id))).map((f) => f.id);
    const key = `${run.pages.join('>')}|${[...run.shown].sort().join(',')}|${requiredNow.join(',')}`;
    if (seen.has(key) || seen.size >= max) return;
    seen.set(key, { answers, pages: run.pages });
    if (depth > 12) return;
    for (const id of [...run.shown].filter((x) => readers.has(x))) {
      const f = allFields(model).find((x) => x.id === id);
      if (!f) continue;
      for (const v of decidingValues(f, conditions)) {
        if (v === null && options.flowRequired?.has(id)) continue;
        if (JSON.stringify(v) !== JSON.stringify(answers[id])) visit({ ...answers, [id]: v }, depth + 1);
      }
    }
  };
  visit(base, 0);
  return [...seen.values()];
}

/** A neutral answer as the source receives it (option values, `{rowKey: value}` for grids); files as any list. */
export function sourceValueOf(f: FormField, a: unknown): unknown {
  const value = (id: unknown): unknown => f.options?.find((o) => o.id === id)?.value ?? id;
  if (f.type === 'file') return expect.any(Array);
  if (f.type === 'grid' && typeof a === 'object' && a !== null) return Object.fromEntries((f.rows ?? []).map((r) => [r.key, value((a as Record<string, unknown>)[r.id])]));
  if (Array.isArray(a)) return a.map(value);
  if (f.options) return value(a);
  return a;
}

/** What the source form submits for `answers`: shown, answered questions and hidden defaults, keyed by source key. */
export function expectedSubmission(model: FormModel, answers: Answers): Record<string, unknown> {
  const { shown } = simulate(model, answers);
  const out: Record<string, unknown> = {};
  for (const f of allFields(model)) {
    if (f.type === 'hidden' && f.default !== undefined) out[f.key] = f.default;
    if (!shown.has(f.id)) continue;
    const a = answers[f.id];
    // `undefined`: the runtime picks the answer (files, patterns no sample fits), so any value will do.
    if (a === undefined) out[f.key] = f.type === 'file' ? expect.any(Array) : expect.anything();
    else if (isAnswered(a)) out[f.key] = sourceValueOf(f, a);
  }
  return out;
}
