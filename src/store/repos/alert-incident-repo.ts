/**
 * Alert incidents (migration 0004): one row per (kind, subject) — e.g.
 * (`delivery_outage`, `hubspot-main`) — so an outage that fails a thousand
 * deliveries yields one alert and, once resolved, one recovery notice.
 *
 * Every decision is an atomic conditional UPDATE (no read-then-write), so
 * several workers or server instances raising the same key at once still
 * claim the alert exactly once, on SQLite and PostgreSQL alike. Rate limits:
 * at most one alert per key per `minIntervalMs` (a flapping sink re-alerts
 * only after that; the pending alert goes out at the next occurrence past
 * the window), and at most `hourlyCap` alerts and reminders in all per
 * rolling hour (a small overshoot is possible under concurrent claims).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { newRowId } from '../row-id.js';

/** How urgent an incident is. */
export type AlertSeverity = 'critical' | 'warning' | 'info';
/** What a notification announces. */
export type AlertNotice = 'alert' | 'reminder' | 'recovery';

/** The `alert_incidents` table. */
export interface AlertIncidentTable {
  id: string;
  kind: string;
  subject: string;
  state: 'open' | 'resolved';
  severity: AlertSeverity;
  title: string;
  detail: string | null;
  field: string | null;
  opened_at: string;
  last_seen_at: string;
  occurrences: number;
  episodes: number;
  /** 1 once the current episode's alert has been claimed. */
  alerted: number;
  last_alert_at: string | null;
  resolved_at: string | null;
}

/** The `alert_notifications` table. */
export interface AlertNotificationTable {
  id: string;
  incident_id: string;
  notice: AlertNotice;
  sent_at: string;
  /** Comma-separated channel names. */
  channels_ok: string;
  channels_failed: string;
}

/** One occurrence of a problem. */
export interface IncidentOccurrence {
  readonly kind: string;
  readonly subject: string;
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly detail?: string | undefined;
  readonly field?: string | undefined;
}

/** Rate limits applied by {@link AlertIncidentRepo.raise}. */
export interface RaisePolicy {
  /** At most one alert per key within this window. */
  readonly minIntervalMs: number;
  /** At most this many alerts + reminders in all per rolling hour. */
  readonly hourlyCap: number;
  /** Remind about a still-open incident this long after its last alert; absent: never (one alert per episode). */
  readonly repeatAfterMs?: number | undefined;
}

/** A stored incident. */
export interface AlertIncident {
  readonly id: string;
  readonly kind: string;
  readonly subject: string;
  readonly state: 'open' | 'resolved';
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly detail: string | null;
  readonly field: string | null;
  readonly openedAt: Date;
  readonly lastSeenAt: Date;
  readonly occurrences: number;
  readonly episodes: number;
  readonly alerted: boolean;
  readonly lastAlertAt: Date | null;
  readonly resolvedAt: Date | null;
}

/** What to send after an occurrence or a resolution. */
export type IncidentDecision =
  | { readonly notice: AlertNotice; readonly notificationId: string; readonly incident: AlertIncident }
  | { readonly notice: 'none'; readonly reason: 'already_alerted' | 'rate_limited' | 'hourly_cap' | 'not_open' | 'never_alerted'; readonly incident: AlertIncident | undefined };

/** A notification as recorded. */
export interface AlertNotificationRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly notice: AlertNotice;
  readonly sentAt: Date;
  readonly channelsOk: readonly string[];
  readonly channelsFailed: readonly string[];
}

