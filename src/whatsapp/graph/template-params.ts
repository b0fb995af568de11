/**
 * Template body parameters in Graph's format (Meta, "Template messages"):
 * the placeholders of a BODY text — `parameter_format` POSITIONAL `{{1}}`,
 * `{{2}}`… or NAMED `{{first_name}}` — and the rule a text parameter must
 * meet. Pure helpers shared by the emulator (which enforces them like Meta)
 * and the services (which check values before sending).
 * @module
 */

/**
 * A placeholder name, Meta's rule: lower-case letters, digits and
 * underscores (`{{first_name}}`). All-digit names are positional
 * placeholders (`{{1}}`).
 */
export const PLACEHOLDER_NAME = /^[a-z0-9_]+$/;

/** Whether `name` can name a placeholder of a NAMED template: {@link PLACEHOLDER_NAME}, not all digits. */
export function isPlaceholderName(name: string): boolean {
  return PLACEHOLDER_NAME.test(name) && !/^\d+$/.test(name);
}

/** A positional placeholder: `1`, `2`… (no leading zero). */
export const POSITIONAL_NAME = /^[1-9]\d*$/;

/** Every `{{…}}` of a body text. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** How a template's body is parameterised. */
export interface TemplateBodyPlaceholders {
  readonly format: 'POSITIONAL' | 'NAMED';
  /** Distinct placeholders: `1`…`n` in numeric order, or the names in order of appearance. */
  readonly names: readonly string[];
}

/**
 * The placeholders of a body `text` under `parameterFormat` (`POSITIONAL`
 * or `NAMED`, any case); without one, NAMED when a placeholder is not all
 * digits. Reads only: whether the names follow the rules is the caller's
 * check.
 */
export function readBodyPlaceholders(text: string, parameterFormat?: string): TemplateBodyPlaceholders {
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
  const named = parameterFormat === undefined ? names.some((n) => !/^\d+$/.test(n)) : parameterFormat.toUpperCase() === 'NAMED';
  return named ? { format: 'NAMED', names } : { format: 'POSITIONAL', names: names.sort((a, b) => Number(a) - Number(b)) };
}

/** `{{name}}` → `name`; anything else unchanged. */
export function unwrapPlaceholder(raw: string): string {
  return raw.replace(/^\{\{(.*)\}\}$/, '$1');
}

/** Why Meta would refuse the non-empty `text` as a template text parameter (a line break, a tab or more than 4 consecutive spaces), or undefined. */
export function paramTextProblem(text: string): string | undefined {
  if (/[\n\r]/.test(text)) return 'a line break';
  if (text.includes('\t')) return 'a tab';
  if (/ {5}/.test(text)) return 'more than 4 consecutive spaces';
  return undefined;
}
