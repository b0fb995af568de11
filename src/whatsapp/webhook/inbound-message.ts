/**
 * One entry of `value.messages[]` (Meta, "Webhooks, messages" reference;
 * spec §6.2): who sent it, when, what it answers (`context`), which
 * click-to-WhatsApp ad started the chat (`referral`), and its content.
 * @module
 */
import { isObject, type JsonObject } from '../../core/flow/json.js';
import { parseMessageContent, type MessageContent } from './message-content.js';
import { bool, cloudApiErrors, objects, text, unixSeconds, type CloudApiError } from './read.js';

/** `context`: the message this one replies to (for nfm_reply: the flow message, spec §6.3). */
export interface MessageContext {
  /** Business number the replied-to message came from. */
  readonly from: string | undefined;
  /** wamid of the replied-to message. */
  readonly id: string | undefined;
  readonly forwarded: boolean | undefined;
  readonly frequentlyForwarded: boolean | undefined;
  /** Product enquiry: catalog and product retailer ids. */
  readonly referredProduct: { readonly catalogId: string | undefined; readonly productRetailerId: string | undefined } | undefined;
}

/** `referral`: the click-to-WhatsApp ad or post the user came from. */
export interface MessageReferral {
  readonly sourceUrl: string | undefined;
  readonly sourceId: string | undefined;
  /** `ad` or `post`. */
  readonly sourceType: string | undefined;
  readonly headline: string | undefined;
  readonly body: string | undefined;
  readonly mediaType: string | undefined;
  readonly imageUrl: string | undefined;
  readonly videoUrl: string | undefined;
  readonly thumbnailUrl: string | undefined;
  /** Click id for conversion reporting. */
  readonly ctwaClid: string | undefined;
}

/** The sender as `value.contacts[]` describes them. */
export interface MessageSender {
  readonly waId: string | undefined;
  readonly name: string | undefined;
  /** Business-scoped user id of newer payloads (spec §6.2). */
  readonly userId: string | undefined;
}

/** A parsed inbound message. */
export interface InboundMessage {
  /** The message's wamid: Meta's retries repeat it, so it is the de-duplication key. */
  readonly id: string | undefined;
  readonly from: string | undefined;
  readonly timestamp: Date | undefined;
  readonly sender: MessageSender | undefined;
  readonly context: MessageContext | undefined;
  readonly referral: MessageReferral | undefined;
  /** Message-level `errors[]` (sent with `unsupported` messages, among others). */
  readonly errors: readonly CloudApiError[];
  readonly content: MessageContent;
}

/** Parse one message object, finding its sender among the change's `contacts[]`; never throws. */
export function parseInboundMessage(message: JsonObject, contacts: readonly JsonObject[]): InboundMessage {
  const from = text(message, 'from');
  return {
    id: text(message, 'id'),
    from,
    timestamp: unixSeconds(message, 'timestamp'),
    sender: sender(contacts, from),
    context: context(message['context']),
    referral: referral(message['referral']),
    errors: cloudApiErrors(message),
    content: parseMessageContent(message),
  };
}

function sender(contacts: readonly JsonObject[], from: string | undefined): MessageSender | undefined {
  const contact = contacts.find((c) => text(c, 'wa_id') === from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  if (contact === undefined) return undefined;
  const profile = contact['profile'];
  return {
    waId: text(contact, 'wa_id'),
    name: isObject(profile) ? text(profile, 'name') : undefined,
    userId: text(contact, 'user_id'),
  };
}

function context(value: unknown): MessageContext | undefined {
  if (!isObject(value)) return undefined;
  const product = value['referred_product'];
  return {
    from: text(value, 'from'),
    id: text(value, 'id'),
    forwarded: bool(value, 'forwarded'),
    frequentlyForwarded: bool(value, 'frequently_forwarded'),
    referredProduct: isObject(product)
      ? { catalogId: text(product, 'catalog_id'), productRetailerId: text(product, 'product_retailer_id') }
      : undefined,
  };
}

function referral(value: unknown): MessageReferral | undefined {
  if (!isObject(value)) return undefined;
  return {
    sourceUrl: text(value, 'source_url'),
    sourceId: text(value, 'source_id'),
    sourceType: text(value, 'source_type'),
    headline: text(value, 'headline'),
    body: text(value, 'body'),
    mediaType: text(value, 'media_type'),
    imageUrl: text(value, 'image_url'),
    videoUrl: text(value, 'video_url'),
    thumbnailUrl: text(value, 'thumbnail_url'),
    ctwaClid: text(value, 'ctwa_clid'),
  };
}

/** The contacts of a `messages` change value, for {@link parseInboundMessage}. */
export function changeContacts(value: JsonObject): JsonObject[] {
  return objects(value, 'contacts');
}
