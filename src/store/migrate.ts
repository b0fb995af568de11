/**
 * Brings the schema up to date with Kysely's Migrator (run on server start
 * and by a future `flowbridge migrate`). Kysely serialises concurrent runs
 * (a PostgreSQL advisory lock; SQLite has a single connection), so several
 * instances may start at once.
 * @module
 */
import { Migrator, sql, type MigrationProvider } from 'kysely';
import type { StoreDatabase } from './create-database.js';
import { migrations } from './migrations/index.js';

/** What a run did. */
export interface MigrationReport {
  /** Names applied by this run, in order; empty when already up to date. */
  readonly applied: readonly string[];
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...migrations }) };

/**
 * Apply every pending migration.
 * @throws Error naming the failed migration, with the database error as `cause`.
 */
export async function migrateToLatest(store: StoreDatabase): Promise<MigrationReport> {
  const migrator = new Migrator({ db: store.db, provider, ...(await migrationTableSchema(store)) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(before any migration)';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : 'see cause'}`, { cause: error });
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * On PostgreSQL, pin Kysely's bookkeeping tables to the current schema:
 * otherwise its existence check sees a `kysely_migration` table in any
 * schema of the database and skips creating one in ours.
 */
async function migrationTableSchema(store: StoreDatabase): Promise<{ migrationTableSchema?: string }> {
  if (store.dialect !== 'postgres') return {};
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(store.db);
  const schema = rows[0]?.schema;
  if (schema === null || schema === undefined) {
    throw new Error('PostgreSQL has no current schema: create the schema named in search_path first.');
  }
  return { migrationTableSchema: schema };
}
