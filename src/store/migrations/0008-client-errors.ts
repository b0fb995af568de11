/**
 * Error notifications sent by the WhatsApp client to the endpoint (spec §2), kept for support and health (issue 4).
 * Portable schema-builder DDL only (rules in `../database.ts`).
 *
 * - `flow_client_errors`: one row per notification: `flow_id` (null when the flow_token named no known
 *   session), `screen`, `action`, Meta's `error` code, the client's `message` (cut to 500 characters),
 *   `received_at`. Never the flow_token (a session credential). Indexed by flow and time for the
 *   per-flow counts of the health view.
 * @module
 */
import type { Kysely } from 'kysely';

/** Create the tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_client_errors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text')
    .addColumn('screen', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flow_client_errors_flow_idx').on('flow_client_errors').columns(['flow_id', 'received_at']).execute();
  await db.schema.createIndex('flow_client_errors_time_idx').on('flow_client_errors').columns(['received_at']).execute();
}

/** Drop the tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_client_errors').execute();
}
