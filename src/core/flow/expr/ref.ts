/**
 * Dynamic references of Flow JSON: `${data.k}`, `${form.name}` and, from
 * Flow JSON 4.0, the global `${screen.<ID>.data.k}` / `${screen.<ID>.form.name}`
 * (Meta, "Flow JSON" → "Dynamic properties" and "Global dynamic referencing").
 * @module
 */

/** What a `${...}` reference points at. `path` is never empty. */
export type Ref =
  | { kind: 'data'; path: string[] }
  | { kind: 'form'; path: string[] }
  | { kind: 'screen'; screen: string; source: 'data' | 'form'; path: string[] };

/**
 * One path segment: ASCII letters, digits, `_` and `-`. Meta does not publish
 * the grammar; these are the characters data keys and component names use in
 * every published example, and excluding operators keeps `${data.a}-1` unambiguous.
 */
function isSegmentChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 // -
  );
}

/** Split on dots; undefined when a segment is empty or holds another character. Hot path: no regex. */
function segments(body: string): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i <= body.length; i++) {
    const code = i < body.length ? body.charCodeAt(i) : 46;
    if (code === 46 /* . */) {
      if (i === from) return undefined;
      parts.push(body.slice(from, i));
      from = i + 1;
    } else if (!isSegmentChar(code)) {
      return undefined;
    }
  }
  return parts;
}

/** Parse the inside of `${...}` (without the delimiters). */
export function parseRefBody(body: string): Ref | undefined {
  const parts = segments(body);
  if (!parts) return undefined;
  const root = parts[0];
  if ((root === 'data' || root === 'form') && parts.length >= 2) return { kind: root, path: parts.slice(1) };
  if (root === 'screen' && parts.length >= 4) {
    const screen = parts[1];
    const source = parts[2];
    if (screen !== undefined && (source === 'data' || source === 'form')) return { kind: 'screen', screen, source, path: parts.slice(3) };
  }
  return undefined;
}

/**
 * Parse a whole-value reference such as `"${data.x}"`; `undefined` for
 * anything else (surrounding text or spaces included), so a `Ref` always
 * round-trips through {@link formatRef}.
 */
export function parseRef(text: string): Ref | undefined {
  if (!text.startsWith('${') || !text.endsWith('}') || text.length < 4) return undefined;
  return parseRefBody(text.slice(2, -1));
}

/** The reference as written in Flow JSON; also a stable key for maps and messages. */
export function formatRef(ref: Ref): string {
  const head = ref.kind === 'screen' ? `screen.${ref.screen}.${ref.source}` : ref.kind;
  return `\${${[head, ...ref.path].join('.')}}`;
}

/** Whether two references name the same value. */
export function sameRef(a: Ref, b: Ref): boolean {
  return formatRef(a) === formatRef(b);
}
