import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonValues } from './parse-json-values.js';
import { parseJsonWithSource } from './parse-json-with-source.js';
import { scanPositions } from './scan-positions.js';

const ws = fc.constantFrom('', ' ', '\n  ', '\r\n', '\t');
/** Keys chosen to collide: the same key spelt raw and with escapes, and near misses. */
const rawKey = fc.constantFrom('"a"', '"\\u0061"', '"b"', '"a\\"b"', '"a\\\\"', '"\\\\"', '"__proto__"', '"é"', '"\\u00e9"', '"ab"', '"ba"', '""');
const scalar = fc.oneof(
  fc.constantFrom('true', 'false', 'null', '0', '-1.5e3', '"x"', '"\\"q\\\\"', '"${data.a}"'),
  fc.integer().map(String),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);

/** Random JSON text (as text, so objects can repeat keys) with random whitespace. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(fc.tuple(ws, tie('v'), ws), { maxLength: 4 }).map((items) => `[${items.map((p) => p.join('')).join(',')}]`),
    fc
      .array(fc.tuple(ws, rawKey, ws, ws, tie('v'), ws), { maxLength: 30 })
      .map((members) => `{${members.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(',')}}`),
  ),
})).v;

describe('scanPositions', () => {
  it('finds the same positions and repeated keys as the value-building parser', () => {
    fc.assert(
      fc.property(ws, jsonText, ws, (before, body, after) => {
        const text = before + body + after;
        const fast = parseJsonWithSource(text);
        const reference = parseJsonValues(text);
        expect(fast.value).toEqual(reference.value);
        expect(fast.duplicateKeys).toEqual(reference.duplicateKeys);
        const pointers = [...reference.map.pointers()];
        expect([...fast.map.pointers()]).toEqual(pointers);
        for (const pointer of pointers) {
          expect(fast.map.valueRange(pointer)).toEqual(reference.map.valueRange(pointer));
          expect(fast.map.keyRange(pointer)).toEqual(reference.map.keyRange(pointer));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reports every repeat of a key, escaped spellings included, in the order JSON.parse overwrites them', () => {
    const text = '{"a": {"b": 1, "\\u0062": 2}, "c": [], "\\u0061": 3, "a": {"d": 1, "d": {}}}';
    const { nodes, duplicates } = scanPositions(text);
    const at = duplicates.map((node) => text.slice(nodes.start(node), nodes.end(node)));
    expect(at).toEqual(['2', '3', '{}', '{"d": 1, "d": {}}']);
  });

  it('records one node per value, for a root scalar too', () => {
    expect(scanPositions(' "a\\"]" ').nodes.count).toBe(1);
    expect(scanPositions('[1, [true, null], {"k": -0.5}]').nodes.count).toBe(7);
  });
});
