/**
 * Alert notifications: one open incident per (kind, subject), so an outage sends one alert and one recovery (issue 6).
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
