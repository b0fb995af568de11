/**
 * Submissions' frozen answers and the delivery outbox: one job per (submission, sink), its attempts and the per-job progress of multi-step sinks (issue 6).
 * Portable schema-builder DDL only (rules in `../database.ts`).
 *
 * - `submissions.answers_json` / `form_version`: the answers keyed by source
 *   key exactly as `mapAnswersToSource` returned them when the session
 *   completed, and the flow version (field-map version) they were mapped
 *   with; null only for rows written before this migration.
 * - `delivery_jobs`: one row per (submission, sink name). `state` is
 *   `pending` (waiting for `next_attempt_at`), `running` (leased by
 *   `lease_owner` until `lease_until`), `delivered`, `failed` (permanent
 *   refusal: `last_error` is the sink's own message, `last_field` the field it
 *   names) or `dead` (attempt or age budget spent). A replay starts a new
 *   `generation` on the same row with a new `idempotency_key`
 *   (`<submission>:<sink>` for generation 0, `…:g<n>` after); `budget_from`
 *   is when the current generation's age budget started.
 * - `delivery_attempts`: one row per finished attempt (a crashed attempt
 *   leaves none; the next claim counts it in `delivery_jobs.attempts`).
 * - `delivery_progress`: what a multi-step sink remembered, keyed by the
 *   idempotency key, so a new generation starts with a clean slate.
 * @module
 */
import { sql, type Kysely } from 'kysely';

/** Add the answer columns and create the three tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('answers_json', 'text').execute();
  await db.schema.alterTable('submissions').addColumn('form_version', 'text').execute();

  await db.schema
    .createTable('delivery_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('sink_name', 'text', (c) => c.notNull())
    .addColumn('sink_type', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_field', 'text')
    .addColumn('external_id', 'text')
    .addColumn('budget_from', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addUniqueConstraint('delivery_jobs_submission_sink_unique', ['submission_id', 'sink_name'])
    .addCheckConstraint('delivery_jobs_state_check', sql`state in ('pending', 'running', 'delivered', 'failed', 'dead')`)
    .execute();
  await db.schema.createIndex('delivery_jobs_due_idx').on('delivery_jobs').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('delivery_jobs_lease_idx').on('delivery_jobs').columns(['state', 'lease_until']).execute();
  await db.schema.createIndex('delivery_jobs_created_idx').on('delivery_jobs').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('delivery_jobs_sink_idx').on('delivery_jobs').columns(['flow_id', 'sink_name', 'state']).execute();

  await db.schema
    .createTable('delivery_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('delivery_jobs.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('field', 'text')
    .addColumn('retry_after_ms', 'integer')
    .addColumn('external_id', 'text')
    .addCheckConstraint('delivery_attempts_outcome_check', sql`outcome in ('delivered', 'retry', 'permanent')`)
    .execute();
  await db.schema.createIndex('delivery_attempts_job_idx').on('delivery_attempts').columns(['job_id', 'generation', 'n']).execute();

  await db.schema
    .createTable('delivery_progress')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_progress_pk', ['idempotency_key', 'step'])
    .execute();
}

/** Drop the tables and the answer columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('delivery_progress').execute();
  await db.schema.dropTable('delivery_attempts').execute();
  await db.schema.dropTable('delivery_jobs').execute();
  await db.schema.alterTable('submissions').dropColumn('form_version').execute();
  await db.schema.alterTable('submissions').dropColumn('answers_json').execute();
}
