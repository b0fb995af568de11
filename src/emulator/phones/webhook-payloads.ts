/**
 * The webhook bodies a virtual phone makes Meta post (spec §6; Meta,
 * "Webhooks, messages" and "status"): the `whatsapp_business_account`
 * envelope (§6.1) around one `messages` change (§6.2) carrying either
 * statuses of an outbound message (§6.4: sent, delivered, read, failed with
 * its error), the flow completion `nfm_reply` (§6.3, `response_json` a JSON
 * string, `context.id` the flow message's wamid), or an inbound text,
 * optionally with the click-to-WhatsApp `referral` of an ad.
 * @module
 */
import { randomBytes } from 'node:crypto';

/** Who the webhooks are about: the business account and number of the emulator. */
export interface WebhookAccount {
  readonly wabaId: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
}

/** Statuses Meta reports for an outbound message. */
export type OutboundStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A delivery failure as the `errors[]` of a failed status carries it. */
export interface StatusFailure {
  readonly code: number;
  readonly title: string;
  readonly details: string;
}

/** The `referral` object of a message that came from a click-to-WhatsApp ad. */
export interface AdReferral {
  /** The ad id (`source_id`): what Flowbridge maps to a flow. */
  readonly sourceId: string;
  readonly sourceUrl?: string;
  readonly sourceType?: 'ad' | 'post';
  readonly headline?: string;
  readonly body?: string;
  /** Click id for conversions attribution. */
  readonly ctwaClid?: string;
}

/** Seconds since the epoch as Meta writes them: a string. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

/** The §6.1 envelope around one `messages` change. */
function envelope(account: WebhookAccount, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: account.wabaId, changes: [{ value: { messaging_product: 'whatsapp', metadata: { display_phone_number: account.displayPhoneNumber, phone_number_id: account.phoneNumberId }, ...value }, field: 'messages' }] }],
  };
}

/** An id for an inbound message, shaped like Meta's (`wamid.` + base64). */
export function inboundWamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}

/** Input of {@link statusBody}. */
export interface StatusInput {
  readonly wamid: string;
  readonly waId: string;
  readonly status: OutboundStatus;
  readonly at: number;
  /** `marketing`/`utility` for templates (business-initiated), `service` for messages inside the window. */
  readonly category: string;
  /** Conversation id, the same for every status of one conversation. */
  readonly conversationId: string;
  readonly failure?: StatusFailure;
}

/** A status webhook (§6.4). `conversation` and `pricing` ride on sent/delivered, `errors` on failed. */
export function statusBody(account: WebhookAccount, s: StatusInput): Record<string, unknown> {
  const status: Record<string, unknown> = { id: s.wamid, status: s.status, timestamp: unixSeconds(s.at), recipient_id: s.waId };
  if (s.status === 'sent' || s.status === 'delivered') {
    status.conversation = {
      id: s.conversationId,
      ...(s.status === 'sent' && { expiration_timestamp: unixSeconds(s.at + 24 * 3600 * 1000) }),
      origin: { type: s.category },
    };
    status.pricing = { billable: true, pricing_model: 'CBP', category: s.category };
  }
  if (s.status === 'failed' && s.failure) {
    status.errors = [{ code: s.failure.code, title: s.failure.title, message: s.failure.title, error_data: { details: s.failure.details } }];
  }
  return envelope(account, { statuses: [status] });
}

/** Input of {@link nfmReplyBody}. */
export interface NfmReplyInput {
  readonly waId: string;
  readonly profileName: string;
  /** The wamid of the flow message being answered (`context.id`). */
  readonly flowMessageId: string;
  /** The runtime's `response_json` (parsed); sent as a JSON string, as Meta does. */
  readonly response: Readonly<Record<string, unknown>>;
  readonly at: number;
  readonly messageId?: string;
}

/** The flow completion message (§6.3). */
export function nfmReplyBody(account: WebhookAccount, r: NfmReplyInput): Record<string, unknown> {
  return envelope(account, {
    contacts: [{ profile: { name: r.profileName }, wa_id: r.waId }],
    messages: [{
      context: { from: account.displayPhoneNumber, id: r.flowMessageId },
      from: r.waId,
      id: r.messageId ?? inboundWamid(),
      timestamp: unixSeconds(r.at),
      type: 'interactive',
      interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(r.response) } },
    }],
  });
}

/** Input of {@link inboundTextBody}. */
export interface InboundTextInput {
  readonly waId: string;
  readonly profileName: string;
  readonly text: string;
  readonly at: number;
  readonly messageId: string;
  readonly referral?: AdReferral;
}

/** An inbound text message (§6.2), with the ad's `referral` when it came from a click-to-WhatsApp ad. */
export function inboundTextBody(account: WebhookAccount, m: InboundTextInput): Record<string, unknown> {
  const r = m.referral;
  const referral = r && {
    source_url: r.sourceUrl ?? `https://fb.me/${r.sourceId}`,
    source_id: r.sourceId,
    source_type: r.sourceType ?? 'ad',
    headline: r.headline ?? 'Ad headline',
    body: r.body ?? 'Ad body',
    media_type: 'image',
    image_url: 'https://scontent.xx.fbcdn.net/ad-image.jpg',
    ...(r.ctwaClid !== undefined && { ctwa_clid: r.ctwaClid }),
  };
  return envelope(account, {
    contacts: [{ profile: { name: m.profileName }, wa_id: m.waId }],
    messages: [{ from: m.waId, id: m.messageId, timestamp: unixSeconds(m.at), type: 'text', text: { body: m.text }, ...(referral && { referral }) }],
  });
}

/** Input of {@link flowStatusBody}: a flow's status change (creation has no old status). */
export interface FlowStatusInput {
  readonly flowId: string;
  readonly flowName: string;
  readonly oldStatus: string | undefined;
  readonly newStatus: string;
  readonly at: number;
}

/** A `flows` field FLOW_STATUS_CHANGE event (§6.5); `entry.time` is set on flows events. */
export function flowStatusBody(account: WebhookAccount, e: FlowStatusInput): Record<string, unknown> {
  const message = e.oldStatus === undefined
    ? `Flow ${e.flowName} has been created with status ${e.newStatus}`
    : `Flow ${e.flowName} changed status from ${e.oldStatus} to ${e.newStatus}`;
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: account.wabaId, time: Math.floor(e.at / 1000), changes: [{ value: {
      event: 'FLOW_STATUS_CHANGE', message, flow_id: e.flowId,
      ...(e.oldStatus !== undefined && { old_status: e.oldStatus }),
      new_status: e.newStatus,
    }, field: 'flows' }] }],
  };
}
