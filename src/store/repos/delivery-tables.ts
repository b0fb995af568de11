/**
 * Row types of the delivery tables (migration 0003) and their mapping to
 * domain objects. States and columns are described in the migration and in
 * /work/notes/contracts-delivery.md.
 * @module
 */
import type { Selectable } from 'kysely';

/** Lifecycle of one delivery job. */
export type DeliveryState = 'pending' | 'running' | 'delivered' | 'failed' | 'dead';

/** Every state, in lifecycle order. */
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'running', 'delivered', 'failed', 'dead'];

/** The columns migration 0003 adds to `submissions`. */
export interface SubmissionAnswerColumns {
  /** `mapAnswersToSource` output as JSON (hand-written flows: the response_json params minus flow_token). */
  answers_json: string | null;
  /** `CatalogueFlow.version` the answers were mapped with. */
  form_version: string | null;
}

/** `delivery_jobs`: one row per (submission, sink name). */
export interface DeliveryJobTable {
  id: string;
  submission_id: string;
  flow_id: string;
  sink_name: string;
  sink_type: string;
  generation: number;
  idempotency_key: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  last_field: string | null;
  external_id: string | null;
  budget_from: string;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** Outcome of one finished attempt. */
export type AttemptOutcome = 'delivered' | 'retry' | 'permanent';

/** `delivery_attempts`: one row per finished attempt. */
export interface DeliveryAttemptTable {
  id: string;
  job_id: string;
  generation: number;
  n: number;
  worker: string;
  started_at: string;
  finished_at: string;
  outcome: AttemptOutcome;
  reason: string | null;
  field: string | null;
  retry_after_ms: number | null;
  external_id: string | null;
}

/** `delivery_progress`: a multi-step sink's memory per idempotency key. */
export interface DeliveryProgressTable {
  idempotency_key: string;
  step: string;
  value: string;
  updated_at: string;
}

/** The tables the delivery repository adds to `Database`. */
export type DeliveryTables = {
  delivery_jobs: DeliveryJobTable;
  delivery_attempts: DeliveryAttemptTable;
  delivery_progress: DeliveryProgressTable;
};

/** A delivery job as the application sees it. */
export interface DeliveryJob {
  readonly id: string;
  readonly submissionId: string;
  readonly flowId: string;
  readonly sinkName: string;
  readonly sinkType: string;
  readonly generation: number;
  readonly idempotencyKey: string;
  readonly state: DeliveryState;
  /** Attempts started in this generation (a claim counts one, even if the process then crashes). */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  /** The claim token while `running` (`<worker id>/<uuid>`). */
  readonly leaseOwner: string | null;
  readonly leaseUntil: Date | null;
  /** Last failure: the sink's own message for `failed`. */
  readonly lastError: string | null;
  /** The form field the last permanent failure names (source key). */
  readonly lastField: string | null;
  readonly externalId: string | null;
  /** Start of this generation's age budget (creation, retry or replay). */
  readonly budgetFrom: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deliveredAt: Date | null;
}

/** One finished attempt. */
export interface DeliveryAttempt {
  readonly id: string;
  readonly jobId: string;
  readonly generation: number;
  /** 1-based attempt number within the generation. */
  readonly n: number;
  readonly worker: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: AttemptOutcome;
  readonly reason: string | null;
  readonly field: string | null;
  readonly retryAfterMs: number | null;
  readonly externalId: string | null;
}

const date = (text: string): Date => new Date(text);
const maybeDate = (text: string | null): Date | null => (text === null ? null : new Date(text));

/** Row → domain object. */
export function toDeliveryJob(row: Selectable<DeliveryJobTable>): DeliveryJob {
  return {
    id: row.id,
    submissionId: row.submission_id,
    flowId: row.flow_id,
    sinkName: row.sink_name,
    sinkType: row.sink_type,
    generation: Number(row.generation),
    idempotencyKey: row.idempotency_key,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: date(row.next_attempt_at),
    leaseOwner: row.lease_owner,
    leaseUntil: maybeDate(row.lease_until),
    lastError: row.last_error,
    lastField: row.last_field,
    externalId: row.external_id,
    budgetFrom: date(row.budget_from),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    deliveredAt: maybeDate(row.delivered_at),
  };
}

/** Row → domain object. */
export function toDeliveryAttempt(row: Selectable<DeliveryAttemptTable>): DeliveryAttempt {
  return {
    id: row.id,
    jobId: row.job_id,
    generation: Number(row.generation),
    n: Number(row.n),
    worker: row.worker,
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    outcome: row.outcome,
    reason: row.reason,
    field: row.field,
    retryAfterMs: row.retry_after_ms === null ? null : Number(row.retry_after_ms),
    externalId: row.external_id,
  };
}

/** The idempotency key of a (submission, sink) in a generation: `<submission>:<sink>`, then `…:g<n>` for replays. */
export function idempotencyKeyFor(submissionId: string, sinkName: string, generation: number): string {
  return generation === 0 ? `${submissionId}:${sinkName}` : `${submissionId}:${sinkName}:g${generation}`;
}
