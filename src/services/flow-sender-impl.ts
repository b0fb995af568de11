/**
 * The {@link FlowSender} (contract in `flow-sender.ts`): normalise the
 * recipient, find the flow and its live Meta flow id, choose the
 * interactive flow message (24-hour window open) or the flow's FLOW-button
 * template, issue a session, and send through the Graph client, recording
 * the send with its wamid.
 *
 * Idempotency: the send row is claimed (UNIQUE key) before Meta is called,
 * so of any number of concurrent or retried requests with one key exactly
 * one calls Meta. A later request with that key gets the earlier send
 * (`repeated: true`), or a clear refusal while it is in flight or when its
 * outcome is unknown (a timeout: Meta may have delivered it, so it is never
 * sent again automatically). A send Meta refused may be retried with the
 * same key; it reuses its session and flow_token.
 *
 * Body parameters (`bodyParameters`) go into the template's `body`
 * component, ahead of the FLOW button; Meta (and the emulator) check their
 * count and format against the template. Interactive sends ignore them.
 * @module
 */
import type { CatalogueFlow, FlowCatalogue } from './flow-catalogue.js';
import type { FlowSender, SendFlowInput, SendFlowResult } from './flow-sender.js';
import type { ConversationService } from './conversations.js';
import { normaliseRecipient } from './recipient-phone.js';
import type { SessionService } from './sessions.js';
import type { PublishedFlowRepo } from '../store/repos/published-flow-repo.js';
import type { SendRecord, SendRepo } from '../store/repos/send-repo.js';
import { isGraphError, type GraphClient, type GraphError } from '../whatsapp/graph/index.js';

/** What the sender is built from. */
export interface FlowSenderDeps {
  readonly catalogue: Pick<FlowCatalogue, 'get'>;
  readonly sessions: Pick<SessionService, 'issue'>;
  readonly conversations: Pick<ConversationService, 'isWindowOpen'>;
  readonly sends: SendRepo;
  /** Meta flow ids stored by `flowbridge publish`, for flows whose project entry names none. */
  readonly publishedFlows?: Pick<PublishedFlowRepo, 'get'>;
  readonly graph: Pick<GraphClient, 'sendFlowMessage' | 'sendTemplateMessage'>;
  readonly now?: () => Date;
  /** A claimed send without an answer for this long was interrupted (default 2 minutes: past the Graph client's 30 s timeout). */
  readonly staleAfterMs?: number;
  /** Template language when the flow names none (default `en_US`). */
  readonly defaultTemplateLanguage?: string;
}

type Kind = 'interactive' | 'template';
type Failure = Extract<SendFlowResult, { ok: false }>;

const fail = (code: string, message: string, graphError?: GraphError): Failure => ({ ok: false, code, message, ...(graphError && { graphError }) });

/** One prepared request: everything checked, nothing written yet. */
interface Plan {
  readonly input: SendFlowInput;
  readonly flow: CatalogueFlow;
  readonly metaFlowId: string;
  readonly waId: string;
  readonly kind: Kind;
  /** Auto mode chose interactive: a 131047 from Meta falls back to the template. */
  readonly fallback: boolean;
}

