/**
 * Durable intake of Cloud API webhooks (spec §6; Meta, "Webhooks": at-least-
 * once delivery, retries for up to 7 days, concurrent deliveries). A
 * verified body is split into events, each stored under its de-duplication
 * key (`webhook_events`, one row per event) before the caller answers 200;
 * only then is it acted on. Every action is idempotent (a session completes
 * once, a status or alert is stored once), so an event processed twice
 * (a crash between acting and marking it, a retry racing `processPending`)
 * has no second effect, and an event whose processing failed stays
 * unprocessed until {@link WebhookIntake.processPending} retries it.
 *
 * Hooks (optional): `checkCompletion` vets a flow completion before it
 * becomes a submission (a refused one is recorded as `invalid_completion`
 * and its event kept); `onInbound` receives every inbound message after its
 * event is stored (the 24-hour window, keyword and ad entry points). Hooks
 * run again when an event is processed again, so they must be idempotent.
 * @module
 */
import type { FlowAlertRepo } from '../store/repos/flow-alert-repo.js';
import type { FlowMediaRepo } from '../store/repos/flow-media-repo.js';
import type { MessageStatusRepo } from '../store/repos/message-status-repo.js';
import type { WebhookEventRepo } from '../store/repos/webhook-event-repo.js';
import type { InboundMessage } from '../whatsapp/webhook/inbound-message.js';
import type { NfmReply } from '../whatsapp/webhook/nfm-reply.js';
import { parseWebhookBody } from '../whatsapp/webhook/parse-webhook-body.js';
import { eventLabel, type ChangeSource, type WebhookEvent } from '../whatsapp/webhook/webhook-event.js';
import type { LogSink } from './client-error-recorder.js';
import { MAX_FLOW_TOKEN_LENGTH, type SessionService } from './sessions.js';

/** What the intake needs; the store's repositories and the session service satisfy it. */
export interface WebhookIntakeDeps {
  readonly events: Pick<WebhookEventRepo, 'storeEvent' | 'markProcessed' | 'listUnprocessed'>;
  readonly sessions: Pick<SessionService, 'complete'>;
  readonly statuses: Pick<MessageStatusRepo, 'recordStatus'>;
  readonly alerts: Pick<FlowAlertRepo, 'recordAlert'>;
  readonly media: Pick<FlowMediaRepo, 'addMedia'>;
  readonly log?: LogSink;
  /**
   * Vets a completion before `sessions.complete`; `ok: false` means no submission is made
   * (outcome `invalid_completion`, the problems logged, the stored event kept). A throw
   * leaves the event for a retry.
   */
  readonly checkCompletion?: CompletionCheckHook;
  /**
   * Called for every inbound user message (nfm_reply included), after the content's own
   * action, once per stored event; several handlers run in order, each even when an earlier
   * one failed, and any failure leaves the event for a retry (so handlers must be idempotent).
   */
  readonly onInbound?: InboundHandler | readonly InboundHandler[];
}

/** Input of {@link CompletionCheckHook}: only what the completion webhook carries. */
export interface CompletionCheckHookInput {
  readonly flowToken: string;
  readonly responseJson: string;
}

/** The answer check of a completion (`createCompletionCheck` in `completion-check.ts`). */
export type CompletionCheckHook = (input: CompletionCheckHookInput) => Promise<{ readonly ok: true } | { readonly ok: false; readonly problems: readonly string[] }>;

/** A subscriber to inbound messages (e.g. `conversations.recordInbound`, `entryPoints.handleInbound`). */
export type InboundHandler = (message: InboundMessage, source: ChangeSource) => Promise<unknown>;

/** Result of {@link WebhookIntake.receive}: `malformed_json` is answered 400, anything else 200. */
export type IntakeResult =
  | { readonly ok: false; readonly error: 'malformed_json' }
  | { readonly ok: true; readonly stored: number; readonly duplicates: number; readonly unknown: number };

/** What one {@link WebhookIntake.processPending} run did. */
export interface PendingReport {
  readonly processed: number;
  readonly failed: number;
}

