/**
 * Recording finished attempts: each job's row moves on only while its claim
 * still holds (same `lease_owner`, still `running`), its attempt row is
 * written with it, and retries are handed to the queue in the same
 * transaction. Several finishes share one transaction (group commit), which
 * is what bounds delivery throughput on SQLite: one commit per batch, not
 * per delivery.
 * @module
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import { dbText } from './db-text.js';
import type { DeliveryDatabase, EnqueueHook, FinishItem, RunnableJob } from './delivery-repo.js';
import type { DeliveryAttemptTable } from './delivery-tables.js';
import { newRowId } from '../row-id.js';

/** Attempt rows per INSERT: 12 values each, far below both databases' bound-parameter limits. */
const ATTEMPTS_PER_INSERT = 200;
/** Jobs per fenced UPDATE: 8 values each. */
const JOBS_PER_UPDATE = 200;

/** Apply `items` in one transaction; true for each item whose claim still held. */
export async function finishAttempts(db: Kysely<DeliveryDatabase>, items: readonly FinishItem[], at: Date, then?: EnqueueHook): Promise<boolean[]> {
  if (items.length === 0) return [];
  const finished = at.toISOString();
  return db.transaction().execute(async (trx) => {
    const done: boolean[] = [];
    const runnable: RunnableJob[] = [];
    const attempts: Array<Insertable<DeliveryAttemptTable>> = [];
    // One fenced UPDATE ... FROM (VALUES ...) per chunk: a job moves on only while its claim holds.
    const moved = new Set<string>();
    for (let from = 0; from < items.length; from += JOBS_PER_UPDATE) {
      for (const id of await moveJobs(trx, items.slice(from, from + JOBS_PER_UPDATE), finished)) moved.add(id);
    }
    for (const { job, finish } of items) {
      const ok = moved.has(job.id);
      done.push(ok);
      if (!ok) continue;
      attempts.push({
        id: newRowId(), job_id: job.id, generation: job.generation, n: job.attempts, worker: job.leaseOwner?.split('/')[0] ?? 'unknown',
        started_at: finish.startedAt.toISOString(), finished_at: finished, outcome: finish.outcome,
        reason: finish.reason === undefined ? null : dbText(finish.reason), field: finish.field ?? null,
        retry_after_ms: finish.retryAfterMs ?? null, external_id: finish.externalId ?? null,
      });
      if (finish.state === 'pending') runnable.push({ id: job.id, runAt: finish.nextAttemptAt ?? at });
    }
    // The attempt rows of the batch in multi-row INSERTs (12 values each).
    for (let from = 0; from < attempts.length; from += ATTEMPTS_PER_INSERT) {
      await trx.insertInto('delivery_attempts').values(attempts.slice(from, from + ATTEMPTS_PER_INSERT)).execute();
    }
    if (runnable.length > 0 && then !== undefined) await then(trx, runnable);
    return done;
  });
}

/**
 * Move a chunk of jobs on in one statement, each fenced by its claim (still
 * `running`, same `lease_owner`); returns the ids moved. VALUES columns are
 * `column1`… on both SQLite (3.33+ has UPDATE … FROM) and PostgreSQL; every
 * value is text, as the columns are.
 */
async function moveJobs(trx: Kysely<DeliveryDatabase>, items: readonly FinishItem[], finished: string): Promise<string[]> {
  const rows = items.map(({ job, finish }) => sql`(${sql.join([
    job.id,
    job.leaseOwner,
    finish.state,
    (finish.nextAttemptAt ?? job.nextAttemptAt).toISOString(),
    finish.outcome === 'delivered' ? job.lastError : dbText(finish.reason ?? ''),
    finish.outcome === 'permanent' ? (finish.field ?? null) : finish.outcome === 'delivered' ? job.lastField : null,
    finish.externalId ?? job.externalId,
    finish.state === 'delivered' ? finished : null,
  ])})`);
  const result = await sql<{ id: string }>`
    update delivery_jobs as j set
      state = v.column3, next_attempt_at = v.column4, lease_owner = null, lease_until = null,
      last_error = v.column5, last_field = v.column6, external_id = v.column7, delivered_at = v.column8, updated_at = ${finished}
    from (values ${sql.join(rows)}) as v
    where j.id = v.column1 and j.state = 'running' and j.lease_owner = v.column2
    returning id`.execute(trx);
  return result.rows.map((r) => r.id);
}
