/**
 * Evaluate a FormModel condition against answers, the way the source form
 * does. Used server-side to replay the path a respondent took (which sections
 * they saw, which fields were shown), so answers map back to exactly the
 * fields the source form would have submitted.
 * @module
 */
import type { Condition, ConditionValue } from './condition.js';

/** A neutral answer: text, number, boolean, selected option ids, or anything else (files); `unknown` keeps it open. */
export type Answer = unknown;

/** True when an answer counts as given: a non-empty string or array, any number or boolean. */
export function isAnswered(answer: unknown): boolean {
  if (answer === undefined || answer === null) return false;
  if (typeof answer === 'string') return answer !== '';
  if (Array.isArray(answer)) return answer.length > 0;
  return true;
}

function asNumber(answer: unknown): number | undefined {
  if (typeof answer === 'number') return Number.isFinite(answer) ? answer : undefined;
  if (typeof answer === 'string' && answer.trim() !== '') {
    const n = Number(answer);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function equal(answer: unknown, value: ConditionValue): boolean {
  if (value === '') return !isAnswered(answer);
  if (typeof value === 'boolean') return answer === value || answer === String(value);
  if (!isAnswered(answer)) return false;
  if (typeof value === 'number') return asNumber(answer) === value;
  if (Array.isArray(answer)) return answer.length === 1 && answer[0] === value;
  return String(answer) === value;
}

/**
 * Evaluate `condition`; `answerOf(fieldId)` gives the neutral answer (option
 * ids for choices). Unanswered fields satisfy only `not_answered`, `not_equals`
 * and `excludes`.
 */
export function evaluateCondition(condition: Condition, answerOf: (fieldId: string) => Answer): boolean {
  switch (condition.op) {
    case 'and':
      return condition.conditions.every((c) => evaluateCondition(c, answerOf));
    case 'or':
      return condition.conditions.some((c) => evaluateCondition(c, answerOf));
    case 'not':
      return !evaluateCondition(condition.condition, answerOf);
    case 'answered':
      return isAnswered(answerOf(condition.field));
    case 'not_answered':
      return !isAnswered(answerOf(condition.field));
    case 'equals':
      return equal(answerOf(condition.field), condition.value);
    case 'not_equals':
      return !equal(answerOf(condition.field), condition.value);
    case 'includes':
    case 'excludes': {
      const a = answerOf(condition.field);
      const has = Array.isArray(a) ? a.includes(condition.value) : a === condition.value;
      return condition.op === 'includes' ? has : !has;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const n = asNumber(answerOf(condition.field));
      if (n === undefined) return false;
      const v = condition.value;
      return condition.op === 'lt' ? n < v : condition.op === 'lte' ? n <= v : condition.op === 'gt' ? n > v : n >= v;
    }
  }
}
