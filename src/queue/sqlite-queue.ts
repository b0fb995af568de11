/**
 * The embedded queue: the `delivery_jobs` table polled in-process. A claim
 * is one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING` that moves due
 * rows to `running` with a lease; a row whose lease ran out (the process
 * died mid-attempt) is due again, so a restart picks it up.
 *
 * Enqueueing is the row insert itself; while this process's worker has free
 * slots, `enqueue` also claims the new jobs that are due now in the same
 * transaction (one UPDATE by primary key, no commit of its own: with
 * `synchronous = FULL` each commit is an fsync on the event loop). After
 * that transaction has ended, one read of the rows' lease owners tells
 * which claims committed; those jobs go to the handler without a poll. A
 * claim whose transaction rolled back left nothing behind. If the process
 * dies in between, the lease runs out and the poller takes the job again,
 * as after a crash mid-attempt.
 * @module
 */
import { CHUNK, type DeliveryJob, type DeliveryRepo } from '../store/repos/delivery-repo.js';
import type { JobHandler, JobQueue, QueueStartOptions } from './job-queue.js';
import { createWakeSignal } from './wake-signal.js';

/** Options of {@link createSqliteQueue}. */
export interface SqliteQueueOptions {
  readonly repo: Pick<DeliveryRepo, 'claimDue' | 'nextWakeAt' | 'claimInTransaction' | 'leaseOwners'>;
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

/** Most jobs claimed in one caller's transaction (ids bound in one statement). */
const CLAIM_CHUNK = CHUNK;

/** The in-process SQLite queue. */
export function createSqliteQueue(options: SqliteQueueOptions): JobQueue {
  const workerId = options.workerId ?? `sqlite-${process.pid}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const idle = options.idlePollMs ?? 1000;
  const now = options.now ?? (() => new Date());
  const wake = createWakeSignal();
  const inflight = new Set<Promise<void>>();
  /** Claimed inside a caller's transaction, not yet known to have committed. */
  const adopting = new Map<string, DeliveryJob>();
  /** Slots promised to claims still being made: the poller's `claimDue` and callers' `enqueue` (one SQLite connection, so either may wait behind the other). */
  let reserved = 0;
  /** `enqueue` claims not finished yet: `stop()` waits for them before its last adoption. */
  const claiming = new Set<Promise<unknown>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let handle: JobHandler | undefined;
  let slots = 0;
  let expiredCheckedAt = Number.NEGATIVE_INFINITY;

  function runJob(job: DeliveryJob): void {
    if (handle === undefined) return;
    const task: Promise<void> = handle(job)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        inflight.delete(task);
        wake.fire();
      });
    inflight.add(task);
  }

  /** Start the jobs claimed in transactions that have ended and committed (the lease read back is ours). */
  async function adopt(): Promise<void> {
    const jobs = [...adopting.values()];
    let owners: Map<string, string | null>;
    try {
      owners = await options.repo.leaseOwners(jobs.map((j) => j.id));
    } catch (error) {
      // Kept for the next round; a claim that did commit would otherwise wait for its lease to run out.
      options.onError?.(error);
      return;
    }
    for (const job of jobs) {
      // Only this entry: a later transaction may have claimed the same job again meanwhile (a rolled-back batch
      // written again item by item); that claim is read back in the next round.
      if (adopting.get(job.id) === job) adopting.delete(job.id);
      if (owners.get(job.id) === job.leaseOwner) runJob(job);
    }
  }

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

  async function run(concurrency: number): Promise<void> {
    // Claim in batches of at least half the slots while busy (one statement, one commit for several jobs; measured
    // on bench:delivery: quarter-size batches spent more on claims than on deliveries); expired leases at most once a second.
    const batch = Math.max(1, Math.floor(concurrency / 2));
    while (running) {
      if (adopting.size > 0) await adopt();
      const free = concurrency - inflight.size - adopting.size - reserved;
      if (free <= 0 || (free < batch && inflight.size > 0)) {
        await wake.wait(idle);
        continue;
      }
      let claimed = 0;
      try {
        const checkExpired = Date.now() - expiredCheckedAt >= 1000;
        if (checkExpired) expiredCheckedAt = Date.now();
        reserved += free;
        let jobs;
        try {
          jobs = await options.repo.claimDue(workerId, free, leaseMs, { includeExpired: checkExpired });
        } finally {
          reserved -= free;
        }
        claimed = jobs.length;
        for (const job of jobs) runJob(job);
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
    async enqueue(trx, jobs) {
      // The delivery_jobs row is the queue entry; it becomes visible when the caller commits.
      const free = running ? slots - inflight.size - adopting.size - reserved : 0;
      if (free <= 0) return;
      const at = now().getTime();
      const due = jobs.filter((j) => j.runAt.getTime() <= at).slice(0, Math.min(free, CLAIM_CHUNK)).map((j) => j.id);
      if (due.length === 0) return;
      reserved += due.length;
      const claim = options.repo.claimInTransaction(trx, due, workerId, leaseMs);
      claiming.add(claim);
      try {
        const claimed = await claim;
        for (const job of claimed) adopting.set(job.id, job);
        // The poller's read of the lease owners waits for this transaction to end (one SQLite connection).
        if (claimed.length > 0) wake.fire();
      } finally {
        reserved -= due.length;
        claiming.delete(claim);
      }
    },
    start(handler, startOptions: QueueStartOptions) {
      if (running) return Promise.resolve();
      running = true;
      handle = handler;
      slots = Math.max(1, startOptions.concurrency);
      loop = run(slots);
      return Promise.resolve();
    },
    async stop() {
      running = false;
      wake.fire();
      await loop;
      // Jobs already claimed for this process (claims still being made included) run now rather than wait
      // for their leases to run out.
      await Promise.allSettled([...claiming]);
      if (adopting.size > 0) await adopt();
      await Promise.all([...inflight]);
    },
    notify: () => wake.fire(),
  };
}
