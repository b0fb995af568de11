/**
 * What most commands need besides their arguments: the configuration (same
 * sources as `serve`: environment, `…_FILE`, `FLOWBRIDGE_CONFIG`) and the
 * migrated database, opened for the command and closed after it. Errors are
 * turned into a message on stderr and exit code 2.
 * @module
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/config-schema.js';
import { isAppError } from '../core/errors.js';
import { createDatabase, type StoreDatabase } from '../store/create-database.js';
import { migrateToLatest } from '../store/migrate.js';
import { EXIT_USAGE } from './exit-codes.js';

/** The configuration as `serve` would read it. */
export function readCliConfig(): Config {
  return loadConfig({
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
}

/** Write one line (or block) to stdout. */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Run `body` with the configuration and an open, migrated database; the
 * database is closed whatever happens. A thrown AppError (or any error) is
 * printed without a stack and gives exit code 2.
 */
export async function withStore(body: (ctx: { config: Config; store: StoreDatabase }) => Promise<number>): Promise<number> {
  let store: StoreDatabase | undefined;
  try {
    const config = readCliConfig();
    store = createDatabase(config.databaseUrl.reveal());
    await migrateToLatest(store);
    return await body({ config, store });
  } catch (error) {
    process.stderr.write(`${isAppError(error) ? error.message : `error: ${error instanceof Error ? error.message : String(error)}`}\n`);
    return EXIT_USAGE;
  } finally {
    await store?.close();
  }
}
