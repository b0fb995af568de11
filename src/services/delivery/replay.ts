/**
 * Operator actions on deliveries (issue 6 §3):
 * - **retry** one job now: a `failed`, `dead` or waiting `pending` job goes
 *   back to pending, due now, with a fresh attempt/age budget and the same
 *   idempotency key (it never wrote, so a sink's partial progress is kept);
 * - **replay** one submission (to one or all of its sinks) or a time range
 *   (to one or all sinks): `delivered` jobs get a new generation and a new
 *   idempotency key, so the destination really writes again (after a fixed
 *   mapping); `failed` / `dead` / `pending` jobs are reset to pending as for
 *   retry; `running` jobs are skipped and reported. A range replay can be a
 *   dry run that only reports what it would do.
 * The state change and the queue's `enqueue` run in one transaction.
 * @module
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { Database } from '../../store/database.js';
import type { DeliveryJob, DeliveryRepo, DeliveryState, DeliveryTables, EnqueueHook } from '../../store/repos/delivery-repo.js';

/** Largest number of jobs one range replay may touch (narrow the range or name a sink beyond it). */
export const MAX_REPLAY_JOBS = 100_000;

/** Dependencies of {@link createDeliveryReplay}. */
export interface DeliveryReplayDeps {
  readonly db: Kysely<Database>;
  readonly repo: Pick<DeliveryRepo, 'getJob' | 'listJobs' | 'resetJobs'>;
  /** The queue's `enqueue` (pg-boss must learn about reset jobs); absent: the rows alone (SQLite poller, PG sweep). */
  readonly enqueue?: EnqueueHook | undefined;
  /** Wake an idle local poller after a commit. */
  readonly notify?: (() => void) | undefined;
}

/** What to replay. */
export type ReplayTarget =
  | { readonly submissionId: string; readonly sinkName?: string | undefined }
  | { readonly from: Date; readonly to: Date; readonly sinkName?: string | undefined; readonly flowId?: string | undefined };

/** One job a replay leaves alone. */
export interface SkippedJob {
  readonly id: string;
  readonly sink: string;
  readonly state: DeliveryState;
  readonly reason: string;
}

/** What a replay did (or, dry, would do). */
export interface ReplayReport {
  readonly dryRun: boolean;
  /** Jobs the target selected. */
  readonly matched: number;
  /** Delivered jobs sent again under a new idempotency key. */
  readonly redelivered: readonly string[];
  /** Failed, dead or pending jobs reset to pending. */
  readonly reset: readonly string[];
  readonly skipped: readonly SkippedJob[];
}

/** The operator actions. */
export interface DeliveryReplay {
  /** @throws AppError NOT_FOUND (no such job), CONFLICT (delivered: use replay; running now) */
  retry(jobId: string): Promise<DeliveryJob>;
  /** @throws AppError NOT_FOUND (no job for the submission / sink), USAGE_INVALID (bad range) */
  replay(target: ReplayTarget, options?: { readonly dryRun?: boolean }): Promise<ReplayReport>;
}

interface Selected {
  readonly id: string;
  readonly sink: string;
  readonly state: DeliveryState;
}

const RESETTABLE = new Set<DeliveryState>(['pending', 'failed', 'dead']);

