/**
 * What a broadcast does with the answer to one send: record it as sent,
 * defer the recipient (pair rate 131056, throughput 130429, transient
 * failures — never when Meta may already have sent the message), fail the
 * recipient (undeliverable, bad number), or pause the whole broadcast when
 * the problem is the broadcast's, not the recipient's (template missing or
 * not approved, flow not published or blocked, credentials) — so one broken
 * template does not fail ten thousand people.
 * @module
 */
import type { SendFlowResult } from '../flow-sender.js';
import type { Recipient } from '../../store/repos/broadcast-tables.js';

/** The decision for one send. */
export type SendDecision =
  | { readonly kind: 'sent'; readonly sendId: string; readonly wamid: string; readonly flowToken: string }
  | { readonly kind: 'failed'; readonly errorCode: string; readonly error: string }
  | { readonly kind: 'deferred'; readonly delayMs: number; readonly errorCode: string; readonly error: string; readonly slowDown: boolean }
  | { readonly kind: 'pause'; readonly error: string };

/** Sender codes that concern every recipient alike. */
const BROADCAST_WIDE_CODES = new Set(['unknown_flow', 'not_published', 'no_template', 'flow_not_published']);
/** Graph error kinds that concern every recipient alike. */
const BROADCAST_WIDE_KINDS = new Set(['template', 'flow-state', 'auth', 'permission', 'policy', 'flow-management']);
const MAX_BACKOFF_MS = 5 * 60_000;
/** The sender calls an unanswered send interrupted after 2 minutes; ten waits of 15 s outlast that. */
const IN_PROGRESS_WAIT_MS = 15_000;

/** Decide; `maxAttempts` turns a deferral into a failure once the recipient has been tried that often. */
export function decideOutcome(result: SendFlowResult, recipient: Recipient, maxAttempts: number): SendDecision {
  if (result.ok) return { kind: 'sent', sendId: result.sendId, wamid: result.wamid, flowToken: result.flowToken };
  if (BROADCAST_WIDE_CODES.has(result.code)) return { kind: 'pause', error: result.message };
  // an earlier attempt with this key is still at Meta (or was cut off): ask again later with the same key
  if (result.code === 'in_progress') {
    return recipient.attempts >= maxAttempts
      ? { kind: 'failed', errorCode: result.code, error: `gave up after ${recipient.attempts} attempts: ${result.message}` }
      : { kind: 'deferred', delayMs: IN_PROGRESS_WAIT_MS, errorCode: result.code, error: result.message, slowDown: false };
  }
  const ge = result.graphError;
  if (result.code !== 'graph_error' || ge === undefined) return { kind: 'failed', errorCode: result.code, error: result.message };
  const code = String(ge.graphCode ?? `http_${ge.httpStatus}`);
  if (BROADCAST_WIDE_KINDS.has(ge.kind)) return { kind: 'pause', error: `Meta refused the send (${code}): ${ge.userMessage}` };
  if (ge.httpStatus === 0 && !neverReachedMeta(ge.cause)) {
    // a timed-out or cut call may have been sent: retrying could message the person twice
    return { kind: 'failed', errorCode: code, error: `${ge.message}; the message may or may not have been sent, so it is not retried (no second message)` };
  }
  if (!ge.retryable) return { kind: 'failed', errorCode: code, error: ge.userMessage };
  if (recipient.attempts >= maxAttempts) return { kind: 'failed', errorCode: code, error: `gave up after ${recipient.attempts} attempts: ${ge.userMessage}` };
  const slowDown = ge.kind === 'rate-limit' && ge.graphCode !== 131056;
  const base = ge.retryAfterMs ?? 2000;
  // throughput: retry as soon as the slower rate allows; pair rate: Meta's wait; others: exponential backoff
  const delayMs = ge.graphCode === 130429 ? 0 : ge.graphCode === 131056 ? base : Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, recipient.attempts - 1));
  return { kind: 'deferred', delayMs, errorCode: code, error: ge.userMessage, slowDown };
}

/** True when the connection itself failed (nothing can have been sent). */
function neverReachedMeta(cause: unknown): boolean {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  const code = inner instanceof Error && 'code' in inner ? inner.code : undefined;
  return typeof code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code);
}

/**
 * The idempotency key of every send to a recipient: its id, the same for
 * every attempt. The sender returns the earlier send when one went out, and
 * sends again only after Meta refused it (flow-sender-impl.ts), so a crash,
 * a retry or a second runner can never message the person twice.
 */
export function idempotencyKey(recipient: Pick<Recipient, 'id'>): string {
  return recipient.id;
}
