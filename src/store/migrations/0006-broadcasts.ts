/**
 * Broadcasts: contact lists, recipients and their per-recipient send state, crash-safe (issue 7).
 * Portable schema-builder DDL only (rules in `../database.ts`).
 *
 * A recipient moves `pending → sending → sent | failed | deferred | skipped`;
 * `sending` is written (durably) before the message is handed to the sender,
 * so after a crash every `sending` row is re-sent with the same idempotency
 * key and the sender returns the earlier send instead of sending again. The
 * lease columns make one runner at a time own a broadcast.
 * @module
 */
import { sql, type Kysely } from 'kysely';

/** Create the tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('broadcasts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('rate', 'double precision', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('opted_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addCheckConstraint('broadcasts_state_check', sql`state in ('draft', 'running', 'paused', 'cancelled', 'done')`)
    .addCheckConstraint('broadcasts_opted_in_check', sql`opted_in in (0, 1)`)
    .execute();
  await db.schema.createIndex('broadcasts_state_idx').on('broadcasts').columns(['state', 'started_at']).execute();

  await db.schema
    .createTable('broadcast_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('broadcast_id', 'text', (c) => c.notNull().references('broadcasts.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('vars_json', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', 'text')
    .addColumn('send_id', 'text')
    .addColumn('wamid', 'text')
    .addColumn('flow_token', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('broadcast_recipients_broadcast_wa_id_unique', ['broadcast_id', 'wa_id'])
    .addCheckConstraint('broadcast_recipients_state_check', sql`state in ('pending', 'sending', 'sent', 'failed', 'deferred', 'skipped')`)
    .execute();
  await db.schema.createIndex('broadcast_recipients_work_idx').on('broadcast_recipients').columns(['broadcast_id', 'state', 'line']).execute();
  await db.schema.createIndex('broadcast_recipients_wamid_idx').on('broadcast_recipients').column('wamid').execute();
}

/** Drop the tables (children first). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('broadcast_recipients').execute();
  await db.schema.dropTable('broadcasts').execute();
}
