import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staticFlow } from './cases/base.js';
import { validateFlow } from './validate-flow.js';
import { MAX_FLOW_JSON_BYTES, validateFlowText } from './validate-text.js';

/** 1-based line of the first occurrence of `needle`. */
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('validateFlowText', () => {
  it('turns a parse error into one INVALID_FLOW_JSON finding at the error position', () => {
    const text = '{\n  "version": "7.3",\n  "screens": [,]\n}';
    const result = validateFlowText(text);
    expect(result.valid).toBe(false);
    expect(result.version).toBeUndefined();
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ code: 'INVALID_FLOW_JSON', severity: 'error', pointer: '' });
    expect(finding!.message).toMatch(/^Flow JSON is not valid\. Unexpected token ',' at line 3, column 15/);
    expect(finding!.span).toEqual({ line_start: 3, column_start: 15, line_end: 3, column_end: 16 });
  });

  it('explains a byte order mark, which JSON.parse rejects too', () => {
    const [finding] = validateFlowText(`\uFEFF${JSON.stringify(staticFlow())}`).findings;
    expect(finding?.code).toBe('INVALID_FLOW_JSON');
    expect(finding?.message).toContain('byte order mark');
    expect(finding?.span).toMatchObject({ line_start: 1, column_start: 1 });
  });

  it('places findings on the value they point at, unknown-key findings on the key', () => {
    const flow = staticFlow();
    (flow.screens as any)[1].layout.children[0].type = 'TextBodyy';
    const text = JSON.stringify({ ...flow, extra_key: true }, null, 2);
    const result = validateFlowText(text);
    const unknownKey = result.findings.find((f) => f.pointer === '/extra_key');
    expect(unknownKey?.code).toBe('INVALID_PROPERTY_KEY');
    const line = lineOf(text, '"extra_key"');
    expect(unknownKey?.span).toEqual({ line_start: line, column_start: 3, line_end: line, column_end: 3 + '"extra_key"'.length });
    const badType = result.findings.find((f) => f.pointer === '/screens/1/layout/children/0/type');
    if (badType) {
      // Only once the structural rules report it; then it sits on the value, as in Meta's own example.
      const typeLine = lineOf(text, '"TextBodyy"');
      const column = text.split('\n')[typeLine - 1]!.indexOf('"TextBodyy"') + 1;
      expect(badType.span).toEqual({ line_start: typeLine, column_start: column, line_end: typeLine, column_end: column + '"TextBodyy"'.length });
    }
  });

  it('places a finding about a missing key on the nearest existing ancestor', () => {
    const flow = staticFlow();
    delete flow.screens;
    const text = JSON.stringify(flow, null, 2);
    const finding = validateFlowText(text).findings.find((f) => f.code === 'MISSING_REQUIRED_TYPE_PROPERTY');
    expect(finding?.pointer).toBe('');
    expect(finding?.span).toEqual({ line_start: 1, column_start: 1, line_end: text.split('\n').length, column_end: 2 });
  });

  it('warns about duplicate keys without failing the flow', () => {
    const text = JSON.stringify(staticFlow(), null, 2).replace('"version": "7.3"', '"version": "6.0",\n  "version": "7.3"');
    const result = validateFlowText(text);
    expect(result.valid).toBe(validateFlow(staticFlow()).valid);
    const line = lineOf(text, '"version": "7.3"');
    expect(result.findings).toContainEqual(
      expect.objectContaining({ code: 'FB_DUPLICATE_KEY', severity: 'warning', pointer: '/version', span: { line_start: line, column_start: 3, line_end: line, column_end: 12 } }),
    );
    expect(result.version).toBe('7.3');
  });

  it('rejects text over 10 MB, counting UTF-8 bytes', () => {
    const flow = JSON.stringify(staticFlow());
    const padded = flow + ' '.repeat(MAX_FLOW_JSON_BYTES + 1 - flow.length);
    expect(validateFlowText(padded).findings.map((f) => f.code)).toContain('FB_FLOW_JSON_TOO_LARGE');
    const exact = flow + ' '.repeat(MAX_FLOW_JSON_BYTES - flow.length);
    expect(validateFlowText(exact).findings.map((f) => f.code)).not.toContain('FB_FLOW_JSON_TOO_LARGE');
    // 4M two-byte characters: 4M UTF-16 units but 8M bytes, under the limit.
    const wide = JSON.stringify({ ...staticFlow(), x: 'é'.repeat(4_000_000) });
    expect(validateFlowText(wide).findings.map((f) => f.code)).not.toContain('FB_FLOW_JSON_TOO_LARGE');
    const wider = JSON.stringify({ ...staticFlow(), x: 'é'.repeat(5_000_001) });
    expect(validateFlowText(wider).findings.map((f) => f.code)).toContain('FB_FLOW_JSON_TOO_LARGE');
  });

  it('reports what validateFlow reports, for any formatting and any removed property', () => {
    const base = staticFlow();
    const paths: string[][] = [];
    const collect = (v: unknown, path: string[]): void => {
      if (v !== null && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          paths.push([...path, k]);
          collect(child, [...path, k]);
        }
      }
    };
    collect(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.constantFrom(0, 1, 2, '\t'), (path, indent) => {
        const flow = structuredClone(base);
        let parent: any = flow;
        for (const k of path.slice(0, -1)) parent = parent[k];
        if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1);
        else delete parent[path[path.length - 1]!];
        const text = JSON.stringify(flow, null, indent);
        const located = validateFlowText(text);
        const plain = validateFlow(flow);
        expect(located.findings.map(({ span: _span, ...f }) => f)).toEqual(plain.findings);
        expect(located.valid).toBe(plain.valid);
        for (const f of located.findings) expect(f.span, f.pointer).toBeDefined();
      }),
      { numRuns: 100 },
    );
  });

  it('validates against the version override', () => {
    const result = validateFlowText(JSON.stringify(staticFlow('7.3')), { versionOverride: '4.0' });
    expect(result.version).toBe('4.0');
    expect(result.findings.map((f) => f.code)).toContain('FB_FROZEN_FLOW_JSON_VERSION');
  });
});
