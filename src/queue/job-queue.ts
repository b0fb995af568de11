/**
 * The one queue interface delivery runs on. The `delivery_jobs` row is the
 * source of truth; a queue only decides *when* and *where* a job is claimed:
 * the embedded SQLite queue polls the table in-process, the PostgreSQL queue
 * lets pg-boss hand job ids to any number of server processes.
 * @module
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import type { DeliveryJob, RunnableJob } from '../store/repos/delivery-repo.js';

/** Runs one claimed job to the end (records its attempt); must not throw. */
export type JobHandler = (job: DeliveryJob) => Promise<void>;

/** Options of {@link JobQueue.start}. */
export interface QueueStartOptions {
  /** Jobs this process runs at the same time (config `deliveryConcurrency`). */
  readonly concurrency: number;
}

/** A delivery queue. */
export interface JobQueue {
  readonly kind: 'sqlite' | 'pg-boss';
  /** Make jobs runnable at `runAt`, inside the caller's transaction (the transactional outbox). */
  enqueue(trx: Transaction<Database>, jobs: readonly RunnableJob[]): Promise<void>;
  /** Start claiming due jobs and handing them to `handler`. */
  start(handler: JobHandler, options: QueueStartOptions): Promise<void>;
  /** Stop claiming; resolves when every in-flight handler has finished. */
  stop(): Promise<void>;
  /** A hint after a commit that new work is due now (wakes an idle poller). */
  notify(): void;
}
