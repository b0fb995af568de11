/**
 * Broadcasts and their lifecycle: creation with all recipients in one
 * transaction, conditional state changes (a change from the wrong state
 * changes nothing), cancellation that skips every unsent recipient, and a
 * lease so that one runner at a time sends a broadcast (a crashed runner's
 * lease runs out and another takes over).
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { broadcastDb, toBroadcast, type Broadcast, type BroadcastState } from './broadcast-tables.js';
import { newRowId } from '../row-id.js';

/** A recipient to store with a new broadcast. */
export interface NewRecipient {
  readonly line: number;
  readonly waId: string;
  readonly name?: string | undefined;
  readonly vars?: Readonly<Record<string, string>> | undefined;
}

/** What a new broadcast is made of. */
export interface NewBroadcast {
  readonly flowId: string;
  readonly template?: string | undefined;
  readonly rate: number;
  readonly region?: string | undefined;
  readonly optedIn: boolean;
  readonly recipients: readonly NewRecipient[];
}

/** Broadcast persistence; see {@link createBroadcastRepo}. */
export interface BroadcastRepo {
  /** Store the broadcast (state `draft`) and every recipient (`pending`), atomically. */
  create(input: NewBroadcast): Promise<Broadcast>;
  get(id: string): Promise<Broadcast | undefined>;
  /** Move to `to` when the state is one of `from`; undefined when it was not (nothing changed). */
  transition(id: string, from: readonly BroadcastState[], to: BroadcastState, error?: string | null): Promise<Broadcast | undefined>;
  /** Cancel a draft, running or paused broadcast and mark its unsent recipients `skipped`; undefined when not cancellable. */
  cancel(id: string): Promise<Broadcast | undefined>;
  /** Running broadcasts, oldest start first. */
  listRunning(): Promise<Broadcast[]>;
  /** The newest broadcasts first. */
  listRecent(limit: number): Promise<Broadcast[]>;
  /** Take or renew the lease when free, expired or already ours. */
  acquireLease(id: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(id: string, owner: string): Promise<void>;
  /** `running → done` when no recipient is left to send; true when it happened. */
  finishIfComplete(id: string): Promise<boolean>;
}

/** Rows per multi-row insert: well under both dialects' bound-parameter limits. */
const INSERT_CHUNK = 400;

/** Broadcast repository over either dialect. */
export function createBroadcastRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): BroadcastRepo {
  const db = broadcastDb(database);
  const now = options.now ?? (() => new Date());
  const get = async (id: string): Promise<Broadcast | undefined> => {
    const row = await db.selectFrom('broadcasts').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toBroadcast(row);
  };

  return {
    async create(input) {
      const id = newRowId();
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('broadcasts').values({
          id, flow_id: dbText(input.flowId), template: input.template === undefined ? null : dbText(input.template), rate: input.rate,
          region: input.region ?? null, opted_in: input.optedIn ? 1 : 0, state: 'draft', error: null,
          created_at: at, updated_at: at, started_at: null, finished_at: null, lease_owner: null, lease_until: null,
        }).execute();
        for (let i = 0; i < input.recipients.length; i += INSERT_CHUNK) {
          const rows = input.recipients.slice(i, i + INSERT_CHUNK).map((r) => ({
            id: newRowId(), broadcast_id: id, line: r.line, wa_id: r.waId,
            name: r.name === undefined ? null : dbText(r.name),
            vars_json: r.vars === undefined || Object.keys(r.vars).length === 0 ? null : dbText(JSON.stringify(r.vars)),
            state: 'pending' as const, attempts: 0, next_at: null, send_id: null, wamid: null, flow_token: null, error_code: null, error: null, updated_at: at,
          }));
          await trx.insertInto('broadcast_recipients').values(rows).execute();
        }
      });
      return (await get(id))!;
    },

    get,

    async transition(id, from, to, error) {
      const at = now().toISOString();
      const result = await db.updateTable('broadcasts')
        .set({
          state: to, updated_at: at,
          ...(error !== undefined && { error }),
          ...(to === 'running' && { started_at: at, finished_at: null }),
          ...((to === 'done' || to === 'cancelled') && { finished_at: at }),
        })
        .where('id', '=', id).where('state', 'in', [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 0 ? undefined : get(id);
    },

    async cancel(id) {
      const at = now().toISOString();
      const changed = await db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('broadcasts').set({ state: 'cancelled', updated_at: at, finished_at: at })
          .where('id', '=', id).where('state', 'in', ['draft', 'running', 'paused']).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        await trx.updateTable('broadcast_recipients').set({ state: 'skipped', updated_at: at, error: 'broadcast cancelled' })
          .where('broadcast_id', '=', id).where('state', 'in', ['pending', 'deferred']).execute();
        return true;
      });
      return changed ? get(id) : undefined;
    },

    async listRunning() {
      const rows = await db.selectFrom('broadcasts').selectAll().where('state', '=', 'running').orderBy('started_at').orderBy('id').execute();
      return rows.map(toBroadcast);
    },

    async listRecent(limit) {
      const rows = await db.selectFrom('broadcasts').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toBroadcast);
    },

    async acquireLease(id, owner, ttlMs) {
      const at = now();
      const result = await db.updateTable('broadcasts')
        .set({ lease_owner: owner, lease_until: new Date(at.getTime() + ttlMs).toISOString() })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', at.toISOString())]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async releaseLease(id, owner) {
      await db.updateTable('broadcasts').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
    },

    async finishIfComplete(id) {
      const at = now().toISOString();
      const result = await db.updateTable('broadcasts').set({ state: 'done', updated_at: at, finished_at: at })
        .where('id', '=', id).where('state', '=', 'running')
        .where((eb) => eb.not(eb.exists(
          eb.selectFrom('broadcast_recipients').select('broadcast_recipients.id')
            .where('broadcast_recipients.broadcast_id', '=', id).where('broadcast_recipients.state', 'in', ['pending', 'sending', 'deferred']),
        )))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
