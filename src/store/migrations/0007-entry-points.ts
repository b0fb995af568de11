/**
 * Entry points: wa.me keyword links and click-to-WhatsApp ads (issue 7).
 *
 * - `entry_triggers`: one row per inbound message that asked for a flow (a
 *   keyword text, an ad referral), keyed by its wamid, so a webhook Meta
 *   delivers five times, or two instances processing the same message,
 *   answer with the flow once. `state` is `sending` (claimed), `sent`,
 *   `failed` (may be claimed again: the error was transient) or `refused`
 *   (permanent: unknown or unpublished flow, bad number…).
 * - `entry_attributions`: where a session came from, keyed by its
 *   flow_token: the keyword or the ad (`referral.source_id`, `ctwa_clid`,
 *   source url/type, headline) and the inbound message that triggered it.
 *
 * Portable schema-builder DDL only (rules in `../database.ts`).
 * @module
 */
import type { Kysely } from 'kysely';

/** Create the tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('entry_triggers')
    .addColumn('inbound_message_id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('send_id', 'text')
    .addColumn('flow_token', 'text')
    .addColumn('error_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('entry_attributions')
    .addColumn('flow_token', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('wa_id', 'text', (c) => c.notNull())
    .addColumn('inbound_message_id', 'text', (c) => c.notNull())
    .addColumn('keyword', 'text')
    .addColumn('ad_id', 'text')
    .addColumn('ctwa_clid', 'text')
    .addColumn('source_type', 'text')
    .addColumn('source_url', 'text')
    .addColumn('headline', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('entry_attributions_ad_idx').on('entry_attributions').columns(['ad_id', 'created_at']).execute();
  await db.schema.createIndex('entry_attributions_flow_idx').on('entry_attributions').columns(['flow_id', 'created_at']).execute();
}

/** Drop the tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('entry_attributions').execute();
  await db.schema.dropTable('entry_triggers').execute();
}
