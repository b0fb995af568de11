/**
 * What an inbound message says, by its `type` (Meta, "Webhooks, messages"
 * reference; spec §6.2, §6.3). Each type the system acts on or shows gets
 * its own variant; any other type is kept as `other` with its raw object,
 * so a new Meta message type is recorded rather than rejected.
 * @module
 */
import { isObject, type JsonObject } from '../../core/flow/json.js';
import { parseNfmReply, type NfmReply } from './nfm-reply.js';
import { bool, cloudApiErrors, num, objects, text, type CloudApiError } from './read.js';

/** A media attachment: download it through the Graph API with its id. */
export interface MediaAttachment {
  readonly id: string | undefined;
  readonly mimeType: string | undefined;
  readonly sha256: string | undefined;
  readonly caption: string | undefined;
  /** Documents only. */
  readonly filename: string | undefined;
  /** Audio: true for a voice note. */
  readonly voice: boolean | undefined;
  /** Sticker: true for an animated sticker. */
  readonly animated: boolean | undefined;
}

/** Media message types, all shaped as {@link MediaAttachment}. */
export type MediaType = 'image' | 'document' | 'audio' | 'video' | 'sticker';

const MEDIA_TYPES: ReadonlySet<string> = new Set<MediaType>(['image', 'document', 'audio', 'video', 'sticker']);

/** The content of an inbound message, discriminated by `type`. */
export type MessageContent =
  | { readonly type: 'text'; readonly body: string | undefined }
  | { readonly type: 'nfm_reply'; readonly reply: NfmReply }
  | { readonly type: 'button_reply'; readonly id: string | undefined; readonly title: string | undefined }
  | { readonly type: 'list_reply'; readonly id: string | undefined; readonly title: string | undefined; readonly description: string | undefined }
  /** A template's quick-reply button. */
  | { readonly type: 'button'; readonly payload: string | undefined; readonly text: string | undefined }
  | { readonly type: MediaType; readonly media: MediaAttachment }
  | {
      readonly type: 'location';
      readonly latitude: number | undefined;
      readonly longitude: number | undefined;
      readonly name: string | undefined;
      readonly address: string | undefined;
      readonly url: string | undefined;
    }
  /** Shared contact cards, kept as sent (names, phones, emails… nest deeply). */
  | { readonly type: 'contacts'; readonly contacts: readonly JsonObject[] }
  /** `emoji` absent means the reaction was removed. */
  | { readonly type: 'reaction'; readonly messageId: string | undefined; readonly emoji: string | undefined }
  | { readonly type: 'unsupported'; readonly errors: readonly CloudApiError[] }
  /** E.g. the customer changed their number (`customer_changed_number`). */
  | { readonly type: 'system'; readonly body: string | undefined; readonly systemType: string | undefined; readonly newWaId: string | undefined }
  /** Any other message type, or an interactive reply of another kind. */
  | { readonly type: 'other'; readonly messageType: string | undefined; readonly raw: JsonObject };

/** Read the content of one message object; never throws. */
export function parseMessageContent(message: JsonObject): MessageContent {
  const type = text(message, 'type');
  const body = type === undefined ? undefined : message[type];
  const part = isObject(body) ? body : {};
  if (type !== undefined && MEDIA_TYPES.has(type)) return { type: type as MediaType, media: mediaAttachment(part) };
  switch (type ?? '') {
    case 'text':
      return { type: 'text', body: text(part, 'body') };
    case 'interactive':
      return interactive(part, message);
    case 'button':
      return { type: 'button', payload: text(part, 'payload'), text: text(part, 'text') };
    case 'location':
      return {
        type: 'location',
        latitude: num(part, 'latitude'),
        longitude: num(part, 'longitude'),
        name: text(part, 'name'),
        address: text(part, 'address'),
        url: text(part, 'url'),
      };
    case 'contacts':
      return { type: 'contacts', contacts: objects(message, 'contacts') };
    case 'reaction':
      return { type: 'reaction', messageId: text(part, 'message_id'), emoji: text(part, 'emoji') };
    case 'unsupported':
      return { type: 'unsupported', errors: cloudApiErrors(message) };
    case 'system':
      return { type: 'system', body: text(part, 'body'), systemType: text(part, 'type'), newWaId: text(part, 'wa_id') ?? text(part, 'new_wa_id') };
    default:
      return { type: 'other', messageType: type, raw: message };
  }
}

function interactive(part: JsonObject, message: JsonObject): MessageContent {
  const kind = text(part, 'type');
  const reply = kind === undefined ? undefined : part[kind];
  if (!isObject(reply)) return { type: 'other', messageType: `interactive.${kind ?? '?'}`, raw: message };
  switch (kind ?? '') {
    case 'nfm_reply':
      return { type: 'nfm_reply', reply: parseNfmReply(reply) };
    case 'button_reply':
      return { type: 'button_reply', id: text(reply, 'id'), title: text(reply, 'title') };
    case 'list_reply':
      return { type: 'list_reply', id: text(reply, 'id'), title: text(reply, 'title'), description: text(reply, 'description') };
    default:
      return { type: 'other', messageType: `interactive.${kind ?? '?'}`, raw: message };
  }
}

function mediaAttachment(part: JsonObject): MediaAttachment {
  return {
    id: text(part, 'id'),
    mimeType: text(part, 'mime_type'),
    sha256: text(part, 'sha256'),
    caption: text(part, 'caption'),
    filename: text(part, 'filename'),
    voice: bool(part, 'voice'),
    animated: bool(part, 'animated'),
  };
}
