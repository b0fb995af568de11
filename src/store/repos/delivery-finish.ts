/**
 * Recording finished attempts: each job's row moves on only while its claim
 * still holds (same `lease_owner`, still `running`), its attempt row is
 * written with it, and retries are handed to the queue in the same
 * transaction. Several finishes share one transaction (group commit), which
 * is what bounds delivery throughput on SQLite: one commit per batch, not
 * per delivery.
 * @module
 */
import type { Insertable, Kysely } from 'kysely';
import { dbText } from './db-text.js';
import type { DeliveryDatabase, EnqueueHook, FinishItem, RunnableJob } from './delivery-repo.js';
import type { DeliveryAttemptTable } from './delivery-tables.js';
import { newRowId } from '../row-id.js';

/** Attempt rows per INSERT: 12 values each, far below both databases' bound-parameter limits. */
const ATTEMPTS_PER_INSERT = 200;

/** Apply `items` in one transaction; true for each item whose claim still held. */
export async function finishAttempts(db: Kysely<DeliveryDatabase>, items: readonly FinishItem[], at: Date, then?: EnqueueHook): Promise<boolean[]> {
  if (items.length === 0) return [];
  const finished = at.toISOString();
  return db.transaction().execute(async (trx) => {
    const done: boolean[] = [];
    const runnable: RunnableJob[] = [];
    const attempts: Array<Insertable<DeliveryAttemptTable>> = [];
    for (const { job, finish } of items) {
      const result = await trx
        .updateTable('delivery_jobs')
        .set({
          state: finish.state,
          next_attempt_at: (finish.nextAttemptAt ?? job.nextAttemptAt).toISOString(),
          lease_owner: null,
          lease_until: null,
          last_error: finish.outcome === 'delivered' ? job.lastError : dbText(finish.reason ?? ''),
          last_field: finish.outcome === 'permanent' ? (finish.field ?? null) : finish.outcome === 'delivered' ? job.lastField : null,
          external_id: finish.externalId ?? job.externalId,
          delivered_at: finish.state === 'delivered' ? finished : null,
          updated_at: finished,
        })
        .where('id', '=', job.id)
        .where('state', '=', 'running')
        .where('lease_owner', '=', job.leaseOwner)
        .executeTakeFirst();
      const ok = Number(result.numUpdatedRows) === 1;
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
