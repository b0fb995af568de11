/**
 * The one way a YAML file of the user's (project file, FormModel file,
 * compile overrides) is read: strictly. `yaml.parse` keeps going past an
 * unknown tag such as `!include` (the value silently becomes a plain
 * string) or a key that is a collection, and only writes a process warning;
 * here every error and every warning is refused with its line and column,
 * so a file never means something other than what its author wrote.
 * @module
 */
import { isAlias, isCollection, isNode, LineCounter, parseDocument, visit } from 'yaml';

/** How to fix the problems a hand-written file is likely to have, by the parser's code. */
const HINTS: Partial<Record<string, string>> = {
  TAG_RESOLVE_FAILED: ' Tags such as !include are not read: write the value itself.',
  DUPLICATE_KEY: ' Each key may appear once in a map: remove or rename the second.',
};

/**
 * The plain value of a single-document YAML text (JSON is YAML too).
 * @throws Error whose message gives the problem, its line and column (never the text of the line, which may hold a secret).
 * @example
 * parseYamlText('flows: []'); // { flows: [] }
 */
export function parseYamlText(text: string): unknown {
  const lineCounter = new LineCounter();
  // Not yaml's prettyErrors: they quote the offending line, which may hold a secret written in the file.
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const where = at(lineCounter, problem.pos[0]);
    if (problem.code === 'MULTIPLE_DOCS') {
      throw new Error(`The file holds more than one YAML document (the second starts ${where}): keep one, without "---" between parts.`);
    }
    throw new Error(`${problem.message} ${where}.${HINTS[problem.code] ?? ''}`);
  }
  // toJS() would turn such a key into text and write a process warning.
  visit(doc, {
    Pair(_, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (!isCollection(key)) return;
      const start = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      throw new Error(`A key that is a list or a map cannot be read ${at(lineCounter, start ?? 0)}: write the key as text.`);
    },
  });
  return doc.toJS();
}

function at(lineCounter: LineCounter, offset: number): string {
  const { line, col } = lineCounter.linePos(offset);
  return `at line ${line}, column ${col}`;
}
