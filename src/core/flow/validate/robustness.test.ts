/**
 * The whole validator (every layer) never throws, whatever the document:
 * random JSON values put at random places of valid flows and of Meta's
 * examples, with keys and component types chosen to hit JavaScript's
 * prototype names ("toString", "__proto__", "constructor"…).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPONENTS } from '../spec/catalogue.js';
import { endpointFlow, staticFlow } from './cases/base.js';
import { validateFlow } from './validate-flow.js';

const metaDir = new URL('../../../../../shared/fixtures/meta/', import.meta.url);
const metaFlows = readdirSync(metaDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, metaDir), 'utf8')) as unknown);

const trickyStrings = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'prototype', '', ' ', '${data.x}', '${form.toString}', '`${data.a} + 1`', 'SUCCESS'];
const componentTypes = Object.keys(COMPONENTS);
const key = fc.oneof(fc.constantFrom(...trickyStrings), fc.constantFrom('type', 'name', 'children', 'data', 'payload', 'next', 'routing_model', 'cases', 'then', 'else', 'data-source', 'init-values'), fc.string({ maxLength: 8 }));
const leaf = fc.oneof(fc.constantFrom(...trickyStrings, ...componentTypes), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 10 }));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;

/** Every (container, key) position of a JSON value. */
function positions(doc: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) node.forEach((child, i) => { out.push([node, i]); stack.push(child); });
    else if (typeof node === 'object' && node !== null) {
      for (const [k, child] of Object.entries(node)) { out.push([node as Record<string, unknown>, k]); stack.push(child); }
    }
  }
  return out;
}

const bases = [staticFlow(), endpointFlow(), staticFlow('4.0'), endpointFlow('6.3'), ...metaFlows];

describe('validator robustness', () => {
  it('never throws when a random value replaces or joins any part of a valid flow', () => {
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.nat(), key, value, fc.boolean(), (bi, pi, k, v, replace) => {
        const doc = structuredClone(bases[bi]);
        const spots = positions(doc);
        const [container, at] = spots[pi % spots.length]!;
        if (replace || Array.isArray(container)) (container as any)[at] = v;
        else (container as any)[k] = v;
        const result = validateFlow(doc);
        expect(typeof result.valid).toBe('boolean');
        for (const f of result.findings) expect(f.pointer === '' || f.pointer.startsWith('/')).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on arbitrary documents', () => {
    fc.assert(fc.property(value, (doc) => { validateFlow(doc); validateFlow({ version: '7.3', screens: [doc] }); }), { numRuns: 1000 });
  });

  it('reports an unknown component type named after a prototype member instead of crashing', () => {
    for (const type of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const doc = structuredClone(staticFlow()) as any;
      doc.screens[0].layout.children.unshift({ type });
      const codes = validateFlow(doc).findings.filter((f) => f.severity === 'error').map((f) => f.code);
      expect(codes).toContain('INVALID_ENUM_VALUE');
    }
  });
});
