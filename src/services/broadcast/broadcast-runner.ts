/**
 * Sends one broadcast: takes the broadcast's lease, re-sends what a
 * previous runner left `sending` (same idempotency key, so the sender
 * returns the earlier send instead of messaging anyone twice), then claims
 * recipients in batches (`pending → sending`, durably, before sending) and
 * sends each through the {@link FlowSender} at the broadcast's rate. Outcomes
 * are written in batches; a crash before they are written only means those
 * recipients are re-sent with their keys. Pausing or cancelling (by anyone,
 * through the store) is seen within `checkMs`; recipients claimed but not
 * yet sent go back to the queue. Each recipient's template body parameters,
 * resolved from its CSV row when the broadcast was created, go with its send.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { BroadcastRepo } from '../../store/repos/broadcast-repo.js';
import type { RecipientOutcome, RecipientRepo } from '../../store/repos/broadcast-recipient-repo.js';
import type { Recipient } from '../../store/repos/broadcast-tables.js';
import type { FlowSender } from '../flow-sender.js';
import { SendRateLimiter, systemClock, type Clock, type Permit } from './rate-limiter.js';
import { decideOutcome, idempotencyKey, type SendDecision } from './send-outcome.js';
import { storedParams } from './template-params.js';

/** Dependencies and tuning of {@link createBroadcastRunner}. */
export interface BroadcastRunnerDeps {
  readonly broadcasts: BroadcastRepo;
  readonly recipients: RecipientRepo;
  readonly sender: FlowSender;
  readonly clock?: Clock;
  /** Upper bound of any broadcast's rate (config `broadcastRate` is the default rate; Meta's limit is 1,000). */
  readonly maxRate?: number;
  /** Lease owner id of this runner (default: random). */
  readonly owner?: string;
  /** Lease lifetime; a crashed runner's broadcast is taken over after it (default 30 s). */
  readonly leaseMs?: number;
  /** How often the broadcast's state is re-read (pause/cancel latency) and results are written (default 250 ms). */
  readonly checkMs?: number;
  /** Recipients claimed per statement (default 100). */
  readonly batchSize?: number;
  /** Sends awaiting Meta's answer at once (default 64: 64 ms of round trip at 1,000 mps). */
  readonly maxInFlight?: number;
  /** Tries per recipient before a retryable error fails it (default 10). */
  readonly maxAttempts?: number;
  /** Wait before re-sending a recipient whose send threw (same key); default 2 s. */
  readonly retryThrownMs?: number;
  readonly onError?: (error: unknown, recipient: Recipient) => void;
}

/** Why {@link BroadcastRunner.run} returned. */
export type RunEnd = 'done' | 'paused' | 'cancelled' | 'draft' | 'not_found' | 'lease_held' | 'lease_lost' | 'stopped';

/** Runs broadcasts. */
export interface BroadcastRunner {
  /** Send broadcast `id` until it is done, paused or cancelled, or `signal` aborts. */
  run(id: string, signal?: AbortSignal): Promise<RunEnd>;
}

