/**
 * A bounded cache of prepared statements for one better-sqlite3 handle.
 * Kysely's SQLite driver calls `prepare(sql)` for every query it runs, and
 * SQLite re-parses and re-plans the text each time; the store's queries are
 * a few dozen fixed SQL texts (values are bound, never inlined), so keeping
 * their prepared statements saves that work on every hot path (endpoint,
 * webhook intake, delivery). Statements stay valid across schema changes
 * (SQLite re-prepares them itself). A statement is busy while an
 * `iterate()` over it is open, so a busy one is never handed out twice: a
 * fresh one is prepared instead. Least recently prepared entries leave
 * first once `limit` texts are cached.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';

/** How many distinct SQL texts one handle keeps prepared by default. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 256;

/** Replace `database.prepare` with a caching one; returns the same handle. */
export function cacheStatements(database: BetterSqlite3.Database, limit = DEFAULT_STATEMENT_CACHE_SIZE): BetterSqlite3.Database {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const cached = (source: string): BetterSqlite3.Statement => {
    const hit = cache.get(source);
    if (hit !== undefined && !hit.busy) return hit;
    const statement = prepare(source);
    if (hit === undefined) {
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  };
  database.prepare = cached as typeof database.prepare;
  return database;
}
