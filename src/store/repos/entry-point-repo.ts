/**
 * Entry-point records (migration 0007): which inbound message already asked
 * for a flow (`entry_triggers`, so a redelivered or concurrently processed
 * webhook answers once) and where each session came from
 * (`entry_attributions`: keyword or click-to-WhatsApp ad, keyed by flow_token).
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';

/** How the user reached the flow. */
export type EntryPointKind = 'keyword' | 'ad';

/** `sending` = claimed by a processor; `failed` = transient failure, may be claimed again; `refused` = permanent. */
export type TriggerState = 'sending' | 'sent' | 'failed' | 'refused';

/** The `entry_triggers` table. */
export interface EntryTriggerTable {
  /** wamid of the inbound message. */
  inbound_message_id: string;
  flow_id: string;
  entry: string;
  wa_id: string;
  state: TriggerState;
  attempts: number;
  send_id: string | null;
  flow_token: string | null;
  error_code: string | null;
  created_at: string;
  updated_at: string;
}

/** The `entry_attributions` table. */
export interface EntryAttributionTable {
  flow_token: string;
  flow_id: string;
  entry: string;
  wa_id: string;
  inbound_message_id: string;
  keyword: string | null;
  ad_id: string | null;
  ctwa_clid: string | null;
  source_type: string | null;
  source_url: string | null;
  headline: string | null;
  created_at: string;
}

/** An inbound message that asks for a flow. */
export interface NewTrigger {
  readonly inboundMessageId: string;
  readonly flowId: string;
  readonly entry: EntryPointKind;
  readonly waId: string;
}

/** A stored trigger. */
export interface EntryTrigger {
  readonly inboundMessageId: string;
  readonly flowId: string;
  readonly entry: string;
  readonly state: TriggerState;
  readonly attempts: number;
  readonly sendId: string | null;
  readonly flowToken: string | null;
  readonly errorCode: string | null;
}

/** How a claimed trigger ended. */
export type TriggerOutcome =
  | { readonly state: 'sent'; readonly sendId: string; readonly flowToken: string }
  | { readonly state: 'failed' | 'refused'; readonly errorCode: string };

/** Where a session came from. */
export interface Attribution {
  readonly flowToken: string;
  readonly flowId: string;
  readonly entry: EntryPointKind;
  readonly waId: string;
  readonly inboundMessageId: string;
  readonly keyword?: string | undefined;
  readonly adId?: string | undefined;
  readonly ctwaClid?: string | undefined;
  readonly sourceType?: string | undefined;
  readonly sourceUrl?: string | undefined;
  readonly headline?: string | undefined;
}

/** A stored attribution. */
export interface StoredAttribution extends Attribution {
  readonly createdAt: Date;
}

/** Entry-point persistence; see {@link createEntryPointRepo}. */
export interface EntryPointRepo {
  /**
   * Claim the right to answer this inbound message: true for exactly one caller,
   * unless an earlier claim failed transiently or went stale (its processor died).
   */
  claimTrigger(trigger: NewTrigger, options?: { readonly staleAfterMs?: number }): Promise<boolean>;
  finishTrigger(inboundMessageId: string, outcome: TriggerOutcome): Promise<void>;
  getTrigger(inboundMessageId: string): Promise<EntryTrigger | undefined>;
  /** True when stored now; false when the flow_token already has one. */
  recordAttribution(attribution: Attribution): Promise<boolean>;
  getAttribution(flowToken: string): Promise<StoredAttribution | undefined>;
  /** Newest first. */
  listAttributions(query?: { readonly adId?: string; readonly flowId?: string; readonly limit?: number }): Promise<StoredAttribution[]>;
}

/** A claim left in `sending` this long is taken over (its processor crashed). */
export const DEFAULT_STALE_CLAIM_MS = 5 * 60_000;

type Tables = Database & { entry_triggers: EntryTriggerTable; entry_attributions: EntryAttributionTable };

/** Longest webhook-provided value kept (URLs, headlines, click ids). */
const MAX_TEXT = 2048;
const optional = (value: string | undefined): string | null => (value === undefined ? null : dbText(value.slice(0, MAX_TEXT)));

