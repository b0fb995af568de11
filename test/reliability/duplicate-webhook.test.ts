/**
 * Reliability: the same signed `nfm_reply` webhook delivered 5 times at once
 * (Meta retries a webhook it thinks was not acknowledged) through the real
 * route of real `flowbridge serve` processes gives one submission and one
 * delivery per sink. On PostgreSQL two server processes share the database
 * and the pg-boss queue, and the copies are split between them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDialect } from '../../src/store/create-database.js';
import { createDatabase } from '../../src/store/create-database.js';
import { issueSessions, leadAnswers, ledgerView, startLeadSinks, writeLeadProject, type LeadProject, type LeadSinks } from './lead-project.js';
import { completionWebhook, freshDatabase, postWebhook, startServe, waitFor, type ReliabilityDatabase, type ServeProcess } from './serve-process.js';

describe.each<[StoreDialect, number]>([['sqlite', 1], ['postgres', 2]])('the same nfm_reply 5 times at once (%s, %i server process(es))', (dialect, processes) => {
  let dir: string;
  let sinks: LeadSinks;
  let project: LeadProject;
  let database: ReliabilityDatabase;
  const servers: ServeProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fb-rel-dup-'));
    sinks = await startLeadSinks(20);
    project = await writeLeadProject(dir, sinks);
    database = await freshDatabase(dialect, dir);
    for (let i = 0; i < processes; i++) {
      servers.push(await startServe({ ...project.env, FLOWBRIDGE_DATA_DIR: dir, FLOWBRIDGE_DATABASE_URL: database.url }));
      await servers[i]!.ready(); // one at a time: the first one migrates
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await sinks?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores one submission and delivers it once to each sink', async () => {
    const [token] = await issueSessions(database.url, 1);
    const hook = completionWebhook('wamid.DUPLICATE-1', leadAnswers(project.flow, token!, 'dup@example.com'));
    const statuses = await Promise.all(Array.from({ length: 5 }, (_, i) => postWebhook(servers[i % servers.length]!.url, hook)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const store = createDatabase(database.url);
    try {
      await waitFor('both deliveries', async () => {
        const { rows } = await sql<{ n: number | string }>`select count(*) as n from delivery_jobs where state = 'delivered'`.execute(store.db);
        return Number(rows[0]?.n) === 2;
      });
      // Give a late duplicate the chance to show: every process has drained its pending webhook events.
      await new Promise((r) => setTimeout(r, 300));
      const submissions = await sql<{ n: number | string }>`select count(*) as n from submissions`.execute(store.db);
      expect(Number(submissions.rows[0]?.n)).toBe(1);
      const jobs = await sql<{ sink_name: string; state: string; attempts: number | string }>`select sink_name, state, attempts from delivery_jobs order by sink_name`.execute(store.db);
      expect(jobs.rows.map((j) => [j.sink_name, j.state, Number(j.attempts)])).toEqual([['hook', 'delivered', 1], ['hubspot', 'delivered', 1]]);
    } finally {
      await store.close();
    }
    const view = ledgerView(sinks);
    expect(sinks.hook.ledger).toHaveLength(1);
    expect(view.hook.get('dup@example.com')?.entries).toBe(1);
    expect(sinks.hubspot.ledger).toHaveLength(1);
    expect(view.hubspot.get('dup@example.com')).toBe(1);
  }, 60_000);
});
