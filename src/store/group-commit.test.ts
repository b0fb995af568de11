import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGroupCommit } from './group-commit.js';

describe('createGroupCommit', () => {
  it('groups the calls of one event-loop turn, then what arrives while a batch is written', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const firstStarted = new Promise<void>((r) => (started = r));
    const write = createGroupCommit<string, string>(async (items) => {
      batches.push([...items]);
      if (batches.length === 1) {
        started();
        await new Promise<void>((r) => (release = r));
      }
      return items.map((i) => i.toUpperCase());
    });
    const first = [write('a'), write('b')];
    await firstStarted;
    const rest = ['c', 'd', 'e'].map(write);
    release();
    expect(await Promise.all(first)).toEqual(['A', 'B']);
    expect(await Promise.all(rest)).toEqual(['C', 'D', 'E']);
    expect(batches).toEqual([['a', 'b'], ['c', 'd', 'e']]);
  });

  it('writes a failed batch again item by item, so only the bad item fails', async () => {
    const batches: string[][] = [];
    const write = createGroupCommit<string, string>((items) => {
      batches.push([...items]);
      return items.includes('bad') ? Promise.reject(new Error('constraint failed')) : Promise.resolve([...items]);
    });
    const results = await Promise.allSettled(['a', 'b', 'bad', 'c'].map(write));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b', 'constraint failed', 'c']);
    expect(batches).toEqual([['a', 'b', 'bad', 'c'], ['a'], ['b'], ['bad'], ['c']]);
  });

  it('keeps at most maxInFlight batches writing and at most maxBatch items in one', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const write = createGroupCommit<number, number>(async (items) => {
      most = Math.max(most, ++inFlight);
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return items.map((i) => i * 2);
    }, { maxBatch: 4, maxInFlight: 2 });
    const out = await Promise.all(Array.from({ length: 30 }, (_, i) => write(i)));
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(most).toBe(2);
    expect(Math.max(...sizes)).toBe(4);
  });

  it('answers every caller with its own result whatever the arrival pattern (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.integer(), fc.nat(3)), { maxLength: 60 }), fc.integer({ min: 1, max: 3 }), async (calls, maxInFlight) => {
      const write = createGroupCommit<number, number>(async (items) => {
        await new Promise((r) => setTimeout(r, 0));
        if (items.length > 1 && items.some((i) => i % 7 === 0)) throw new Error('batch');
        if (items.length === 1 && items[0]! % 7 === 0) throw new Error(`bad ${items[0]}`);
        return items.map((i) => i + 1);
      }, { maxBatch: 5, maxInFlight });
      const pending: Array<Promise<string>> = [];
      for (const [value, pause] of calls) {
        pending.push(write(value).then((r) => `ok ${r}`, (e: Error) => e.message));
        if (pause > 0) await new Promise((r) => setTimeout(r, 0));
      }
      expect(await Promise.all(pending)).toEqual(calls.map(([v]) => (v % 7 === 0 ? `bad ${v}` : `ok ${v + 1}`)));
    }), { numRuns: 60 });
  });
});
