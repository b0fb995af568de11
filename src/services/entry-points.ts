/**
 * Inbound entry points (issue 7, "Links and QR codes"; spec §6.2): a user
 * who writes a flow's keyword (what a wa.me link or QR code pre-fills), or
 * who starts a chat from a click-to-WhatsApp ad (`referral.source_id` is a
 * configured ad id), is answered with that flow as an interactive message
 * replying to their message. An ad's attribution (ad id, `ctwa_clid`,
 * source url/type, headline) and the keyword are recorded per session.
 *
 * Matching: a referral whose ad is configured wins; otherwise a text message
 * equal to a keyword (trimmed, case-insensitive, inner whitespace collapsed)
 * sends that flow. A referral from an unknown ad is treated as any other
 * message (so an ad whose pre-filled text is a keyword still works); every
 * other message is left alone.
 *
 * Exactly once: the inbound wamid is claimed in `entry_triggers` before
 * sending, and is the send's idempotency key, so a webhook redelivered or
 * processed twice (retries, `processPending`, two instances) sends once. A
 * transient failure (thrown, or a retryable Graph error) throws so the
 * webhook event stays pending and is retried; a permanent refusal (unknown or
 * unpublished flow, bad number…) is recorded and logged, never retried.
 * @module
 */
import type { EntryPointRepo, EntryPointKind } from '../store/repos/entry-point-repo.js';
import type { InboundMessage, MessageReferral } from '../whatsapp/webhook/inbound-message.js';
import type { LogSink } from './client-error-recorder.js';
import type { CatalogueFlow, FlowCatalogue } from './flow-catalogue.js';
import type { FlowSender, SendFlowInput } from './flow-sender.js';

/** What the entry points need. */
export interface EntryPointDeps {
  readonly catalogue: Pick<FlowCatalogue, 'byKeyword' | 'byAdId'>;
  readonly sender: FlowSender;
  readonly store: Pick<EntryPointRepo, 'claimTrigger' | 'finishTrigger' | 'recordAttribution'>;
  readonly log?: LogSink;
  readonly now?: () => Date;
  /**
   * Messages older than this are not answered (default 24 h: the customer-service
   * window an interactive flow message needs; a webhook retried days later gets no flow).
   */
  readonly maxMessageAgeMs?: number;
  /** A claim older than this whose processor died is taken over (default 5 min). */
  readonly staleClaimMs?: number;
}

/** What handling one inbound message came to. */
export type EntryOutcome =
  /** Not a keyword, not a configured ad, no sender or no wamid. */
  | 'no_entry'
  /** Older than `maxMessageAgeMs`. */
  | 'too_old'
  /** Another processor answers (or answered) this message. */
  | 'already_handled'
  | 'sent'
  /** The sender refused permanently (code logged and stored on the trigger). */
  | 'refused';

/** The entry-point handler; point webhook intake's `onInbound` at {@link EntryPoints.handleInbound}. */
export interface EntryPoints {
  handleInbound(message: InboundMessage): Promise<EntryOutcome>;
}

/** A message that asks for a flow. */
interface Match {
  readonly flow: CatalogueFlow;
  readonly entry: EntryPointKind;
  readonly keyword?: string;
  readonly referral?: MessageReferral;
}

/** Longer texts are never keywords (the project schema caps keywords at 64 characters). */
const MAX_KEYWORD_TEXT = 256;
const DAY_MS = 24 * 60 * 60 * 1000;
const silent: LogSink = { debug() {}, info() {}, warn() {}, error() {} };

/** The flow this message asks for, if any. */
export function matchEntryPoint(catalogue: EntryPointDeps['catalogue'], message: InboundMessage): Match | undefined {
  const referral = message.referral;
  const adId = referral?.sourceId;
  if (adId !== undefined) {
    const flow = catalogue.byAdId(adId);
    if (flow !== undefined) return { flow, entry: 'ad', referral: referral! };
  }
  const content = message.content;
  if (content.type !== 'text' || content.body === undefined || content.body.length > MAX_KEYWORD_TEXT) return undefined;
  const flow = catalogue.byKeyword(content.body);
  if (flow === undefined) return undefined;
  return { flow, entry: 'keyword', keyword: flow.entry.keyword ?? content.body.trim(), ...(referral === undefined ? {} : { referral }) };
}

/** Build the entry-point handler. */
export function createEntryPoints(deps: EntryPointDeps): EntryPoints {
  const log = deps.log ?? silent;
  const now = deps.now ?? (() => new Date());
  const maxAge = deps.maxMessageAgeMs ?? DAY_MS;

  async function send(match: Match, messageId: string, waId: string): Promise<EntryOutcome> {
    const referral = match.referral;
    const input: SendFlowInput = {
      flowId: match.flow.id,
      to: waId,
      entry: match.entry,
      // The user just wrote: the 24-hour window is open.
      mode: 'interactive',
      replyTo: messageId,
      idempotencyKey: messageId,
      ...(match.entry === 'ad' && referral !== undefined
        ? { attribution: { adId: referral.sourceId, ctwaClid: referral.ctwaClid, sourceUrl: referral.sourceUrl } }
        : {}),
    };
    const fields = { flowId: match.flow.id, entry: match.entry, messageId };
    let result;
    try {
      result = await deps.sender.send(input);
    } catch (err) {
      await deps.store.finishTrigger(messageId, { state: 'failed', errorCode: 'exception' });
      throw err;
    }
    if (!result.ok) {
      // `in_progress`: the sender is still working on this idempotency key (a takeover of a stale claim); ask again later.
      const transient = result.graphError?.retryable === true || result.code === 'in_progress';
      await deps.store.finishTrigger(messageId, { state: transient ? 'failed' : 'refused', errorCode: result.code });
      if (transient) throw new Error(`sending flow "${match.flow.id}" for ${match.entry} entry failed (${result.code}); will retry: ${result.message}`);
      log.warn({ ...fields, code: result.code, reason: result.message }, 'entry point: flow not sent');
      return 'refused';
    }
    await deps.store.recordAttribution({
      flowToken: result.flowToken,
      flowId: match.flow.id,
      entry: match.entry,
      waId,
      inboundMessageId: messageId,
      keyword: match.keyword,
      adId: match.entry === 'ad' ? referral?.sourceId : undefined,
      ctwaClid: referral?.ctwaClid,
      sourceType: referral?.sourceType,
      sourceUrl: referral?.sourceUrl,
      headline: referral?.headline,
    });
    await deps.store.finishTrigger(messageId, { state: 'sent', sendId: result.sendId, flowToken: result.flowToken });
    log.info({ ...fields, kind: result.kind, repeated: result.repeated }, 'entry point: flow sent');
    return 'sent';
  }

  return {
    async handleInbound(message) {
      const match = matchEntryPoint(deps.catalogue, message);
      const messageId = message.id;
      const waId = message.from;
      if (match === undefined || messageId === undefined || waId === undefined) return 'no_entry';
      if (message.timestamp !== undefined && now().getTime() - message.timestamp.getTime() > maxAge) {
        log.info({ flowId: match.flow.id, entry: match.entry, messageId }, 'entry point: message too old to answer');
        return 'too_old';
      }
      const claimed = await deps.store.claimTrigger(
        { inboundMessageId: messageId, flowId: match.flow.id, entry: match.entry, waId },
        deps.staleClaimMs === undefined ? {} : { staleAfterMs: deps.staleClaimMs },
      );
      return claimed ? send(match, messageId, waId) : 'already_handled';
    },
  };
}