/** Entry-point repository over either dialect. */
export function createEntryPointRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): EntryPointRepo {
  const db: Kysely<Tables> = database.withTables<{ entry_triggers: EntryTriggerTable; entry_attributions: EntryAttributionTable }>();
  const now = options.now ?? (() => new Date());
  return {
    async claimTrigger(trigger, claimOptions = {}) {
      const at = now();
      const inserted = await db
        .insertInto('entry_triggers')
        .values({
          inbound_message_id: dbText(trigger.inboundMessageId),
          flow_id: trigger.flowId,
          entry: trigger.entry,
          wa_id: dbText(trigger.waId),
          state: 'sending',
          attempts: 1,
          send_id: null,
          flow_token: null,
          error_code: null,
          created_at: at.toISOString(),
          updated_at: at.toISOString(),
        })
        .onConflict((oc) => oc.column('inbound_message_id').doNothing())
        .returning('inbound_message_id')
        .executeTakeFirst();
      if (inserted !== undefined) return true;
      const staleBefore = new Date(at.getTime() - (claimOptions.staleAfterMs ?? DEFAULT_STALE_CLAIM_MS)).toISOString();
      const taken = await db
        .updateTable('entry_triggers')
        .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: at.toISOString() }))
        .where('inbound_message_id', '=', dbText(trigger.inboundMessageId))
        .where((eb) => eb.or([eb('state', '=', 'failed'), eb.and([eb('state', '=', 'sending'), eb('updated_at', '<', staleBefore)])]))
        .executeTakeFirst();
      return Number(taken.numUpdatedRows) === 1;
    },

    async finishTrigger(inboundMessageId, outcome) {
      await db
        .updateTable('entry_triggers')
        .set({
          state: outcome.state,
          send_id: outcome.state === 'sent' ? outcome.sendId : null,
          flow_token: outcome.state === 'sent' ? outcome.flowToken : null,
          error_code: outcome.state === 'sent' ? null : dbText(outcome.errorCode.slice(0, 64)),
          updated_at: now().toISOString(),
        })
        .where('inbound_message_id', '=', dbText(inboundMessageId))
        .execute();
    },

    async getTrigger(inboundMessageId) {
      const row = await db.selectFrom('entry_triggers').selectAll().where('inbound_message_id', '=', dbText(inboundMessageId)).executeTakeFirst();
      return row === undefined ? undefined : toTrigger(row);
    },

    async recordAttribution(a) {
      const inserted = await db
        .insertInto('entry_attributions')
        .values({
          flow_token: a.flowToken,
          flow_id: a.flowId,
          entry: a.entry,
          wa_id: dbText(a.waId),
          inbound_message_id: dbText(a.inboundMessageId),
          keyword: optional(a.keyword),
          ad_id: optional(a.adId),
          ctwa_clid: optional(a.ctwaClid),
          source_type: optional(a.sourceType),
          source_url: optional(a.sourceUrl),
          headline: optional(a.headline),
          created_at: now().toISOString(),
        })
        .onConflict((oc) => oc.column('flow_token').doNothing())
        .returning('flow_token')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async getAttribution(flowToken) {
      const row = await db.selectFrom('entry_attributions').selectAll().where('flow_token', '=', flowToken).executeTakeFirst();
      return row === undefined ? undefined : toAttribution(row);
    },

    async listAttributions(query = {}) {
      let select = db.selectFrom('entry_attributions').selectAll();
      if (query.adId !== undefined) select = select.where('ad_id', '=', query.adId);
      if (query.flowId !== undefined) select = select.where('flow_id', '=', query.flowId);
      const rows = await select.orderBy('created_at', 'desc').orderBy('flow_token').limit(query.limit ?? 100).execute();
      return rows.map(toAttribution);
    },
  };
}

function toTrigger(row: Selectable<EntryTriggerTable>): EntryTrigger {
  return {
    inboundMessageId: row.inbound_message_id,
    flowId: row.flow_id,
    entry: row.entry,
    state: row.state,
    attempts: Number(row.attempts),
    sendId: row.send_id,
    flowToken: row.flow_token,
    errorCode: row.error_code,
  };
}

const defined = (value: string | null): string | undefined => value ?? undefined;

function toAttribution(row: Selectable<EntryAttributionTable>): StoredAttribution {
  return {
    flowToken: row.flow_token,
    flowId: row.flow_id,
    entry: row.entry === 'ad' ? 'ad' : 'keyword',
    waId: row.wa_id,
    inboundMessageId: row.inbound_message_id,
    keyword: defined(row.keyword),
    adId: defined(row.ad_id),
    ctwaClid: defined(row.ctwa_clid),
    sourceType: defined(row.source_type),
    sourceUrl: defined(row.source_url),
    headline: defined(row.headline),
    createdAt: new Date(row.created_at),
  };
}
