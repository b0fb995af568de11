/**
 * Body placeholders of emulated templates (Meta, "Template messages":
 * `parameter_format` POSITIONAL `{{1}}`… or NAMED `{{first_name}}`) and the
 * check of a send's `body` component against them.
 *
 * Where the spec (§5.2, §7.6) is silent the stricter reading is taken, so a
 * request the emulator accepts is one Meta accepts:
 * - positional placeholders must run 1…n without gaps; named ones follow
 *   Meta's rule — lower-case letters, digits and underscores
 *   (`PLACEHOLDER_NAME`, `../whatsapp/graph/template-params.ts`, shared with
 *   the services) — and may not be all digits; a body may not mix the two
 *   (Meta refuses such templates at creation);
 * - the number of parameters must equal the number of distinct placeholders
 *   (132000); every parameter is `{ type: "text", text }` (another type, a
 *   `parameter_name` on a positional template or a missing/unknown/repeated
 *   one on a named template: 132012, parameter format mismatch);
 * - an empty text is a missing parameter (131008); a text with a line break,
 *   a tab or more than 4 consecutive spaces is refused with Meta's message
 *   for it. Meta has answered that with code 100 (newer versions are
 *   reported to use 132018, which the spec does not list); 100 is used — a
 *   per-message refusal either way.
 * @module
 */
import { isObject } from '../core/flow/json.js';
import { POSITIONAL_NAME, isPlaceholderName, paramTextProblem, readBodyPlaceholders, type TemplateBodyPlaceholders } from '../whatsapp/graph/template-params.js';
import { GraphFault, fault } from './graph-fault.js';

/** How a template's body is parameterised. */
export type TemplateBodyParams = TemplateBodyPlaceholders;

/** Read and check the body's placeholders at template creation. @throws GraphFault 100 when they break Meta's rules. */
export function readBodyParams(text: string, parameterFormat: unknown): TemplateBodyParams {
  if (parameterFormat !== undefined && parameterFormat !== 'POSITIONAL' && parameterFormat !== 'NAMED') {
    throw fault.invalid('parameter_format must be POSITIONAL or NAMED.');
  }
  const { format, names } = readBodyPlaceholders(text, parameterFormat ?? 'POSITIONAL');
  if (format === 'POSITIONAL') {
    const bad = names.find((n) => !POSITIONAL_NAME.test(n));
    if (bad !== undefined) throw fault.invalid(`The body placeholder {{${bad}}} is not positional ({{1}}, {{2}}…); set parameter_format NAMED for named parameters.`);
    if (names.some((n, i) => Number(n) !== i + 1)) throw fault.invalid(`The body's positional placeholders must be sequential from {{1}} (found ${names.map((n) => `{{${n}}}`).join(', ')}).`);
    return { format, names };
  }
  const bad = names.find((n) => !isPlaceholderName(n));
  if (bad !== undefined) throw fault.invalid(`The named placeholder {{${bad}}} must be lower case letters, digits and underscores, and not only digits.`);
  return { format, names };
}

/** Meta's details for a text parameter it refuses. */
export const PARAM_TEXT_DETAILS = 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces';

const mismatch = (details: string) => new GraphFault({ code: 132012, title: 'Parameter format does not match format in the created template', details });

/** Check a send's body parameters (`undefined`: no body component) against the template. */
export function checkBodyParams(template: { readonly name: string; readonly body: TemplateBodyParams }, parameters: unknown): void {
  const expected = template.body.names.length;
  if (parameters !== undefined && !Array.isArray(parameters)) throw fault.badValue('template.components[body].parameters must be an array.');
  const list = (parameters ?? []) as unknown[];
  if (list.length !== expected) {
    throw new GraphFault({ code: 132000, title: 'Number of parameters does not match the expected number of params', details: `body: number of localizable_params (${list.length}) does not match the expected number of params (${expected})` });
  }
  const seen = new Set<string>();
  list.forEach((p, i) => {
    const where = `body parameter ${i + 1}`;
    if (!isObject(p)) throw fault.badValue(`${where} must be an object.`);
    if (p.type !== 'text') throw mismatch(`${where}: type must be "text" (got ${JSON.stringify(p.type ?? null)}).`);
    if (template.body.format === 'NAMED') {
      const name = p.parameter_name;
      if (typeof name !== 'string') throw mismatch(`${where}: template ${template.name} uses named parameters; parameter_name is required.`);
      if (!template.body.names.includes(name)) throw mismatch(`${where}: template ${template.name} has no parameter {{${name}}} (it has ${template.body.names.map((n) => `{{${n}}}`).join(', ')}).`);
      if (seen.has(name)) throw mismatch(`${where}: parameter {{${name}}} is given twice.`);
      seen.add(name);
    } else if (p.parameter_name !== undefined) {
      throw mismatch(`${where}: template ${template.name} uses positional parameters; remove parameter_name.`);
    }
    if (p.text === undefined || p.text === '') throw fault.missing(`template.components[body].parameters[${i}].text`);
    if (typeof p.text !== 'string') throw fault.badValue(`${where}: text must be a string.`);
    if (paramTextProblem(p.text) !== undefined) throw new GraphFault({ code: 100, title: 'Invalid parameter', details: PARAM_TEXT_DETAILS });
  });
}
