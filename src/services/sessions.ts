/**
 * Flow sessions as the endpoint uses them: issue a flow_token when a flow is
 * sent, check it on every endpoint request, complete it exactly once. The
 * token is the session's only credential (Meta, "Implementing Endpoints for
 * Flows": the business generates it, it should be unguessable, and the
 * endpoint answers 427 when it is invalid or expired; spec §2.6, §2.7), so it
 * is never logged.
 * @module
 */
import { AppError } from '../core/errors.js';
import type { CompleteResult as StoreCompleteResult, CompletionHook, FlowSession, NewSession, SessionRepo } from '../store/repos/session-repo.js';

export type { CompletedSubmission, CompletionHook, FlowSession, NewSession } from '../store/repos/session-repo.js';

/**
 * What the service needs from the store (the store's SessionRepo satisfies it).
 * `recordScreens`, when present, writes a batch of screens in one transaction.
 */
export type SessionStore = Pick<SessionRepo, 'createSession' | 'getSession' | 'recordScreen' | 'completeSession'> &
  Partial<Pick<SessionRepo, 'recordScreens'>>;

/** Why a flow_token cannot be used; each is answered 427 with its own `error_msg`. */
export type SessionRefusal = 'unknown' | 'expired' | 'completed';

/** Result of {@link SessionService.check}. */
export type SessionCheck = { readonly ok: true; readonly session: FlowSession } | { readonly ok: false; readonly reason: SessionRefusal };

/** `created` is true for exactly one completion of a session, whatever retries or races happen. */
export type CompletionResult = StoreCompleteResult;

/** Sessions for the endpoint; see {@link createSessionService}. */
export interface SessionService {
  /** Create a session when a flow is sent; its `flowToken` goes into the message. */
  issue(input: NewSession): Promise<FlowSession>;
  /** Is this token usable now? Called on every INIT, BACK and data_exchange. */
  check(flowToken: string | undefined): Promise<SessionCheck>;
  /**
   * Remember the screen last shown (support, drop-off statistics); best effort.
   * Written in batches (see {@link SessionServiceOptions.screenBatchMs}): the
   * promise settles when the batch holding this screen is written.
   */
  recordScreen(flowToken: string, screen: string): Promise<void>;
  /** Complete the session and store its submission, once; `responseJson` is the nfm_reply-shaped params. */
  complete(flowToken: string, responseJson: string): Promise<CompletionResult>;
  /** Write the screens still waiting for their batch (call on shutdown, after the server stopped). */
  flush?(): Promise<void>;
}

/** Tokens we issue are 43 characters; anything this long is refused without a database round trip. */
export const MAX_FLOW_TOKEN_LENGTH = 512;

/** Longest session lifetime accepted when issuing (90 days): a flow message cannot stay useful longer. */
export const MAX_SESSION_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** Options of {@link createSessionService}. */
export interface SessionServiceOptions {
  /** Clock, for tests of expiry; default `Date.now`. */
  readonly now?: () => number;
  /** Runs in the completing transaction (the delivery outbox); see {@link CompletionHook}. */
  readonly onCompleted?: CompletionHook;
  /**
   * Screens are written in batches, one transaction each, at most one batch
   * per this many ms (default {@link DEFAULT_SCREEN_BATCH_MS}; 0 writes each
   * at once). A synchronous SQLite commit per endpoint request was the
   * largest cost after RSA. Durability trade-off: a crash loses at most the last
   * batch of "last screen" values, a drop-off statistic; answers and
   * completions never wait for a batch and are never lost this way.
   */
  readonly screenBatchMs?: number;
}

/** Default of {@link SessionServiceOptions.screenBatchMs}. */
export const DEFAULT_SCREEN_BATCH_MS = 10;

/** WhatsApp ids are digits only (Cloud API `wa_id`). */
const WA_ID = /^\d{5,20}$/;

