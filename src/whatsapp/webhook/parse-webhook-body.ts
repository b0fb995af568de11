/**
 * Parses a Cloud API webhook POST body (spec §6.1–§6.5) into typed events.
 * Total: any text gives either `malformed_json` or a list of events, and
 * anything not understood becomes an `unknown` event to be stored and
 * recorded, so a new field or message type Meta introduces is never lost
 * and never crashes the intake.
 * @module
 */
import { isObject, type JsonObject } from '../../core/flow/json.js';
import { canonicalJson, dedupeKey, sha256Hex } from './dedupe-key.js';
import { parseFlowsEvent } from './flows-event.js';
import { changeContacts, parseInboundMessage } from './inbound-message.js';
import { parseMessageStatus } from './message-status.js';
import { text, unixSeconds } from './read.js';
import type { ChangeSource, WebhookEvent } from './webhook-event.js';

/** Result of {@link parseWebhookBody}. */
export type ParsedWebhook = { readonly ok: true; readonly events: readonly WebhookEvent[] } | { readonly ok: false; readonly error: 'malformed_json' };

/** The `object` of WhatsApp Business Account webhooks. */
export const WHATSAPP_OBJECT = 'whatsapp_business_account';

/** Parse a raw body; never throws. A valid envelope without any event yields one `unknown` event. */
export function parseWebhookBody(rawBody: string): ParsedWebhook {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: 'malformed_json' };
  }
  const parser = new DeliveryParser(rawBody);
  parser.parse(payload);
  return { ok: true, events: parser.events };
}

class DeliveryParser {
  readonly events: WebhookEvent[] = [];
  #bodyHash: string | undefined;
  #fallbacks = 0;

  constructor(private readonly rawBody: string) {}

  parse(payload: unknown): void {
    const entries = isObject(payload) ? payload['entry'] : undefined;
    const object = isObject(payload) ? payload['object'] : undefined;
    if (!isObject(payload) || !Array.isArray(entries) || (object !== undefined && object !== WHATSAPP_OBJECT)) {
      this.unknown(noSource, 'not a WhatsApp Business Account webhook envelope', payload, ['body', this.bodyHash()]);
      return;
    }
    for (const entry of entries as unknown[]) this.entry(entry);
    if (this.events.length === 0) this.unknown(noSource, 'envelope without events', payload, ['body', this.bodyHash()]);
  }

  private entry(entry: unknown): void {
    const changes = isObject(entry) ? entry['changes'] : undefined;
    if (!isObject(entry) || !Array.isArray(changes)) {
      this.unknown(noSource, 'entry without changes[]', entry, this.contentKey(entry));
      return;
    }
    for (const change of changes as unknown[]) this.change(entry, change);
  }

  private change(entry: JsonObject, change: unknown): void {
    const value = isObject(change) ? change['value'] : undefined;
    const field = isObject(change) ? text(change, 'field') : undefined;
    const metadata = isObject(value) ? value['metadata'] : undefined;
    const source: ChangeSource = {
      wabaId: text(entry, 'id'),
      time: unixSeconds(entry, 'time'),
      field,
      phoneNumberId: isObject(metadata) ? text(metadata, 'phone_number_id') : undefined,
      displayPhoneNumber: isObject(metadata) ? text(metadata, 'display_phone_number') : undefined,
    };
    // Content keys include the entry id and time: two identical alerts at different times are two events.
    const scoped = { waba: entry['id'], time: entry['time'], field: field ?? null, value: value ?? null };
    if (!isObject(value)) return this.unknown(source, 'change without a value object', change, this.contentKey(scoped));
    if (field === 'flows') {
      this.events.push({ kind: 'flows', source, flows: parseFlowsEvent(value), raw: value, dedupeKey: dedupeKey('flows', ...this.contentKey(scoped)) });
      return;
    }
    if (field !== 'messages') return this.unknown(source, `field ${field ?? '(none)'}`, change, this.contentKey(scoped));
    this.messagesValue(source, value, scoped);
  }

  private messagesValue(source: ChangeSource, value: JsonObject, scoped: object): void {
    const messages = value['messages'];
    const statuses = value['statuses'];
    if (!Array.isArray(messages) && !Array.isArray(statuses)) {
      this.unknown(source, 'messages change without messages[] or statuses[]', value, this.contentKey(scoped));
      return;
    }
    const contacts = changeContacts(value);
    for (const item of Array.isArray(messages) ? (messages as unknown[]) : []) {
      if (!isObject(item)) {
        this.unknown(source, 'message is not an object', item, this.contentKey({ scoped, item }));
        continue;
      }
      const message = parseInboundMessage(item, contacts);
      const key = message.id === undefined ? dedupeKey('message', ...this.contentKey({ source: source.phoneNumberId ?? null, item })) : dedupeKey('message', message.id);
      this.events.push({ kind: 'message', source, message, dedupeKey: key });
    }
    for (const item of Array.isArray(statuses) ? (statuses as unknown[]) : []) {
      if (!isObject(item)) {
        this.unknown(source, 'status is not an object', item, this.contentKey({ scoped, item }));
        continue;
      }
      const status = parseMessageStatus(item);
      const key =
        status.messageId === undefined || status.status === undefined
          ? dedupeKey('status', ...this.contentKey(item))
          : dedupeKey('status', status.messageId, status.status);
      this.events.push({ kind: 'status', source, status, dedupeKey: key });
    }
  }

  private unknown(source: ChangeSource, reason: string, raw: unknown, keyParts: readonly string[]): void {
    this.events.push({ kind: 'unknown', source, reason, raw, dedupeKey: dedupeKey('unknown', ...keyParts) });
  }

  /** `['sha256', hash of the canonical content]`, or of the raw body plus a position when too deep to canonicalise. */
  private contentKey(value: unknown): string[] {
    const json = canonicalJson(value);
    if (json !== undefined) return ['sha256', sha256Hex(json)];
    this.#fallbacks += 1;
    return ['body', this.bodyHash(), String(this.#fallbacks)];
  }

  private bodyHash(): string {
    return (this.#bodyHash ??= sha256Hex(this.rawBody));
  }
}

const noSource: ChangeSource = { wabaId: undefined, time: undefined, field: undefined, phoneNumberId: undefined, displayPhoneNumber: undefined };
