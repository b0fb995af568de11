/**
 * Tokeniser for nested expressions and If conditions. Errors are returned as
 * data with a 1-based column, never thrown.
 * @module
 */
import { parseRefBody, type Ref } from './ref.js';

/** One token; `start` is the 0-based offset in the source text (plus offset). */
export type Token =
  | { kind: 'string'; value: string; start: number }
  | { kind: 'number'; value: number; start: number }
  | { kind: 'boolean'; value: boolean; start: number }
  | { kind: 'ref'; ref: Ref; start: number }
  | { kind: 'op'; op: string; start: number }
  | { kind: 'lparen'; start: number }
  | { kind: 'rparen'; start: number };

/** Tokens, or the first lexical error. */
export type LexResult = { ok: true; tokens: Token[] } | { ok: false; message: string; column: number };

const twoCharOps = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const oneCharOps = new Set(['<', '>', '!', '+', '-', '*', '/', '%']);
const numberPattern = /[0-9]+(?:\.[0-9]+)?/y;
const wordPattern = /[A-Za-z_][A-Za-z0-9_]*/y;

function lexError(offset: number, message: string, at: number): LexResult {
  return { ok: false, message, column: offset + at + 1 };
}

/**
 * Split `text` into tokens. Strings are single-quoted; a backslash escapes the
 * next character (Meta documents `\`` for a backtick; `\'` and `\\` follow the
 * same rule). An unescaped backtick inside the text is an error because it
 * would end the backtick-wrapped value.
 */
export function tokenize(text: string, offset = 0): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', start: offset + i++ });
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', start: offset + i++ });
    } else if (c === "'") {
      const start = i;
      let value = '';
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text.charAt(i);
        if (d === '\\' && i + 1 < text.length) {
          const e = text.charAt(i + 1);
          value += e === "'" || e === '\\' || e === '`' ? e : d + e;
          i += 2;
        } else if (d === "'") {
          closed = true;
          i++;
          break;
        } else if (d === '`') {
          return lexError(offset, `Unescaped backtick at column ${offset + i + 1}: write it as \\\` inside a string`, i);
        } else {
          value += d;
          i++;
        }
      }
      if (!closed) return lexError(offset, `Missing closing quote for the string starting at column ${offset + start + 1}`, start);
      tokens.push({ kind: 'string', value, start: offset + start });
    } else if (c === '$') {
      if (text.charAt(i + 1) !== '{') return lexError(offset, `Unexpected character '$' at column ${offset + i + 1}`, i);
      const close = text.indexOf('}', i + 2);
      if (close < 0) return lexError(offset, `Missing closing '}' for the reference starting at column ${offset + i + 1}`, i);
      const body = text.slice(i + 2, close);
      const ref = parseRefBody(body);
      if (!ref) return lexError(offset, `Invalid reference '\${${body}}' at column ${offset + i + 1}: use \${data.key}, \${form.name} or \${screen.ID.data|form.name}`, i);
      tokens.push({ kind: 'ref', ref, start: offset + i });
      i = close + 1;
    } else if (c >= '0' && c <= '9') {
      numberPattern.lastIndex = i;
      const m = numberPattern.exec(text);
      const lexeme = m ? m[0] : c;
      tokens.push({ kind: 'number', value: Number(lexeme), start: offset + i });
      i += lexeme.length;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_') {
      wordPattern.lastIndex = i;
      const word = wordPattern.exec(text)?.[0] ?? c;
      if (word !== 'true' && word !== 'false') {
        return lexError(offset, `Unknown word '${word}' at column ${offset + i + 1}: strings need single quotes and references \${...}`, i);
      }
      tokens.push({ kind: 'boolean', value: word === 'true', start: offset + i });
      i += word.length;
    } else if (twoCharOps.has(text.slice(i, i + 2))) {
      tokens.push({ kind: 'op', op: text.slice(i, i + 2), start: offset + i });
      i += 2;
    } else if (oneCharOps.has(c)) {
      tokens.push({ kind: 'op', op: c, start: offset + i++ });
    } else if (c === '`') {
      return lexError(offset, `Unescaped backtick at column ${offset + i + 1}: write it as \\\` inside a string`, i);
    } else {
      return lexError(offset, `Unexpected character '${c}' at column ${offset + i + 1}`, i);
    }
  }
  return { ok: true, tokens };
}
