/**
 * Claiming delivery jobs: one `UPDATE … WHERE id IN (…) RETURNING` moves
 * due rows to `running` with a lease (`lease_owner` = `<worker>/<uuid>`,
 * one token per claim statement) and counts the attempt. Three ways in:
 *
 * - due or expired rows picked by two ordered index range scans (the
 *   SQLite poller), never a sort of the backlog;
 * - given ids (pg-boss hands out ids);
 * - given ids inside the caller's transaction: the embedded queue claims
 *   jobs in the very transaction that creates them (the outbox), so a fresh
 *   job costs no claim statement and no commit of its own. Whether that
 *   transaction committed is read back afterwards with {@link DeliveryClaimer.leaseOwners}.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { DeliveryDatabase } from './delivery-repo.js';
import { toDeliveryJob, type DeliveryJob } from './delivery-tables.js';

/** What the repository's claim methods are built on. */
export interface DeliveryClaimer {
  /** Claim due (`pending`, due now) or `expired` (running, lease over) rows: among `ids` when given, else the first `limit` by time. */
  claim(kind: 'due' | 'expired', ids: readonly string[] | undefined, worker: string, limit: number, leaseMs: number, trx?: Transaction<Database>): Promise<DeliveryJob[]>;
  /** Current `lease_owner` of each of `ids` that exists (null when not running). */
  leaseOwners(ids: readonly string[]): Promise<Map<string, string | null>>;
}

/** Build the claim statements over `db`. */
export function createDeliveryClaimer(db: Kysely<DeliveryDatabase>, postgres: boolean, now: () => Date): DeliveryClaimer {
  const candidates = (kind: 'due' | 'expired', at: string, limit: number) => {
    let q = db.selectFrom('delivery_jobs').select('id');
    q = kind === 'due'
      ? q.where('state', '=', 'pending').where('next_attempt_at', '<=', at).orderBy('state').orderBy('next_attempt_at')
      : q.where('state', '=', 'running').where('lease_until', '<', at).orderBy('state').orderBy('lease_until');
    q = q.limit(limit);
    return postgres ? q.forUpdate().skipLocked() : q;
  };

  return {
    async claim(kind, ids, worker, limit, leaseMs, trx) {
      const at = now();
      const iso = at.toISOString();
      const executor = trx === undefined ? db : (trx.withTables() as unknown as Kysely<DeliveryDatabase>);
      const rows = await executor
        .updateTable('delivery_jobs')
        .set((eb) => ({
          state: 'running',
          attempts: eb('attempts', '+', 1),
          lease_owner: `${worker}/${randomUUID()}`,
          lease_until: new Date(at.getTime() + leaseMs).toISOString(),
          updated_at: iso,
        }))
        .where((eb) => {
          const dueNow = kind === 'due'
            ? eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', iso)])
            : eb.and([eb('state', '=', 'running'), eb('lease_until', '<', iso)]);
          if (ids !== undefined) return eb.and([eb('id', 'in', ids), dueNow]);
          // PostgreSQL: repeated outside the subquery, so a concurrent claimer re-checks them after waiting for the row lock.
          // SQLite runs one statement at a time, and a repeat would make it scan the whole backlog instead of the few ids.
          return postgres ? eb.and([eb('id', 'in', candidates(kind, iso, limit)), dueNow]) : eb('id', 'in', candidates(kind, iso, limit));
        })
        .returningAll()
        .execute();
      return rows.map(toDeliveryJob).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    },

    async leaseOwners(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('delivery_jobs').select(['id', 'state', 'lease_owner']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.state === 'running' ? r.lease_owner : null]));
    },
  };
}