/** Build the sender. */
export function createFlowSender(deps: FlowSenderDeps): FlowSender {
  const now = deps.now ?? (() => new Date());
  const staleAfterMs = deps.staleAfterMs ?? 120_000;

  async function plan(input: SendFlowInput): Promise<Plan | Failure> {
    const recipient = normaliseRecipient(input.to);
    if (!recipient.ok) return fail('bad_phone', recipient.message);
    const flow = deps.catalogue.get(input.flowId);
    if (flow === undefined) return fail('unknown_flow', `No flow "${input.flowId}" in the project: check the id against the flows of flowbridge.yaml.`);
    const metaFlowId = flow.metaFlowId ?? (await deps.publishedFlows?.get(flow.id))?.liveMetaFlowId;
    if (metaFlowId === undefined) {
      return fail('not_published', `Flow "${flow.id}" is not published at Meta, so it cannot be sent. Fix: run \`flowbridge publish <flow.json> --name "${flow.name}" --flow-id ${flow.id} --publish\` (or set its Meta flow id in the project file).`);
    }
    const mode = input.mode ?? 'auto';
    const kind: Kind = mode === 'interactive' || (mode === 'auto' && (await deps.conversations.isWindowOpen(recipient.waId, now()))) ? 'interactive' : 'template';
    const templateName = input.template?.name ?? flow.message.templateName;
    if (kind === 'template' && templateName === undefined) {
      const why = mode === 'template' ? 'a template was asked for' : `${recipient.waId} has not written in the last 24 hours (no open customer-service window)`;
      return fail('no_template', `Flow "${flow.id}" has no template, and ${why}. Fix: create a template with a FLOW button for this flow, get it approved and set message.template in the project file; or send while the contact's window is open.`);
    }
    return { input, flow, metaFlowId, waId: recipient.waId, kind, fallback: mode === 'auto' && kind === 'interactive' && templateName !== undefined };
  }

  function success(send: SendRecord, repeated: boolean): SendFlowResult {
    return { ok: true, sendId: send.id, flowToken: send.flowToken, wamid: send.wamid ?? '', waId: send.waId, kind: send.kind, repeated };
  }

  async function callMeta(p: Plan, kind: Kind, flowToken: string) {
    const { flow } = p;
    if (kind === 'template') {
      return deps.graph.sendTemplateMessage({
        to: p.waId, name: p.input.template?.name ?? flow.message.templateName ?? '',
        language: p.input.template?.language ?? flow.message.templateLanguage ?? deps.defaultTemplateLanguage ?? 'en_US',
        flowButton: { index: 0, flowToken },
        ...(p.input.bodyParameters !== undefined && p.input.bodyParameters.length > 0 && { bodyParameters: p.input.bodyParameters }),
        ...(p.input.replyTo !== undefined && { replyTo: p.input.replyTo }),
      });
    }
    // An interactive flow message has no template variables: bodyParameters are not sent (flow-sender.ts).
    return deps.graph.sendFlowMessage({
      to: p.waId, flow: { id: p.metaFlowId }, cta: flow.message.cta, body: flow.message.body, flowToken,
      ...(flow.message.header !== undefined && { header: flow.message.header }),
      ...(flow.message.footer !== undefined && { footer: flow.message.footer }),
      action: flow.usesEndpoint ? { type: 'data_exchange' } : { type: 'navigate', screen: flow.firstScreen },
      ...(p.input.replyTo !== undefined && { replyTo: p.input.replyTo }),
    });
  }

  /** Call Meta for a claimed send and record the outcome. */
  async function attempt(p: Plan, send: SendRecord, kind: Kind): Promise<SendFlowResult> {
    let used = kind;
    try {
      let result;
      try {
        result = await callMeta(p, kind, send.flowToken);
      } catch (error) {
        // Our window state was stale (a missed webhook): Meta says the window is closed, so nothing was sent.
        if (!(p.fallback && kind === 'interactive' && isGraphError(error, 131047))) throw error;
        used = 'template';
        result = await callMeta(p, 'template', send.flowToken);
      }
      await deps.sends.markSent(send.id, { wamid: result.wamid, waId: result.waId, kind: used });
      return success({ ...send, wamid: result.wamid, waId: result.waId, kind: used, state: 'sent' }, false);
    } catch (error) {
      if (!isGraphError(error)) {
        await deps.sends.markFailed(send.id, 'failed', { code: 'internal', message: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      const state = timedOut(error) ? 'unknown' : 'failed';
      await deps.sends.markFailed(send.id, state, { code: String(error.graphCode ?? `http_${error.httpStatus}`), message: error.message });
      const detail = error.graphDetails ?? error.message;
      return fail('graph_error', `${error.userMessage}${detail === error.userMessage ? '' : ` (${detail})`}`, error);
    }
  }

  /** A later request with a key already used. */
  async function resume(p: Plan, existing: SendRecord): Promise<SendFlowResult> {
    if (existing.flowId !== p.flow.id || existing.waId !== p.waId) {
      return fail('idempotency_conflict', 'This idempotency key was already used to send another flow or to another recipient. Fix: use a new key for a different send.');
    }
    switch (existing.state) {
      case 'sent':
        return success(existing, true);
      case 'failed':
        if (!(await deps.sends.reclaim(existing.id, p.kind))) return fail('in_progress', 'A send with this idempotency key is in progress; repeat the request in a few seconds to get its result.');
        return attempt(p, existing, p.kind);
      case 'queued':
        if (now().getTime() - existing.updatedAt.getTime() < staleAfterMs) return fail('in_progress', 'A send with this idempotency key is in progress; repeat the request in a few seconds to get its result.');
        await deps.sends.markFailed(existing.id, 'unknown', { code: 'interrupted', message: 'the sending process stopped before Meta\'s answer was recorded' });
        return unknownOutcome();
      case 'unknown':
        return unknownOutcome();
    }
  }

  return {
    async send(input) {
      const p = await plan(input);
      if ('ok' in p) return p;
      const key = input.idempotencyKey;
      if (key !== undefined) {
        const existing = await deps.sends.findByKey(key);
        if (existing !== undefined) return resume(p, existing);
      }
      const session = await deps.sessions.issue({
        flowId: p.flow.id, contactPhone: p.waId, entryPoint: input.entry, campaign: input.campaign ?? input.attribution?.adId ?? null,
      });
      const claim = await deps.sends.claim({
        flowId: p.flow.id, flowToken: session.flowToken, recipient: input.to, waId: p.waId, kind: p.kind, entry: input.entry,
        campaign: input.campaign, idempotencyKey: key, adId: input.attribution?.adId, ctwaClid: input.attribution?.ctwaClid, replyTo: input.replyTo,
      });
      // Lost a race for the key: the session issued above is never sent and simply expires.
      if (!claim.claimed) return resume(p, claim.existing);
      return attempt(p, claim.send, p.kind);
    },
  };
}

function unknownOutcome(): Failure {
  return fail('outcome_unknown', 'An earlier attempt with this idempotency key was cut off (timeout or restart) before Meta answered; Meta may have delivered it. It is not sent again, to avoid a duplicate. Check the send\'s statuses, or use a new key to send anyway.');
}

/** A timeout (not a refusal): Meta may have accepted the message. */
function timedOut(error: GraphError): boolean {
  if (error.httpStatus !== 0) return false;
  const cause: unknown = error.cause;
  return cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
}
