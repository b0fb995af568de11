/**
 * The kill -9 scenario: real `flowbridge serve` processes take signed
 * `nfm_reply` completions while slow sinks receive their deliveries; a
 * process is SIGKILLed at random moments and restarted, again and again.
 * Between a kill and the restart the dead process's leases are expired in
 * the database (and, on PostgreSQL, pending rows made overdue past the
 * stranded-sweep grace): that stands for the minute (lease) or five
 * (sweep grace) a real operator's restart would wait, without waiting it.
 * The report says, per crash, how many requests were in flight to each
 * sink, and per sink what was lost or repeated.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDatabase, type StoreDialect } from '../../src/store/create-database.js';
import { issueSessions, leadAnswers, ledgerView, startLeadSinks, writeLeadProject } from './lead-project.js';
import { completionWebhook, freshDatabase, postWebhook, startServe, waitFor, type ServeProcess } from './serve-process.js';

/** Size and shape of one run. */
export interface CrashRunOptions {
  readonly dialect: StoreDialect;
  /** Server processes sharing the database (PostgreSQL only for more than 1). */
  readonly processes: number;
  readonly completions: number;
  readonly kills: number;
  /** How long each sink takes to answer. */
  readonly sinkDelayMs: number;
  /** FLOWBRIDGE_DELIVERY_CONCURRENCY of each process. */
  readonly concurrency: number;
  readonly random?: () => number;
  /**
   * How long to wait for every job to be delivered once posting ended (default
   * 120 s); shorter than the test's own timeout, so a stuck delivery fails the
   * assertions with the report instead of timing the test out without one.
   */
  readonly deliveryWaitMs?: number;
}

