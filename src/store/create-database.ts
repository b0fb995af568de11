/**
 * Opens the database named by `FLOWBRIDGE_DATABASE_URL`: embedded SQLite
 * (better-sqlite3) by default, PostgreSQL (pg Pool) when several server
 * instances share one database. Both sit behind the same `Kysely<Database>`.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { createRequire } from 'node:module';
import type Pg from 'pg';
import { AppError } from '../core/errors.js';
import type { Database } from './database.js';
import { cacheStatements } from './sqlite-statement-cache.js';

/** The SQL dialect behind a store. */
export type StoreDialect = 'sqlite' | 'postgres';

/** An open database. */
export interface StoreDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** Closes the connection or pool; safe to call more than once. */
  close(): Promise<void>;
}

/** Options that do not belong in the URL. */
export interface CreateDatabaseOptions {
  /** PostgreSQL: schema to put first on every connection's `search_path` (tests isolate themselves this way). */
  readonly searchPath?: string;
  /** PostgreSQL: maximum pool size (pg's default is 10). */
  readonly poolSize?: number;
  /** PostgreSQL: errors of idle pooled connections (the pool replaces them); ignored when absent. */
  readonly onPoolError?: (error: Error) => void;
}

/** How long a SQLite writer waits for another process's write lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Open `url`: `sqlite:<path>`, `sqlite:///<absolute path>`, `sqlite::memory:`
 * or `postgres://` / `postgresql://`. Connecting is lazy on PostgreSQL, so
 * an unreachable server shows up at the first query (e.g. migrations).
 *
 * SQLite is the single-instance mode: open one handle per file per process
 * (Kysely serialises that handle's transactions). better-sqlite3 is
 * synchronous, so two handles on one file in one process would wait on each
 * other's locks while blocking the thread; several instances need PostgreSQL.
 */
export function createDatabase(url: string, options: CreateDatabaseOptions = {}): StoreDatabase {
  if (url.startsWith('sqlite:')) return openSqlite(sqlitePath(url));
  if (/^postgres(?:ql)?:\/\//.test(url)) return openPostgres(url, options);
  // The URL is not echoed: it may contain a password.
  throw new AppError('USAGE_INVALID', 'The database URL must start with sqlite: or postgres:// (see FLOWBRIDGE_DATABASE_URL in docs/configuration.md).');
}

/** The file path of a `sqlite:` URL (`:memory:` for an in-memory database). */
export function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === '' || rest === ':memory:') return ':memory:';
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

function openSqlite(path: string): StoreDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  // WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
  database.pragma('journal_mode = WAL');
  // Every commit reaches the disk before it returns (one fsync of the WAL), so a stored webhook, a
  // completion or a delivery record survives a power loss, not only a crash of the process. Set
  // explicitly: better-sqlite3 is built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a WAL database
  // otherwise commits without fsync (NORMAL) although `pragma synchronous` still reads 2.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cacheStatements(database) }) });
  return { db, dialect: 'sqlite', close: closeOnce(db) };
}

function openPostgres(url: string, options: CreateDatabaseOptions): StoreDatabase {
  const { searchPath } = options;
  if (searchPath !== undefined && !/^[a-z_][a-z0-9_]*$/.test(searchPath)) {
    throw new AppError('USAGE_INVALID', `Invalid PostgreSQL schema name "${searchPath}": use lower-case letters, digits and _.`);
  }
  // Loaded for a postgres:// URL only: the embedded SQLite default never needs the driver.
  const pg = createRequire(import.meta.url)('pg') as typeof Pg;
  const pool = new pg.Pool({
    connectionString: url,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
    ...(searchPath === undefined ? {} : { options: `-c search_path=${searchPath}` }),
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: closeOnce(db) };
}

function closeOnce(db: Kysely<Database>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= db.destroy());
}
