/**
 * The delivery worker: for each job the queue claims, build the submission,
 * call the sink once with a progress store backed by `delivery_progress`,
 * record the attempt and move the job on (delivered, retry with backoff,
 * failed, dead), then tell subscribers (alerts) what happened. A sink that
 * throws (a programming error) is treated as a retryable failure carrying
 * the message: the worker never crashes on a job. `stop()` stops claiming
 * and waits for the attempts in flight.
 * @module
 */
import type { JobQueue } from '../../queue/job-queue.js';
import { DEFAULT_LEASE_MS } from '../../queue/sqlite-queue.js';
import { fetchSender, type HttpSender } from '../../sinks/http/http-sender.js';
import { sharedHttpSender } from '../../sinks/http/undici-sender.js';
import type { DeliveryContext, DeliveryOutcome, ProgressStore } from '../../sinks/sink-connector.js';
import { createGroupCommit } from '../../store/group-commit.js';
import type { DeliveryJob, DeliveryRepo, FinishItem } from '../../store/repos/delivery-repo.js';
import { buildSubmission, type SubmissionSources } from './build-submission.js';
import { decideNext, type RetryPolicy } from './retry-policy.js';
import { createSinkHealth, type DeliveryEvent } from './sink-health.js';

export type { DeliveryEvent, DeliveryEventKind } from './sink-health.js';

/** The config fields the worker reads (config-schema names). */
export interface DeliveryWorkerConfig {
  readonly deliveryMaxAttempts: number;
  readonly deliveryMaxAgeHours: number;
  readonly deliveryConcurrency: number;
}

/** Dependencies and knobs of {@link createDeliveryWorker}. */
export interface DeliveryWorkerOptions extends Omit<SubmissionSources, 'repo'> {
  readonly repo: Pick<DeliveryRepo, 'getSubmission' | 'finishAttempts' | 'getProgress' | 'setProgress' | 'extendLease'>;
  /** The lease the queue claims with; while an attempt runs it is renewed every third of it. Default: the queues' default. */
  readonly leaseMs?: number;
  readonly queue: JobQueue;
  readonly config: DeliveryWorkerConfig;
  /** Backoff shape beyond the config's budgets (base 1 s, cap 1 h by default). */
  readonly backoff?: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'maxRetryAfterMs'>;
  /** Called after each state change is committed; errors thrown here are swallowed. */
  readonly onEvent?: (event: DeliveryEvent) => void | Promise<void>;
  /** Database or bookkeeping errors (the job's lease then runs out and it is retried). */
  readonly onError?: (error: unknown, job: DeliveryJob) => void;
  /** Given without `http`, every sink request goes through it (tests). */
  readonly fetch?: typeof fetch;
  /** The sinks' HTTP sender; default the shared undici client, or an adapter over `fetch` when that is given. */
  readonly http?: HttpSender;
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** A running worker. */
export interface DeliveryWorker {
  start(): Promise<void>;
  /** Stop claiming; resolves when in-flight attempts are recorded. */
  stop(): Promise<void>;
  /** Run one claimed job to the end (the queue's handler; exposed for tests and tools). */
  handle(job: DeliveryJob): Promise<void>;
}

/** Build a worker over a queue. */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { repo, queue, config } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...options.backoff, maxAttempts: config.deliveryMaxAttempts, maxAgeMs: config.deliveryMaxAgeHours * 3_600_000 };
  const health = createSinkHealth();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const http = options.http ?? (options.fetch === undefined ? sharedHttpSender() : fetchSender(options.fetch));
  // Group commit: under load one transaction records many finished attempts.
  const finish = createGroupCommit<FinishItem, boolean>((items) => repo.finishAttempts(items, (trx, jobs) => queue.enqueue(trx, jobs)));

  const progressFor = (key: string): ProgressStore => ({
    get: (step) => repo.getProgress(key, step),
    set: (step, value) => repo.setProgress(key, step, value),
  });

  async function attempt(job: DeliveryJob): Promise<DeliveryOutcome> {
    try {
      const built = await buildSubmission(job, options);
      if (!built.ok) return built.outcome;
      const ctx: DeliveryContext<unknown> = { settings: built.sink.settings, idempotencyKey: job.idempotencyKey, progress: progressFor(job.idempotencyKey), fetch: fetchImpl, http, now };
      return await built.sink.connector.deliver(ctx, built.submission);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'retry', reason: `Unexpected error in sink "${job.sinkName}" (${job.sinkType}): ${message}` };
    }
  }

  async function emit(events: readonly DeliveryEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await options.onEvent?.(event);
      } catch {
        // Subscribers (alerts) must not break delivery.
      }
    }
  }

  async function handle(job: DeliveryJob): Promise<void> {
    const startedAt = now();
    // A long attempt (a multi-step sink uploading files) keeps its claim; a dead process's claim runs out.
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const heartbeat = setInterval(() => {
      repo.extendLease(job, leaseMs).catch((error: unknown) => options.onError?.(error, job));
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    let outcome: DeliveryOutcome;
    try {
      // Claims count attempts, so a job whose attempts keep killing the process still reaches the dead letter.
      outcome = job.attempts > policy.maxAttempts
        ? { kind: 'retry', reason: `Attempt budget spent: ${job.attempts - 1} attempts, the last ones never finished (the process stopped during them). Last error: ${job.lastError ?? 'none'}` }
        : await attempt(job);
    } finally {
      clearInterval(heartbeat);
    }
    const next = decideNext(job, outcome, policy, now(), random);
    let committed: boolean;
    try {
      committed = await finish({ job, finish: { ...next, startedAt } });
    } catch (error) {
      options.onError?.(error, job);
      return;
    }
    if (!committed) return; // Another run took the job over (lease expired) or it was reset: its result wins.
    const after: DeliveryJob = {
      ...job,
      state: next.state,
      nextAttemptAt: next.nextAttemptAt ?? job.nextAttemptAt,
      leaseOwner: null,
      leaseUntil: null,
      lastError: next.outcome === 'delivered' ? job.lastError : (next.reason ?? null),
      lastField: next.outcome === 'permanent' ? (next.field ?? null) : job.lastField,
      externalId: next.externalId ?? job.externalId,
      deliveredAt: next.state === 'delivered' ? now() : null,
    };
    await emit(health.observe(after, next.reason, next.field));
  }

  return {
    start: () => queue.start(handle, { concurrency: config.deliveryConcurrency }),
    stop: () => queue.stop(),
    handle,
  };
}
