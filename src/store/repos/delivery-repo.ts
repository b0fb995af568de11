/**
 * The delivery outbox: jobs (one per submission and sink), their attempts
 * and the progress multi-step sinks remember. The `delivery_jobs` row is the
 * source of truth for a delivery's state on both queues (the SQLite poller
 * claims rows directly; pg-boss only carries job ids). Every write that
 * changes a job is fenced by its claim token, so a worker whose lease was
 * taken over cannot overwrite the newer run's result.
 * @module
 */
import { PostgresAdapter, sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { caseByKey } from './sql-case.js';
import { createDeliveryClaimer, type DeliveryClaimer } from './delivery-claim.js';
import { finishAttempts } from './delivery-finish.js';
import {
  idempotencyKeyFor, toDeliveryAttempt, toDeliveryJob,
  type AttemptOutcome, type DeliveryAttempt, type DeliveryJob, type DeliveryJobTable, type DeliveryState, type DeliveryTables, type SubmissionAnswerColumns,
} from './delivery-tables.js';
import { newRowId } from '../row-id.js';

export * from './delivery-tables.js';

/** `Database` plus the delivery tables and columns. */
export type DeliveryDatabase = Omit<Database, 'submissions'> & DeliveryTables & { submissions: Database['submissions'] & SubmissionAnswerColumns };

/** A job to create in the completion transaction. */
export interface NewDeliveryJob {
  readonly submissionId: string;
  readonly flowId: string;
  readonly sinkName: string;
  /** The connector id (`webhook`, `hubspot-forms`…). */
  readonly sinkType: string;
}

/** A job made runnable (created, retried or replayed): what a queue needs to schedule it. */
export interface RunnableJob {
  readonly id: string;
  readonly runAt: Date;
  /**
   * Set by `listStranded`: what marks this stranding of the row (its expired
   * lease, or its overdue due time), so a re-send is deduplicated per
   * stranding and a row stranded again after a re-send is sent again.
   */
  readonly strand?: string;
}

/** Called inside the same transaction with the jobs just made runnable (a queue's `enqueue`). */
export type EnqueueHook = (trx: Transaction<Database>, jobs: readonly RunnableJob[]) => Promise<void>;

/** How a claimed attempt ended, as the worker decided it. */
export interface FinishAttempt {
  /** The job's next state: `pending` schedules another attempt at `nextAttemptAt`. */
  readonly state: 'delivered' | 'pending' | 'failed' | 'dead';
  readonly nextAttemptAt?: Date;
  readonly outcome: AttemptOutcome;
  readonly reason?: string | undefined;
  readonly field?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly externalId?: string | undefined;
  readonly startedAt: Date;
}

/** One job's finish in a batch. */
export interface FinishItem {
  readonly job: DeliveryJob;
  readonly finish: FinishAttempt;
}

/** A submission with what delivery needs from its session. */
export interface SubmissionRecord {
  readonly id: string;
  readonly flowToken: string;
  readonly flowId: string;
  readonly contactPhone: string;
  readonly entryPoint: string | null;
  readonly campaign: string | null;
  readonly responseJson: string;
  /** Null for submissions stored before migration 0003. */
  readonly answersJson: string | null;
  readonly formVersion: string | null;
  readonly createdAt: Date;
}

/** Filters of {@link DeliveryRepo.listJobs}; every one optional. */
export interface JobFilter {
  readonly state?: DeliveryState;
  readonly sinkName?: string;
  readonly flowId?: string;
  readonly submissionId?: string;
  /** `created_at >= since`. */
  readonly since?: Date;
  /** `created_at < until`. */
  readonly until?: Date;
  /** Default 100. */
  readonly limit?: number;
}

/** How {@link DeliveryRepo.resetJobs} resets. */
export interface ResetOptions {
  /** Replay: a new generation with a new idempotency key (and empty progress); allowed from any state but `running`. */
  readonly newGeneration?: boolean;
  /** When to run; default now. */
  readonly at?: Date;
}

/** A submission's answers as delivered, and the form version they were mapped with. */
export interface FrozenAnswers {
  readonly submissionId: string;
  readonly answersJson: string;
  readonly formVersion: string;
}

/** Delivery persistence; see {@link createDeliveryRepo}. */
export interface DeliveryRepo {
  // — inside the completion transaction —
  /** Freeze submissions' answers (one statement for the batch). */
  storeAnswers(trx: Transaction<Database>, items: readonly FrozenAnswers[]): Promise<void>;
  /** Insert jobs (generation 0, pending, due now); an existing (submission, sink) is left alone. Returns the rows inserted. */
  insertJobs(trx: Transaction<Database>, jobs: readonly NewDeliveryJob[]): Promise<DeliveryJob[]>;

  // — workers —
  /**
   * Claim up to `limit` due jobs (running with an expired lease first, unless `includeExpired` is false, then pending
   * and due): attempts + 1, state `running`.
   */
  claimDue(worker: string, limit: number, leaseMs: number, options?: { readonly includeExpired?: boolean }): Promise<DeliveryJob[]>;
  /**
   * Claim the due jobs among `ids` inside `trx` (the embedded queue takes jobs in the transaction that creates them);
   * the claim exists only if `trx` commits: read it back with {@link leaseOwners}. At most {@link CHUNK} ids.
   */
  claimInTransaction(trx: Transaction<Database>, ids: readonly string[], worker: string, leaseMs: number): Promise<DeliveryJob[]>;
  /** Current lease owner of each existing job among `ids` (null when not running); at most {@link CHUNK} ids. */
  leaseOwners(ids: readonly string[]): Promise<Map<string, string | null>>;
  /** Claim the jobs among `ids` that are due (pg-boss hands out ids, a batch at a time); those not due, taken or finished are left out. */
  claimByIds(ids: readonly string[], worker: string, leaseMs: number): Promise<DeliveryJob[]>;
  /** Record the attempt and move the job on, fenced by the claim; false (nothing written) when the claim was lost. `then` runs in the same transaction. */
  finishAttempt(job: DeliveryJob, finish: FinishAttempt, then?: EnqueueHook): Promise<boolean>;
  /** {@link finishAttempt} for several jobs in one transaction (group commit); one flag per item. */
  finishAttempts(items: readonly FinishItem[], then?: EnqueueHook): Promise<boolean[]>;
  /** Push a running job's lease to now + `leaseMs` while its attempt goes on; false when the claim was lost. */
  extendLease(job: DeliveryJob, leaseMs: number): Promise<boolean>;
  /** Earliest `next_attempt_at` of a pending job, or lease end of a running one (poller sleep). */
  nextWakeAt(): Promise<Date | undefined>;
  /** Pending jobs overdue by more than `graceMs` and running jobs with expired leases (re-enqueue safety net). */
  listStranded(graceMs: number, limit: number): Promise<RunnableJob[]>;

  // — reading —
  getJob(id: string): Promise<DeliveryJob | undefined>;
  listJobs(filter?: JobFilter): Promise<DeliveryJob[]>;
  listAttempts(jobId: string): Promise<DeliveryAttempt[]>;
  getSubmission(id: string): Promise<SubmissionRecord | undefined>;
  /** Count per state (for /metrics and the CLI summary). */
  countByState(): Promise<Record<DeliveryState, number>>;

  // — progress of multi-step sinks, keyed by idempotency key —
  getProgress(idempotencyKey: string, step: string): Promise<string | undefined>;
  setProgress(idempotencyKey: string, step: string, value: string): Promise<void>;

  // — operators (retry / replay) —
  /** Reset jobs to pending: without `newGeneration` only failed, dead or pending ones (attempts 0, fresh age budget); running ones are never touched. Returns the jobs reset. */
  resetJobs(ids: readonly string[], options?: ResetOptions, then?: EnqueueHook): Promise<DeliveryJob[]>;
}

/** Options of {@link createDeliveryRepo}. */
export interface DeliveryRepoOptions {
  readonly now?: () => Date;
}

const RESETTABLE: readonly DeliveryState[] = ['pending', 'failed', 'dead'];
const REPLAYABLE: readonly DeliveryState[] = ['pending', 'delivered', 'failed', 'dead'];
/** Largest number of ids bound in one statement. */
export const CHUNK = 500;

/** Delivery repository over either dialect. */
export function createDeliveryRepo(database: Kysely<Database>, options: DeliveryRepoOptions = {}): DeliveryRepo {
  const db = database.withTables<DeliveryTables>() as unknown as Kysely<DeliveryDatabase>;
  const now = options.now ?? (() => new Date());
  const postgres = database.getExecutor().adapter instanceof PostgresAdapter;
  const tx = (trx: Transaction<Database>): Kysely<DeliveryDatabase> => trx.withTables<DeliveryTables>();

  const claimer = createDeliveryClaimer(db, postgres, now);
  const claim: DeliveryClaimer['claim'] = (...args) => claimer.claim(...args);

  return {
    async storeAnswers(trx, items) {
      for (let from = 0; from < items.length; from += CHUNK) {
        const chunk = items.slice(from, from + CHUNK);
        const byId = (value: (item: FrozenAnswers) => string) => caseByKey('id', chunk.map((i) => [i.submissionId, value(i)] as const));
        await tx(trx).updateTable('submissions')
          .set({ answers_json: byId((i) => dbText(i.answersJson)), form_version: byId((i) => i.formVersion) })
          .where('id', 'in', chunk.map((i) => i.submissionId))
          .execute();
      }
    },

    async insertJobs(trx, jobs) {
      if (jobs.length === 0) return [];
      const iso = now().toISOString();
      const rows: Selectable<DeliveryJobTable>[] = jobs.map((j) => ({
        id: newRowId(), submission_id: j.submissionId, flow_id: j.flowId, sink_name: j.sinkName, sink_type: j.sinkType,
        generation: 0, idempotency_key: idempotencyKeyFor(j.submissionId, j.sinkName, 0), state: 'pending', attempts: 0,
        next_attempt_at: iso, lease_owner: null, lease_until: null, last_error: null, last_field: null, external_id: null,
        budget_from: iso, created_at: iso, updated_at: iso, delivered_at: null,
      }));
      const inserted = await tx(trx)
        .insertInto('delivery_jobs')
        .values(rows)
        .onConflict((oc) => oc.columns(['submission_id', 'sink_name']).doNothing())
        .returningAll()
        .execute();
      return inserted.map(toDeliveryJob);
    },

    async claimDue(worker, limit, leaseMs, claimOptions = {}) {
      const expired = claimOptions.includeExpired === false ? [] : await claim('expired', undefined, worker, limit, leaseMs);
      return expired.length >= limit ? expired : [...expired, ...(await claim('due', undefined, worker, limit - expired.length, leaseMs))];
    },

    claimInTransaction: (trx, ids, worker, leaseMs) => (ids.length === 0 ? Promise.resolve([]) : claim('due', ids, worker, ids.length, leaseMs, trx)),
    leaseOwners: (ids) => claimer.leaseOwners(ids),

    async claimByIds(ids, worker, leaseMs) {
      const claimed: DeliveryJob[] = [];
      for (let from = 0; from < ids.length; from += CHUNK) {
        const chunk = ids.slice(from, from + CHUNK);
        const due = await claim('due', chunk, worker, chunk.length, leaseMs);
        const taken = new Set(due.map((j) => j.id));
        const rest = chunk.filter((id) => !taken.has(id));
        claimed.push(...due, ...(rest.length === 0 ? [] : await claim('expired', rest, worker, rest.length, leaseMs)));
      }
      return claimed;
    },

    async finishAttempt(job, finish, then) {
      return (await finishAttempts(db, [{ job, finish }], now(), then))[0] ?? false;
    },

    finishAttempts: (items, then) => finishAttempts(db, items, now(), then),

    async extendLease(job, leaseMs) {
      const at = now();
      const result = await db
        .updateTable('delivery_jobs')
        .set({ lease_until: new Date(at.getTime() + leaseMs).toISOString(), updated_at: at.toISOString() })
        .where('id', '=', job.id)
        .where('state', '=', 'running')
        .where('lease_owner', '=', job.leaseOwner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async nextWakeAt() {
      const row = await db
        .selectFrom('delivery_jobs')
        .select((eb) => [eb.fn.min('next_attempt_at').as('next')])
        .where('state', '=', 'pending')
        .executeTakeFirst();
      const lease = await db
        .selectFrom('delivery_jobs')
        .select((eb) => [eb.fn.min('lease_until').as('next')])
        .where('state', '=', 'running')
        .executeTakeFirst();
      const times = [row?.next, lease?.next].filter((t): t is string => typeof t === 'string').map((t) => new Date(t).getTime());
      return times.length === 0 ? undefined : new Date(Math.min(...times));
    },

    async listStranded(graceMs, limit) {
      const at = now();
      const overdue = new Date(at.getTime() - graceMs).toISOString();
      const rows = await db
        .selectFrom('delivery_jobs')
        .select(['id', 'state', 'next_attempt_at', 'lease_until'])
        .where((eb) => eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', overdue)]),
          eb.and([eb('state', '=', 'running'), eb('lease_until', '<', at.toISOString())]),
        ]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, runAt: at, strand: (r.state === 'running' ? r.lease_until : null) ?? r.next_attempt_at }));
    },

    async getJob(id) {
      const row = await db.selectFrom('delivery_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toDeliveryJob(row);
    },

    async listJobs(filter = {}) {
      let q = db.selectFrom('delivery_jobs').selectAll();
      if (filter.state !== undefined) q = q.where('state', '=', filter.state);
      if (filter.sinkName !== undefined) q = q.where('sink_name', '=', filter.sinkName);
      if (filter.flowId !== undefined) q = q.where('flow_id', '=', filter.flowId);
      if (filter.submissionId !== undefined) q = q.where('submission_id', '=', filter.submissionId);
      if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since.toISOString());
      if (filter.until !== undefined) q = q.where('created_at', '<', filter.until.toISOString());
      const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit ?? 100).execute();
      return rows.map(toDeliveryJob);
    },

    async listAttempts(jobId) {
      const rows = await db.selectFrom('delivery_attempts').selectAll().where('job_id', '=', jobId).orderBy('generation').orderBy('n').orderBy('finished_at').execute();
      return rows.map(toDeliveryAttempt);
    },

    async getSubmission(id) {
      const row = await db
        .selectFrom('submissions as s')
        .innerJoin('flow_sessions as f', 'f.flow_token', 's.flow_token')
        .select(['s.id', 's.flow_token', 's.response_json', 's.answers_json', 's.form_version', 's.created_at', 'f.flow_id', 'f.contact_phone', 'f.entry_point', 'f.campaign'])
        .where('s.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id, flowToken: row.flow_token, flowId: row.flow_id, contactPhone: row.contact_phone, entryPoint: row.entry_point, campaign: row.campaign,
        responseJson: row.response_json, answersJson: row.answers_json, formVersion: row.form_version, createdAt: new Date(row.created_at),
      };
    },

    async countByState() {
      const rows = await db.selectFrom('delivery_jobs').select((eb) => ['state', eb.fn.countAll<string | number>().as('n')]).groupBy('state').execute();
      const counts: Record<DeliveryState, number> = { pending: 0, running: 0, delivered: 0, failed: 0, dead: 0 };
      for (const r of rows) counts[r.state] = Number(r.n);
      return counts;
    },

    async getProgress(idempotencyKey, step) {
      const row = await db.selectFrom('delivery_progress').select('value').where('idempotency_key', '=', idempotencyKey).where('step', '=', step).executeTakeFirst();
      return row?.value;
    },

    async setProgress(idempotencyKey, step, value) {
      const iso = now().toISOString();
      await db
        .insertInto('delivery_progress')
        .values({ idempotency_key: idempotencyKey, step, value: dbText(value), updated_at: iso })
        .onConflict((oc) => oc.columns(['idempotency_key', 'step']).doUpdateSet({ value: dbText(value), updated_at: iso }))
        .execute();
    },

    async resetJobs(ids, reset = {}, then) {
      if (ids.length === 0) return [];
      const at = reset.at ?? now();
      const iso = now().toISOString();
      return db.transaction().execute(async (trx) => {
        const out: DeliveryJob[] = [];
        for (let i = 0; i < ids.length; i += CHUNK) {
          const chunk = ids.slice(i, i + CHUNK);
          const rows = await trx
            .updateTable('delivery_jobs')
            .set((eb) => ({
              state: 'pending', attempts: 0, next_attempt_at: at.toISOString(), budget_from: iso, lease_owner: null, lease_until: null, updated_at: iso,
              ...(reset.newGeneration === true
                ? {
                  generation: eb('generation', '+', 1),
                  // `<submission>:<sink>:g<generation + 1>`, built in SQL so a batch needs one statement.
                  idempotency_key: sql<string>`submission_id || ':' || sink_name || ':g' || cast(generation + 1 as text)`,
                  delivered_at: null, external_id: null, last_error: null, last_field: null,
                }
                : {}),
            }))
            .where('id', 'in', chunk)
            .where('state', 'in', reset.newGeneration === true ? REPLAYABLE : RESETTABLE)
            .returningAll()
            .execute();
          out.push(...rows.map(toDeliveryJob));
        }
        if (out.length > 0 && then !== undefined) await then(trx, out.map((j) => ({ id: j.id, runAt: at })));
        return out;
      });
    },
  };
}
