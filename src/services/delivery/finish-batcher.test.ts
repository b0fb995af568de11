import { describe, expect, it } from 'vitest';
import type { FinishItem } from '../../store/repos/delivery-repo.js';
import { createFinishBatcher } from './finish-batcher.js';

const item = (id: string): FinishItem => ({ job: { id } as FinishItem['job'], finish: { state: 'delivered', outcome: 'delivered', startedAt: new Date(0) } });

describe('finish batcher', () => {
  it('writes at once when idle and groups what arrives during a write', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const finish = createFinishBatcher(async (items) => {
      batches.push(items.map((i) => i.job.id));
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((i) => i.job.id !== 'lost');
    });
    const first = finish(item('a'));
    const rest = ['b', 'lost', 'c'].map((id) => finish(item(id)));
    release();
    expect(await first).toBe(true);
    expect(await Promise.all(rest)).toEqual([true, false, true]);
    expect(batches).toEqual([['a'], ['b', 'lost', 'c']]);
  });

  it('rejects every finish of a failed batch and keeps working', async () => {
    let fail = true;
    const finish = createFinishBatcher((items) => (fail ? Promise.reject(new Error('disk I/O error')) : Promise.resolve(items.map(() => true))));
    await expect(finish(item('a'))).rejects.toThrow('disk I/O error');
    fail = false;
    expect(await finish(item('b'))).toBe(true);
  });
});
