/**
 * Outbound flow sends: one row per flow message, written before Meta is
 * called. With an idempotency key the row is a claim: the UNIQUE key lets
 * exactly one of any number of concurrent or retried requests go on to
 * call Meta; the others read the row instead (sent → the earlier result,
 * failed → may claim it again, queued → still in flight).
 *
 * States: `queued` (claimed, Meta's answer not yet recorded), `sent` (Meta
 * accepted: `wamid` set), `failed` (Meta refused: nothing was sent, a retry
 * is safe), `unknown` (the call timed out: Meta may or may not have sent it,
 * so it is never retried automatically).
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { newRowId } from '../row-id.js';

/** Send states; see the module comment. */
export type SendState = 'queued' | 'sent' | 'failed' | 'unknown';

/** The `sends` table (migration 0005). */
export interface SendTable {
  id: string;
  flow_id: string;
  flow_token: string;
  /** The recipient as given (before normalisation). */
  recipient: string;
  wa_id: string;
  kind: 'interactive' | 'template';
  entry: string;
  campaign: string | null;
  idempotency_key: string | null;
  wamid: string | null;
  state: SendState;
  error_code: string | null;
  error: string | null;
  ad_id: string | null;
  ctwa_clid: string | null;
  reply_to: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
}

/** What every send has from the start. */
interface SendBasics {
  readonly flowId: string;
  readonly flowToken: string;
  readonly recipient: string;
  readonly waId: string;
  readonly kind: 'interactive' | 'template';
  readonly entry: string;
}

/** A send about to be attempted. */
export interface NewSend extends SendBasics {
  readonly campaign?: string | undefined;
  readonly idempotencyKey?: string | undefined;
  readonly adId?: string | undefined;
  readonly ctwaClid?: string | undefined;
  readonly replyTo?: string | undefined;
}

/** A stored send. */
export interface SendRecord extends SendBasics {
  readonly id: string;
  readonly campaign: string | null;
  readonly idempotencyKey: string | null;
  readonly wamid: string | null;
  readonly state: SendState;
  readonly errorCode: string | null;
  readonly error: string | null;
  readonly adId: string | null;
  readonly ctwaClid: string | null;
  readonly replyTo: string | null;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Result of {@link SendRepo.claim}. */
export type ClaimResult = { readonly claimed: true; readonly send: SendRecord } | { readonly claimed: false; readonly existing: SendRecord };

/** Send persistence; see {@link createSendRepo}. */
export interface SendRepo {
  /** Insert a `queued` send; with a key already used, returns the earlier send instead. */
  claim(send: NewSend): Promise<ClaimResult>;
  /** Claim a `failed` send again (compare-and-set to `queued`); false when another caller got it first. */
  reclaim(id: string, kind: 'interactive' | 'template'): Promise<boolean>;
  markSent(id: string, result: { wamid: string; waId: string; kind: 'interactive' | 'template' }): Promise<void>;
  markFailed(id: string, state: 'failed' | 'unknown', error: { code: string; message: string }): Promise<void>;
  get(id: string): Promise<SendRecord | undefined>;
  findByKey(idempotencyKey: string): Promise<SendRecord | undefined>;
  findByWamid(wamid: string): Promise<SendRecord | undefined>;
}

type Tables = Database & { sends: SendTable };

const opt = (value: string | undefined): string | null => (value === undefined ? null : dbText(value));

/** Send repository over either dialect. */
export function createSendRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): SendRepo {
  const db: Kysely<Tables> = database.withTables<{ sends: SendTable }>();
  const now = options.now ?? (() => new Date());
  const byKey = async (key: string): Promise<SendRecord | undefined> => {
    const row = await db.selectFrom('sends').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    return row && toRecord(row);
  };
  return {
    async claim(send) {
      const at = now().toISOString();
      const row: Selectable<SendTable> = {
        id: newRowId(), flow_id: send.flowId, flow_token: send.flowToken, recipient: dbText(send.recipient), wa_id: send.waId,
        kind: send.kind, entry: send.entry, campaign: opt(send.campaign), idempotency_key: opt(send.idempotencyKey),
        wamid: null, state: 'queued', error_code: null, error: null, ad_id: opt(send.adId), ctwa_clid: opt(send.ctwaClid),
        reply_to: opt(send.replyTo), attempts: 1, created_at: at, updated_at: at,
      };
      const inserted = await db.insertInto('sends').values(row).onConflict((oc) => oc.column('idempotency_key').doNothing()).returning('id').executeTakeFirst();
      if (inserted !== undefined) return { claimed: true, send: toRecord(row) };
      const existing = send.idempotencyKey === undefined ? undefined : await byKey(row.idempotency_key ?? '');
      if (existing === undefined) throw new Error('send claim conflicted but no earlier send with that key exists');
      return { claimed: false, existing };
    },

    async reclaim(id, kind) {
      const result = await db
        .updateTable('sends')
        .set((eb) => ({ state: 'queued', kind, error_code: null, error: null, attempts: eb('attempts', '+', 1), updated_at: now().toISOString() }))
        .where('id', '=', id)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async markSent(id, result) {
      await db.updateTable('sends').set({ state: 'sent', wamid: result.wamid, wa_id: result.waId, kind: result.kind, error_code: null, error: null, updated_at: now().toISOString() }).where('id', '=', id).execute();
    },

    async markFailed(id, state, error) {
      await db.updateTable('sends').set({ state, error_code: dbText(error.code), error: dbText(error.message.slice(0, 1000)), updated_at: now().toISOString() }).where('id', '=', id).execute();
    },

    async get(id) {
      const row = await db.selectFrom('sends').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },

    findByKey: byKey,

    async findByWamid(wamid) {
      const row = await db.selectFrom('sends').selectAll().where('wamid', '=', wamid).executeTakeFirst();
      return row && toRecord(row);
    },
  };
}

function toRecord(row: Selectable<SendTable>): SendRecord {
  return {
    id: row.id, flowId: row.flow_id, flowToken: row.flow_token, recipient: row.recipient, waId: row.wa_id, kind: row.kind, entry: row.entry,
    campaign: row.campaign, idempotencyKey: row.idempotency_key, wamid: row.wamid, state: row.state, errorCode: row.error_code, error: row.error,
    adId: row.ad_id, ctwaClid: row.ctwa_clid, replyTo: row.reply_to, attempts: Number(row.attempts),
    createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
  };
}
