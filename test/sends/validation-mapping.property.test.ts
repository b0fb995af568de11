import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapValidationErrors } from '../../src/services/publish.js';
import { parseValidationErrors } from '../../src/whatsapp/graph/index.js';
import { simpleFlowJson } from '../graph/harness.js';

const pathArb = fc.oneof(
  fc.constantFrom('screens[0].layout.children[0].type', 'screens[1].title', 'version', 'screens[9].id', 'routing_model', ''),
  fc.string({ maxLength: 30 }),
);
const errorArb = fc.record({
  error: fc.string({ maxLength: 20 }), error_type: fc.constant('FLOW_JSON_ERROR'), message: fc.string({ maxLength: 40 }),
  line_start: fc.option(fc.integer({ min: -5, max: 10_000 }), { nil: undefined }), column_start: fc.option(fc.integer({ min: -5, max: 10_000 }), { nil: undefined }),
  pointers: fc.option(fc.array(fc.record({ path: pathArb }), { maxLength: 2 }), { nil: undefined }),
});

describe('mapping Meta validation errors onto a local file', () => {
  it('never throws on any error list or text, and a path that exists always lands inside the file', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(errorArb, fc.anything()), { maxLength: 5 }), fc.oneof(fc.constant(simpleFlowJson()), fc.string({ maxLength: 200 })), (raw, text) => {
        const mapped = mapValidationErrors(text, parseValidationErrors(raw));
        const lines = text.split('\n').length;
        for (const m of mapped) {
          if (m.pointer !== undefined && text === simpleFlowJson() && m.span !== undefined && ['/version', '/screens/1/title', '/screens/0/layout/children/0/type'].includes(m.pointer)) {
            expect(m.span.line_start).toBeGreaterThanOrEqual(1);
            expect(m.span.line_start).toBeLessThanOrEqual(lines);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
