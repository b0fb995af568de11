import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseYamlText } from './yaml-text.js';

afterEach(() => { vi.restoreAllMocks(); });

describe('parseYamlText', () => {
  it('reads a plain YAML file', () => {
    expect(parseYamlText('flows:\n  - id: a\n    keyword: JOIN\n')).toEqual({ flows: [{ id: 'a', keyword: 'JOIN' }] });
    expect(parseYamlText('')).toBeNull();
  });

  it('refuses an unknown tag with its line and column instead of reading it as a string', () => {
    expect(() => parseYamlText('flows:\n  - form: !include other.yaml\n')).toThrow(/Unresolved tag: !include at line 2, column 11[\s\S]*write the value itself/);
  });

  it('refuses duplicate keys, a collection as a key, several documents and bad syntax, each with where', () => {
    expect(() => parseYamlText('a: 1\na: 2\n')).toThrow(/Map keys must be unique at line 2, column 1[\s\S]*remove or rename the second/);
    expect(() => parseYamlText('x:\n  ? [a, b]\n  : 1\n')).toThrow(/list or a map cannot be read at line 2, column 5/);
    expect(() => parseYamlText('a: 1\n---\nb: 2\n')).toThrow('more than one YAML document (the second starts at line 2, column 1)');
    expect(() => parseYamlText('a: [1, 2\n')).toThrow(/line \d+, column \d+/);
    // A list as a key through an alias, which yaml would also turn into text with a process warning.
    expect(() => parseYamlText('a: &x [1, 2]\n*x : 1\n')).toThrow('A key that is a list or a map cannot be read at line 2, column 1');
  });

  it('never quotes the offending line, which may hold a secret', () => {
    for (const text of ['token: !secret hunter2-secret\n', 'token: hunter2-secret\ntoken: hunter2-secret\n', 'token: [hunter2-secret\n']) {
      expect(() => parseYamlText(text)).toThrow(/line \d+, column \d+/);
      try { parseYamlText(text); } catch (err) { expect((err as Error).message).not.toContain('hunter2'); }
    }
  });

  it('reads every JSON text as the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const normal = JSON.parse(JSON.stringify(value)) as unknown;
      expect(parseYamlText(JSON.stringify(value))).toEqual(normal);
      expect(parseYamlText(JSON.stringify(value, null, 2))).toEqual(normal);
    }));
  });

  it('on any text, returns a value or throws an Error, and never writes a process warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', ':', ' ', '\n', '-', '!', '&', '*', '[', ']', '{', '}', '?', '#', '|', '>', '"', "'", '%', '@', '1') , maxLength: 40 }), (text) => {
      try { parseYamlText(text); } catch (err) { expect(err).toBeInstanceOf(Error); }
    }), { numRuns: 2000 });
    expect(warn).not.toHaveBeenCalled();
  });
});