/** The outcome of acting on one event, logged and returned for tests. */
export type EventOutcome =
  | 'completed' | 'duplicate_completion' | 'unknown_token' | 'no_flow_token' | 'not_a_flow' | 'invalid_completion'
  | 'message_ignored' | 'message_forwarded' | 'status_stored' | 'status_duplicate' | 'status_unusable' | 'alert_stored' | 'alert_duplicate' | 'unknown_recorded';

/** Webhook intake; see {@link createWebhookIntake}. */
export interface WebhookIntake {
  /** Parse and store a verified body; processing starts in the background once every event is stored. */
  receive(rawBody: string): Promise<IntakeResult>;
  /** Retry stored events not yet processed, oldest first (on start, and periodically from a worker). */
  processPending(limit?: number): Promise<PendingReport>;
  /** Resolves when background processing started so far has finished (tests, graceful shutdown). */
  drain(): Promise<void>;
}

/** Media ids are digit strings; anything odd-looking or very long is not kept (it would not download anyway). */
const MEDIA_ID = /^[\w.-]{1,128}$/;
/** Longest wamid / status stored in `message_statuses` (real wamids are under 100 characters). */
const MAX_STATUS_FIELD = 256;

const silent: LogSink = { debug() {}, info() {}, warn() {}, error() {} };

