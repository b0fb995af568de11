import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from './parse-flow.js';

const minimal = { version: '7.3', screens: [{ id: 'A', layout: { type: 'SingleColumnLayout', children: [] } }] };

describe('parseFlow', () => {
  it('reads text into the model without renaming keys', () => {
    const r = parseFlow(JSON.stringify({ ...minimal, routing_model: { A: [] }, data_api_version: '4.0' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.flow.routing_model).toEqual({ A: [] });
    expect(r.flow.data_api_version).toBe('4.0');
    expect(r.flow.screens[0]?.layout.type).toBe('SingleColumnLayout');
  });

  it('keeps unknown keys', () => {
    const r = parseFlow({ ...minimal, custom_key: { deep: [1, 2] } });
    expect(r.ok && (r.flow as unknown as Record<string, unknown>).custom_key).toEqual({ deep: [1, 2] });
  });

  it('copies a value input so edits to the model never reach the caller', () => {
    const input = structuredClone(minimal);
    const r = parseFlow(input);
    if (!r.ok) throw new Error(r.message);
    r.flow.screens[0]!.id = 'CHANGED';
    expect(input.screens[0]!.id).toBe('A');
  });

  it('reports malformed input as data, naming the problem', () => {
    const bad = parseFlow('{ "version": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/not valid/);
    const arr = parseFlow([]);
    expect(!arr.ok && arr.message).toMatch(/object, but found array/);
    const noVersion = parseFlow({ screens: [] });
    expect(!noVersion.ok && noVersion.message).toMatch(/'version'/);
    const noScreens = parseFlow({ version: '7.3', screens: {} });
    expect(!noScreens.ok && noScreens.message).toMatch(/'screens'/);
    const badScreen = parseFlow({ version: '7.3', screens: [{}, 3] });
    expect(!badScreen.ok && badScreen.message).toMatch(/\/screens\/1/);
  });

  it('never throws and accepts exactly the documents with the outline (property)', () => {
    const outline = (v: unknown): boolean =>
      typeof v === 'object' && v !== null && !Array.isArray(v) &&
      typeof (v as Record<string, unknown>).version === 'string' &&
      Array.isArray((v as Record<string, unknown>).screens) &&
      ((v as Record<string, unknown>).screens as unknown[]).every((s) => typeof s === 'object' && s !== null && !Array.isArray(s));
    const candidate = fc.oneof(
      fc.jsonValue(),
      fc.record({ version: fc.oneof(fc.string(), fc.integer()), screens: fc.array(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.integer()), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(candidate, fc.boolean(), (value, asText) => {
        const r = parseFlow(asText ? JSON.stringify(value) : value);
        expect(r.ok).toBe(outline(JSON.parse(JSON.stringify(value))));
        if (r.ok) expect(JSON.stringify(r.flow)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string(), (text) => { expect(() => parseFlow(text)).not.toThrow(); }), { numRuns: 300 });
  });
});
