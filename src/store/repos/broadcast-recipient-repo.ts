/**
 * The per-recipient send state of broadcasts. A runner claims recipients
 * (`pending`, or `deferred` and due → `sending`, one more attempt) in one
 * statement before sending, and records the outcomes of many sends in one
 * transaction afterwards: a crash in between leaves them `sending`, and the
 * next runner re-sends exactly those with the same idempotency key.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { broadcastDb, toRecipient, type Recipient } from './broadcast-tables.js';

/** What one send came to. */
export type RecipientOutcome =
  | { readonly id: string; readonly kind: 'sent'; readonly sendId: string; readonly wamid: string; readonly flowToken: string }
  | { readonly id: string; readonly kind: 'failed'; readonly errorCode: string; readonly error: string }
  | { readonly id: string; readonly kind: 'deferred'; readonly nextAt: Date; readonly errorCode: string; readonly error: string }
  /** Not sent and not the recipient's fault (the broadcast was paused): back in the queue, the attempt not counted. */
  | { readonly id: string; readonly kind: 'requeue' }
  /** Not sent because the broadcast was cancelled. */
  | { readonly id: string; readonly kind: 'skipped' };

/** Recipient persistence; see {@link createRecipientRepo}. */
export interface RecipientRepo {
  /** Recipients left `sending` (by a runner that stopped before recording them), in list order. */
  listSending(broadcastId: string): Promise<Recipient[]>;
  /** Claim up to `limit` recipients that are pending or deferred and due: → `sending`, attempts + 1. */
  claim(broadcastId: string, limit: number): Promise<Recipient[]>;
  /** Record outcomes of `sending` recipients in one transaction (rows no longer `sending` are left alone). */
  record(outcomes: readonly RecipientOutcome[]): Promise<void>;
  /** The earliest `next_at` of a deferred recipient. */
  nextDeferredAt(broadcastId: string): Promise<Date | undefined>;
  /** Recipients in one state, in list order (for status output). */
  list(broadcastId: string, state: Recipient['state'], limit: number): Promise<Recipient[]>;
}

/** Recipient repository over either dialect. */
export function createRecipientRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): RecipientRepo {
  const db = broadcastDb(database);
  const now = options.now ?? (() => new Date());
  return {
    async listSending(broadcastId) {
      const rows = await db.selectFrom('broadcast_recipients').selectAll().where('broadcast_id', '=', broadcastId).where('state', '=', 'sending').orderBy('line').execute();
      return rows.map(toRecipient);
    },

    async claim(broadcastId, limit) {
      const at = now().toISOString();
      return db.transaction().execute(async (trx) => {
        const ids = await trx.selectFrom('broadcast_recipients').select('id')
          .where('broadcast_id', '=', broadcastId)
          .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'deferred'), eb('next_at', '<=', at)])]))
          .orderBy('line').limit(limit).execute();
        if (ids.length === 0) return [];
        const rows = await trx.updateTable('broadcast_recipients')
          .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: at }))
          .where('id', 'in', ids.map((r) => r.id)).where('state', 'in', ['pending', 'deferred'])
          .returningAll().execute();
        return rows.map(toRecipient).sort((a, b) => a.line - b.line);
      });
    },

    async record(outcomes) {
      if (outcomes.length === 0) return;
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        for (const o of outcomes) {
          const update = trx.updateTable('broadcast_recipients').where('id', '=', o.id).where('state', '=', 'sending');
          if (o.kind === 'sent') {
            await update.set({ state: 'sent', send_id: o.sendId, wamid: o.wamid, flow_token: o.flowToken, next_at: null, error_code: null, error: null, updated_at: at }).execute();
          } else if (o.kind === 'failed') {
            await update.set({ state: 'failed', next_at: null, error_code: dbText(o.errorCode), error: dbText(o.error), updated_at: at }).execute();
          } else if (o.kind === 'deferred') {
            await update.set({ state: 'deferred', next_at: o.nextAt.toISOString(), error_code: dbText(o.errorCode), error: dbText(o.error), updated_at: at }).execute();
          } else if (o.kind === 'skipped') {
            await update.set({ state: 'skipped', error: 'broadcast cancelled', updated_at: at }).execute();
          } else {
            await update.set((eb) => ({ state: 'pending', attempts: eb('attempts', '-', 1), updated_at: at })).execute();
          }
        }
      });
    },

    async nextDeferredAt(broadcastId) {
      const row = await db.selectFrom('broadcast_recipients').select((eb) => eb.fn.min('next_at').as('next'))
        .where('broadcast_id', '=', broadcastId).where('state', '=', 'deferred').executeTakeFirst();
      return row?.next === null || row?.next === undefined ? undefined : new Date(row.next);
    },

    async list(broadcastId, state, limit) {
      const rows = await db.selectFrom('broadcast_recipients').selectAll().where('broadcast_id', '=', broadcastId).where('state', '=', state).orderBy('line').limit(limit).execute();
      return rows.map(toRecipient);
    },
  };
}
