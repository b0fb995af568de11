import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { MAX_LIST_LIMIT, parseDeliveryState, parseLimit, parseTimeArg } from './delivery-queries.js';

const now = new Date('2026-11-26T08:00:00.000Z');

/** The parser either returns or throws USAGE_INVALID — never anything else. */
function usageOnly<T>(parse: () => T): T | 'usage' {
  try {
    return parse();
  } catch (error) {
    if (isAppError(error, 'USAGE_INVALID')) return 'usage';
    throw error;
  }
}

describe('delivery query parsers', () => {
  it('parseTimeArg reads ISO-8601 (zoned, UTC by default, date-only) and durations ago', () => {
    expect(parseTimeArg('2026-11-26T07:30:00Z', now).toISOString()).toBe('2026-11-26T07:30:00.000Z');
    expect(parseTimeArg('2026-11-26T07:30', now).toISOString()).toBe('2026-11-26T07:30:00.000Z');
    expect(parseTimeArg('2026-11-26T09:30:00+02:00', now).toISOString()).toBe('2026-11-26T07:30:00.000Z');
    expect(parseTimeArg('2026-11-26', now).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(parseTimeArg('90m', now).toISOString()).toBe('2026-11-26T06:30:00.000Z');
    expect(parseTimeArg('7d', now).toISOString()).toBe('2026-11-19T08:00:00.000Z');
    expect(() => parseTimeArg('2026-13-45', now, '--since')).toThrow(/--since "2026-13-45" is not a time\. Fix: use ISO-8601/);
    expect(() => parseTimeArg('last tuesday', now)).toThrow(/not a time/);
  });

  it('parseTimeArg: durations are exact and every input either parses to a valid date or is a usage error', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(['s', 1000], ['m', 60_000], ['h', 3_600_000], ['d', 86_400_000], ['w', 604_800_000]), (n, [unit, ms]) => {
      expect(parseTimeArg(`${n}${unit as string}`, now).getTime()).toBe(now.getTime() - n * (ms as number));
    }));
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => {
      const result = usageOnly(() => parseTimeArg(text, now));
      if (result !== 'usage') expect(Number.isNaN(result.getTime())).toBe(false);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
      expect(parseTimeArg(d.toISOString(), now).getTime()).toBe(d.getTime());
    }));
  });

  it('parseDeliveryState accepts the five states in any case and names them otherwise', () => {
    expect(parseDeliveryState(' DEAD ')).toBe('dead');
    expect(() => parseDeliveryState('lost', '--state')).toThrow('--state "lost" is not a delivery state. Fix: use one of pending, running, delivered, failed, dead.');
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (text) => {
      const result = usageOnly(() => parseDeliveryState(text));
      if (result !== 'usage') expect(['pending', 'running', 'delivered', 'failed', 'dead']).toContain(result);
    }));
  });

  it('parseLimit accepts 1…MAX only', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (text) => {
      const result = usageOnly(() => parseLimit(text));
      if (result !== 'usage') expect(result >= 1 && result <= MAX_LIST_LIMIT && Number.isInteger(result)).toBe(true);
    }));
    expect(parseLimit('1000')).toBe(1000);
    expect(usageOnly(() => parseLimit('1001'))).toBe('usage');
  });
});