function checkNewSession(input: NewSession): void {
  const problems: string[] = [];
  if (input.flowId.trim() === '' || input.flowId.length > 200) problems.push('flowId must be 1–200 characters');
  if (!WA_ID.test(input.contactPhone)) problems.push('contactPhone must be the contact\'s WhatsApp id (digits only, country code first)');
  const ttl = input.ttlMs;
  if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl > MAX_SESSION_TTL_MS)) {
    problems.push(`ttlMs must be a whole number of milliseconds between 1 and ${MAX_SESSION_TTL_MS}`);
  }
  if (problems.length > 0) throw new AppError('USAGE_INVALID', `Cannot issue a flow session: ${problems.join('; ')}.`);
}

/** Create the service over a session store. */
export function createSessionService(store: SessionStore, options: SessionServiceOptions = {}): SessionService {
  const now = options.now ?? Date.now;
  const batchMs = options.screenBatchMs ?? DEFAULT_SCREEN_BATCH_MS;
  if (!Number.isInteger(batchMs) || batchMs < 0) throw new RangeError('screenBatchMs must be a non-negative integer');
  const screens = screenBatcher(store, batchMs);
  return {
    async issue(input) {
      checkNewSession(input);
      return store.createSession(input);
    },

    async check(flowToken) {
      // iOS clients may omit flow_token (spec §8 gotcha 4): nothing to bind the request to.
      if (flowToken === undefined || flowToken === '' || flowToken.length > MAX_FLOW_TOKEN_LENGTH) return { ok: false, reason: 'unknown' };
      const session = await store.getSession(flowToken);
      if (session === undefined) return { ok: false, reason: 'unknown' };
      if (session.status === 'completed') return { ok: false, reason: 'completed' };
      // The service's own clock decides too, so a store that only marks expiry in a sweep is still safe.
      if (session.status === 'expired' || session.expiresAt.getTime() <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, session };
    },

    recordScreen: (flowToken, screen) => screens.add(flowToken, screen),

    complete: (flowToken, responseJson) => store.completeSession(flowToken, responseJson, options.onCompleted),

    flush: () => screens.flush(),
  };
}

/**
 * Collects "last screen" writes and hands them to the store in batches (last
 * value per token wins): a batch is written at the end of the current
 * event-loop turn, and at most one batch per `batchMs`, so a quiet server
 * writes at once and a busy one commits once per interval instead of once
 * per request.
 */
function screenBatcher(store: SessionStore, batchMs: number): { add(flowToken: string, screen: string): Promise<void>; flush(): Promise<void> } {
  let pending = new Map<string, string>();
  let written: Promise<void> | undefined;
  let release: (() => void) | undefined;
  let fail: ((err: unknown) => void) | undefined;
  let scheduled: { cancel(): void } | undefined;
  let lastWriteAt = Number.NEGATIVE_INFINITY;

  const write = (batch: Map<string, string>): Promise<void> => {
    if (store.recordScreens !== undefined) return store.recordScreens([...batch]);
    return Promise.all([...batch].map(([token, screen]) => store.recordScreen(token, screen))).then(() => undefined);
  };

  async function flush(): Promise<void> {
    scheduled?.cancel();
    scheduled = undefined;
    if (pending.size === 0) return;
    const batch = pending;
    const settle = { release, fail };
    pending = new Map();
    written = undefined;
    lastWriteAt = performance.now();
    try {
      await write(batch);
      settle.release?.();
    } catch (err) {
      settle.fail?.(err);
    }
  }

  function schedule(): void {
    const wait = lastWriteAt + batchMs - performance.now();
    if (wait <= 0) {
      const immediate = setImmediate(() => { void flush(); });
      scheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(() => { void flush(); }, Math.ceil(wait));
      timer.unref();
      scheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  return {
    add(flowToken, screen) {
      if (batchMs === 0) return store.recordScreen(flowToken, screen);
      pending.delete(flowToken);
      pending.set(flowToken, screen);
      if (written === undefined) {
        written = new Promise<void>((resolve, reject) => { release = resolve; fail = reject; });
        // Settled by flush; a failure is reported to every caller of this batch (they log it).
        written.catch(() => undefined);
        schedule();
      }
      return written;
    },
    flush,
  };
}