/** Build the intake over its stores. */
export function createWebhookIntake(deps: WebhookIntakeDeps): WebhookIntake {
  const log = deps.log ?? silent;
  const inboundHandlers: readonly InboundHandler[] = deps.onInbound === undefined ? [] : typeof deps.onInbound === 'function' ? [deps.onInbound] : deps.onInbound;
  const running = new Set<Promise<void>>();
  /** Event ids being processed by this process, so `processPending` does not start a second run of one. */
  const inFlight = new Set<string>();

  async function completion(reply: NfmReply, messageId: string | undefined): Promise<EventOutcome> {
    // nfm_reply also serves other features (e.g. `address_message`, spec §6.3).
    if (reply.name !== undefined && reply.name !== 'flow') return 'not_a_flow';
    const flowToken = reply.flowToken;
    for (const file of reply.media) {
      if (!MEDIA_ID.test(file.id)) continue;
      await deps.media.addMedia({ mediaId: file.id, flowToken, messageId, field: file.field, fileName: file.fileName, mimeType: file.mimeType, sha256: file.sha256 });
    }
    if (flowToken === undefined || flowToken.length > MAX_FLOW_TOKEN_LENGTH) {
      // iOS may omit flow_token (spec §8, gotcha 4); the stored event keeps the answers for manual matching.
      log.warn({ messageId }, 'flow completion without a usable flow_token: not matched to a session');
      return 'no_flow_token';
    }
    const responseJson = reply.responseJson ?? '{}';
    if (deps.checkCompletion !== undefined) {
      const check = await deps.checkCompletion({ flowToken, responseJson });
      if (!check.ok) {
        // Problems name fields and rules, never the answers; the stored event keeps the answers for support.
        log.warn({ messageId, problems: check.problems.slice(0, 20), problemCount: check.problems.length }, 'flow completion refused by the answer check: not stored as a submission');
        return 'invalid_completion';
      }
    }
    const result = await deps.sessions.complete(flowToken, responseJson);
    if (result.created) return 'completed';
    if (result.reason === 'duplicate') return 'duplicate_completion';
    log.warn({ messageId }, 'flow completion for an unknown flow_token: not stored as a submission');
    return 'unknown_token';
  }

  /** Run every inbound handler; rethrow the first failure once all have run. */
  async function notifyInbound(message: InboundMessage, source: ChangeSource): Promise<void> {
    let failure: unknown;
    for (const handler of inboundHandlers) {
      try {
        await handler(message, source);
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error('an inbound message handler failed');
  }

  async function act(event: WebhookEvent): Promise<EventOutcome> {
    switch (event.kind) {
      case 'message': {
        const { content, id } = event.message;
        const outcome = content.type === 'nfm_reply' ? await completion(content.reply, id) : inboundHandlers.length > 0 ? 'message_forwarded' : 'message_ignored';
        await notifyInbound(event.message, event.source);
        return outcome;
      }
      case 'status': {
        const s = event.status;
        if (s.messageId === undefined || s.status === undefined || s.messageId.length > MAX_STATUS_FIELD || s.status.length > MAX_STATUS_FIELD) {
          return 'status_unusable';
        }
        const stored = await deps.statuses.recordStatus({
          messageId: s.messageId,
          status: s.status,
          occurredAt: s.timestamp,
          recipientId: s.recipientId,
          errorCode: s.errors[0]?.code,
          errors: s.errors.length === 0 ? undefined : s.errors,
          conversation: s.conversation,
          pricing: s.pricing,
        });
        if (s.status === 'failed') log.warn({ messageId: s.messageId, errors: s.errors }, 'outbound message failed');
        return stored ? 'status_stored' : 'status_duplicate';
      }
      case 'flows': {
        const f = event.flows;
        const stored = await deps.alerts.recordAlert({
          dedupeKey: event.dedupeKey,
          event: f.event ?? 'UNKNOWN',
          flowId: f.flowId,
          wabaId: event.source.wabaId,
          alertState: f.alertState,
          message: f.message,
          payload: event.raw,
          occurredAt: event.source.time,
        });
        if (stored) log.warn({ event: f.event, flowId: f.flowId, alertState: f.alertState, newStatus: f.newStatus }, 'flows alert');
        return stored ? 'alert_stored' : 'alert_duplicate';
      }
      case 'unknown':
        log.warn({ reason: event.reason, field: event.source.field, dedupeKey: event.dedupeKey }, 'unknown webhook event stored');
        return 'unknown_recorded';
    }
  }

  /** Act, then mark processed; a failure is logged and leaves the event for a retry. True on success. */
  async function processOne(id: string, event: WebhookEvent): Promise<boolean> {
    if (inFlight.has(id)) return true;
    inFlight.add(id);
    try {
      const outcome = await act(event);
      await deps.events.markProcessed(id);
      log.info({ eventId: id, kind: eventLabel(event), outcome }, 'webhook event processed');
      return true;
    } catch (err) {
      log.error({ eventId: id, kind: eventLabel(event), err: err instanceof Error ? err.message : String(err) }, 'webhook event processing failed; kept for retry');
      return false;
    } finally {
      inFlight.delete(id);
    }
  }

  function track(work: Promise<unknown>): void {
    const done: Promise<void> = work.then(
      () => undefined,
      () => undefined,
    );
    running.add(done);
    void done.finally(() => running.delete(done));
  }

  return {
    async receive(rawBody) {
      const parsed = parseWebhookBody(rawBody);
      if (!parsed.ok) return parsed;
      const results = await Promise.allSettled(
        parsed.events.map(async (event) => ({ event, stored: await deps.events.storeEvent({ dedupeKey: event.dedupeKey, kind: eventLabel(event), rawBody, signatureOk: true }) })),
      );
      const created: { id: string; event: WebhookEvent }[] = [];
      let duplicates = 0;
      let failure: unknown;
      for (const r of results) {
        if (r.status === 'rejected') failure ??= r.reason;
        else if (r.value.stored.created) created.push({ id: r.value.stored.id, event: r.value.event });
        else duplicates += 1;
      }
      // Events stored before a failure are processed anyway; the failed ones come back with Meta's retry.
      track((async () => { for (const { id, event } of created) await processOne(id, event); })());
      if (failure !== undefined) throw failure instanceof Error ? failure : new Error('storing a webhook event failed');
      return { ok: true, stored: created.length, duplicates, unknown: parsed.events.filter((e) => e.kind === 'unknown').length };
    },

    async processPending(limit = 100) {
      let processed = 0;
      let failed = 0;
      for (const stored of await deps.events.listUnprocessed(limit)) {
        const parsed = parseWebhookBody(stored.rawBody);
        const event = parsed.ok ? parsed.events.find((e) => e.dedupeKey === stored.dedupeKey) : undefined;
        if (event === undefined) {
          // Stored by a parser that keyed events differently: nothing to act on, so close it.
          log.warn({ eventId: stored.id, kind: stored.kind }, 'stored webhook event no longer found in its body; marked processed');
          await deps.events.markProcessed(stored.id);
          processed += 1;
        } else if (await processOne(stored.id, event)) processed += 1;
        else failed += 1;
      }
      return { processed, failed };
    },

    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
