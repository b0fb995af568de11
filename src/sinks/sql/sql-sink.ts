/**
 * SQL table sink (SQLite or PostgreSQL, through Kysely): one row per
 * submission, keyed by the submission id, so retries never write a second
 * row and a replay rewrites the row with the current answers. Connection problems, lock waits, serialization
 * failures and deadlocks are retried; anything else the database refuses
 * (e.g. an existing table with other columns) is permanent with the
 * database's own message, credentials removed.
 *
 * Sinks may not import the store (imports point inward,
 * docs/ARCHITECTURE.md), so the composition root hands the sink a way to
 * open databases: `sqlSink.useDatabaseOpener((url) => createDatabase(url))`
 * with `createDatabase` from `src/store/create-database.ts`.
 * @module
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineSink, type DeliveryOutcome, type SinkConnector } from '../sink-connector.js';
import { ensureSubmissionTable, upsertSubmissionRow, TABLE_NAME, type SubmissionTables } from './submission-table.js';

const settingsSchema = z.object({
  /** `sqlite:<path>` or `postgres://…` (see FLOWBRIDGE_DATABASE_URL in docs/configuration.md). */
  databaseUrl: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'Use a sqlite: or postgres:// URL.'),
  table: z.string().regex(TABLE_NAME, 'Use a plain SQL identifier (letters, digits, _), optionally schema.table.').default('form_submissions'),
  /** Create the table when missing. */
  createTable: z.boolean().default(true),
});

/** Settings of the SQL sink. */
export type SqlSinkSettings = z.infer<typeof settingsSchema>;

/** An open database: the store's `StoreDatabase` fits (its `db` is a Kysely instance). */
export interface SqlSinkDatabase {
  readonly db: object;
  close(): Promise<void>;
}

/** Opens a database for a URL (the store's `createDatabase`). */
export type OpenSinkDatabase = (databaseUrl: string) => SqlSinkDatabase;

/** The SQL sink, plus the wiring the composition root does. */
export type SqlSink = SinkConnector<SqlSinkSettings> & {
  /** Set how databases are opened (once, at start-up). */
  useDatabaseOpener(open: OpenSinkDatabase): void;
  /** Close the databases this sink opened. */
  close(): Promise<void>;
};

const RETRY_PG = /^(08|53|57P0|40001|40P01|55P03)/;
const RETRY_SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL)/;
const RETRY_NET = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)$/;

function classify(error: unknown, secrets: readonly string[]): DeliveryOutcome {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  let message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  for (const s of secrets) if (s !== '') message = message.split(s).join('***');
  const transient = RETRY_PG.test(code) || RETRY_SQLITE.test(code) || RETRY_NET.test(code) || /Connection terminated|timeout/i.test(message);
  return transient ? { kind: 'retry', reason: `The database is unavailable: ${message}` } : { kind: 'permanent', reason: `The database refused the row: ${message}` };
}

function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [url, decodeURIComponent(u.password)].filter((s) => s !== '');
  } catch {
    return [url];
  }
}

/**
 * A SQL sink that opens each database URL once with `open` and keeps the
 * handle for the process (tests pass an opener returning an isolated database).
 */
export function createSqlSink(open?: OpenSinkDatabase): SqlSink {
  let opener = open;
  const handles = new Map<string, SqlSinkDatabase>();
  const ready = new WeakMap<SqlSinkDatabase, Map<string, Promise<void>>>();
  const ensure = (store: SqlSinkDatabase, table: string): Promise<void> => {
    const made = ready.get(store) ?? new Map<string, Promise<void>>();
    ready.set(store, made);
    let p = made.get(table);
    if (!p) {
      p = ensureSubmissionTable(store.db as unknown as Kysely<SubmissionTables>, table).catch((error: unknown) => {
        made.delete(table);
        // Another process created it between our check and our CREATE (PostgreSQL catalog race): fine.
        const code = (error as { code?: unknown }).code;
        if (code !== '23505' && code !== '42P07') throw error;
      });
      made.set(table, p);
    }
    return p;
  };
  const openDb = (url: string): SqlSinkDatabase | undefined => {
    let h = handles.get(url);
    if (!h && opener) {
      h = opener(url);
      handles.set(url, h);
    }
    return h;
  };
  const sink = defineSink<SqlSinkSettings>({
    id: 'sql',
    displayName: 'SQL table (SQLite / PostgreSQL)',
    settingsSchema,
    async deliver(ctx, submission) {
      try {
        const store = openDb(ctx.settings.databaseUrl);
        if (!store) return { kind: 'permanent', reason: 'The SQL sink has no database driver: the server must call sqlSink.useDatabaseOpener at start-up.' };
        // Kysely<Database> of the store, seen through the configured table name.
        const db = store.db as unknown as Kysely<SubmissionTables>;
        const table = ctx.settings.table;
        if (ctx.settings.createTable) await ensure(store, table);
        await upsertSubmissionRow(db, table, {
          submission_id: submission.id,
          form_id: submission.form.id,
          form_title: submission.form.title,
          flow_token: submission.flowToken,
          submitted_at: submission.submittedAt,
          contact_phone: submission.contact.phone,
          contact_name: submission.contact.name ?? null,
          entry_point: submission.entryPoint ?? null,
          answers_json: JSON.stringify(submission.answers),
          stored_at: ctx.now().toISOString(),
        });
        return { kind: 'delivered', externalId: submission.id };
      } catch (error) {
        return classify(error, secretsOf(ctx.settings.databaseUrl));
      }
    },
  });
  return {
    ...sink,
    useDatabaseOpener: (o) => {
      opener = o;
    },
    close: async () => {
      await Promise.all([...handles.values()].map((h) => h.close()));
      handles.clear();
    },
  };
}

/** The SQL sink with process-wide connections (wired with `useDatabaseOpener` at start-up). */
export const sqlSink: SqlSink = createSqlSink();
