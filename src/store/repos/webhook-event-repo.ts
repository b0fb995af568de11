/**
 * Received webhook events. Meta delivers at least once and retries failed
 * deliveries for up to 7 days, concurrently ("Webhooks" and "Throughput"
 * pages), so every event is stored under a de-duplication key before it is
 * processed, and a repeat is recognised by that key alone.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookEventTable } from '../database.js';
import { createGroupCommit } from '../group-commit.js';
import { newRowId } from '../row-id.js';

/** An event as received. */
export interface IncomingEvent {
  /**
   * Identifies the event across Meta's retries, e.g. `message:<wamid>`,
   * `status:<wamid>:<status>`, or a SHA-256 of the raw body when nothing better exists.
   */
  readonly dedupeKey: string;
  /** What it is, e.g. `nfm_reply`, `status`, `flows` (free text for now). */
  readonly kind: string;
  readonly rawBody: string;
  readonly signatureOk: boolean;
}

/** A stored event. */
export interface StoredEvent extends IncomingEvent {
  readonly id: string;
  readonly receivedAt: Date;
  readonly processedAt: Date | null;
}

/** `created` is true for exactly one store of a given dedupe key. */
export type StoreEventResult = { readonly created: true; readonly id: string } | { readonly created: false };

/** Webhook event persistence; see {@link createWebhookEventRepo}. */
export interface WebhookEventRepo {
  storeEvent(event: IncomingEvent): Promise<StoreEventResult>;
  getEvent(id: string): Promise<StoredEvent | undefined>;
  /** Marks an event as handled; true when this call did it (false if already processed or unknown). */
  markProcessed(id: string): Promise<boolean>;
  /** Oldest unprocessed events first, e.g. to resume after a crash. */
  listUnprocessed(limit: number): Promise<StoredEvent[]>;
}

/** What the group commit writes: a new event, or an event's processed mark. */
type EventWrite = { readonly store: IncomingEvent } | { readonly mark: string };

/** Rows per statement: 7 parameters each stays far below SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const CHUNK = 500;

/** Webhook event repository over either dialect. */
export function createWebhookEventRepo(db: Kysely<Database>, options: { now?: () => Date } = {}): WebhookEventRepo {
  const now = options.now ?? (() => new Date());
  const columns = ['id', 'received_at', 'signature_ok', 'raw_body', 'dedupe_key', 'kind', 'processed_at'] as const;

  /** One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING id per chunk; the returned ids are the rows created. */
  async function insertAll(trx: Kysely<Database>, events: readonly IncomingEvent[]): Promise<StoreEventResult[]> {
    const receivedAt = now().toISOString();
    const ids = events.map(() => newRowId());
    const created = new Set<string>();
    for (let from = 0; from < events.length; from += CHUNK) {
      const rows = events.slice(from, from + CHUNK).map((event, i) => ({
        id: ids[from + i]!,
        received_at: receivedAt,
        signature_ok: event.signatureOk ? 1 : 0,
        raw_body: event.rawBody,
        dedupe_key: event.dedupeKey,
        kind: event.kind,
        processed_at: null,
      }));
      const inserted = await trx.insertInto('webhook_events').values(rows).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').execute();
      for (const row of inserted) created.add(row.id);
    }
    return ids.map((id) => (created.has(id) ? { created: true, id } : { created: false }));
  }

  /** One UPDATE … WHERE id IN (…) RETURNING id per chunk; a repeated id is true for its first caller only. */
  async function markAll(trx: Kysely<Database>, ids: readonly string[]): Promise<boolean[]> {
    const updated = new Set<string>();
    const unique = [...new Set(ids)];
    const processedAt = now().toISOString();
    for (let from = 0; from < unique.length; from += CHUNK) {
      const rows = await trx
        .updateTable('webhook_events')
        .set({ processed_at: processedAt })
        .where('id', 'in', unique.slice(from, from + CHUNK))
        .where('processed_at', 'is', null)
        .returning('id')
        .execute();
      for (const row of rows) updated.add(row.id);
    }
    return ids.map((id) => updated.delete(id));
  }

  /** New events and processed marks that arrive together share one transaction (group commit). */
  const write = createGroupCommit<EventWrite, StoreEventResult | boolean>((items) => db.transaction().execute(async (trx) => {
    const stores = items.flatMap((w, i) => ('store' in w ? [{ i, event: w.store }] : []));
    const marks = items.flatMap((w, i) => ('mark' in w ? [{ i, id: w.mark }] : []));
    const results: Array<StoreEventResult | boolean> = new Array<StoreEventResult | boolean>(items.length);
    if (stores.length > 0) (await insertAll(trx, stores.map((s) => s.event))).forEach((r, k) => { results[stores[k]!.i] = r; });
    if (marks.length > 0) (await markAll(trx, marks.map((m) => m.id))).forEach((r, k) => { results[marks[k]!.i] = r; });
    return results;
  }), { maxBatch: 2 * CHUNK });

  return {
    /**
     * INSERT … ON CONFLICT DO NOTHING (atomic on both dialects, so concurrent duplicates store once), with
     * group commit: events arriving while a commit is in flight are written together, as one multi-row INSERT,
     * in the next transaction, and every caller is answered only after the commit that holds its row (one
     * fsync for many webhooks instead of one each; the row is still durable before the 200).
     */
    storeEvent(event) {
      return write({ store: event }) as Promise<StoreEventResult>;
    },

    async getEvent(id) {
      const row = await db.selectFrom('webhook_events').select(columns).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toEvent(row);
    },

    /** Group-committed with the stores: marks waiting together share one UPDATE and the stores' transaction. */
    markProcessed(id) {
      return write({ mark: id }) as Promise<boolean>;
    },

    async listUnprocessed(limit) {
      const rows = await db.selectFrom('webhook_events').select(columns).where('processed_at', 'is', null).orderBy('received_at').orderBy('id').limit(limit).execute();
      return rows.map(toEvent);
    },
  };
}

function toEvent(row: Selectable<WebhookEventTable>): StoredEvent {
  return {
    id: row.id,
    receivedAt: new Date(row.received_at),
    signatureOk: row.signature_ok === 1,
    rawBody: row.raw_body,
    dedupeKey: row.dedupe_key,
    kind: row.kind,
    processedAt: row.processed_at === null ? null : new Date(row.processed_at),
  };
}
