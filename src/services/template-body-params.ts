/**
 * The checks a template body parameter value must pass before it is sent,
 * shared by every way of giving them: a broadcast's CSV columns
 * (`broadcast/template-params.ts`), `flowbridge send --param` and
 * `POST /api/sends` `bodyParameters`.
 *
 * Meta refuses a text parameter that is empty (131008) or that holds a line
 * break, a tab or more than 4 consecutive spaces (100); a named parameter's
 * name is a placeholder name (`{{first_name}}`: lower-case letters, digits
 * and underscores). A list is either all positional (no names, in order) or
 * all named, each name once. Checking here refuses such values with a
 * message naming the parameter and the rule, before any session is issued
 * or Graph is called; the count of parameters is left to Meta, which knows
 * the template.
 * @module
 */
import { isPlaceholderName, paramTextProblem } from '../whatsapp/graph/template-params.js';
import type { TemplateBodyParameter } from './flow-sender.js';

export { unwrapPlaceholder } from '../whatsapp/graph/template-params.js';

/** Why WhatsApp refuses an empty value. */
export const EMPTY_PARAM_RULE = 'WhatsApp refuses an empty parameter';

/** Why WhatsApp refuses a value with a `paramTextProblem` (`../whatsapp/graph/template-params.ts`). */
export const PARAM_TEXT_RULE = 'WhatsApp refuses template parameters with line breaks, tabs or more than 4 consecutive spaces';

/** One refused parameter: its index (0-based) in the list, the field at fault and the rule it breaks. */
export interface BodyParameterProblem {
  readonly index: number;
  readonly field: 'text' | 'name';
  /** Starts with a verb ("is empty…", "contains a tab…"), to follow the parameter's label. */
  readonly message: string;
}

/** Why the value `text` would be refused, or undefined. */
export function paramValueProblem(text: string): string | undefined {
  if (text === '') return `is empty (${EMPTY_PARAM_RULE})`;
  const bad = paramTextProblem(text);
  return bad === undefined ? undefined : `contains ${bad}; ${PARAM_TEXT_RULE}`;
}

/** Why `name` cannot name a placeholder, or undefined. */
function nameProblem(name: string): string | undefined {
  // Meta's rule (../whatsapp/graph/template-params.ts): lower-case letters, digits and underscores
  if (isPlaceholderName(name)) return undefined;
  if (/^\d+$/.test(name)) return `is named "${name}": positional placeholders {{1}}, {{2}}… take no name, give the values in order instead`;
  return `is named "${name}": a placeholder name is lower-case letters, digits and underscores, as in {{first_name}}`;
}

/** The first problem of a list of body parameters, in list order; undefined when all can be sent. */
export function bodyParameterProblem(params: readonly TemplateBodyParameter[]): BodyParameterProblem | undefined {
  const named = params[0]?.name !== undefined;
  const seen = new Set<string>();
  for (const [index, p] of params.entries()) {
    if ((p.name !== undefined) !== named) {
      const message = named
        ? `has no name but the first parameter is named "${params[0]!.name!}": name every parameter (named template, {{first_name}}) or none (positional template, {{1}}, {{2}}… in order)`
        : `is named "${p.name!}" but the first parameter has no name: name every parameter (named template, {{first_name}}) or none (positional template, {{1}}, {{2}}… in order)`;
      return { index, field: 'name', message };
    }
    if (p.name !== undefined) {
      const bad = nameProblem(p.name);
      if (bad !== undefined) return { index, field: 'name', message: bad };
      if (seen.has(p.name)) return { index, field: 'name', message: `repeats the name "${p.name}" given earlier: give each placeholder once` };
      seen.add(p.name);
    }
    const bad = paramValueProblem(p.text);
    if (bad !== undefined) return { index, field: 'text', message: bad };
  }
  return undefined;
}