/** Incident persistence; see {@link createAlertIncidentRepo}. */
export interface AlertIncidentRepo {
  /** Record an occurrence (opening or re-opening the incident) and claim the notification it is due, if any. */
  raise(occurrence: IncidentOccurrence, policy: RaisePolicy): Promise<IncidentDecision>;
  /** Resolve an open incident; a recovery notice is due only when its alert went out. */
  resolve(kind: string, subject: string): Promise<IncidentDecision>;
  /** Store which channels took a claimed notification. */
  completeNotification(id: string, channelsOk: readonly string[], channelsFailed: readonly string[]): Promise<void>;
  get(kind: string, subject: string): Promise<AlertIncident | undefined>;
  /** Most recently seen first. */
  list(query?: { readonly state?: 'open' | 'resolved'; readonly kind?: string; readonly limit?: number }): Promise<AlertIncident[]>;
  /** Oldest first. */
  notifications(query?: { readonly incidentId?: string; readonly limit?: number }): Promise<AlertNotificationRecord[]>;
}

type Tables = Database & { alert_incidents: AlertIncidentTable; alert_notifications: AlertNotificationTable };

const HOUR_MS = 3_600_000;
const optional = (value: string | undefined): string | null => (value === undefined ? null : dbText(value));
const splitList = (value: string): string[] => (value === '' ? [] : value.split(','));

