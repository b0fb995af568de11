/**
 * The typed result of parsing a webhook delivery: one event per message,
 * status or `flows` change, each with the key that identifies it across
 * Meta's retries (Meta, "Webhooks": deliveries are retried for up to 7 days
 * and may arrive concurrently, spec §6.1).
 * @module
 */
import type { JsonObject } from '../../core/flow/json.js';
import type { FlowsEvent } from './flows-event.js';
import type { InboundMessage } from './inbound-message.js';
import type { MessageStatus } from './message-status.js';

/** Where in the envelope an event came from (spec §6.1, §6.2). */
export interface ChangeSource {
  /** `entry[].id`: the WhatsApp Business Account id. */
  readonly wabaId: string | undefined;
  /** `entry[].time` (present on `flows` events). */
  readonly time: Date | undefined;
  /** `changes[].field`: `messages`, `flows`, or another subscribed field. */
  readonly field: string | undefined;
  /** `value.metadata.phone_number_id` of `messages` changes. */
  readonly phoneNumberId: string | undefined;
  readonly displayPhoneNumber: string | undefined;
}

/** Fields every event has. */
interface EventBase {
  /** Stable across retries of the same event; short printable ASCII, safe as a unique database key. */
  readonly dedupeKey: string;
  readonly source: ChangeSource;
}

/** An inbound message (`value.messages[]`). */
export interface MessageEvent extends EventBase {
  readonly kind: 'message';
  readonly message: InboundMessage;
}

/** An outbound message's status (`value.statuses[]`). */
export interface StatusEvent extends EventBase {
  readonly kind: 'status';
  readonly status: MessageStatus;
}

/** A `flows` field event: an alert about a flow or its endpoint. */
export interface FlowsAlertEvent extends EventBase {
  readonly kind: 'flows';
  readonly flows: FlowsEvent;
  /** The `value` object as sent, with any field Meta adds later. */
  readonly raw: JsonObject;
}

/** Anything else: kept, stored and recorded, never thrown away or thrown on. */
export interface UnknownEvent extends EventBase {
  readonly kind: 'unknown';
  /** Why it was not understood, e.g. `not an envelope`, `field account_update`. */
  readonly reason: string;
  readonly raw: unknown;
}

/** One event of a delivery. */
export type WebhookEvent = MessageEvent | StatusEvent | FlowsAlertEvent | UnknownEvent;

/** Longest `kind` label stored with an event. */
const MAX_LABEL = 64;

/**
 * A short label for logs and the stored event's `kind`: `message:text`,
 * `message:nfm_reply`, `status:failed`, `flows:ENDPOINT_LATENCY`, `unknown`.
 */
export function eventLabel(event: WebhookEvent): string {
  const label = ((): string => {
    switch (event.kind) {
      case 'message':
        return `message:${event.message.content.type}`;
      case 'status':
        return `status:${event.status.status ?? '?'}`;
      case 'flows':
        return `flows:${event.flows.event ?? '?'}`;
      case 'unknown':
        return 'unknown';
    }
  })();
  const printable = label.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_LABEL ? printable.slice(0, MAX_LABEL) : printable;
}
