/**
 * Received webhook events. Meta delivers at least once and retries failed
 * deliveries for up to 7 days, concurrently ("Webhooks" and "Throughput"
 * pages), so every event is stored under a de-duplication key before it is
 * processed, and a repeat is recognised by that key alone.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookEventTable } from '../database.js';
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

/** Rows per statement: 7 parameters each stays far below SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const CHUNK = 500;

/** Webhook event repository over either dialect. */
export function createWebhookEventRepo(db: Kysely<Database>, options: { now?: () => Date } = {}): WebhookEventRepo {
  const now = options.now ?? (() => new Date());
  const columns = ['id', 'received_at', 'signature_ok', 'raw_body', 'dedupe_key', 'kind', 'processed_at'] as const;
  type StoreResult = StoreEventResult;
  type Waiting<I, R> = { input: I; resolve: (r: R) => void; reject: (e: unknown) => void };
  let stores: Waiting<IncomingEvent, StoreResult>[] = [];
  let marks: Waiting<string, boolean>[] = [];
  let flushing = false;

  /** One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING id per chunk; the returned ids are the rows created. */
  async function insertAll(trx: Kysely<Database>, batch: readonly Waiting<IncomingEvent, StoreResult>[]): Promise<StoreResult[]> {
    const receivedAt = now().toISOString();
    const ids = batch.map(() => newRowId());
    const created = new Set<string>();
    for (let from = 0; from < batch.length; from += CHUNK) {
      const rows = batch.slice(from, from + CHUNK).map(({ input: event }, i) => ({
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
  async function markAll(trx: Kysely<Database>, batch: readonly Waiting<string, boolean>[]): Promise<boolean[]> {
    const updated = new Set<string>();
    const unique = [...new Set(batch.map((m) => m.input))];
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
    return batch.map((m) => updated.delete(m.input));
  }

  /**
   * Write everything waiting (new events and processed marks) in one transaction; repeat while more
   * arrived meanwhile. A failed commit fails its whole batch (nothing of it is written).
   */
  async function flush(): Promise<void> {
    flushing = true;
    // Let the requests already parsed in this turn of the event loop join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (stores.length > 0 || marks.length > 0) {
      const storeBatch = stores;
      const markBatch = marks;
      stores = [];
      marks = [];
      try {
        const [stored, marked] = await db.transaction().execute(async (trx) => [
          storeBatch.length === 0 ? [] : await insertAll(trx, storeBatch),
          markBatch.length === 0 ? [] : await markAll(trx, markBatch),
        ] as const);
        storeBatch.forEach((item, i) => item.resolve(stored[i]!));
        markBatch.forEach((item, i) => item.resolve(marked[i]!));
      } catch (err) {
        for (const item of [...storeBatch, ...markBatch]) item.reject(err);
      }
    }
    flushing = false;
  }

  function enqueue<I, R>(queue: Waiting<I, R>[], input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (!flushing) void flush();
    });
  }

  return {
    /**
     * INSERT … ON CONFLICT DO NOTHING (atomic on both dialects, so concurrent duplicates store once), with
     * group commit: events arriving while a commit is in flight are written together, as one multi-row INSERT,
     * in the next transaction, and every caller is answered only after the commit that holds its row (one
     * fsync for many webhooks instead of one each; the row is still durable before the 200).
     */
    storeEvent(event) {
      return enqueue(stores, event);
    },

    async getEvent(id) {
      const row = await db.selectFrom('webhook_events').select(columns).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toEvent(row);
    },

    /** Group-committed with the stores: marks waiting together share one UPDATE and the stores' transaction. */
    markProcessed(id) {
      return enqueue(marks, id);
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
