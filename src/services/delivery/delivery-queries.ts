/**
 * Reading deliveries for operators (`flowbridge deliveries list|show`, the
 * admin API): filters checked and turned into repository queries, and
 * JSON-ready views of jobs and their attempts. Also the parsers shared by
 * the CLI and the API for states and times (`2026-11-26T08:00:00Z`,
 * `2026-11-26`, or relative `90m` / `24h` / `7d` ago).
 * @module
 */
import { AppError } from '../../core/errors.js';
import { DELIVERY_STATES, type DeliveryAttempt, type DeliveryJob, type DeliveryRepo, type DeliveryState, type JobFilter } from '../../store/repos/delivery-repo.js';

/** Largest page of a listing. */
export const MAX_LIST_LIMIT = 1000;

/** Filters of a listing, already parsed: the repository's filter, each field also explicitly `undefined`. */
export type DeliveryListQuery = { readonly [K in keyof JobFilter]?: JobFilter[K] | undefined };

/** A job as operators see it (JSON-ready; no lease internals). */
export interface DeliveryJobView {
  readonly id: string;
  readonly submissionId: string;
  readonly flowId: string;
  readonly sink: string;
  readonly sinkType: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly generation: number;
  readonly idempotencyKey: string;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly field: string | null;
  readonly externalId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt: string | null;
}

/** One attempt as operators see it. */
export interface DeliveryAttemptView {
  readonly n: number;
  readonly generation: number;
  readonly outcome: string;
  readonly reason: string | null;
  readonly field: string | null;
  readonly retryAfterMs: number | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly worker: string;
}

/** A job with its attempts and its submission's summary. */
export interface DeliveryDetail {
  readonly job: DeliveryJobView;
  readonly attempts: readonly DeliveryAttemptView[];
  readonly submission: { readonly id: string; readonly flowId: string; readonly contactPhone: string; readonly entryPoint: string | null; readonly createdAt: string } | null;
}

/** Job → view. */
export function jobView(job: DeliveryJob): DeliveryJobView {
  return {
    id: job.id,
    submissionId: job.submissionId,
    flowId: job.flowId,
    sink: job.sinkName,
    sinkType: job.sinkType,
    state: job.state,
    attempts: job.attempts,
    generation: job.generation,
    idempotencyKey: job.idempotencyKey,
    nextAttemptAt: job.state === 'pending' || job.state === 'running' ? job.nextAttemptAt.toISOString() : null,
    lastError: job.lastError,
    field: job.lastField,
    externalId: job.externalId,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    deliveredAt: job.deliveredAt?.toISOString() ?? null,
  };
}

function attemptView(a: DeliveryAttempt): DeliveryAttemptView {
  return { n: a.n, generation: a.generation, outcome: a.outcome, reason: a.reason, field: a.field, retryAfterMs: a.retryAfterMs, startedAt: a.startedAt.toISOString(), finishedAt: a.finishedAt.toISOString(), worker: a.worker };
}

/** A delivery state, or a USAGE_INVALID error naming the valid ones. */
export function parseDeliveryState(text: string, where = 'state'): DeliveryState {
  const state = text.trim().toLowerCase();
  if ((DELIVERY_STATES as readonly string[]).includes(state)) return state as DeliveryState;
  throw new AppError('USAGE_INVALID', `${where} "${text.slice(0, 40)}" is not a delivery state. Fix: use one of ${DELIVERY_STATES.join(', ')}.`);
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A point in time: ISO-8601 (a date alone is midnight UTC; a time without
 * zone is UTC) or a duration ago (`90m`, `24h`, `7d`, `2w`).
 * @throws AppError USAGE_INVALID saying what is accepted.
 */
export function parseTimeArg(text: string, now: Date, where = 'time'): Date {
  const t = text.trim();
  const relative = /^(\d{1,6})\s*([smhdw])$/i.exec(t);
  if (relative !== null) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!);
  if (ISO.test(t)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(t) || !/[T ]/i.test(t) ? t : `${t}Z`;
    const at = new Date(/[T ]/i.test(zoned) ? zoned.replace(' ', 'T') : `${zoned}T00:00:00Z`);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new AppError('USAGE_INVALID', `${where} "${t.slice(0, 40)}" is not a time. Fix: use ISO-8601 (2026-11-26T08:00:00Z, or 2026-11-26 for midnight UTC) or a duration ago such as 90m, 24h, 7d.`);
}

/** A listing limit from 1 to {@link MAX_LIST_LIMIT}. */
export function parseLimit(text: string, where = 'limit'): number {
  const n = /^\d{1,7}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= MAX_LIST_LIMIT) return n;
  throw new AppError('USAGE_INVALID', `${where} "${text.slice(0, 20)}" must be a whole number from 1 to ${MAX_LIST_LIMIT}.`);
}

/** Operator reads over the delivery repository. */
export interface DeliveryQueries {
  /** Newest first. */
  list(query: DeliveryListQuery): Promise<DeliveryJobView[]>;
  /** @throws AppError NOT_FOUND */
  show(id: string): Promise<DeliveryDetail>;
  /** Jobs per state. */
  counts(): Promise<Record<DeliveryState, number>>;
}

/** Build the reads. */
export function createDeliveryQueries(repo: Pick<DeliveryRepo, 'listJobs' | 'getJob' | 'listAttempts' | 'getSubmission' | 'countByState'>): DeliveryQueries {
  return {
    async list(q) {
      if (q.since !== undefined && q.until !== undefined && q.since.getTime() >= q.until.getTime()) {
        throw new AppError('USAGE_INVALID', `since (${q.since.toISOString()}) must be before until (${q.until.toISOString()}).`);
      }
      const jobs = await repo.listJobs({
        ...(q.state === undefined ? {} : { state: q.state }),
        ...(q.sinkName === undefined ? {} : { sinkName: q.sinkName }),
        ...(q.flowId === undefined ? {} : { flowId: q.flowId }),
        ...(q.submissionId === undefined ? {} : { submissionId: q.submissionId }),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(q.until === undefined ? {} : { until: q.until }),
        limit: Math.min(q.limit ?? 100, MAX_LIST_LIMIT),
      });
      return jobs.map(jobView);
    },
    async show(id) {
      const job = await repo.getJob(id);
      if (job === undefined) throw new AppError('NOT_FOUND', `No delivery "${id.slice(0, 80)}". Fix: take the id from \`flowbridge deliveries list\` (or GET /api/deliveries).`);
      const [attempts, submission] = await Promise.all([repo.listAttempts(id), repo.getSubmission(job.submissionId)]);
      return {
        job: jobView(job),
        attempts: attempts.map(attemptView),
        submission: submission === undefined ? null : { id: submission.id, flowId: submission.flowId, contactPhone: submission.contactPhone, entryPoint: submission.entryPoint, createdAt: submission.createdAt.toISOString() },
      };
    },
    counts: () => repo.countByState(),
  };
}
