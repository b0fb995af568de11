/**
 * Template body parameters of a broadcast, taken from each recipient's CSV
 * columns.
 *
 * Which column fills which placeholder:
 * - positional templates (`{{1}}`, `{{2}}`…): the ordered list of columns
 *   given at creation (`--param first_name --param city`, JSON
 *   `"params": ["first_name", "city"]`); without one, the columns named
 *   `1`, `2`…;
 * - named templates (`parameter_format: NAMED`, `{{first_name}}`): the column
 *   of the same name, or the one given as `placeholder=column`
 *   (`--param first_name=given_name`); `{{name}}` also finds the list's name
 *   column under its other headers (full_name, contact_name…).
 *
 * When the template is known (looked up at Meta, or the emulator) its
 * placeholders decide the format and count, so a missing column is refused
 * for the whole list and an empty value refuses that row, by line number.
 * Values are sent unchanged (csv-parse already trims them); a value WhatsApp
 * would refuse — a line break, a tab or more than 4 consecutive spaces
 * (Meta's rule for template text parameters) — refuses its row, rather than
 * being altered or failing at send time (the checks are shared with single
 * sends: `../template-body-params.ts`).
 * @module
 */
import type { TemplateBodyParameter } from '../flow-sender.js';
import { readBodyPlaceholders, unwrapPlaceholder } from '../../whatsapp/graph/template-params.js';
import { EMPTY_PARAM_RULE, paramValueProblem } from '../template-body-params.js';
import { ContactListError, normaliseHeader } from './contact-columns.js';

/** A template body's placeholders. */
export interface TemplateBody {
  readonly format: 'POSITIONAL' | 'NAMED';
  /** Placeholder names in the order they are sent: `1`, `2`… or `first_name`…. */
  readonly names: readonly string[];
}

/** One `--param` entry: a column, or `placeholder=column`. */
export interface ParamEntry {
  readonly placeholder?: string;
  readonly column: string;
}

/** Where each body parameter of a list comes from. */
export interface ParamPlan {
  readonly named: boolean;
  readonly slots: ReadonlyArray<{ readonly placeholder: string; readonly column: string; readonly index: number }>;
}

/** The body placeholders of a template's `components` (Graph template object); undefined without a BODY text. */
export function templateBodyOf(components: readonly unknown[] | undefined, parameterFormat?: string): TemplateBody | undefined {
  const body = components?.find((c): c is { text: string } =>
    typeof c === 'object' && c !== null && String((c as { type?: unknown }).type).toUpperCase() === 'BODY' && typeof (c as { text?: unknown }).text === 'string');
  if (body === undefined) return undefined;
  return readBodyPlaceholders(body.text, parameterFormat);
}

/** Read `--param` / `params` entries. @throws ContactListError on an empty entry. */
export function parseParamEntries(entries: readonly string[]): ParamEntry[] {
  return entries.map((raw, i) => {
    const eq = raw.indexOf('=');
    const placeholder = eq < 0 ? undefined : unwrapPlaceholder(raw.slice(0, eq).trim());
    const column = normaliseHeader(eq < 0 ? raw : raw.slice(eq + 1));
    if (column === '' || placeholder === '') {
      throw new ContactListError(`Parameter ${i + 1} ("${raw}") is empty: give a column name (--param city) or placeholder=column (--param first_name=given_name).`);
    }
    return placeholder === undefined ? { column } : { placeholder, column };
  });
}

const shown = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(', ');

