/**
 * Alert notifications: one open incident per (kind, subject), so an outage sends one alert and one recovery (issue 6).
 * Portable schema-builder DDL only (rules in `../database.ts`).
 *
 * - `alert_incidents`: one row per (kind, subject), reused across episodes: `state` open|resolved,
 *   `opened_at` (first seen in the current episode), `last_seen_at`, `occurrences` (in the episode),
 *   `episodes`, `alerted` (0/1: the current episode's alert went out), `last_alert_at` (any
 *   episode: the per-key rate limit), `resolved_at`, and the latest `title`/`detail`/`field`.
 * - `alert_notifications`: every notice sent (alert, reminder, recovery) with the channels that
 *   took it and those that failed: the audit trail and the global hourly cap.
 * @module
 */
import { sql, type Kysely } from 'kysely';

/** Create the tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('field', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull())
    .addColumn('episodes', 'integer', (c) => c.notNull())
    .addColumn('alerted', 'integer', (c) => c.notNull())
    .addColumn('last_alert_at', 'text')
    .addColumn('resolved_at', 'text')
    .addUniqueConstraint('alert_incidents_kind_subject_unique', ['kind', 'subject'])
    .addCheckConstraint('alert_incidents_state_check', sql`state in ('open', 'resolved')`)
    .addCheckConstraint('alert_incidents_alerted_check', sql`alerted in (0, 1)`)
    .execute();
  await db.schema.createIndex('alert_incidents_state_idx').on('alert_incidents').columns(['state', 'last_seen_at']).execute();

  await db.schema
    .createTable('alert_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('alert_incidents.id').onDelete('cascade'))
    .addColumn('notice', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('channels_ok', 'text', (c) => c.notNull())
    .addColumn('channels_failed', 'text', (c) => c.notNull())
    .addCheckConstraint('alert_notifications_notice_check', sql`notice in ('alert', 'reminder', 'recovery')`)
    .execute();
  await db.schema.createIndex('alert_notifications_sent_idx').on('alert_notifications').columns(['notice', 'sent_at']).execute();
}

/** Drop the tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_notifications').execute();
  await db.schema.dropTable('alert_incidents').execute();
}
