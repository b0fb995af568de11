/**
 * The PostgreSQL queue: pg-boss 10 carries delivery job ids so any number of
 * server processes share the work. A pg-boss job is sent with pg-boss's `db`
 * option over the caller's Kysely transaction, so it commits or rolls back
 * with the submission (the transactional outbox). Our `delivery_jobs` row
 * stays the source of truth: a pg-boss job only says "look at row X", and a
 * handler first claims the row (fenced `UPDATE … RETURNING`), so a duplicate
 * or stale pg-boss job is a harmless no-op and two processes never run the
 * same delivery at once.
 *
 * Recovery: a sweep (every `sweepIntervalMs`) re-sends rows left `running`
 * with an expired lease (a process died mid-attempt) and rows `pending` and
 * overdue by more than `strandedGraceMs` (e.g. reset without an enqueue),
 * throttled by pg-boss to one per row per grace period.
 * @module
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Database } from '../store/database.js';
import type { DeliveryRepo, RunnableJob } from '../store/repos/delivery-repo.js';
import type { JobHandler, JobQueue } from './job-queue.js';
import { DEFAULT_LEASE_MS } from './sqlite-queue.js';

/** Options of {@link createPgBossQueue}. */
export interface PgBossQueueOptions {
  /** A started pg-boss instance (the caller owns its life cycle). */
  readonly boss: PgBoss;
  readonly repo: Pick<DeliveryRepo, 'claimByIds' | 'listStranded'>;
  /** pg-boss queue name; default `flowbridge-delivery`. */
  readonly queueName?: string;
  readonly workerId?: string;
  readonly leaseMs?: number;
  /** pg-boss polling interval (≥ 0.5 s); default 1 s. New work in this process wakes workers at once. */
  readonly pollingIntervalSeconds?: number;
  /** Default 30 s. */
  readonly sweepIntervalMs?: number;
  /** Default 5 minutes. */
  readonly strandedGraceMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * pg-boss's own expiry of an active job. Recovery is ours (leases renewed
 * while an attempt runs, and the sweep), so this only has to outlast the
 * longest attempt; pg-boss retries are off.
 */
const PG_BOSS_EXPIRE_SECONDS = 15 * 60;

interface JobData {
  readonly deliveryJobId: string;
}

/** pg-boss's `db` option over a Kysely transaction: its SQL runs on our connection, inside our transaction. */
export function pgBossDb(trx: Transaction<Database>): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text, values) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: [...result.rows] };
    },
  };
}

/** The pg-boss queue. */
export function createPgBossQueue(options: PgBossQueueOptions): JobQueue {
  const { boss, repo } = options;
  const name = options.queueName ?? 'flowbridge-delivery';
  const workerId = options.workerId ?? `pg-${process.pid}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const grace = options.strandedGraceMs ?? 5 * 60_000;
  const workerIds: string[] = [];
  const inflight = new Set<Promise<void>>();
  let ready: Promise<void> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let stopped = false;

  // Throttled sends are deduplicated by pg-boss (one per row per grace slot); plain sends never conflict.
  const ensureQueue = (): Promise<void> =>
    (ready ??= boss.createQueue(name, { name, policy: 'standard', retryLimit: 0, expireInSeconds: PG_BOSS_EXPIRE_SECONDS }).catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));

  /**
   * Re-enqueue a stranded row, throttled by pg-boss to one send per stranding
   * per grace slot (sweeps of several processes find the same stranding). The
   * key names the stranding, not only the row: keyed by the row alone, a row
   * whose re-sent attempt died too waited for the next slot (up to the grace,
   * 5 min), which the kill -9 reliability test hit.
   */
  async function resend(job: RunnableJob): Promise<void> {
    const data: JobData = { deliveryJobId: job.id };
    const singletonKey = job.strand === undefined ? job.id : `${job.id}@${job.strand}`;
    await boss.send(name, data, { startAfter: job.runAt, singletonKey, singletonSeconds: Math.max(1, Math.ceil(grace / 1000)) });
  }

  async function sweep(): Promise<void> {
    try {
      for (const job of await repo.listStranded(grace, 500)) await resend(job);
    } catch (error) {
      options.onError?.(error);
    }
  }

  return {
    kind: 'pg-boss',
    async enqueue(trx, jobs) {
      if (jobs.length === 0) return;
      await ensureQueue();
      // One multi-row INSERT for a batch of completions, in the caller's transaction.
      const data = (job: RunnableJob): JobData => ({ deliveryJobId: job.id });
      await boss.insert(jobs.map((job) => ({ name, data: data(job), startAfter: job.runAt })), { db: pgBossDb(trx) });
    },

    async start(handler: JobHandler, { concurrency }) {
      await ensureQueue();
      stopped = false;
      const loops = Math.min(concurrency, 4);
      const batchSize = Math.ceil(concurrency / loops);
      for (let i = 0; i < loops; i++) {
        const id: string = await boss.work<JobData>(name, { batchSize, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async (jobs) => {
          // One claim statement for the batch; rows not due (already running elsewhere, finished) are skipped.
          const task = repo.claimByIds(jobs.map((j) => j.data.deliveryJobId), workerId, leaseMs)
            .then((claimed) => Promise.all(claimed.map((job) => handler(job))))
            .then(() => undefined, (error: unknown) => options.onError?.(error));
          inflight.add(task);
          await task.finally(() => inflight.delete(task));
          // A full batch means more is probably waiting: fetch again without the polling pause.
          if (jobs.length === batchSize && !stopped) boss.notifyWorker(id);
        });
        workerIds.push(id);
      }
      await sweep();
      sweepTimer = setInterval(() => {
        sweeping ??= sweep().finally(() => (sweeping = undefined));
      }, options.sweepIntervalMs ?? 30_000);
      sweepTimer.unref();
    },

    async stop() {
      stopped = true;
      if (sweepTimer !== undefined) clearInterval(sweepTimer);
      await boss.offWork(name);
      await Promise.all([...inflight, sweeping]);
      workerIds.length = 0;
    },

    notify() {
      for (const id of workerIds) boss.notifyWorker(id);
    },
  };
}

/** Options of {@link startPgBoss}. */
export interface StartPgBossOptions {
  /** pg-boss's own schema; default `pgboss`. */
  readonly schema?: string;
  /** Its connection pool size; default 4 (delivery's own queries use the store's pool). */
  readonly poolSize?: number;
  /** pg-boss background errors (never thrown). */
  readonly onError?: (error: Error) => void;
}

/** Create and start pg-boss on the store's PostgreSQL database (creates or migrates its schema); stop it with `boss.stop()`. */
export async function startPgBoss(connectionString: string, options: StartPgBossOptions = {}): Promise<PgBoss> {
  // Loaded on PostgreSQL only: the embedded SQLite default never needs it.
  const { default: PgBossClass } = await import('pg-boss');
  const boss = new PgBossClass({ connectionString, schema: options.schema ?? 'pgboss', max: options.poolSize ?? 4, schedule: false });
  boss.on('error', (error) => options.onError?.(error));
  await boss.start();
  return boss;
}
