import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formModelSchema } from './form-model.js';
import { parseFormModelFile, validateFormModel } from './parse-form-model-file.js';

const minimal = {
  id: 'f', title: 'Form',
  pages: [{ id: 'p1', fields: [{ id: 'a', key: 'a_key', type: 'short_text', label: 'A' }] }],
};

function errorPaths(value: unknown): string[] {
  const r = validateFormModel(value);
  return r.ok ? [] : r.errors.map((e) => e.path);
}

describe('formModelSchema', () => {
  it('fills defaults: file source, optional fields, required false', () => {
    const m = formModelSchema.parse(minimal);
    expect(m.source).toEqual({ system: 'file' });
    expect(m.pages[0]?.fields[0]?.required).toBe(false);
  });

  it('reports bad values with their paths', () => {
    const bad = structuredClone(minimal) as Record<string, any>;
    bad.pages[0].fields.push({ id: 'b', key: 'b', type: 'single_choice', label: 'B' });
    bad.pages[0].fields.push({ id: 'c', key: 'c', type: 'colour', label: 'C' });
    bad.pages[0].fields.push({ id: 'a', key: 'd', type: 'short_text', label: 'D', validation: { pattern: '(' } });
    expect(errorPaths(bad)).toEqual(expect.arrayContaining(['pages[0].fields[1].options', 'pages[0].fields[2].type', 'pages[0].fields[3].validation.pattern']));
  });

  it('checks cross references: duplicate ids, unknown fields in conditions, unknown jump targets', () => {
    const bad = structuredClone(minimal) as Record<string, any>;
    bad.pages.push({ id: 'p1', fields: [{ id: 'a', key: 'x', type: 'email', label: 'E', visibleWhen: { op: 'answered', field: 'nope' } }], jumps: [{ to: 'nowhere' }] });
    expect(errorPaths(bad)).toEqual(expect.arrayContaining(['pages[1].id', 'pages[1].fields[0].id', 'pages[1].fields[0].visibleWhen', 'pages[1].jumps[0].to']));
  });

  it('rejects unknown keys and malformed conditions', () => {
    expect(errorPaths({ ...minimal, colour: 'red' })).toEqual(['']);
    const bad = structuredClone(minimal) as Record<string, any>;
    bad.pages[0].fields[0].visibleWhen = { op: 'and', conditions: [] };
    expect(errorPaths(bad)).toEqual(['pages[0].fields[0].visibleWhen.conditions']);
  });
});

describe('parseFormModelFile', () => {
  it('reads the documented YAML example', () => {
    const r = parseFormModelFile(readFileSync('examples/forms/event-signup.yaml', 'utf8'), 'yaml', parse);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.model.pages.map((p) => p.id)).toEqual(['about', 'team', 'preferences']);
  });

  it('reads JSON, and explains unparseable text and a missing YAML parser', () => {
    expect(parseFormModelFile(JSON.stringify(minimal), 'json').ok).toBe(true);
    const broken = parseFormModelFile('{"id":', 'json');
    expect(broken.ok ? [] : broken.errors.map((e) => e.path)).toEqual(['']);
    const noParser = parseFormModelFile('id: x', 'yaml');
    expect(noParser.ok).toBe(false);
  });

  it('round-trips any valid model through JSON and YAML text (property)', () => {
    const field = fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), key: fc.string({ minLength: 1, maxLength: 10 }),
      type: fc.constantFrom('short_text', 'email', 'number', 'date', 'consent'), label: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
      required: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(field, { selector: (f) => f.id, minLength: 1, maxLength: 10 }), (fields) => {
        const model = formModelSchema.parse({ id: 'x', title: 'T', pages: [{ id: 'p', fields }] });
        const fromJson = parseFormModelFile(JSON.stringify(model), 'json');
        expect(fromJson).toEqual({ ok: true, model });
        expect(parseFormModelFile(stringify(model), 'yaml', parse)).toEqual({ ok: true, model });
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const r = parseFormModelFile(text, 'json');
        expect(typeof r.ok).toBe('boolean');
        // Random text has unknown tags and directives: yaml's parse would write a process warning for each
        // (the server reads YAML through services/yaml-text.ts, which refuses them).
        const y = parseFormModelFile(text, 'yaml', (t) => parse(t, { logLevel: 'error' }));
        expect(typeof y.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
