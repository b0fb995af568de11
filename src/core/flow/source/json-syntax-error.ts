/**
 * The error the source-aware JSON parser throws: a SyntaxError (so callers
 * that expect JSON.parse's error type keep working) that also carries where
 * the text went wrong, 1-based, for messages like Meta's `validation_errors`.
 * @module
 */
import { LineIndex } from './line-index.js';

/** A JSON syntax error with its position in the text. */
export class JsonSyntaxError extends SyntaxError {
  override readonly name = 'JsonSyntaxError';

  constructor(
    /** The problem, e.g. "Unexpected token '}'". */
    readonly problem: string,
    /** What the grammar wanted there, e.g. "expected a property name". */
    readonly expected: string,
    /** 0-based offset of the offending character (text length at end of input). */
    readonly offset: number,
    /** 1-based line. */
    readonly line: number,
    /** 1-based column, in UTF-16 code units. */
    readonly column: number,
  ) {
    super(`${problem} at line ${line}, column ${column}: ${expected}`);
  }

  /** Build the error for `offset` in `text`. */
  static at(text: string, offset: number, problem: string, expected: string): JsonSyntaxError {
    const { line, column } = new LineIndex(text).position(offset);
    return new JsonSyntaxError(problem, expected, offset, line, column);
  }

  /** The error for an unexpected character (or the end of input) at `offset`. */
  static unexpected(text: string, offset: number, expected: string): JsonSyntaxError {
    if (offset >= text.length) return JsonSyntaxError.at(text, offset, 'Unexpected end of JSON input', expected);
    return JsonSyntaxError.at(text, offset, `Unexpected token ${describeChar(text.charCodeAt(offset))}`, expected);
  }
}

/** `'}'` for printable characters, `U+000A` style for invisible ones. */
function describeChar(code: number): string {
  if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff) || code === 0xfeff) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${String.fromCharCode(code)}'`;
}
