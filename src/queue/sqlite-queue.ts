/**
 * The embedded queue: the `delivery_jobs` table polled in-process. A claim
 * is one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING` that moves due
 * rows to `running` with a lease; a row whose lease ran out (the process
 * died mid-attempt) is due again, so a restart picks it up. Enqueueing is
 * the row insert itself: nothing else to write in the outbox transaction.
 * @module
 */
import type { DeliveryRepo } from '../store/repos/delivery-repo.js';
import type { JobHandler, JobQueue, QueueStartOptions } from './job-queue.js';
import { createWakeSignal } from './wake-signal.js';

/** Options of {@link createSqliteQueue}. */
export interface SqliteQueueOptions {
  readonly repo: Pick<DeliveryRepo, 'claimDue' | 'nextWakeAt'>;
  /** Names this process in claim tokens; default `sqlite-<pid>`. */
  readonly workerId?: string;
  /** How long a claim holds unless renewed before another run may take the job over; default 1 minute. */
  readonly leaseMs?: number;
  /** Longest idle sleep between polls; default 1000 ms. */
  readonly idlePollMs?: number;
  /** Claim errors (database busy…); the loop waits `idlePollMs` and goes on. */
  readonly onError?: (error: unknown) => void;
  readonly now?: () => Date;
}

/**
 * Default lease: several times a sink's request timeout (15 s). The worker
 * renews it every third while an attempt runs, so only a dead process's
 * claim runs out: after a crash its jobs run again within a minute.
 */
export const DEFAULT_LEASE_MS = 60_000;

/** The in-process SQLite queue. */
export function createSqliteQueue(options: SqliteQueueOptions): JobQueue {
  const workerId = options.workerId ?? `sqlite-${process.pid}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const idle = options.idlePollMs ?? 1000;
  const now = options.now ?? (() => new Date());
  const wake = createWakeSignal();
  const inflight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let expiredCheckedAt = Number.NEGATIVE_INFINITY;

  async function sleepUntilDue(): Promise<void> {
    let ms = idle;
    try {
      const next = await options.repo.nextWakeAt();
      if (next !== undefined) ms = Math.max(0, Math.min(idle, next.getTime() - now().getTime()));
    } catch (error) {
      options.onError?.(error);
    }
    if (ms > 0) await wake.wait(ms);
  }

  async function run(handler: JobHandler, concurrency: number): Promise<void> {
    // Claim in batches of at least half the slots while busy (one statement, one commit for several jobs; measured
    // on bench:delivery: quarter-size batches spent more on claims than on deliveries); expired leases at most once a second.
    const batch = Math.max(1, Math.floor(concurrency / 2));
    while (running) {
      const free = concurrency - inflight.size;
      if (free <= 0 || (free < batch && inflight.size > 0)) {
        await wake.wait(idle);
        continue;
      }
      let claimed = 0;
      try {
        const checkExpired = Date.now() - expiredCheckedAt >= 1000;
        if (checkExpired) expiredCheckedAt = Date.now();
        const jobs = await options.repo.claimDue(workerId, free, leaseMs, { includeExpired: checkExpired });
        claimed = jobs.length;
        for (const job of jobs) {
          const task: Promise<void> = handler(job)
            .catch((error: unknown) => options.onError?.(error))
            .finally(() => {
              inflight.delete(task);
              wake.fire();
            });
          inflight.add(task);
        }
      } catch (error) {
        options.onError?.(error);
        await wake.wait(idle);
        continue;
      }
      if (claimed === 0 && running) await sleepUntilDue();
    }
  }

  return {
    kind: 'sqlite',
    enqueue: async () => {
      // The delivery_jobs row is the queue entry; it becomes visible when the caller commits.
    },
    start(handler, startOptions: QueueStartOptions) {
      if (running) return Promise.resolve();
      running = true;
      loop = run(handler, Math.max(1, startOptions.concurrency));
      return Promise.resolve();
    },
    async stop() {
      running = false;
      wake.fire();
      await loop;
      await Promise.all([...inflight]);
    },
    notify: () => wake.fire(),
  };
}
