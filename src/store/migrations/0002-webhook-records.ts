/**
 * What the Cloud API webhooks leave behind besides the raw events (spec
 * §6): outbound message statuses, alerts from `flows` events, and the media
 * ids of flow completions waiting to be downloaded (spec §3.3). Portable
 * schema-builder DDL only (rules in `../database.ts`).
 * @module
 */
import type { Kysely } from 'kysely';

/** Create the three tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text')
    .addColumn('recipient_id', 'text')
    .addColumn('error_code', 'integer')
    .addColumn('errors_json', 'text')
    .addColumn('conversation_json', 'text')
    .addColumn('pricing_json', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('message_statuses_message_status_unique', ['message_id', 'status'])
    .execute();

  await db.schema
    .createTable('flow_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text')
    .addColumn('waba_id', 'text')
    .addColumn('alert_state', 'text')
    .addColumn('message', 'text')
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .execute();
  await db.schema.createIndex('flow_alerts_received_idx').on('flow_alerts').column('received_at').execute();

  await db.schema
    .createTable('flow_media')
    .addColumn('media_id', 'text', (c) => c.primaryKey())
    .addColumn('flow_token', 'text')
    .addColumn('message_id', 'text')
    .addColumn('field', 'text')
    .addColumn('file_name', 'text')
    .addColumn('mime_type', 'text')
    .addColumn('sha256', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('downloaded_at', 'text')
    .execute();
  await db.schema.createIndex('flow_media_pending_idx').on('flow_media').columns(['downloaded_at', 'received_at']).execute();
}

/** Drop the three tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_media').execute();
  await db.schema.dropTable('flow_alerts').execute();
  await db.schema.dropTable('message_statuses').execute();
}
