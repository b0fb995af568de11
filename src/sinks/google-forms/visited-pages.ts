/**
 * Which sections of a Google form a respondent went through, in order, so
 * the `formResponse` POST can say so in `pageHistory` (0-based section
 * indexes, following the branch actually taken; community-documented
 * encoding, see spec "Form sources" §2.3). The FormModel's jumps speak in
 * option ids while a Submission holds option values, so answers are read
 * back to ids first; then jumps are followed the way the compiled flow does:
 * first matching rule wins, forward only.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import { evaluateCondition } from '../../core/form/evaluate-condition.js';
import type { FormField, FormModel } from '../../core/form/index.js';

function neutral(field: FormField, value: SourceValue | undefined): unknown {
  if (value === undefined || !field.options) return value;
  const idOf = (v: unknown): unknown => field.options?.find((o) => o.value === v)?.id ?? v;
  return Array.isArray(value) ? value.map(idOf) : idOf(value);
}

/** The indexes of the pages visited for `answers` (keyed by field source key). */
export function visitedPages(form: FormModel, answers: Readonly<Record<string, SourceValue>>): number[] {
  const byId = new Map(form.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
  const answerOf = (fieldId: string): unknown => {
    const field = byId.get(fieldId);
    return field ? neutral(field, answers[field.key]) : undefined;
  };
  const out: number[] = [];
  let i: number | undefined = 0;
  while (i !== undefined && i < form.pages.length && !out.includes(i)) {
    out.push(i);
    const page = form.pages[i];
    let next: number | undefined = i + 1 < form.pages.length ? i + 1 : undefined;
    for (const jump of page?.jumps ?? []) {
      const target = jump.to === 'end' ? Number.POSITIVE_INFINITY : form.pages.findIndex((p) => p.id === jump.to);
      if (target <= i) continue;
      if (jump.when && !evaluateCondition(jump.when, answerOf)) continue;
      next = Number.isFinite(target) ? target : undefined;
      break;
    }
    i = next;
  }
  return out;
}
