import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePointer } from '../finding.js';
import { JsonSyntaxError } from './json-syntax-error.js';
import { LineIndex } from './line-index.js';
import { parseJsonWithSource } from './parse-json-with-source.js';

/** The value a pointer names inside a plain JSON value. */
function valueAt(root: unknown, pointer: string): unknown {
  let at: any = root;
  for (const segment of parsePointer(pointer)) at = Array.isArray(at) ? at[Number(segment)] : at[segment];
  return at;
}

const whitespace = fc.array(fc.constantFrom(' ', '\t', '\n', '\r\n', '\r'), { maxLength: 3 }).map((w) => w.join(''));

/** Serialise with random whitespace around every token (drawn from `ws`). */
function serialise(value: unknown, ws: () => string): string {
  if (Array.isArray(value)) return `[${ws()}${value.map((v) => `${ws()}${serialise(v, ws)}${ws()}`).join(',')}${ws()}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([k, v]) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${serialise(v, ws)}${ws()}`);
    return `{${ws()}${members.join(',')}${ws()}}`;
  }
  return JSON.stringify(value);
}

const jsonText = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.infiniteStream(whitespace), whitespace, whitespace)
  .map(([value, stream, before, after]) => {
    const it = stream[Symbol.iterator]();
    return before + serialise(value, () => String(it.next().value ?? '')) + after;
  });

