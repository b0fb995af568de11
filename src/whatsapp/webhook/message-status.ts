/**
 * Outbound message statuses, `value.statuses[]` of the `messages` field
 * (Meta, "Webhooks, messages: status"; spec §6.4). Flow delivery failures
 * arrive here, e.g. 131026 for a client too old to open flows, 131047 when
 * the 24-hour service window has closed.
 * @module
 */
import { isObject, type JsonObject } from '../../core/flow/json.js';
import { cloudApiErrors, text, unixSeconds, type CloudApiError } from './read.js';

/** The documented statuses; anything else is kept verbatim as a string. */
export type KnownStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A parsed status update. */
export interface MessageStatus {
  /** wamid of our outbound message. */
  readonly messageId: string | undefined;
  /** `sent`, `delivered`, `read`, `failed`, or a newer value Meta adds (e.g. `deleted`). */
  readonly status: KnownStatus | (string & {}) | undefined;
  readonly timestamp: Date | undefined;
  readonly recipientId: string | undefined;
  readonly errors: readonly CloudApiError[];
  /** `conversation` object as sent (id, origin.type, expiration_timestamp). */
  readonly conversation: JsonObject | undefined;
  /** `pricing` object as sent (billable, pricing_model, category). */
  readonly pricing: JsonObject | undefined;
  /** Opaque data the business attached when sending. */
  readonly bizOpaqueCallbackData: string | undefined;
}

/** Parse one status object; never throws. */
export function parseMessageStatus(value: JsonObject): MessageStatus {
  const conversation = value['conversation'];
  const pricing = value['pricing'];
  return {
    messageId: text(value, 'id'),
    status: text(value, 'status'),
    timestamp: unixSeconds(value, 'timestamp'),
    recipientId: text(value, 'recipient_id'),
    errors: cloudApiErrors(value),
    conversation: isObject(conversation) ? conversation : undefined,
    pricing: isObject(pricing) ? pricing : undefined,
    bizOpaqueCallbackData: text(value, 'biz_opaque_callback_data'),
  };
}
