/**
 * Low-level JSON token readers over a string, by char code, with the exact
 * grammar of ECMA-404 / JSON.parse: whitespace is only space, tab, LF and CR;
 * numbers have no leading zeros, `+`, bare `.`; strings reject raw control
 * characters and unknown escapes but allow lone surrogates (as JSON.parse does).
 * @module
 */
import { JsonSyntaxError } from './json-syntax-error.js';

const QUOTE = 34;
const BACKSLASH = 92;

/** A read position in a JSON text; every reader advances `pos` past what it read. */
export class JsonCursor {
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}

  /** Skip JSON whitespace; returns the char code at the new position (NaN at end). */
  skipWhitespace(): number {
    const text = this.text;
    let pos = this.pos;
    let c = text.charCodeAt(pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++pos);
    this.pos = pos;
    return c;
  }

  /** Throw the positioned error for the character at `pos`. */
  fail(expected: string, at = this.pos): never {
    throw JsonSyntaxError.unexpected(this.text, at, expected);
  }

  /** Read a string literal; `pos` is on its opening quote. */
  readString(): string {
    const text = this.text;
    const start = this.pos + 1;
    let pos = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === BACKSLASH) break;
      if (c < 0x20 || pos >= text.length) this.badStringChar(pos);
      pos++;
    }
    return this.readEscapedString(start, pos);
  }

  /** Slow path of {@link readString}, from the first backslash at `pos`. */
  private readEscapedString(start: number, firstEscape: number): string {
    const text = this.text;
    let out = text.slice(start, firstEscape);
    let pos = firstEscape;
    let segment = pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.pos = pos + 1;
        return out + text.slice(segment, pos);
      }
      if (c === BACKSLASH) {
        out += text.slice(segment, pos);
        out += this.readEscape(pos);
        pos += text.charCodeAt(pos + 1) === 117 ? 6 : 2;
        segment = pos;
        continue;
      }
      if (c < 0x20 || pos >= text.length) this.badStringChar(pos);
      pos++;
    }
  }

  /** The character an escape sequence at `pos` (on the backslash) stands for. */
  private readEscape(pos: number): string {
    const c = this.text.charCodeAt(pos + 1);
    switch (c) {
      case 34: return '"';
      case 92: return '\\';
      case 47: return '/';
      case 98: return '\b';
      case 102: return '\f';
      case 110: return '\n';
      case 114: return '\r';
      case 116: return '\t';
      case 117: {
        let code = 0;
        for (let k = pos + 2; k < pos + 6; k++) {
          const h = hexValue(this.text.charCodeAt(k));
          if (h < 0) throw JsonSyntaxError.unexpected(this.text, k, 'expected a hexadecimal digit in a \\u escape');
          code = code * 16 + h;
        }
        return String.fromCharCode(code);
      }
      default:
        if (pos + 1 >= this.text.length) this.fail('expected an escape character after \\', pos + 1);
        throw JsonSyntaxError.at(this.text, pos + 1, 'Bad escaped character', 'expected one of " \\ / b f n r t u after \\');
    }
  }

  private badStringChar(pos: number): never {
    if (pos >= this.text.length) this.fail("expected '\"' to close the string", pos);
    throw JsonSyntaxError.at(this.text, pos, 'Bad control character in string literal', 'control characters must be escaped');
  }

  /** Read a number; `pos` is on its first character (`-` or a digit). */
  readNumber(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let c = text.charCodeAt(pos);
    if (c === 45) c = text.charCodeAt(++pos);
    if (c === 48) c = text.charCodeAt(++pos);
    else if (c >= 49 && c <= 57) {
      do c = text.charCodeAt(++pos);
      while (c >= 48 && c <= 57);
    } else this.fail('expected a digit', pos);
    if (c === 46) {
      c = text.charCodeAt(++pos);
      if (!(c >= 48 && c <= 57)) this.fail("expected a digit after '.'", pos);
      do c = text.charCodeAt(++pos);
      while (c >= 48 && c <= 57);
    }
    if (c === 101 || c === 69) {
      c = text.charCodeAt(++pos);
      if (c === 43 || c === 45) c = text.charCodeAt(++pos);
      if (!(c >= 48 && c <= 57)) this.fail('expected a digit in the exponent', pos);
      do c = text.charCodeAt(++pos);
      while (c >= 48 && c <= 57);
    }
    this.pos = pos;
    return +text.slice(start, pos);
  }

  /** Read `word` (true, false, null) at `pos` and return `value`, or fail at the first mismatch. */
  readWord<T>(word: string, value: T): T {
    const text = this.text;
    const pos = this.pos;
    for (let k = 0; k < word.length; k++) {
      if (text.charCodeAt(pos + k) !== word.charCodeAt(k)) this.fail(`expected '${word}'`, pos + k);
    }
    this.pos = pos + word.length;
    return value;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