/** Pair placeholders with columns (before looking at the header). */
function pairs(entries: readonly ParamEntry[], template: TemplateBody | undefined, header: readonly string[]): { named: boolean; list: Array<[string, string]> } | undefined {
  if (template !== undefined && template.names.length === 0) {
    if (entries.length > 0) throw new ContactListError(`The template's body has no placeholders, but ${entries.length} parameter(s) were given: remove --param / "params".`);
    return undefined;
  }
  if (template?.format === 'POSITIONAL' || (template === undefined && entries.every((e) => e.placeholder === undefined))) {
    if (entries.some((e) => e.placeholder !== undefined)) {
      throw new ContactListError(`The template uses positional placeholders (${shown(template!.names)}): give one --param <column> per placeholder, in order, without "name=".`);
    }
    let columns = entries.map((e) => e.column);
    if (columns.length === 0) {
      const count = template?.names.length ?? countNumbered(header);
      columns = Array.from({ length: count }, (_, i) => String(i + 1));
    }
    if (template !== undefined && columns.length !== template.names.length) {
      throw new ContactListError(`The template's body has ${template.names.length} placeholder(s) (${shown(template.names)}) but ${columns.length} parameter(s) were given: give exactly one --param <column> (JSON "params") per placeholder, in order.`);
    }
    return columns.length === 0 ? undefined : { named: false, list: columns.map((c, i) => [String(i + 1), c]) };
  }
  if (entries.some((e) => e.placeholder === undefined) && template === undefined) {
    throw new ContactListError('Mixed parameters: either all are columns in order (positional {{1}}…) or all are placeholder=column (named {{first_name}}).');
  }
  const given = new Map<string, string>();
  for (const e of entries) {
    const placeholder = e.placeholder ?? e.column;
    if (template !== undefined && !template.names.includes(placeholder)) {
      throw new ContactListError(`The template's body has no placeholder {{${placeholder}}} (it has ${shown(template.names)}): fix --param / "params".`);
    }
    if (given.has(placeholder)) throw new ContactListError(`The placeholder {{${placeholder}}} is given twice: give each once.`);
    given.set(placeholder, e.column);
  }
  const names = template?.names ?? [...given.keys()];
  return { named: true, list: names.map((n) => [n, given.get(n) ?? normaliseHeader(n)]) };
}

/** Columns `1`, `2`… present from 1 on. */
function countNumbered(header: readonly string[]): number {
  let n = 0;
  while (header.includes(String(n + 1))) n++;
  return n;
}

/**
 * Decide where each parameter comes from for this header; undefined when the
 * broadcast has none. `nameColumn` is the list's name column (any alias).
 * @throws ContactListError naming the missing column and how to fix it.
 */
export function planParams(header: readonly string[], entries: readonly ParamEntry[], template: TemplateBody | undefined, nameColumn: number | undefined): ParamPlan | undefined {
  const paired = pairs(entries, template, header);
  if (paired === undefined) return undefined;
  const slots = paired.list.map(([placeholder, column]) => {
    let index = header.indexOf(column);
    if (index < 0 && column === 'name' && nameColumn !== undefined) index = nameColumn;
    if (index < 0) {
      const how = paired.named ? `add a column "${column}", or map it: --param ${placeholder}=<column> (JSON "params": ["${placeholder}=<column>"])` : `add a column "${column}", or give the columns in order: --param <column> for each placeholder (JSON "params")`;
      throw new ContactListError(`The template's body parameter {{${placeholder}}} is filled from the column "${column}", but the contact list has no such column (columns: ${header.join(', ')}): ${how}.`);
    }
    return { placeholder, column: header[index]!, index };
  });
  return { named: paired.named, slots };
}

/** The row's parameters, or why the row cannot be sent. */
export function rowParams(plan: ParamPlan, record: readonly string[]): { params: TemplateBodyParameter[] } | { problem: string } {
  const params: TemplateBodyParameter[] = [];
  for (const s of plan.slots) {
    const text = record[s.index] ?? '';
    const where = `"${s.column}" (column ${s.index + 1}), the template's body parameter {{${s.placeholder}}}`;
    // an empty cell gets the row's own fix; every other value the shared check's message
    if (text === '') return { problem: `${where} is empty; fill it in or remove the row (${EMPTY_PARAM_RULE})` };
    const bad = paramValueProblem(text);
    if (bad !== undefined) return { problem: `${where} ${bad}` };
    params.push(plan.named ? { name: s.placeholder, text } : { text });
  }
  return { params };
}

/**
 * The key under which a recipient's resolved parameters are kept in its
 * stored `vars` (a JSON array of `{ text, name? }`). CSV columns are keyed
 * by `normaliseHeader`, which lower-cases and turns spaces into `_`, so no
 * column can collide with this upper-case name holding a space.
 */
const BODY_PARAMETERS_KEY = 'BODY PARAMETERS';

/** `vars` with the parameters stored. */
export function withStoredParams(vars: Readonly<Record<string, string>>, params: readonly TemplateBodyParameter[] | undefined): Record<string, string> {
  return params === undefined || params.length === 0 ? { ...vars } : { ...vars, [BODY_PARAMETERS_KEY]: JSON.stringify(params) };
}

/** The parameters stored by {@link withStoredParams}; undefined when none. */
export function storedParams(vars: Readonly<Record<string, string>>): TemplateBodyParameter[] | undefined {
  const raw = vars[BODY_PARAMETERS_KEY];
  if (raw === undefined) return undefined;
  const parsed = JSON.parse(raw) as Array<{ text: string; name?: string }>;
  return parsed.map((p) => (p.name === undefined ? { text: p.text } : { name: p.name, text: p.text }));
}
