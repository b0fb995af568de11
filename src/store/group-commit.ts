/**
 * Group commit: callers that arrive while a batch is being written wait and
 * go together in the next one, so under load one transaction (one fsync on
 * SQLite, one WAL flush on PostgreSQL) serves many callers, and when idle a
 * call is written after one turn of the event loop (no timer). Each caller
 * is answered only after the commit holding its item.
 *
 * A failed batch is written again item by item (each alone), so one bad
 * item — a hook that throws, a constraint it breaks — fails only its own
 * caller. That is safe because a failed transaction wrote nothing.
 * @module
 */

/** Writes a batch in one transaction; one result per item, in order. */
export type WriteBatch<I, R> = (items: readonly I[]) => Promise<R[]>;

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** Largest batch per transaction (default 256). */
  readonly maxBatch?: number;
  /** Batches written at once (default 1; PostgreSQL can overlap several round-trip-bound transactions). */
  readonly maxInFlight?: number;
}

/** A function that writes one item and resolves with its result once its batch committed. */
export function createGroupCommit<I, R>(write: WriteBatch<I, R>, options: GroupCommitOptions = {}): (item: I) => Promise<R> {
  const maxBatch = Math.max(1, options.maxBatch ?? 256);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  type Waiting = { item: I; resolve: (result: R) => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let writers = 0;

  async function writeAlone(waiting: Waiting): Promise<void> {
    try {
      const [result] = await write([waiting.item]);
      waiting.resolve(result as R);
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function writer(): Promise<void> {
    writers++;
    try {
      // Let the callers whose I/O completed in this turn of the event loop join the first batch: with
      // SQLite's synchronous driver a transaction otherwise ends before the next callback runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        if (batch.length === 1) {
          await writeAlone(batch[0]!);
          continue;
        }
        let results: R[];
        try {
          results = await write(batch.map((b) => b.item));
        } catch {
          for (const waiting of batch) await writeAlone(waiting);
          continue;
        }
        batch.forEach((b, i) => b.resolve(results[i] as R));
      }
    } finally {
      writers--;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (writers < maxInFlight) void writer();
    });
}
