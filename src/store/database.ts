/**
 * The database schema as Kysely sees it: one interface per table, column
 * names as stored (snake_case). Migrations in `migrations/` create exactly
 * these columns; repositories map rows to camelCase domain objects.
 *
 * Portability rules shared by both dialects (SQLite and PostgreSQL):
 * - timestamps are ISO-8601 UTC strings from `Date#toISOString()`
 *   (`2026-11-26T04:00:00.000Z`) in `text` columns: identical on both, readable, and their
 *   lexicographic order is time order, so `<`/`>` comparisons work in SQL;
 * - booleans are `integer` 0/1 (SQLite has no boolean type);
 * - ids are random UUID or token strings generated in code, never
 *   auto-increment (whose DDL differs per dialect).
 * @module
 */

/** Lifecycle of a flow session; `expired` is set by a sweep or reported by `getSession` once `expires_at` has passed. */
export type SessionStatus = 'open' | 'completed' | 'expired';

/** One flow sent to one contact; the `flow_token` binds endpoint requests and the completion webhook to it. */
export interface FlowSessionTable {
  /** Unguessable token sent as the message's `flow_token` (Meta: "Implementing Endpoints for Flows"). */
  flow_token: string;
  flow_id: string;
  form_id: string | null;
  /** The contact's WhatsApp id (wa_id, digits only). */
  contact_phone: string;
  entry_point: string | null;
  campaign: string | null;
  status: SessionStatus;
  created_at: string;
  expires_at: string;
  completed_at: string | null;
  /** Last screen the endpoint saw, for support and drop-off statistics. */
  last_screen: string | null;
}

/** A received webhook POST, stored before processing so retries from Meta can be de-duplicated. */
export interface WebhookEventTable {
  id: string;
  received_at: string;
  /** 1 when X-Hub-Signature-256 matched one of the app secrets. */
  signature_ok: number;
  /** The body exactly as received (the signature covers the raw bytes). */
  raw_body: string;
  /** Unique: Meta retries deliveries for up to 7 days ("Webhooks" page). */
  dedupe_key: string;
  kind: string;
  processed_at: string | null;
}

/** The one submission of a completed session: the `response_json` string of the nfm_reply. */
export interface SubmissionTable {
  id: string;
  /** Unique: at most one submission per session. */
  flow_token: string;
  response_json: string;
  created_at: string;
}

/** Every table, for `Kysely<Database>`. */
export interface Database {
  flow_sessions: FlowSessionTable;
  webhook_events: WebhookEventTable;
  submissions: SubmissionTable;
}
