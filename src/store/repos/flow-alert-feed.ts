/**
 * The stored `flows` webhook alerts (table `flow_alerts`, written by webhook
 * intake) read in arrival order from a point in time on, for the alert
 * service's poller: every server instance can follow the same feed, since
 * raising and resolving incidents is atomic and deduplicated.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { FlowAlertTable } from './flow-alert-repo.js';

/** One stored alert as the feed hands it out. */
export interface FlowAlertFeedItem {
  readonly id: string;
  /** ISO-8601, as stored. */
  readonly receivedAt: string;
  readonly wabaId: string | null;
  /** The event's `value` object as JSON. */
  readonly payloadJson: string;
}

/** Reads the feed; see {@link createFlowAlertFeed}. */
export interface FlowAlertFeed {
  /** Alerts received at or after `since` (ISO-8601), oldest first, at most `limit`. */
  since(since: string, limit: number): Promise<FlowAlertFeedItem[]>;
}

/** The feed over either dialect. */
export function createFlowAlertFeed(database: Kysely<Database>): FlowAlertFeed {
  const db = database.withTables<{ flow_alerts: FlowAlertTable }>();
  return {
    async since(since, limit) {
      const rows = await db
        .selectFrom('flow_alerts')
        .select(['id', 'received_at', 'waba_id', 'payload_json'])
        .where('received_at', '>=', since)
        .orderBy('received_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, receivedAt: r.received_at, wabaId: r.waba_id, payloadJson: r.payload_json }));
    },
  };
}