/** Build the actions. */
export function createDeliveryReplay(deps: DeliveryReplayDeps): DeliveryReplay {
  const tables = deps.db.withTables<DeliveryTables>();

  async function selectRange(from: Date, to: Date, sinkName: string | undefined, flowId: string | undefined): Promise<Selected[]> {
    if (!(from.getTime() < to.getTime())) {
      throw new AppError('USAGE_INVALID', `The range is empty: --from ${from.toISOString()} must be before --to ${to.toISOString()}.`);
    }
    let q = tables.selectFrom('delivery_jobs').select(['id', 'sink_name', 'state'])
      .where('created_at', '>=', from.toISOString()).where('created_at', '<', to.toISOString());
    if (sinkName !== undefined) q = q.where('sink_name', '=', sinkName);
    if (flowId !== undefined) q = q.where('flow_id', '=', flowId);
    const rows = await q.orderBy('created_at').orderBy('id').limit(MAX_REPLAY_JOBS + 1).execute();
    if (rows.length > MAX_REPLAY_JOBS) {
      throw new AppError('USAGE_INVALID', `The range selects more than ${MAX_REPLAY_JOBS} deliveries. Fix: narrow --from/--to or name a --sink, and replay in parts.`);
    }
    return rows.map((r) => ({ id: r.id, sink: r.sink_name, state: r.state }));
  }

  async function selectSubmission(submissionId: string, sinkName: string | undefined): Promise<Selected[]> {
    const jobs = await deps.repo.listJobs({ submissionId, limit: 1000 });
    if (jobs.length === 0) throw new AppError('NOT_FOUND', `Submission "${submissionId.slice(0, 80)}" has no deliveries. Fix: check the id (flowbridge deliveries list shows submission ids).`);
    const chosen = sinkName === undefined ? jobs : jobs.filter((j) => j.sinkName === sinkName);
    if (chosen.length === 0) {
      throw new AppError('NOT_FOUND', `Submission "${submissionId.slice(0, 80)}" has no delivery to sink "${sinkName!.slice(0, 80)}". Its sinks: ${jobs.map((j) => j.sinkName).join(', ')}.`);
    }
    return chosen.map((j) => ({ id: j.id, sink: j.sinkName, state: j.state }));
  }

  return {
    async retry(jobId) {
      const job = await deps.repo.getJob(jobId);
      if (job === undefined) throw new AppError('NOT_FOUND', `No delivery "${jobId.slice(0, 80)}". Fix: take the id from \`flowbridge deliveries list\`.`);
      if (job.state === 'delivered') {
        throw new AppError('CONFLICT', `Delivery ${job.id} to ${job.sinkName} was already delivered. Fix: to write it again (e.g. after fixing a mapping) replay it: flowbridge deliveries replay --submission ${job.submissionId} --sink ${job.sinkName}.`);
      }
      if (job.state === 'running') throw new AppError('CONFLICT', `Delivery ${job.id} is being attempted right now. Fix: wait for the attempt to finish (flowbridge deliveries show ${job.id}).`);
      const [reset] = await deps.repo.resetJobs([job.id], {}, deps.enqueue);
      if (reset === undefined) throw new AppError('CONFLICT', `Delivery ${job.id} changed state while being retried. Fix: look at it again (flowbridge deliveries show ${job.id}).`);
      deps.notify?.();
      return reset;
    },

    async replay(target, options = {}) {
      const selected = 'submissionId' in target
        ? await selectSubmission(target.submissionId, target.sinkName)
        : await selectRange(target.from, target.to, target.sinkName, target.flowId);
      const running = selected.filter((s) => s.state === 'running');
      const delivered = selected.filter((s) => s.state === 'delivered').map((s) => s.id);
      const resettable = selected.filter((s) => RESETTABLE.has(s.state)).map((s) => s.id);
      const skipped: SkippedJob[] = running.map((s) => ({ ...s, reason: 'being attempted right now' }));
      if (options.dryRun === true) return { dryRun: true, matched: selected.length, redelivered: delivered, reset: resettable, skipped };

      const redone = await deps.repo.resetJobs(delivered, { newGeneration: true }, deps.enqueue);
      const reset = await deps.repo.resetJobs(resettable, {}, deps.enqueue);
      // A job that changed state between selection and reset (claimed by a worker) is reported, not lost.
      const done = new Set([...redone, ...reset].map((j) => j.id));
      for (const s of selected) {
        if (s.state !== 'running' && !done.has(s.id)) skipped.push({ ...s, reason: 'changed state while replaying; look at it again' });
      }
      if (done.size > 0) deps.notify?.();
      return { dryRun: false, matched: selected.length, redelivered: redone.map((j) => j.id), reset: reset.map((j) => j.id), skipped };
    },
  };
}
