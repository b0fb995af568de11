/**
 * Test support: submissions and delivery jobs in chosen states, made through
 * the delivery repository's own operations (insert, claim, finish), so the
 * rows look exactly as the worker leaves them.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database.js';
import type { DeliveryJob, DeliveryRepo } from '../../src/store/repos/delivery-repo.js';

/** The end state a seeded job is driven to. */
export type SeedState = 'pending' | 'running' | 'delivered' | 'failed' | 'dead';

/** Insert a session + submission and one job per sink; returns the jobs by sink name. */
export async function seedSubmission(db: Kysely<Database>, repo: DeliveryRepo, id: string, createdAt: Date, sinks: readonly string[], flowId = 'F1'): Promise<Record<string, DeliveryJob>> {
  const at = createdAt.toISOString();
  await db.insertInto('flow_sessions').values({ flow_token: `tok-${id}`, flow_id: flowId, form_id: null, contact_phone: '447700900123', entry_point: 'ad', campaign: null, status: 'completed', created_at: at, expires_at: at, completed_at: at, last_screen: null }).execute();
  await db.insertInto('submissions').values({ id, flow_token: `tok-${id}`, response_json: '{"interest":"Maybe"}', created_at: at }).execute();
  const jobs = await db.transaction().execute((trx) => repo.insertJobs(trx, sinks.map((sinkName) => ({ submissionId: id, flowId, sinkName, sinkType: 'webhook' }))));
  return Object.fromEntries(jobs.map((j) => [j.sinkName, j]));
}

/** Drive a pending job to `state` with one attempt (`reason`/`field` for failures). */
export async function driveTo(repo: DeliveryRepo, job: DeliveryJob, state: SeedState, now: Date, failure: { reason?: string; field?: string } = {}): Promise<void> {
  if (state === 'pending') return;
  const [claimed] = await repo.claimByIds([job.id], 'seed', 60_000);
  if (claimed === undefined) throw new Error(`seed: could not claim ${job.id}`);
  if (state === 'running') return;
  const outcome = state === 'delivered' ? 'delivered' : state === 'failed' ? 'permanent' : 'retry';
  const ok = await repo.finishAttempt(claimed, { state, outcome, startedAt: now, reason: failure.reason, field: failure.field, ...(state === 'delivered' ? { externalId: `ext-${job.id}` } : {}) });
  if (!ok) throw new Error(`seed: could not finish ${job.id}`);
}
