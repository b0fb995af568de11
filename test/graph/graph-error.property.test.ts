import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { graphErrorTable } from '../../src/whatsapp/graph/graph-error-codes.js';
import { graphErrorFromResponse, parseGraphErrorEnvelope } from '../../src/whatsapp/graph/graph-error.js';

const knownCodes = Object.keys(graphErrorTable).map(Number);

describe('graph error envelope parser (fuzz)', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 100, max: 599 }), (text, status) => {
      const err = graphErrorFromResponse(status, text);
      expect(typeof err.retryable).toBe('boolean');
      expect(err.retryAfterMs === undefined).toBe(!err.retryable);
    }));
  });

  it('never throws on arbitrary JSON values, in or out of an error key', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (value, wrap) => {
      const text = JSON.stringify(wrap ? { error: value } : value);
      const env = parseGraphErrorEnvelope(text);
      if (env !== undefined) expect(typeof env.message).toBe('string');
      const err = graphErrorFromResponse(500, text);
      expect(err.httpStatus).toBe(500);
    }));
  });

  it('keeps every field of a well-formed envelope', () => {
    const envelopeArb = fc.record({
      message: fc.string({ maxLength: 80 }),
      type: fc.constantFrom('OAuthException', 'GraphMethodException'),
      code: fc.oneof(fc.constantFrom(...knownCodes), fc.integer({ min: 1, max: 9_999_999 })),
      error_subcode: fc.option(fc.integer({ min: 1, max: 9_999_999 }), { nil: undefined }),
      details: fc.string({ maxLength: 80 }),
      fbtrace_id: fc.base64String({ minLength: 4, maxLength: 24 }),
      is_transient: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(fc.property(envelopeArb, fc.integer({ min: 400, max: 599 }), (e, status) => {
      const { details, ...rest } = e;
      const text = JSON.stringify({ error: { ...rest, error_data: { messaging_product: 'whatsapp', details } } });
      const err = graphErrorFromResponse(status, text);
      expect(err.graphCode).toBe(e.code);
      expect(err.subcode).toBe(e.error_subcode);
      expect(err.graphDetails).toBe(details);
      expect(err.fbtraceId).toBe(e.fbtrace_id);
      const rule = graphErrorTable[e.code];
      if (rule) expect(err.retryable).toBe(rule.retryable);
      else expect(err.retryable).toBe(e.is_transient === true || status >= 500);
    }));
  });
});
