/**
 * Progress of a broadcast in one query: the broadcast row with its
 * recipients' states, the Cloud API statuses of their messages
 * (`message_statuses` by wamid: delivered, read, failed) and their flow
 * sessions (opened: the endpoint saw a screen or the flow completed;
 * completed).
 * @module
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database.js';
import { broadcastDb, toBroadcast, type Broadcast } from './broadcast-tables.js';

/** Counters of a broadcast. */
export interface BroadcastCounters {
  readonly total: number;
  /** Not sent yet: pending, being sent, or deferred. */
  readonly queued: number;
  /** Accepted by Meta (a wamid). */
  readonly sent: number;
  readonly delivered: number;
  readonly read: number;
  /** Refused when sending, or a `failed` status afterwards. */
  readonly failed: number;
  /** Not sent because the broadcast was cancelled. */
  readonly skipped: number;
  readonly opened: number;
  readonly completed: number;
}

/** A broadcast with its counters. */
export interface BroadcastProgress {
  readonly broadcast: Broadcast;
  readonly counters: BroadcastCounters;
}

const hasStatus = (statuses: readonly string[]) =>
  sql<boolean>`exists (select 1 from message_statuses ms where ms.message_id = r.wamid and ms.status in (${sql.join(statuses.map((s) => sql.lit(s)))}))`;

/** Read a broadcast's progress; undefined when there is no such broadcast. */
export async function readBroadcastProgress(database: Kysely<Database>, broadcastId: string): Promise<BroadcastProgress | undefined> {
  const db = broadcastDb(database);
  const count = (condition: RawBuilder<unknown>) => sql<number | string | null>`sum(case when ${condition} then 1 else 0 end)`;
  const row = await db
    .selectFrom('broadcasts as b')
    .leftJoin('broadcast_recipients as r', 'r.broadcast_id', 'b.id')
    .leftJoin('flow_sessions as s', 's.flow_token', 'r.flow_token')
    .selectAll('b')
    .select([
      sql<number | string>`count(r.id)`.as('total'),
      count(sql`r.state in ('pending', 'sending', 'deferred')`).as('queued'),
      count(sql`r.state = 'sent'`).as('sent'),
      count(sql`r.state = 'sent' and ${hasStatus(['delivered', 'read'])}`).as('delivered'),
      count(sql`r.state = 'sent' and ${hasStatus(['read'])}`).as('read'),
      count(sql`r.state = 'failed' or (r.state = 'sent' and ${hasStatus(['failed'])})`).as('failed'),
      count(sql`r.state = 'skipped'`).as('skipped'),
      count(sql`s.last_screen is not null or s.status = 'completed'`).as('opened'),
      count(sql`s.status = 'completed'`).as('completed'),
    ])
    .where('b.id', '=', broadcastId)
    .groupBy('b.id')
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const n = (value: number | string | null): number => (value === null ? 0 : Number(value));
  return {
    broadcast: toBroadcast(row),
    counters: {
      total: n(row.total), queued: n(row.queued), sent: n(row.sent), delivered: n(row.delivered), read: n(row.read),
      failed: n(row.failed), skipped: n(row.skipped), opened: n(row.opened), completed: n(row.completed),
    },
  };
}
