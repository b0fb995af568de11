import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { perInterval } from './per-interval.js';

afterEach(() => { vi.useRealTimers(); });

describe('perInterval', () => {
  it('reports the first event at once, the rest at most once per interval, and every event exactly once', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2500 }), { minLength: 1, maxLength: 40 }), (gaps) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const reports: Array<{ at: number; count: number; last: number }> = [];
      const log = perInterval<number>(1000, (count, last) => reports.push({ at: performance.now(), count, last }));
      gaps.forEach((gap, i) => { vi.advanceTimersByTime(gap); log.add(i); });
      vi.advanceTimersByTime(1000);
      expect(reports.reduce((sum, r) => sum + r.count, 0)).toBe(gaps.length);
      expect(reports[0]).toMatchObject({ count: 1, last: 0 });
      expect(reports.at(-1)?.last).toBe(gaps.length - 1);
      for (let i = 1; i < reports.length; i++) expect(reports[i]!.at - reports[i - 1]!.at).toBeGreaterThanOrEqual(1000);
      vi.useRealTimers();
    }));
  });

  it('reports what is pending at once when flushed, and nothing when nothing is', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const reports: number[] = [];
    const log = perInterval<string>(1000, (count) => reports.push(count));
    log.flush();
    log.add('a');
    log.add('b');
    log.add('c');
    expect(reports).toEqual([1]);
    log.flush();
    expect(reports).toEqual([1, 2]);
    vi.advanceTimersByTime(5000);
    expect(reports).toEqual([1, 2]);
  });
});
