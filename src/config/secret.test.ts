import { inspect } from 'node:util';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Secret } from './secret.js';

const secretText = fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/);

describe('Secret', () => {
  it('gives the value back only through reveal()', () => {
    fc.assert(
      fc.property(secretText, (value) => {
        expect(new Secret(value).reveal()).toBe(value);
      }),
    );
  });

  it('prints [redacted] through every text conversion', () => {
    fc.assert(
      fc.property(secretText, (value) => {
        const secret = new Secret(value);
        // The lint rules rightly forbid these conversions in real code; here they are the point.
        /* eslint-disable @typescript-eslint/restrict-template-expressions, @typescript-eslint/restrict-plus-operands */
        const renderings = [
          `${secret}`,
          String(secret),
          'x' + secret,
          JSON.stringify(secret),
          JSON.stringify({ nested: { secret } }),
          inspect(secret),
          inspect({ nested: [secret] }, { depth: 10, showHidden: true }),
          JSON.stringify({ ...secret }),
          Object.keys(secret).join(','),
        ];
        for (const text of renderings) expect(text).not.toContain(value);
        expect(`${secret}`).toBe('[redacted]');
        /* eslint-enable @typescript-eslint/restrict-template-expressions, @typescript-eslint/restrict-plus-operands */
        expect(inspect(secret)).toBe('[redacted]');
        expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
      }),
    );
  });
});
