import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { toPointer } from '../../src/core/flow/finding.js';
import { parseValidationErrors, pointerToValidationPath, validationPathToPointer } from '../../src/whatsapp/graph/flow-validation-errors.js';

const segment = fc.oneof(fc.nat({ max: 50 }), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/), fc.string({ maxLength: 8 }).filter((s) => !s.includes("'") && !/^(0|[1-9]\d*)$/.test(s) && s !== ''));

describe('validation error paths', () => {
  it('reads Meta\'s documented example path', () => {
    expect(validationPathToPointer('screens[0].layout.children[0].type')).toBe('/screens/0/layout/children/0/type');
    expect(validationPathToPointer('screens[0]..x')).toBeUndefined();
    expect(validationPathToPointer('')).toBe('');
  });

  it('round-trips pointers through Meta\'s path form', () => {
    fc.assert(fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
      const pointer = toPointer(segments.map((s) => (typeof s === 'number' ? s : s)));
      expect(validationPathToPointer(pointerToValidationPath(pointer))).toBe(pointer);
    }));
  });

  it('never throws on arbitrary paths or validation_errors values', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (path) => {
      const p = validationPathToPointer(path);
      expect(p === undefined || p === '' || p.startsWith('/')).toBe(true);
    }));
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const parsed = parseValidationErrors(value);
      expect(Array.isArray(parsed)).toBe(true);
      for (const e of parsed) expect(typeof e.message).toBe('string');
    }));
  });
});
