/**
 * Alerts raised by `flows` webhook events (Meta, "Flows webhooks"; spec
 * §6.5): a flow throttled or blocked, endpoint error rate, latency or
 * availability past a threshold, client errors, an expiring Flow JSON
 * version. Stored once per event so the operator sees each alert once and
 * can acknowledge it.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { newRowId } from '../row-id.js';

/** The `flow_alerts` table (migration 0002). */
export interface FlowAlertTable {
  id: string;
  /** The webhook event's de-duplication key: one alert per event. */
  dedupe_key: string;
  /** `FLOW_STATUS_CHANGE`, `ENDPOINT_LATENCY`, … */
  event: string;
  flow_id: string | null;
  waba_id: string | null;
  /** `ACTIVATED` / `DEACTIVATED` for threshold alerts. */
  alert_state: string | null;
  message: string | null;
  /** The event's `value` object as JSON. */
  payload_json: string;
  occurred_at: string | null;
  received_at: string;
  acknowledged_at: string | null;
}

/** An alert to record. */
export interface NewFlowAlert {
  readonly dedupeKey: string;
  readonly event: string;
  readonly flowId?: string | undefined;
  readonly wabaId?: string | undefined;
  readonly alertState?: string | undefined;
  readonly message?: string | undefined;
  readonly payload: unknown;
  readonly occurredAt?: Date | undefined;
}

/** A stored alert. */
export interface FlowAlert {
  readonly id: string;
  readonly event: string;
  readonly flowId: string | null;
  readonly wabaId: string | null;
  readonly alertState: string | null;
  readonly message: string | null;
  readonly payloadJson: string;
  readonly occurredAt: Date | null;
  readonly receivedAt: Date;
  readonly acknowledgedAt: Date | null;
}

/** Alert persistence; see {@link createFlowAlertRepo}. */
export interface FlowAlertRepo {
  /** True when stored now, false for a redelivered event. */
  recordAlert(alert: NewFlowAlert): Promise<boolean>;
  /** Newest first; only unacknowledged ones when `unacknowledged` is set. */
  listAlerts(options?: { readonly limit?: number; readonly unacknowledged?: boolean; readonly flowId?: string }): Promise<FlowAlert[]>;
  /** True when this call acknowledged it. */
  acknowledge(id: string): Promise<boolean>;
}

type Tables = Database & { flow_alerts: FlowAlertTable };

const optional = (value: string | undefined): string | null => (value === undefined ? null : dbText(value));

/** Flow alert repository over either dialect. */
export function createFlowAlertRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): FlowAlertRepo {
  const db: Kysely<Tables> = database.withTables<{ flow_alerts: FlowAlertTable }>();
  const now = options.now ?? (() => new Date());
  return {
    async recordAlert(alert) {
      const inserted = await db
        .insertInto('flow_alerts')
        .values({
          id: newRowId(),
          dedupe_key: alert.dedupeKey,
          event: dbText(alert.event),
          flow_id: optional(alert.flowId),
          waba_id: optional(alert.wabaId),
          alert_state: optional(alert.alertState),
          message: optional(alert.message),
          payload_json: JSON.stringify(alert.payload) ?? 'null',
          occurred_at: alert.occurredAt?.toISOString() ?? null,
          received_at: now().toISOString(),
          acknowledged_at: null,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async listAlerts(query = {}) {
      let select = db.selectFrom('flow_alerts').selectAll();
      if (query.unacknowledged === true) select = select.where('acknowledged_at', 'is', null);
      if (query.flowId !== undefined) select = select.where('flow_id', '=', query.flowId);
      const rows = await select.orderBy('received_at', 'desc').orderBy('id').limit(query.limit ?? 100).execute();
      return rows.map(toAlert);
    },

    async acknowledge(id) {
      const result = await db
        .updateTable('flow_alerts')
        .set({ acknowledged_at: now().toISOString() })
        .where('id', '=', id)
        .where('acknowledged_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

function toAlert(row: Selectable<FlowAlertTable>): FlowAlert {
  return {
    id: row.id,
    event: row.event,
    flowId: row.flow_id,
    wabaId: row.waba_id,
    alertState: row.alert_state,
    message: row.message,
    payloadJson: row.payload_json,
    occurredAt: row.occurred_at === null ? null : new Date(row.occurred_at),
    receivedAt: new Date(row.received_at),
    acknowledgedAt: row.acknowledged_at === null ? null : new Date(row.acknowledged_at),
  };
}
