/**
 * Property tests of the validator against random valid flows built by the
 * typed builder (test/arbitraries/flow.ts): (a) they validate with no error,
 * (b) each single mutation that breaks one rule is caught with the right code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitFlowJson } from '../../src/core/flow/model/emit-flow-json.js';
import { parseFlow } from '../../src/core/flow/model/parse-flow.js';
import { validateFlow } from '../../src/core/flow/validate/validate-flow.js';
import { forEachComponentInFlow } from '../../src/core/flow/walk.js';
import { arbitraryFlow, expectedCompleteKeys, optionalCompleteKeys, type GeneratedFlow } from '../arbitraries/flow.js';
import { MUTATIONS } from '../arbitraries/flow-mutations.js';

const errorsOf = (doc: unknown) => validateFlow(doc).findings.filter((f) => f.severity === 'error');
const describeErrors = (g: GeneratedFlow): string =>
  JSON.stringify(errorsOf(g.flow).map((f) => `${f.code} ${f.pointer}: ${f.message}`), null, 1);

describe('random valid flows (test/arbitraries/flow.ts)', () => {
  it('validate with no error', () => {
    fc.assert(
      fc.property(arbitraryFlow({ patterns: true }), (g) => {
        expect(errorsOf(g.flow), describeErrors(g)).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });

  it('validate with no error in the endpoint variant', () => {
    fc.assert(
      fc.property(arbitraryFlow({ endpoint: true, minScreens: 2 }), (g) => {
        expect(g.flow.data_api_version).toBeDefined();
        expect(errorsOf(g.flow), describeErrors(g)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('round-trip through the canonical emitter unchanged', () => {
    fc.assert(
      fc.property(arbitraryFlow({ maxScreens: 4 }), (g) => {
        const parsed = parseFlow(emitFlowJson(g.flow));
        expect(parsed.ok && parsed.flow).toStrictEqual(g.flow);
        expect(emitFlowJson(g.flow, { preserveOrder: true })).toBe(emitFlowJson(g.flow));
      }),
      { numRuns: 60 },
    );
  });

  it('describe themselves consistently (chain, data = incoming payload, complete keys)', () => {
    fc.assert(
      fc.property(arbitraryFlow(), (g) => {
        const ids = g.flow.screens.map((s) => s.id);
        expect(g.screens.map((s) => s.id)).toEqual(ids);
        g.screens.forEach((s, i) => {
          const screen = g.flow.screens[i]!;
          expect(Object.keys(screen.data ?? {})).toEqual(Object.keys(s.data));
          if (i > 0) expect(Object.keys(s.data)).toEqual(g.screens[i - 1]!.exit.payloadKeys);
          expect(s.exit.next).toBe(ids[i + 1]);
          expect(s.terminal).toBe(i === ids.length - 1);
        });
        // the complete payload written in the terminal Footer has exactly the expected keys
        let payloadKeys: string[] = [];
        forEachComponentInFlow(g.flow, (c) => {
          const action = c.node['on-click-action'] as { name?: string; payload?: object } | undefined;
          if (c.type === 'Footer' && action?.name === 'complete') payloadKeys = Object.keys(action.payload ?? {});
        });
        expect(payloadKeys).toEqual(expectedCompleteKeys(g));
        // every forwarded input reaches the complete payload; optional ones are flagged
        const forwarded = g.screens.flatMap((s) => s.inputs.filter((f) => ['string', 'string[]', 'boolean'].includes(f.value)));
        expect(forwarded.map((f) => f.name).every((n) => payloadKeys.includes(n))).toBe(true);
        expect(optionalCompleteKeys(g)).toEqual(forwarded.filter((f) => !f.required).map((f) => f.name).filter((n) => payloadKeys.includes(n)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('single mutations of a valid flow', () => {
  it.each(MUTATIONS.map((m) => [m.id, m] as const))('%s is caught with the right code', (_id, mutation) => {
    let applied = 0;
    fc.assert(
      fc.property(arbitraryFlow({ maxScreens: 6 }), fc.nat(), (g, pick) => {
        const m = mutation.apply(g, pick);
        if (!m) return;
        applied++;
        const errors = errorsOf(m.flow);
        const hit = errors.find((f) => f.code === m.code && f.pointer.startsWith(m.pointerPrefix));
        expect(hit, `expected ${m.code} under '${m.pointerPrefix}', got ${JSON.stringify(errors.map((f) => `${f.code} ${f.pointer}`))}`).toBeDefined();
      }),
      { numRuns: mutation.runs ?? 15 },
    );
    expect(applied).toBeGreaterThan(0);
  });
});
