/**
 * Flow sessions, received webhook events and submissions. Written with
 * Kysely's schema builder only, so the same code runs on SQLite and
 * PostgreSQL (portability rules in `../database.ts`).
 * @module
 */
import { sql, type Kysely } from 'kysely';

/** Create the three tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_sessions')
    .addColumn('flow_token', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('form_id', 'text')
    .addColumn('contact_phone', 'text', (c) => c.notNull())
    .addColumn('entry_point', 'text')
    .addColumn('campaign', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('last_screen', 'text')
    .addCheckConstraint('flow_sessions_status_check', sql`status in ('open', 'completed', 'expired')`)
    .execute();
  await db.schema.createIndex('flow_sessions_contact_idx').on('flow_sessions').column('contact_phone').execute();
  await db.schema.createIndex('flow_sessions_status_expiry_idx').on('flow_sessions').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('signature_ok', 'integer', (c) => c.notNull())
    .addColumn('raw_body', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addCheckConstraint('webhook_events_signature_ok_check', sql`signature_ok in (0, 1)`)
    .execute();
  await db.schema.createIndex('webhook_events_unprocessed_idx').on('webhook_events').columns(['processed_at', 'received_at']).execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_token', 'text', (c) => c.notNull().unique().references('flow_sessions.flow_token').onDelete('cascade'))
    .addColumn('response_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drop the three tables (children first). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('submissions').execute();
  await db.schema.dropTable('webhook_events').execute();
  await db.schema.dropTable('flow_sessions').execute();
}
