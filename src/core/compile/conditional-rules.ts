/**
 * Source-form rules that depend on something besides the answer itself:
 * conditional required (`requiredWhen`), date bounds relative to the day of
 * answering (`minDateOffset`/`maxDateOffset`) and word limits
 * (`minWords`/`maxWords`). Each is compiled as faithfully as the flow
 * allows — a `required` expression computed on the phone (≥ 6.0), picker
 * bounds fixed as of the compile day, a helper text — and always checked by
 * the server too (`answerProblems`); what the phone cannot enforce is
 * reported.
 * @module
 */
import type { Component } from '../flow/model/component.js';
import { conditionFields } from '../form/condition.js';
import type { FormField } from '../form/field.js';
import { atLeast, type CompileContext } from './compile-context.js';
import type { CompiledField } from './compile-field.js';
import { conditionToExpr, type ExprOperand } from './condition-expr.js';
import type { FieldMapEntry } from './field-map.js';

/** `date` (`YYYY-MM-DD`) moved by `days`. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** Words of a text answer: runs of non-space characters. */
export function countWords(text: string): number {
  return text.trim() === '' ? 0 : text.trim().split(/\s+/u).length;
}

/** How a relative bound reads in messages: "today", "today + 30 days", "today − 7 days". */
export function describeOffset(days: number): string {
  if (days === 0) return 'today';
  return `today ${days > 0 ? '+' : '−'} ${Math.abs(days)} day${Math.abs(days) === 1 ? '' : 's'}`;
}

/**
 * Picker bounds of relative date rules: fixed as of the compile day when
 * it is known (the picker then drifts from the rule as days pass; the
 * server checks against the day of answering), otherwise left to the server.
 * Returns the `min-date`/`max-date` values (`YYYY-MM-DD`) to set.
 */
export function relativeDateBounds(f: FormField, ctx: CompileContext, entry: FieldMapEntry): { min?: string; max?: string } {
  const v = f.validation ?? {};
  const out: { min?: string; max?: string } = {};
  for (const [key, offset] of [['min', v.minDateOffset], ['max', v.maxDateOffset]] as const) {
    if (offset === undefined) continue;
    if (!entry.serverChecks.includes('date-range')) entry.serverChecks.push('date-range');
    const rule = `${key === 'min' ? 'earliest' : 'latest'} date ${describeOffset(offset)}`;
    if (ctx.today !== undefined) {
      out[key] = addDays(ctx.today, offset);
      ctx.report.add('warning', 'approximated', f.id, `Relative ${rule}: the picker's ${key}-date is fixed at ${out[key]} (compiled on ${ctx.today}); the server checks the rule against the day of answering. Re-compile to move the picker's bound.`);
    } else {
      ctx.report.add('warning', 'server-validated', f.id, `Relative ${rule}: the picker has no such bound (compile with a compile day to fix one); the server checks it against the day of answering.`);
    }
  }
  return out;
}

/** The helper text of a word limit ("At most 100 words"), recording the server check and the report entry. */
export function wordLimitHelp(f: FormField, ctx: CompileContext, entry: FieldMapEntry): string | undefined {
  const { minWords, maxWords } = f.validation ?? {};
  if (minWords === undefined && maxWords === undefined) return undefined;
  entry.serverChecks.push('word-count');
  const text = minWords !== undefined && maxWords !== undefined ? `${minWords} to ${maxWords} words` : minWords !== undefined ? `At least ${minWords} words` : `At most ${maxWords ?? 0} words`;
  ctx.report.add('info', 'server-validated', f.id, `Word limit (${text.toLowerCase()}) is shown as helper text and checked by the server (no component counts words).`);
  return text;
}

/** How a conditional required rule is enforced: on the phone, by the endpoint when leaving the screen, or only at completion. */
export type RequiredWhenMode = { kind: 'phone'; expr: string } | { kind: 'endpoint' } | { kind: 'completion' };

/**
 * Decide where `cf`'s conditional required rule is enforced: the phone
 * (≥ 6.0 and the condition computable on this screen), else the endpoint
 * when the screen is left (every question the condition reads is on this
 * page or an earlier one), else only when the answers are completed.
 * `pageOf(fieldId)` gives the page index of a question.
 */
export function requiredWhenMode(cf: CompiledField, operandOf: (fieldId: string) => ExprOperand | undefined, ctx: CompileContext, pageOf: (fieldId: string) => number | undefined, pageIndex: number): RequiredWhenMode | undefined {
  const when = cf.entry.requiredWhen;
  if (when === undefined || cf.components.length === 0) return undefined;
  const expr = atLeast(ctx, '6.0') ? conditionToExpr(when, operandOf) : undefined;
  if (expr !== undefined) return { kind: 'phone', expr };
  const knownHere = conditionFields(when).every((id) => (pageOf(id) ?? Infinity) <= pageIndex);
  return { kind: knownHere ? 'endpoint' : 'completion' };
}

/**
 * The field's components with its conditional required rule (see
 * {@link requiredWhenMode}): a `required` backtick expression on the
 * phone, or an optional question the server requires when the condition
 * holds (reported). The server checks the rule in every mode.
 */
export function withRequiredWhen(cf: CompiledField, mode: RequiredWhenMode | undefined, ctx: CompileContext): Component[] {
  if (mode === undefined) return cf.components;
  if (!cf.entry.serverChecks.includes('required-when')) cf.entry.serverChecks.push('required-when');
  if (mode.kind === 'phone') return cf.components.map((c) => ('required' in c && c.required === false ? ({ ...c, required: `\`${mode.expr}\`` }) : c));
  ctx.report.add('warning', 'server-validated', cf.field.id, mode.kind === 'endpoint'
    ? 'Required only under a condition the phone cannot compute: the question is optional on the phone, and leaving its screen asks the endpoint, which refuses to go on without it when the condition holds.'
    : 'Required only under a condition on later questions: the question is optional in the flow, and the server refuses the completed answers without it when the condition holds.');
  return cf.components;
}
