/**
 * Error notifications sent by the WhatsApp client to the endpoint (spec §2), kept for support and health (issue 4).
 * Portable schema-builder DDL only (rules in `../database.ts`).
 * @module
 */
import type { Kysely } from 'kysely';

/** Create the tables. */
export async function up(_db: Kysely<unknown>): Promise<void> {
  // slot reserved; filled by the work
}

/** Drop the tables. */
export async function down(_db: Kysely<unknown>): Promise<void> {
  // slot reserved
}
