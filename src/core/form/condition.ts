/**
 * The FormModel's conditional logic: a small expression tree over answers.
 * Every form tool's logic (HubSpot `dependentFields`, Google Forms
 * `goToSectionId`, Typeform jumps, Jotform conditions, Tally and Formbricks
 * logic) reduces to comparisons of one field's answer with a value, combined
 * with and/or/not. The compiler turns it into Flow JSON `visible`/If
 * expressions where the client can compute it, else into endpoint routing.
 * @module
 */
import { z } from 'zod';

/** A literal an answer is compared with (for choices: the option's `id`). */
export type ConditionValue = string | number | boolean;

/**
 * One condition node. `field` is a FormModel field id. `includes`/`excludes`
 * test a multiple-choice answer for an option id; `answered` is true for any
 * non-empty answer.
 */
export type Condition =
  | { op: 'equals' | 'not_equals'; field: string; value: ConditionValue }
  | { op: 'lt' | 'lte' | 'gt' | 'gte'; field: string; value: number }
  | { op: 'answered' | 'not_answered'; field: string }
  | { op: 'includes' | 'excludes'; field: string; value: string }
  | { op: 'and' | 'or'; conditions: Condition[] }
  | { op: 'not'; condition: Condition };

const valueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** Validates a {@link Condition} tree (recursive), with path-based errors. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.enum(['equals', 'not_equals']), field: z.string().min(1), value: valueSchema }),
    z.strictObject({ op: z.enum(['lt', 'lte', 'gt', 'gte']), field: z.string().min(1), value: z.number() }),
    z.strictObject({ op: z.enum(['answered', 'not_answered']), field: z.string().min(1) }),
    z.strictObject({ op: z.enum(['includes', 'excludes']), field: z.string().min(1), value: z.string() }),
    z.strictObject({ op: z.enum(['and', 'or']), conditions: z.array(conditionSchema).min(1) }),
    z.strictObject({ op: z.literal('not'), condition: conditionSchema }),
  ]),
);

/** Every field id a condition reads, in order of appearance (with repeats removed). */
export function conditionFields(condition: Condition): string[] {
  const out = new Set<string>();
  const visit = (c: Condition): void => {
    if ('conditions' in c) c.conditions.forEach(visit);
    else if ('condition' in c) visit(c.condition);
    else out.add(c.field);
  };
  visit(condition);
  return [...out];
}

/** Nesting depth of a condition (a leaf is 1). */
export function conditionDepth(condition: Condition): number {
  if ('conditions' in condition) return 1 + Math.max(...condition.conditions.map(conditionDepth));
  if ('condition' in condition) return 1 + conditionDepth(condition.condition);
  return 1;
}
