/**
 * The table the SQL sink writes: one row per submission, keyed by the
 * submission id, so a retry never adds a row and a replay (e.g. after a
 * mapping fix) rewrites the same row (`ON CONFLICT … DO UPDATE`, the same on
 * SQLite and PostgreSQL). Columns follow the store's
 * portability rules (`src/store/database.ts`): text timestamps in ISO-8601
 * UTC, answers as a JSON text keyed by the form's source keys.
 * @module
 */
import type { Kysely } from 'kysely';

/** One row. */
export interface SubmissionRow {
  submission_id: string;
  form_id: string;
  form_title: string;
  flow_token: string;
  submitted_at: string;
  contact_phone: string;
  contact_name: string | null;
  entry_point: string | null;
  /** `JSON.stringify(answers)`, keys = the form's source keys. */
  answers_json: string;
  stored_at: string;
}

/** A database seen as tables of submission rows (the table name is configured). */
export type SubmissionTables = Record<string, SubmissionRow>;

/** Table names we accept: plain SQL identifiers, optionally schema-qualified. */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** Create the table when it does not exist. */
export async function ensureSubmissionTable(db: Kysely<SubmissionTables>, table: string): Promise<void> {
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('submission_id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('form_title', 'text', (c) => c.notNull())
    .addColumn('flow_token', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('contact_phone', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text')
    .addColumn('entry_point', 'text')
    .addColumn('answers_json', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .execute();
}

/** Insert `row`, or overwrite the row of the same submission (never a second row). */
export async function upsertSubmissionRow(db: Kysely<SubmissionTables>, table: string, row: SubmissionRow): Promise<void> {
  const { submission_id: _id, ...rest } = row;
  await db
    .insertInto(table)
    .values(row)
    .onConflict((oc) => oc.column('submission_id').doUpdateSet(rest))
    .execute();
}
