/**
 * Client error notifications (`flow_client_errors`, migration 0008): what the
 * WhatsApp client reported about the endpoint's replies (spec §2.4; Meta,
 * "Implementing Endpoints for Flows", section "Error notification"), kept
 * for support and counted per flow for the health view.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { newRowId } from '../row-id.js';

/** The `flow_client_errors` table. */
export interface FlowClientErrorTable {
  id: string;
  flow_id: string | null;
  screen: string | null;
  action: string;
  /** Meta's error code, e.g. `INVALID_SCREEN_TRANSITION`. */
  error: string;
  message: string | null;
  received_at: string;
}

/** A notification to keep (no flow_token: it is a session credential). */
export interface NewClientError {
  readonly flowId: string | undefined;
  readonly screen: string | undefined;
  readonly action: string;
  readonly error: string;
  readonly message: string | undefined;
  readonly receivedAt: Date;
}

/** A kept notification. */
export interface ClientErrorRow {
  readonly id: string;
  readonly flowId: string | null;
  readonly screen: string | null;
  readonly action: string;
  readonly error: string;
  readonly message: string | null;
  readonly receivedAt: Date;
}

/** Notifications of one flow (null: the token named no known session) since a time. */
export interface ClientErrorCount {
  readonly flowId: string | null;
  readonly count: number;
  /** ISO time of the latest one. */
  readonly lastAt: string;
}

/** Persistence; see {@link createClientErrorRepo}. */
export interface ClientErrorRepo {
  add(error: NewClientError): Promise<string>;
  /** Per-flow counts of notifications received at or after `since`, most first. */
  countByFlow(since: Date): Promise<ClientErrorCount[]>;
  /** The latest notifications of a flow (`null`: of unknown sessions), newest first. */
  listForFlow(flowId: string | null, limit: number): Promise<ClientErrorRow[]>;
}

/** Longest text kept per column (a client-chosen string must not grow the table without bound). */
const MAX_TEXT = 500;

const text = (value: string | undefined): string | null => (value === undefined ? null : dbText(value.slice(0, MAX_TEXT)));

type Tables = Database & { flow_client_errors: FlowClientErrorTable };

/** Client error repository over either dialect. */
export function createClientErrorRepo(database: Kysely<Database>): ClientErrorRepo {
  const db: Kysely<Tables> = database.withTables<{ flow_client_errors: FlowClientErrorTable }>();
  return {
    async add(error) {
      const id = newRowId();
      await db.insertInto('flow_client_errors').values({
        id, flow_id: text(error.flowId), screen: text(error.screen), action: dbText(error.action.slice(0, MAX_TEXT)),
        error: dbText(error.error.slice(0, MAX_TEXT)), message: text(error.message), received_at: error.receivedAt.toISOString(),
      }).execute();
      return id;
    },

    async countByFlow(since) {
      const rows = await db
        .selectFrom('flow_client_errors')
        .select((eb) => ['flow_id', eb.fn.countAll<number | string | bigint>().as('count'), eb.fn.max('received_at').as('last_at')])
        .where('received_at', '>=', since.toISOString())
        .groupBy('flow_id')
        .execute();
      return rows
        .map((r) => ({ flowId: r.flow_id, count: Number(r.count), lastAt: r.last_at }))
        .sort((a, b) => b.count - a.count || String(a.flowId).localeCompare(String(b.flowId)));
    },

    async listForFlow(flowId, limit) {
      const base = db.selectFrom('flow_client_errors').selectAll();
      const rows = await (flowId === null ? base.where('flow_id', 'is', null) : base.where('flow_id', '=', flowId))
        .orderBy('received_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toRow);
    },
  };
}

function toRow(row: Selectable<FlowClientErrorTable>): ClientErrorRow {
  return {
    id: row.id, flowId: row.flow_id, screen: row.screen, action: row.action, error: row.error,
    message: row.message, receivedAt: new Date(row.received_at),
  };
}