/** What happened. */
export interface CrashRunReport {
  readonly completions: number;
  readonly kills: number;
  /** Deliveries each killed process had running (sent or answered, not yet recorded), per sink. */
  readonly inFlightAtKill: ReadonlyArray<{ hook: number; hubspot: number }>;
  /** Of those, requests whose answer the dead process never read (caller gone before the sink answered). */
  readonly orphanedAtKill: ReadonlyArray<{ hook: number; hubspot: number }>;
  readonly submissions: number;
  readonly deliveredJobs: number;
  readonly missingAtHook: number;
  readonly missingAtHubspot: number;
  /** Submissions the webhook consumer saw under more than one webhook-id (true duplicates). */
  readonly hookDuplicates: number;
  /** Same webhook-id delivered again (deduplicated by the consumer). */
  readonly hookRedeliveries: number;
  /** HubSpot submissions beyond the first per submission. */
  readonly hubspotRepeats: number;
  readonly ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Expire the dead process's leases; answers how many deliveries per sink it had running (in flight) when it died. */
async function expireDeadLeases(databaseUrl: string, dialect: StoreDialect, pid: number): Promise<{ hook: number; hubspot: number }> {
  const store = createDatabase(databaseUrl);
  try {
    const past = new Date(Date.now() - 1000).toISOString();
    const owner = `${dialect === 'postgres' ? 'pg' : 'sqlite'}-${pid}/%`;
    const running = await sql<{ sink_name: string }>`select sink_name from delivery_jobs where state = 'running' and lease_owner like ${owner}`.execute(store.db);
    await sql`update delivery_jobs set lease_until = ${past} where state = 'running' and lease_owner like ${owner}`.execute(store.db);
    if (dialect === 'postgres') {
      // pg-boss jobs the dead process fetched but had not claimed yet: the sweep re-sends rows overdue by its grace (5 min).
      const overdue = new Date(Date.now() - 6 * 60_000).toISOString();
      await sql`update delivery_jobs set next_attempt_at = ${overdue} where state = 'pending'`.execute(store.db);
    }
    return { hook: running.rows.filter((r) => r.sink_name === 'hook').length, hubspot: running.rows.filter((r) => r.sink_name === 'hubspot').length };
  } finally {
    await store.close();
  }
}

/** Run the scenario and report; throws only on harness failures (assertions are the caller's). */
export async function runCrashScenario(options: CrashRunOptions): Promise<CrashRunReport> {
  const random = options.random ?? Math.random;
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'fb-rel-kill-'));
  const sinks = await startLeadSinks(options.sinkDelayMs);
  const database = await freshDatabase(options.dialect, dir);
  const servers: ServeProcess[] = [];
  try {
    const project = await writeLeadProject(dir, sinks);
    const tokens = await issueSessions(database.url, options.completions);
    const env = { ...project.env, FLOWBRIDGE_DATA_DIR: dir, FLOWBRIDGE_DATABASE_URL: database.url, FLOWBRIDGE_DELIVERY_CONCURRENCY: String(options.concurrency) };
    for (let i = 0; i < options.processes; i++) {
      servers.push(await startServe(env));
      await servers[i]!.ready();
    }
    const hooks = tokens.map((t, i) => completionWebhook(`wamid.KILL-${i}`, leadAnswers(project.flow, t, `r${i}@example.com`, i % 2 === 0 ? 'o1' : 'o2')));

    // Meta's side: every completion is posted until a server acknowledges it (a kill mid-request means a retry).
    let next = 0;
    const poster = async (): Promise<void> => {
      while (next < hooks.length) {
        const hook = hooks[next++]!;
        while ((await postWebhook(servers[Math.floor(random() * servers.length)]!.url, hook)) !== 200) await sleep(20);
        await sleep(5);
      }
    };
    const posting = Promise.all(Array.from({ length: 4 }, poster));

    const inFlightAtKill: Array<{ hook: number; hubspot: number }> = [];
    const orphanedAtKill: Array<{ hook: number; hubspot: number }> = [];
    for (let k = 0; k < options.kills; k++) {
      await sleep(150 + Math.floor(random() * 600));
      const slot = Math.floor(random() * servers.length);
      const victim = servers[slot]!;
      const pid = victim.child.pid ?? -1;
      const before = { hook: sinks.hookProxy.orphaned(), hubspot: sinks.hubspotProxy.orphaned() };
      await victim.kill('SIGKILL');
      await sleep(options.sinkDelayMs + 50);
      orphanedAtKill.push({ hook: sinks.hookProxy.orphaned() - before.hook, hubspot: sinks.hubspotProxy.orphaned() - before.hubspot });
      inFlightAtKill.push(await expireDeadLeases(database.url, options.dialect, pid));
      servers[slot] = await startServe(env);
      await servers[slot].ready();
    }
    await posting;

    const store = createDatabase(database.url);
    let submissions = 0;
    let deliveredJobs = 0;
    try {
      const count = async (query: ReturnType<typeof sql<{ n: number | string }>>): Promise<number> => Number((await query.execute(store.db)).rows[0]?.n ?? 0);
      await waitFor(`${2 * options.completions} delivered jobs`, async () => {
        deliveredJobs = await count(sql<{ n: number | string }>`select count(*) as n from delivery_jobs where state = 'delivered'`);
        return deliveredJobs >= 2 * options.completions;
      }, options.deliveryWaitMs ?? 120_000).catch(() => undefined);
      submissions = await count(sql<{ n: number | string }>`select count(*) as n from submissions`);
    } finally {
      await store.close();
    }
    await waitFor('the proxies to drain', () => sinks.hookProxy.inFlight() === 0 && sinks.hubspotProxy.inFlight() === 0, 10_000);

    const view = ledgerView(sinks);
    const emails = hooks.map((_, i) => `r${i}@example.com`);
    return {
      completions: options.completions, kills: options.kills, inFlightAtKill, orphanedAtKill, submissions, deliveredJobs,
      missingAtHook: emails.filter((e) => !view.hook.has(e)).length,
      missingAtHubspot: emails.filter((e) => !view.hubspot.has(e)).length,
      hookDuplicates: [...view.hook.values()].filter((v) => v.ids.size > 1).length,
      hookRedeliveries: [...view.hook.values()].reduce((n, v) => n + v.entries - 1, 0),
      hubspotRepeats: [...view.hubspot.values()].reduce((n, v) => n + v - 1, 0),
      ms: Date.now() - started,
    };
  } finally {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await sinks.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per run for the test output. */
export function describeReport(label: string, r: CrashRunReport): string {
  const perCrash = r.inFlightAtKill.map((k, i) => `#${i + 1} hook ${k.hook}/hubspot ${k.hubspot} (unanswered ${r.orphanedAtKill[i]?.hook ?? 0}/${r.orphanedAtKill[i]?.hubspot ?? 0})`).join(', ');
  return `[reliability] ${label}: ${r.completions} completions, ${r.kills} kills in ${(r.ms / 1000).toFixed(1)} s; ` +
    `submissions ${r.submissions}, delivered jobs ${r.deliveredJobs}; missing hook ${r.missingAtHook}, hubspot ${r.missingAtHubspot}; ` +
    `hook duplicates ${r.hookDuplicates} (same-id redeliveries ${r.hookRedeliveries}); hubspot repeats ${r.hubspotRepeats} ` +
    `(in flight at the kills: ${r.inFlightAtKill.reduce((n, k) => n + k.hubspot, 0)}); running per crash: ${perCrash}`;
}
