/**
 * Replay the path a respondent took through the form: which pages they saw
 * (following jumps as the compiled flow does: first matching rule, forward
 * only) and which fields were shown on them. The server uses it to submit
 * exactly the fields the source form would have.
 * @module
 */
import { evaluateCondition } from '../form/evaluate-condition.js';
import type { FieldMap } from './field-map.js';
import type { NeutralAnswer } from './neutral-answers.js';

/** Pages visited (in order), fields shown on them, and the answers known at the end. */
export interface ReplayedPath {
  pages: string[];
  shownFields: Set<string>;
  known: Map<string, NeutralAnswer>;
}

/** The page that follows `pageIndex`, or `undefined` at the end of the form. */
export function nextPageIndex(fieldMap: FieldMap, pageIndex: number, answers: ReadonlyMap<string, NeutralAnswer>): number | undefined {
  const page = fieldMap.pages[pageIndex];
  if (!page) return undefined;
  const answerOf = (id: string): unknown => answers.get(id);
  for (const jump of page.jumps) {
    const target = jump.to === 'end' ? Number.POSITIVE_INFINITY : fieldMap.pages.findIndex((p) => p.id === jump.to);
    if (target <= pageIndex) continue;
    if (jump.when && !evaluateCondition(jump.when, answerOf)) continue;
    return Number.isFinite(target) ? target : undefined;
  }
  return pageIndex + 1 < fieldMap.pages.length ? pageIndex + 1 : undefined;
}

/**
 * Replay the whole path from the first page. Like the source form, logic
 * only sees what is known at that point: answers of the pages visited so far
 * (the current one included) and hidden fields; later questions count as
 * unanswered. With `untilPage`, stop after that page.
 */
export function replayPath(fieldMap: FieldMap, answers: ReadonlyMap<string, NeutralAnswer>, untilPage?: string): ReplayedPath {
  const pages: string[] = [];
  const shownFields = new Set<string>();
  const entries = new Map(fieldMap.fields.map((e) => [e.fieldId, e]));
  const known = new Map<string, NeutralAnswer>();
  for (const e of fieldMap.fields) {
    const v = answers.get(e.fieldId);
    if (e.type === 'hidden' && v !== undefined) known.set(e.fieldId, v);
  }
  let i: number | undefined = 0;
  while (i !== undefined && i < fieldMap.pages.length) {
    const page = fieldMap.pages[i];
    if (!page) break;
    pages.push(page.id);
    for (const id of page.fieldIds) {
      const v = answers.get(id);
      if (v !== undefined) known.set(id, v);
    }
    for (const id of page.fieldIds) {
      const when = entries.get(id)?.visibleWhen;
      if (!when || evaluateCondition(when, (f) => known.get(f))) shownFields.add(id);
    }
    if (page.id === untilPage) break;
    i = nextPageIndex(fieldMap, i, known);
  }
  return { pages, shownFields, known };
}
