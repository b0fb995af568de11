/**
 * Test support: a fresh, isolated database per test file on either dialect,
 * so store tests run the same cases on SQLite and PostgreSQL and parallel
 * test files never see each other's rows.
 *
 * PostgreSQL comes from `FLOWBRIDGE_TEST_PG_URL` (default
 * `postgres://postgres@127.0.0.1:5432/test`); each call creates schema
 * `fb_test_<random>`, points the pool's `search_path` at it and drops it on
 * cleanup. SQLite uses a file in a new temp directory.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabase, type StoreDatabase, type StoreDialect } from './create-database.js';

/** The PostgreSQL server used by tests. */
export const testPostgresUrl = process.env['FLOWBRIDGE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** An isolated database and the function that removes it. */
export interface TestDatabase {
  readonly store: StoreDatabase;
  /** Where it lives: the SQLite URL, or the PostgreSQL schema name. */
  readonly location: string;
  /** Opens a second, independent handle on the same data (another "server instance"). */
  reopen(): StoreDatabase;
  cleanup(): Promise<void>;
}

/** Create an empty, isolated database (no migrations applied). */
export async function openTestDatabase(dialect: StoreDialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'fb-store-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const handles = [createDatabase(url)];
    return {
      store: handles[0]!,
      location: url,
      reopen: () => {
        const handle = createDatabase(url);
        handles.push(handle);
        return handle;
      },
      cleanup: async () => {
        await Promise.all(handles.map((h) => h.close()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `fb_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  const handles = [createDatabase(testPostgresUrl, { searchPath: schema })];
  return {
    store: handles[0]!,
    location: schema,
    reopen: () => {
      const handle = createDatabase(testPostgresUrl, { searchPath: schema });
      handles.push(handle);
      return handle;
    },
    cleanup: async () => {
      await Promise.all(handles.map((h) => h.close()));
      await adminQuery(`drop schema if exists ${schema} cascade`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