/** Alert incident repository over either dialect. */
export function createAlertIncidentRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): AlertIncidentRepo {
  const db: Kysely<Tables> = database.withTables<{ alert_incidents: AlertIncidentTable; alert_notifications: AlertNotificationTable }>();
  const now = options.now ?? (() => new Date());

  const get = async (kind: string, subject: string): Promise<AlertIncident | undefined> => {
    const row = await db.selectFrom('alert_incidents').selectAll().where('kind', '=', kind).where('subject', '=', subject).executeTakeFirst();
    return row === undefined ? undefined : toIncident(row);
  };

  const claimRow = async (incidentId: string, notice: AlertNotice, at: string): Promise<string> => {
    const id = newRowId();
    await db.insertInto('alert_notifications').values({ id, incident_id: incidentId, notice, sent_at: at, channels_ok: '', channels_failed: '' }).execute();
    return id;
  };

  /** Insert, re-open or count the occurrence; true once one of them applied. */
  async function record(o: IncidentOccurrence, at: string): Promise<void> {
    const latest = { severity: o.severity, title: dbText(o.title), detail: optional(o.detail), field: optional(o.field), last_seen_at: at };
    for (let tries = 0; tries < 5; tries++) {
      const inserted = await db
        .insertInto('alert_incidents')
        .values({ id: randomUUID(), kind: dbText(o.kind), subject: dbText(o.subject), state: 'open', ...latest, opened_at: at, occurrences: 1, episodes: 1, alerted: 0, last_alert_at: null, resolved_at: null })
        .onConflict((oc) => oc.columns(['kind', 'subject']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted !== undefined) return;
      const reopened = await db
        .updateTable('alert_incidents')
        .set({ ...latest, state: 'open', opened_at: at, occurrences: 1, episodes: sql<number>`episodes + 1`, alerted: 0, resolved_at: null })
        .where('kind', '=', o.kind).where('subject', '=', o.subject).where('state', '=', 'resolved')
        .executeTakeFirst();
      if (Number(reopened.numUpdatedRows) === 1) return;
      const counted = await db
        .updateTable('alert_incidents')
        .set({ ...latest, occurrences: sql<number>`occurrences + 1` })
        .where('kind', '=', o.kind).where('subject', '=', o.subject).where('state', '=', 'open')
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) === 1) return;
    }
    throw new Error(`alert incident ${o.kind}/${o.subject} kept changing state while being recorded`);
  }

  return {
    get,

    async raise(o, policy) {
      const clock = now();
      const at = clock.toISOString();
      await record(o, at);
      const hourAgo = new Date(clock.getTime() - HOUR_MS).toISOString();
      const { sent } = await db
        .selectFrom('alert_notifications')
        .select((eb) => eb.fn.countAll<number | string>().as('sent'))
        .where('notice', 'in', ['alert', 'reminder'])
        .where('sent_at', '>', hourAgo)
        .executeTakeFirstOrThrow();
      const capped = Number(sent) >= policy.hourlyCap;
      const windowStart = new Date(clock.getTime() - policy.minIntervalMs).toISOString();
      const key = db.updateTable('alert_incidents').where('kind', '=', o.kind).where('subject', '=', o.subject).where('state', '=', 'open');
      if (!capped) {
        const alert = await key
          .set({ alerted: 1, last_alert_at: at })
          .where('alerted', '=', 0)
          .where((eb) => eb.or([eb('last_alert_at', 'is', null), eb('last_alert_at', '<=', windowStart)]))
          .returning('id')
          .executeTakeFirst();
        if (alert !== undefined) return { notice: 'alert', notificationId: await claimRow(alert.id, 'alert', at), incident: (await get(o.kind, o.subject))! };
        if (policy.repeatAfterMs !== undefined) {
          const repeatStart = new Date(clock.getTime() - Math.max(policy.repeatAfterMs, policy.minIntervalMs)).toISOString();
          const reminder = await key.set({ last_alert_at: at }).where('alerted', '=', 1).where('last_alert_at', '<=', repeatStart).returning('id').executeTakeFirst();
          if (reminder !== undefined) return { notice: 'reminder', notificationId: await claimRow(reminder.id, 'reminder', at), incident: (await get(o.kind, o.subject))! };
        }
      }
      const incident = await get(o.kind, o.subject);
      const reason = incident?.alerted === true ? 'already_alerted' : capped ? 'hourly_cap' : 'rate_limited';
      return { notice: 'none', reason, incident };
    },

    async resolve(kind, subject) {
      const at = now().toISOString();
      const row = await db
        .updateTable('alert_incidents')
        .set({ state: 'resolved', resolved_at: at })
        .where('kind', '=', kind).where('subject', '=', subject).where('state', '=', 'open')
        .returning(['id', 'alerted'])
        .executeTakeFirst();
      const incident = await get(kind, subject);
      if (row === undefined) return { notice: 'none', reason: 'not_open', incident };
      if (Number(row.alerted) !== 1) return { notice: 'none', reason: 'never_alerted', incident };
      return { notice: 'recovery', notificationId: await claimRow(row.id, 'recovery', at), incident: incident! };
    },

    async completeNotification(id, ok, failed) {
      await db.updateTable('alert_notifications').set({ channels_ok: ok.join(','), channels_failed: failed.join(',') }).where('id', '=', id).execute();
    },

    async list(query = {}) {
      let select = db.selectFrom('alert_incidents').selectAll();
      if (query.state !== undefined) select = select.where('state', '=', query.state);
      if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
      const rows = await select.orderBy('last_seen_at', 'desc').orderBy('id').limit(query.limit ?? 100).execute();
      return rows.map(toIncident);
    },

    async notifications(query = {}) {
      let select = db.selectFrom('alert_notifications').selectAll();
      if (query.incidentId !== undefined) select = select.where('incident_id', '=', query.incidentId);
      const rows = await select.orderBy('sent_at').orderBy('id').limit(query.limit ?? 1000).execute();
      return rows.map((r) => ({ id: r.id, incidentId: r.incident_id, notice: r.notice, sentAt: new Date(r.sent_at), channelsOk: splitList(r.channels_ok), channelsFailed: splitList(r.channels_failed) }));
    },
  };
}

function toIncident(row: Selectable<AlertIncidentTable>): AlertIncident {
  const date = (v: string | null): Date | null => (v === null ? null : new Date(v));
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    state: row.state,
    severity: row.severity,
    title: row.title,
    detail: row.detail,
    field: row.field,
    openedAt: new Date(row.opened_at),
    lastSeenAt: new Date(row.last_seen_at),
    occurrences: Number(row.occurrences),
    episodes: Number(row.episodes),
    alerted: Number(row.alerted) === 1,
    lastAlertAt: date(row.last_alert_at),
    resolvedAt: date(row.resolved_at),
  };
}
