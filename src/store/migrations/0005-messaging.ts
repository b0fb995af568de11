/**
 * Outbound sends and conversation state (last inbound message per contact, for the 24-hour window) and published flows (issue 7).
 * Portable schema-builder DDL only (rules in `../database.ts`).
 *
 * - `conversations`: one row per contact (wa_id) with the time and id of
 *   their last inbound message; the customer-service window is open for 24
 *   hours after it (Meta, "Customer service windows"; error 131047).
 * - `sends`: one row per flow message sent (or being sent); the UNIQUE
 *   `idempotency_key` is claimed before Meta is called, so a retried or
 *   concurrent request with the same key never sends a second message.
 * - `published_flows`: catalogue flow id → Meta flow id, the content hash of
 *   what was uploaded, and the status, so `flowbridge publish` re-run on
 *   unchanged JSON calls nothing and sends know which Meta flow is live.
 * @module
 */
import { sql, type Kysely } from 'kysely';

/** Create the tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('wa_id', 'text', (c) => c.primaryKey())
    .addColumn('last_inbound_at', 'text', (c) => c.notNull())
    .addColumn('last_message_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('flow_token', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('wamid', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('ad_id', 'text')
    .addColumn('ctwa_clid', 'text')
    .addColumn('reply_to', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('sends_kind_check', sql`kind in ('interactive', 'template')`)
    .addCheckConstraint('sends_state_check', sql`state in ('queued', 'sent', 'failed', 'unknown')`)
    .execute();
  await db.schema.createIndex('sends_wamid_idx').on('sends').column('wamid').execute();
  await db.schema.createIndex('sends_flow_token_idx').on('sends').column('flow_token').execute();
  await db.schema.createIndex('sends_campaign_idx').on('sends').column('campaign').execute();

  await db.schema
    .createTable('published_flows')
    .addColumn('flow_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('waba_id', 'text', (c) => c.notNull())
    .addColumn('meta_flow_id', 'text', (c) => c.notNull())
    .addColumn('live_meta_flow_id', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drop the tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('published_flows').execute();
  await db.schema.dropTable('sends').execute();
  await db.schema.dropTable('conversations').execute();
}
