/**
 * The broadcast tables as Kysely sees them (migration 0006) and the domain
 * objects the broadcast repositories return.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { MessageStatusTable } from './message-status-repo.js';

/** Lifecycle of a broadcast. */
export type BroadcastState = 'draft' | 'running' | 'paused' | 'cancelled' | 'done';

/** Lifecycle of one recipient. */
export type RecipientState = 'pending' | 'sending' | 'sent' | 'failed' | 'deferred' | 'skipped';

/** `broadcasts`. */
export interface BroadcastTable {
  id: string;
  flow_id: string;
  template: string | null;
  rate: number;
  region: string | null;
  opted_in: number;
  state: BroadcastState;
  /** Why a running broadcast was paused by the runner (template missing, flow blocked…). */
  error: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

/** `broadcast_recipients`. */
export interface BroadcastRecipientTable {
  id: string;
  broadcast_id: string;
  /** Line of the contact list the row came from (1 = header). */
  line: number;
  /** E.164 digits without `+`. */
  wa_id: string;
  name: string | null;
  /** Other columns of the row, as a JSON object of strings. */
  vars_json: string | null;
  state: RecipientState;
  /** Claims so far (a retryable error fails the recipient after the last one). */
  attempts: number;
  /** Deferred: not before this instant. */
  next_at: string | null;
  send_id: string | null;
  wamid: string | null;
  flow_token: string | null;
  error_code: string | null;
  error: string | null;
  updated_at: string;
}

/** The tables the broadcast repositories touch. */
export type BroadcastTables = Database & {
  broadcasts: BroadcastTable;
  broadcast_recipients: BroadcastRecipientTable;
  message_statuses: MessageStatusTable;
};

/** The database seen with the broadcast tables. */
export function broadcastDb(database: Kysely<Database>): Kysely<BroadcastTables> {
  return database.withTables<{ broadcasts: BroadcastTable; broadcast_recipients: BroadcastRecipientTable; message_statuses: MessageStatusTable }>();
}

/** A broadcast. */
export interface Broadcast {
  readonly id: string;
  readonly flowId: string;
  readonly template: string | null;
  readonly rate: number;
  readonly region: string | null;
  readonly optedIn: boolean;
  readonly state: BroadcastState;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

/** One recipient. */
export interface Recipient {
  readonly id: string;
  readonly broadcastId: string;
  readonly line: number;
  readonly waId: string;
  readonly name: string | null;
  readonly vars: Readonly<Record<string, string>>;
  readonly state: RecipientState;
  readonly attempts: number;
  readonly nextAt: Date | null;
  readonly sendId: string | null;
  readonly wamid: string | null;
  readonly flowToken: string | null;
  readonly errorCode: string | null;
  readonly error: string | null;
}

/** Row → domain object. */
export function toBroadcast(row: BroadcastTable): Broadcast {
  return {
    id: row.id,
    flowId: row.flow_id,
    template: row.template,
    rate: Number(row.rate),
    region: row.region,
    optedIn: Number(row.opted_in) === 1,
    state: row.state,
    error: row.error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    startedAt: row.started_at === null ? null : new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

/** Row → domain object. */
export function toRecipient(row: BroadcastRecipientTable): Recipient {
  return {
    id: row.id,
    broadcastId: row.broadcast_id,
    line: Number(row.line),
    waId: row.wa_id,
    name: row.name,
    vars: row.vars_json === null ? {} : (JSON.parse(row.vars_json) as Record<string, string>),
    state: row.state,
    attempts: Number(row.attempts),
    nextAt: row.next_at === null ? null : new Date(row.next_at),
    sendId: row.send_id,
    wamid: row.wamid,
    flowToken: row.flow_token,
    errorCode: row.error_code,
    error: row.error,
  };
}
