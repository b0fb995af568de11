/**
 * Webhook payloads built exactly as spec §6 documents them (no WhatsApp
 * webhook samples exist in ../shared/fixtures): the envelope of §6.1, the
 * `messages` value of §6.2, the nfm_reply of §6.3, statuses of §6.4 and
 * `flows` events of §6.5. Message bodies follow Meta's "Webhooks, messages"
 * reference.
 */

export const WABA_ID = '102290129340398';
export const PHONE_NUMBER_ID = '1122334455';
export const USER_WA_ID = '972987654321';
export const BUSINESS_NUMBER = '15550001111';

/** §6.1 envelope around one change. */
export function envelope(field: string, value: unknown, time?: number): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: WABA_ID, ...(time === undefined ? {} : { time }), changes: [{ field, value }] }],
  };
}

/** §6.2 `messages` value carrying inbound messages. */
export function messagesValue(messages: readonly unknown[]): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: BUSINESS_NUMBER, phone_number_id: PHONE_NUMBER_ID },
    contacts: [{ profile: { name: 'Ann' }, wa_id: USER_WA_ID, user_id: 'US.13491208655302741918' }],
    messages,
  };
}

/** A whole delivery body with these inbound messages. */
export function messagesBody(...messages: readonly unknown[]): string {
  return JSON.stringify(envelope('messages', messagesValue(messages)));
}

/** A whole delivery body with these statuses (§6.4). */
export function statusesBody(...statuses: readonly unknown[]): string {
  return JSON.stringify(
    envelope('messages', {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: BUSINESS_NUMBER, phone_number_id: PHONE_NUMBER_ID },
      statuses,
    }),
  );
}

/** A whole `flows` delivery (§6.5). */
export function flowsBody(value: unknown, time = 1684969340): string {
  return JSON.stringify(envelope('flows', value, time));
}

/** The common fields of an inbound message. */
export function inbound(id: string, type: string, body: Record<string, unknown>): Record<string, unknown> {
  return { from: USER_WA_ID, id, timestamp: '1702502473', type, ...body };
}

/** §6.3 flow completion: `response_json` is a JSON string. */
export function nfmReply(id: string, response: Record<string, unknown>, flowMessageId = 'wamid.FLOWMSG'): Record<string, unknown> {
  return {
    context: { from: BUSINESS_NUMBER, id: flowMessageId },
    ...inbound(id, 'interactive', {
      interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) } },
    }),
  };
}

/** §6.4 status object. */
export function status(id: string, value: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    status: value,
    timestamp: '1702502480',
    recipient_id: USER_WA_ID,
    conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
    pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
    ...extra,
  };
}

/** §6.5 ENDPOINT_LATENCY example. */
export const endpointLatency = {
  event: 'ENDPOINT_LATENCY',
  message: 'Flow Endpoint latency crossed the threshold',
  flow_id: '691244242662581',
  p90_latency: 8000,
  p50_latency: 500,
  requests_count: 34,
  threshold: 7000,
  alert_state: 'ACTIVATED',
};
