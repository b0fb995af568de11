import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from './line-index.js';

const text = fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r', '\r\n', ' ', '😀'), maxLength: 60 });

describe('LineIndex', () => {
  it('maps offsets to the line and column a naive count gives', () => {
    fc.assert(
      fc.property(text, fc.nat(), (t, n) => {
        const offset = n % (t.length + 1);
        const before = t.slice(0, offset);
        const breaks = before.match(/\r\n|\r|\n/g) ?? [];
        const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
        // An offset between \r and \n is still on the \r's line.
        const splitCrlf = before.endsWith('\r') && t[offset] === '\n';
        const line = breaks.length + 1 - (splitCrlf ? 1 : 0);
        const position = new LineIndex(t).position(offset);
        expect(position.line).toBe(line);
        if (!splitCrlf) expect(position.column).toBe(offset - lastBreak);
      }),
    );
  });

  it('round-trips offsets through line/column and spans through slice', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, a, b) => {
        const index = new LineIndex(t);
        const [start, end] = [a % (t.length + 1), b % (t.length + 1)].sort((x, y) => x - y) as [number, number];
        const isMidCrlf = (o: number): boolean => t[o - 1] === '\r' && t[o] === '\n';
        fc.pre(!isMidCrlf(start) && !isMidCrlf(end));
        const p = index.position(start);
        expect(index.offset(p.line, p.column)).toBe(start);
        expect(index.slice(index.span(start, end))).toBe(t.slice(start, end));
      }),
    );
  });

  it('counts one line for an empty text and CRLF as one break', () => {
    expect(new LineIndex('').lineCount).toBe(1);
    expect(new LineIndex('a\r\nb\rc\nd').lineCount).toBe(4);
    expect(new LineIndex('a\r\nb').position(3)).toEqual({ line: 2, column: 1 });
  });

  it('maps offsets of big texts (typed line table) like a naive count', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(150), { minLength: 1, maxLength: 400 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.boolean(), (lengths, picks, short) => {
        // Over 64k characters, so the big-text path is taken: one long first line, or (to grow the table) ~40k short lines.
        const lines = short ? Array.from({ length: 40_000 }, (_, i) => 'z'.repeat(1 + ((lengths[i % lengths.length] ?? 0) % 3))) : ['x'.repeat(70_000), ...lengths.map((n) => 'y'.repeat(n))];
        const t = lines.join('\n');
        const index = new LineIndex(t);
        expect(t.length).toBeGreaterThanOrEqual(1 << 16);
        expect(index.lineCount).toBe(lines.length);
        for (const pick of picks) {
          const offset = pick % (t.length + 1);
          const before = t.slice(0, offset);
          expect(index.position(offset)).toEqual({ line: before.split('\n').length, column: offset - before.lastIndexOf('\n') });
        }
      }),
      { numRuns: 30 },
    );
  });
});