/** Build a runner. */
export function createBroadcastRunner(deps: BroadcastRunnerDeps): BroadcastRunner {
  const clock = deps.clock ?? systemClock;
  const owner = deps.owner ?? randomUUID();
  const leaseMs = deps.leaseMs ?? 30_000;
  const checkMs = deps.checkMs ?? 250;
  const maxAttempts = deps.maxAttempts ?? 10;
  const batchSize = deps.batchSize ?? 100;
  const maxInFlight = deps.maxInFlight ?? 64;
  const retryThrownMs = deps.retryThrownMs ?? 2000;

  async function run(id: string, signal?: AbortSignal): Promise<RunEnd> {
    const broadcast = await deps.broadcasts.get(id);
    if (broadcast === undefined) return 'not_found';
    if (broadcast.state !== 'running') return broadcast.state;
    if (!(await deps.broadcasts.acquireLease(id, owner, leaseMs))) return 'lease_held';
    const limiter = new SendRateLimiter({ rate: Math.min(broadcast.rate, deps.maxRate ?? 1000), clock });
    const outcomes: RecipientOutcome[] = [];
    const inFlight = new Set<Promise<void>>();
    const retry: Array<{ at: number; recipient: Recipient }> = [];
    let pauseError: string | undefined;
    let writing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      writing = writing.then(() => deps.recipients.record(outcomes.splice(0)));
      return writing;
    };

    async function sendOne(recipient: Recipient, permit: Permit): Promise<void> {
      let bodyParameters;
      try {
        bodyParameters = storedParams(recipient.vars);
      } catch (error) {
        // nothing was sent, and re-reading the same stored value fails again: fail the recipient for good
        permit.done();
        const decision: SendDecision = { kind: 'failed', errorCode: 'bad_parameters', error: `its stored template body parameters cannot be read (${error instanceof Error ? error.message : String(error)}); not sent — send to it again with a new broadcast` };
        outcomes.push({ id: recipient.id, ...decision });
        return;
      }
      let result;
      try {
        result = await deps.sender.send({
          flowId: broadcast!.flowId, to: recipient.waId, entry: 'broadcast', campaign: id, mode: 'template', idempotencyKey: idempotencyKey(recipient),
          ...(bodyParameters !== undefined && { bodyParameters }),
        });
      } catch (error) {
        // outcome unknown: keep it `sending` and re-send later with the same key
        deps.onError?.(error, recipient);
        retry.push({ at: clock.now() + retryThrownMs, recipient });
        return;
      } finally {
        permit.done();
      }
      const decision = pauseError === undefined ? decideOutcome(result, recipient, maxAttempts) : undefined;
      if (decision === undefined || decision.kind === 'pause') {
        if (decision !== undefined && pauseError === undefined) {
          pauseError = decision.error;
          await deps.broadcasts.transition(id, ['running'], 'paused', decision.error);
        }
        // a send answered after the pause was decided still counts when it went out
        outcomes.push(result.ok ? { id: recipient.id, kind: 'sent', sendId: result.sendId, wamid: result.wamid, flowToken: result.flowToken } : { id: recipient.id, kind: 'requeue' });
        return;
      }
      if (decision.kind === 'deferred') {
        if (decision.slowDown) limiter.slowDown();
        outcomes.push({ id: recipient.id, kind: 'deferred', nextAt: new Date(clock.now() + decision.delayMs), errorCode: decision.errorCode, error: decision.error });
      } else {
        outcomes.push({ id: recipient.id, ...decision });
      }
    }

    let queue: Recipient[] = await deps.recipients.listSending(id);
    let end: RunEnd | undefined;
    let checkedAt = -Infinity;
    try {
      while (end === undefined) {
        if (signal?.aborted === true) { end = 'stopped'; break; }
        if (pauseError !== undefined) { end = 'paused'; break; }
        const now = clock.now();
        if (now - checkedAt >= checkMs) {
          checkedAt = now;
          const current = await deps.broadcasts.get(id);
          if (current?.state !== 'running') { end = current?.state ?? 'not_found'; break; }
          if (!(await deps.broadcasts.acquireLease(id, owner, leaseMs))) { end = 'lease_lost'; break; }
          await flush();
        }
        const due = retry.filter((r) => r.at <= now);
        if (due.length > 0) {
          retry.splice(0, retry.length, ...retry.filter((r) => r.at > now));
          queue.unshift(...due.map((r) => r.recipient));
        }
        if (queue.length === 0) queue = await deps.recipients.claim(id, batchSize);
        if (queue.length === 0) {
          await Promise.all(inFlight);
          await flush();
          if (retry.length === 0 && (await deps.broadcasts.finishIfComplete(id))) { end = 'done'; break; }
          const next = await deps.recipients.nextDeferredAt(id);
          const wake = Math.min(next?.getTime() ?? Infinity, ...retry.map((r) => r.at), clock.now() + checkMs);
          await clock.sleep(Math.max(1, wake - clock.now()));
          continue;
        }
        const permit = await limiter.acquire();
        const recipient = queue.shift()!;
        const task: Promise<void> = sendOne(recipient, permit)
          .catch((error: unknown) => {
            // e.g. the pause could not be written: still `sending`, so send again later with the same key
            deps.onError?.(error, recipient);
            retry.push({ at: clock.now() + retryThrownMs, recipient });
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
        if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      }
    } finally {
      await Promise.allSettled(inFlight);
      outcomes.push(...queue.map((r) => ({ id: r.id, kind: end === 'cancelled' ? 'skipped' as const : 'requeue' as const })));
      await flush();
      await deps.broadcasts.releaseLease(id, owner);
    }
    return end;
  }

  return { run };
}
