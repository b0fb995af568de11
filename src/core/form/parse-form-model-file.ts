/**
 * Read a hand-written FormModel file (YAML or JSON) into a validated model,
 * or a list of errors each with the path of the offending value, so a form
 * file is a first-class source like any connector.
 * @module
 */
import type { z } from 'zod';
import { formModelSchema, type FormModel } from './form-model.js';

/** One problem in a form file; `path` is like `pages[0].fields[2].type` (empty for the whole file). */
export interface FormFileError {
  path: string;
  message: string;
}

/** The parsed model, or why it is not one. */
export type ParseFormModelResult = { ok: true; model: FormModel } | { ok: false; errors: FormFileError[] };

/** Turn a zod issue path into `a.b[0].c`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out === '' ? '' : '.'}${String(seg)}`;
  return out;
}

/** zod issues as {@link FormFileError}s. */
export function issuesToErrors(error: z.ZodError): FormFileError[] {
  return error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
}

/**
 * Validate an already-parsed value as a FormModel.
 * @example
 * const r = validateFormModel(JSON.parse(text));
 */
export function validateFormModel(value: unknown): ParseFormModelResult {
  const result = formModelSchema.safeParse(value);
  return result.success ? { ok: true, model: result.data } : { ok: false, errors: issuesToErrors(result.error) };
}

/**
 * Parse a form file. `src/core` stays free of non-zod dependencies, so YAML
 * text needs a parser from the caller (the server and the CLI pass
 * `services/yaml-text.ts`'s strict `parseYamlText`); JSON needs none.
 * @example
 * const r = parseFormModelFile(text, 'yaml', parseYamlText);
 */
export function parseFormModelFile(text: string, format: 'yaml' | 'json', parseYaml?: (text: string) => unknown): ParseFormModelResult {
  let value: unknown;
  try {
    if (format === 'json') value = JSON.parse(text);
    else if (parseYaml) value = parseYaml(text);
    else return { ok: false, errors: [{ path: '', message: 'No YAML parser was supplied (pass the yaml package\'s parse).' }] };
  } catch (err) {
    return { ok: false, errors: [{ path: '', message: `Not valid ${format.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  return validateFormModel(value);
}
