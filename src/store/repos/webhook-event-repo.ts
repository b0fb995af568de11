/**
 * Received webhook events. Meta delivers at least once and retries failed
 * deliveries for up to 7 days, concurrently ("Webhooks" and "Throughput"
 * pages), so every event is stored under a de-duplication key before it is
 * processed, and a repeat is recognised by that key alone.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookEventTable } from '../database.js';

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

/** Webhook event repository over either dialect. */
export function createWebhookEventRepo(db: Kysely<Database>, options: { now?: () => Date } = {}): WebhookEventRepo {
  const now = options.now ?? (() => new Date());
  const columns = ['id', 'received_at', 'signature_ok', 'raw_body', 'dedupe_key', 'kind', 'processed_at'] as const;
  type StoreResult = StoreEventResult;
  type Waiting = { event: IncomingEvent; resolve: (r: StoreResult) => void; reject: (e: unknown) => void };
  let pending: Waiting[] = [];
  let flushing = false;

  async function insertOne(trx: Kysely<Database>, event: Waiting['event']): Promise<StoreResult> {
    const id = randomUUID();
    const inserted = await trx
      .insertInto('webhook_events')
      .values({
        id,
        received_at: now().toISOString(),
        signature_ok: event.signatureOk ? 1 : 0,
        raw_body: event.rawBody,
        dedupe_key: event.dedupeKey,
        kind: event.kind,
        processed_at: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted === undefined ? { created: false } : { created: true, id };
  }

  /** Write everything waiting in one transaction; repeat while more arrived meanwhile. A failed commit fails its whole batch (nothing of it is stored). */
  async function flush(): Promise<void> {
    flushing = true;
    // Let the requests already parsed in this turn of the event loop join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        const results = await db.transaction().execute(async (trx) => {
          const out: StoreResult[] = [];
          for (const item of batch) out.push(await insertOne(trx, item.event));
          return out;
        });
        batch.forEach((item, i) => item.resolve(results[i]!));
      } catch (err) {
        for (const item of batch) item.reject(err);
      }
    }
    flushing = false;
  }

  return {
    /**
     * One INSERT … ON CONFLICT DO NOTHING per event (atomic on both dialects, so concurrent duplicates store
     * once), with group commit: events arriving while a commit is in flight are written together in the next
     * transaction, and every caller is answered only after the commit that holds its row (one fsync for many
     * webhooks instead of one each; the row is still durable before the 200).
     */
    storeEvent(event) {
      return new Promise<StoreResult>((resolve, reject) => {
        pending.push({ event, resolve, reject });
        if (!flushing) void flush();
      });
    },

    async getEvent(id) {
      const row = await db.selectFrom('webhook_events').select(columns).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toEvent(row);
    },

    async markProcessed(id) {
      const result = await db
        .updateTable('webhook_events')
        .set({ processed_at: now().toISOString() })
        .where('id', '=', id)
        .where('processed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
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
