/**
 * Group commit for finished attempts: finishes that arrive while a batch is
 * being written wait and go together in the next one, so under load one
 * transaction records many deliveries and when idle a finish is written at
 * once (no timer, no added latency).
 * @module
 */
import type { FinishItem } from '../../store/repos/delivery-repo.js';

/** Writes a batch; one flag per item. */
export type WriteBatch = (items: readonly FinishItem[]) => Promise<boolean[]>;

/** Largest batch per transaction. */
const MAX_BATCH = 256;

/** A function that records one finish and resolves with its flag once its batch committed. */
export function createFinishBatcher(write: WriteBatch): (item: FinishItem) => Promise<boolean> {
  let queue: Array<{ item: FinishItem; resolve: (ok: boolean) => void; reject: (error: unknown) => void }> = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        const flags = await write(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(flags[i] ?? false));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    writing = false;
  }

  return (item) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
