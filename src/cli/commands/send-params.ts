/**
 * `flowbridge send --param …`: the template body's parameter values, read
 * from the repeated option and checked before anything is sent.
 *
 * Syntax:
 * - `--param Ann --param Delft`: positional `{{1}}`, `{{2}}`…, in order;
 * - `--param first_name=Ann --param city=Delft`: named `{{first_name}}`…
 *   (split at the first `=`; the value may hold more `=`);
 * - a literal `=` in a positional value is written `\=`
 *   (`--param 'x\=1'` sends `x=1`), and `\\` is one backslash; any other
 *   backslash is kept as it is.
 *
 * The values pass the same checks as a broadcast's
 * (`services/template-body-params.ts`); a problem is a usage error naming
 * the `--param` by position.
 * @module
 */
import type { TemplateBodyParameter } from '../../services/flow-sender.js';
import { bodyParameterProblem, unwrapPlaceholder } from '../../services/template-body-params.js';
import { CliUsageError } from './messaging-context.js';

/** Help text of the option (after `flowbridge send --help`). */
export const PARAM_HELP = `
Template body parameters (template sends; an interactive send has none):
  positional {{1}} {{2}}…  --param Ann --param Delft        (in order)
  named {{first_name}}     --param first_name=Ann --param city=Delft
  A literal "=" in a positional value is written \\= (--param 'x\\=1' sends x=1);
  \\\\ is one backslash. Give every --param a name, or none.`;

/** Commander's collector for a repeatable option. */
export const collectParam = (value: string, previous: string[]): string[] => [...previous, value];

/** `raw` split at its first unescaped `=` and unescaped: [name, text] or [undefined, text]. */
export function splitParam(raw: string): [string | undefined, string] {
  let name: string | undefined;
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    const next = raw[i + 1];
    if (c === '\\' && (next === '=' || next === '\\')) {
      text += next;
      i++;
    } else if (c === '=' && name === undefined) {
      name = text;
      text = '';
    } else {
      text += c;
    }
  }
  return [name === undefined ? undefined : unwrapPlaceholder(name), text];
}

const FIX = 'Fix: write every --param as name=value (named template, {{first_name}}) or none of them (positional template, values in order); write a literal "=" in a positional value as \\=.';

/**
 * The body parameters of `--param` entries.
 * @throws CliUsageError naming the entry and the rule it breaks.
 */
export function parseSendParams(entries: readonly string[]): TemplateBodyParameter[] {
  const params = entries.map((raw): TemplateBodyParameter => {
    const [name, text] = splitParam(raw);
    return name === undefined ? { text } : { name, text };
  });
  const problem = bodyParameterProblem(params);
  if (problem === undefined) return params;
  const raw = entries[problem.index]!;
  const label = `--param ${problem.index + 1} (${JSON.stringify(raw)})`;
  const fix = problem.field === 'name' ? ` ${FIX}` : '';
  throw new CliUsageError(`${label} ${problem.message}.${fix}`);
}
