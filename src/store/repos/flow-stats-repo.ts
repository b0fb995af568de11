/**
 * Funnel figures per flow, straight from the sessions: every send issues
 * exactly one session, so sessions count sends; a session that reached the
 * endpoint (a `last_screen`) or completed was opened; completed sessions are
 * completions; open or expired sessions are counted against the last screen
 * they reached — the per-screen drop-off. Flows without an endpoint only
 * report on completion (WhatsApp tells no one about screens shown offline).
 * @module
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';

/** One flow's funnel. */
export interface FlowFunnel {
  readonly flowId: string;
  readonly sent: number;
  /** Reached the endpoint at least once, or completed. */
  readonly opened: number;
  readonly completed: number;
  /** Open sessions whose token has not expired yet (may still complete). */
  readonly inProgress: number;
  /** Not completed, by last screen reached (`null`: never reached the endpoint). */
  readonly droppedAt: ReadonlyArray<{ readonly screen: string | null; readonly sessions: number }>;
}

/** Filters of {@link FlowStatsRepo.funnels}. */
export interface FunnelFilter {
  readonly flowId?: string;
  readonly campaign?: string;
  /** ISO-8601 bounds on the session's creation (send) time. */
  readonly since?: string;
  readonly until?: string;
}

export interface FlowStatsRepo {
  funnels(filter?: FunnelFilter): Promise<FlowFunnel[]>;
}

/** Read-only figures over `flow_sessions`. */
export function createFlowStatsRepo(db: Kysely<Database>, options: { now?: () => Date } = {}): FlowStatsRepo {
  const now = options.now ?? (() => new Date());
  return {
    async funnels(filter = {}) {
      let base = db.selectFrom('flow_sessions');
      if (filter.flowId !== undefined) base = base.where('flow_id', '=', filter.flowId);
      if (filter.campaign !== undefined) base = base.where('campaign', '=', filter.campaign);
      if (filter.since !== undefined) base = base.where('created_at', '>=', filter.since);
      if (filter.until !== undefined) base = base.where('created_at', '<', filter.until);
      const at = now().toISOString();
      const totals = await base
        .select((eb) => [
          'flow_id',
          eb.fn.countAll<string | number>().as('sent'),
          sql<string | number>`sum(case when status = 'completed' or last_screen is not null then 1 else 0 end)`.as('opened'),
          sql<string | number>`sum(case when status = 'completed' then 1 else 0 end)`.as('completed'),
          sql<string | number>`sum(case when status = 'open' and expires_at > ${at} then 1 else 0 end)`.as('in_progress'),
        ])
        .groupBy('flow_id')
        .orderBy('flow_id')
        .execute();
      const drops = await base
        .where('status', '<>', 'completed')
        .select((eb) => ['flow_id', 'last_screen', eb.fn.countAll<string | number>().as('sessions')])
        .groupBy(['flow_id', 'last_screen'])
        .execute();
      return totals.map((t) => ({
        flowId: t.flow_id,
        sent: Number(t.sent),
        opened: Number(t.opened),
        completed: Number(t.completed),
        inProgress: Number(t.in_progress),
        droppedAt: drops
          .filter((d) => d.flow_id === t.flow_id)
          .map((d) => ({ screen: d.last_screen, sessions: Number(d.sessions) }))
          .sort((a, b) => b.sessions - a.sessions || String(a.screen).localeCompare(String(b.screen))),
      }));
    },
  };
}
