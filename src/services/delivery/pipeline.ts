/**
 * The delivery pipeline assembled from its parts, for the composition root:
 * the repository, the queue that fits the store (in-process on SQLite,
 * pg-boss on PostgreSQL), the outbox hook for the session service and the
 * worker. Every concrete object (store, pg-boss, media store) comes in as
 * an argument.
 * @module
 */
import type PgBoss from 'pg-boss';
import type { JobQueue } from '../../queue/job-queue.js';
import { createPgBossQueue } from '../../queue/pgboss-queue.js';
import { createSqliteQueue } from '../../queue/sqlite-queue.js';
import type { StoreDatabase } from '../../store/create-database.js';
import { createDeliveryRepo, type DeliveryRepo } from '../../store/repos/delivery-repo.js';
import type { CompletionHook } from '../../store/repos/session-repo.js';
import { createDeliveryOutbox } from './outbox.js';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './worker.js';

/** What {@link createDeliveryPipeline} needs. */
export interface DeliveryPipelineOptions extends Omit<DeliveryWorkerOptions, 'repo' | 'queue'> {
  readonly store: StoreDatabase;
  /** Required on PostgreSQL: a started pg-boss (`startPgBoss(databaseUrl)`). */
  readonly boss?: PgBoss;
  /** Names this process in leases and attempts; default `<hostname-less> pid`. */
  readonly workerId?: string;
  /** Errors of the queue's loop (claims, sweeps); default: ignored. */
  readonly onQueueError?: (error: unknown) => void;
}

/** The assembled pipeline. */
export interface DeliveryPipeline {
  readonly repo: DeliveryRepo;
  readonly queue: JobQueue;
  readonly worker: DeliveryWorker;
  /** Pass to `createSessionService(repo, { onCompleted })`. */
  readonly onCompleted: CompletionHook;
}

/** Assemble (nothing runs until `worker.start()`). */
export function createDeliveryPipeline(options: DeliveryPipelineOptions): DeliveryPipeline {
  const { store, boss } = options;
  const repo = createDeliveryRepo(store.db, options.now === undefined ? {} : { now: options.now });
  const common = { repo, ...(options.workerId === undefined ? {} : { workerId: options.workerId }), ...(options.onQueueError === undefined ? {} : { onError: options.onQueueError }) };
  let queue: JobQueue;
  if (store.dialect === 'postgres') {
    if (boss === undefined) throw new Error('Delivery on PostgreSQL runs on pg-boss: pass a started instance (startPgBoss(databaseUrl)).');
    queue = createPgBossQueue({ ...common, boss });
  } else {
    queue = createSqliteQueue({ ...common, ...(options.now === undefined ? {} : { now: options.now }) });
  }
  const worker = createDeliveryWorker({ ...options, repo, queue });
  const outbox = createDeliveryOutbox({ catalogue: options.catalogue, queue, repo });
  return { repo, queue, worker, onCompleted: outbox.onCompleted };
}