describe('parseJsonWithSource', () => {
  it('returns the same value as JSON.parse for random JSON with random whitespace', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expect(parseJsonWithSource(text).value).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('gives every pointer a span whose text re-parses to the value there (and keys to their key)', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const { value, map } = parseJsonWithSource(text);
        const lines = new LineIndex(text);
        let count = 0;
        for (const pointer of map.pointers()) {
          count++;
          const span = map.valueSpan(pointer);
          expect(span).toBeDefined();
          expect(JSON.parse(lines.slice(span!))).toEqual(valueAt(value, pointer));
          const segments = parsePointer(pointer);
          const keySpan = map.keySpan(pointer);
          if (keySpan) expect(JSON.parse(lines.slice(keySpan))).toBe(segments[segments.length - 1]);
        }
        expect(count).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('throws exactly when JSON.parse throws (fuzz)', () => {
    const alphabet = fc.constantFrom(...'{}[]:,"\\ \n\t0123456789-+.eEtruefalsnlx/u\u0001\u2028\uD800ab'.split(''));
    const mutated = fc.tuple(jsonText, fc.nat(), fc.nat(3), fc.string({ unit: alphabet, maxLength: 3 })).map(
      ([text, at, remove, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + remove),
    );
    const candidate = fc.oneof(fc.string({ unit: alphabet, maxLength: 12 }), mutated, fc.string());
    fc.assert(
      fc.property(candidate, (text) => {
        let expected: unknown;
        let jsonThrows = false;
        try {
          expected = JSON.parse(text);
        } catch {
          jsonThrows = true;
        }
        if (jsonThrows) expect(() => parseJsonWithSource(text)).toThrow(JsonSyntaxError);
        else expect(parseJsonWithSource(text).value).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('reports syntax errors with 1-based line and column', () => {
    const cases: Array<[string, number, number, RegExp]> = [
      ['{\n  "a": 1,\n  "b": 2,\n}', 4, 1, /^Unexpected token '}' at line 4, column 1: expected a property name$/],
      ['[1, 2', 1, 6, /^Unexpected end of JSON input at line 1, column 6/],
      ['{"a" 1}', 1, 6, /expected ':'/],
      ['\r\n"\\q"', 2, 3, /^Bad escaped character at line 2, column 3/],
      ['["a\u0001"]', 1, 4, /Bad control character/],
      ['[01]', 1, 3, /expected ',' or ']'/],
      ['// c\n{}', 1, 1, /Unexpected token '\/'/],
      ["{'a': 1}", 1, 2, /expected a property name or '}'/],
      ['\uFEFF{}', 1, 1, /U\+FEFF/],
    ];
    for (const [text, line, column, message] of cases) {
      let error: unknown;
      try {
        parseJsonWithSource(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(JsonSyntaxError);
      const e = error as JsonSyntaxError;
      expect([e.line, e.column], text).toEqual([line, column]);
      expect(e.message, text).toMatch(message);
    }
  });

  it('keeps the last of duplicate keys, in the first key position, and reports the repeat', () => {
    const text = '{\n  "a": 1,\n  "b": 2,\n  "a": [3]\n}';
    const { value, duplicateKeys, map } = parseJsonWithSource(text);
    expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(text)));
    expect(duplicateKeys).toEqual([{ key: 'a', pointer: '/a', span: { line_start: 4, column_start: 3, line_end: 4, column_end: 6 } }]);
    expect(map.valueSpan('/a/0')).toEqual({ line_start: 4, column_start: 9, line_end: 4, column_end: 10 });
  });

  it('stores __proto__ as an own property, as JSON.parse does', () => {
    const text = '{"__proto__": {"polluted": true}, "x": 1}';
    const { value } = parseJsonWithSource(text);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(Object.keys(JSON.parse(text) as object));
    expect((value as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('parses nesting far deeper than a recursive parser could', () => {
    const depth = 200_000;
    const text = '['.repeat(depth) + ']'.repeat(depth);
    const { map } = parseJsonWithSource(text);
    expect(map.valueRange(`/0`.repeat(depth - 1))).toEqual({ start: depth - 1, end: depth + 1 });
  });

  it('resolves missing pointers to their nearest existing ancestor', () => {
    const text = '{\n  "screens": [\n    { "id": "A" }\n  ]\n}';
    const { map } = parseJsonWithSource(text);
    expect(map.locate('/screens/0/layout/children')).toEqual({
      pointer: '/screens/0',
      exact: false,
      span: { line_start: 3, column_start: 5, line_end: 3, column_end: 18 },
      keySpan: undefined,
    });
    expect(map.locate('/screens/0/id')).toEqual({
      pointer: '/screens/0/id',
      exact: true,
      span: { line_start: 3, column_start: 13, line_end: 3, column_end: 16 },
      keySpan: { line_start: 3, column_start: 7, line_end: 3, column_end: 11 },
    });
    expect(map.locate('/screens/7').pointer).toBe('/screens');
    expect(map.find('/screens/00')).toBe(-1);
  });

  it('finds members whose keys need pointer or JSON escaping', () => {
    const text = '{"a/b": {"m~n": 1, "q\\"r\\u0021": [true]}}';
    const { map } = parseJsonWithSource(text);
    expect([...map.pointers()]).toEqual(['', '/a~1b', '/a~1b/m~0n', '/a~1b/q"r!', '/a~1b/q"r!/0']);
    expect(map.valueRange('/a~1b/m~0n')).toEqual({ start: text.indexOf('1'), end: text.indexOf('1') + 1 });
    const key = map.keyRange('/a~1b/q"r!')!;
    expect(text.slice(key.start, key.end)).toBe('"q\\"r\\u0021"');
    expect(map.valueRange('/a~1b/q"r!/0')).toEqual({ start: text.indexOf('true'), end: text.indexOf('true') + 4 });
    expect(map.find('/a/b')).toBe(-1);
  });

  it('accepts what JSON.parse accepts at the edges: lone surrogates, escapes, exponents, -0', () => {
    const texts = ['"\\ud800"', '"\uDC00x"', '"\\u00e9\\/\\b\\f\\n\\r\\t"', '[-0, 1E+2, 1e-7, 0.5, 1e400]', ' \t\r\n null \n'];
    for (const text of texts) expect(Object.is(JSON.stringify(parseJsonWithSource(text).value), JSON.stringify(JSON.parse(text))), text).toBe(true);
    expect(Object.is((parseJsonWithSource('[-0]').value as number[])[0], -0)).toBe(true);
  });
});
