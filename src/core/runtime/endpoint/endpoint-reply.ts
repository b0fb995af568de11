/**
 * What the runtime gets back from a data-exchange endpoint, and how a
 * decrypted reply is read (spec §2.5; Meta, "Implementing Endpoints for
 * Flows", section "Response payloads"). Only the envelope is checked here;
 * whether the screen is a legal route and its data fits the screen's schema
 * is the engine's job.
 * @module
 */
import { isObject, type JsonObject } from '../../flow/json.js';

/** Why an endpoint exchange failed, as the WhatsApp client would classify it (spec §2.6, §2.8). */
export type EndpointFailureReason =
  | 'key-refetch-failed'
  | 'token-invalid'
  | 'signature-rejected'
  | 'http-status'
  | 'timeout'
  | 'network'
  | 'garbage'
  | 'schema';

/** The outcome of one endpoint exchange. */
export type EndpointReply =
  /** Next screen (possibly the same, refreshed); `data` may carry `error_message`. */
  | { kind: 'screen'; screen: string; data: Record<string, unknown> }
  /** Screen `SUCCESS`: the flow closes; `params` go to the nfm_reply `response_json` (spec §6.3). */
  | { kind: 'complete'; params: Record<string, unknown> }
  /** Ping or error-notification acknowledgement. */
  | { kind: 'ack' }
  | { kind: 'failure'; reason: EndpointFailureReason; status?: number; userMessage: string; detail: string };

/** A request in plaintext, before encryption (spec §2.4). */
export interface EndpointRequest {
  version: '3.0' | '4.0';
  action: 'INIT' | 'BACK' | 'data_exchange' | 'ping';
  flow_token?: string;
  screen?: string;
  data?: Record<string, unknown>;
}

/** What WhatsApp shows when an endpoint call fails without a message of the business's own. */
export const GENERIC_ERROR_MESSAGE = 'Something went wrong. Please try again later.';

/** The failure reply, with the generic user-facing text unless another is given. */
export function endpointFailure(
  reason: EndpointFailureReason,
  detail: string,
  extra: { status?: number; userMessage?: string } = {},
): EndpointReply {
  const reply: EndpointReply = { kind: 'failure', reason, userMessage: extra.userMessage ?? GENERIC_ERROR_MESSAGE, detail };
  if (extra.status !== undefined) reply.status = extra.status;
  return reply;
}

/** True for an error notification: the client reporting that it could not use a previous reply (spec §2.4). */
export function isErrorNotification(request: EndpointRequest): boolean {
  const data = request.data;
  return data !== undefined && (typeof data.error === 'string' || typeof data.error_key === 'string');
}

function schema(detail: string): EndpointReply {
  return endpointFailure('schema', detail);
}

function readAck(body: JsonObject, key: 'status' | 'acknowledged', value: unknown): EndpointReply | undefined {
  const data = body.data;
  return isObject(data) && data[key] === value ? { kind: 'ack' } : undefined;
}

function readComplete(data: JsonObject): EndpointReply {
  const ext = data.extension_message_response;
  if (!isObject(ext)) return schema('SUCCESS reply has no data.extension_message_response object');
  const params = ext.params;
  if (!isObject(params)) return schema('SUCCESS reply has no extension_message_response.params object');
  if (typeof params.flow_token !== 'string') {
    return schema('extension_message_response.params.flow_token is required (a string)');
  }
  return { kind: 'complete', params };
}

/**
 * Read a decrypted reply in the context of the request it answers: a ping
 * expects `{"data":{"status":"active"}}`, an error notification
 * `{"data":{"acknowledged":true}}` (or a screen), anything else a screen or
 * the `SUCCESS` completion. Unknown extra keys (such as `version`) are ignored.
 * A reply without `data` is read as `data: {}`.
 */
export function interpretReply(request: EndpointRequest, body: unknown): EndpointReply {
  if (!isObject(body)) return schema('reply is not a JSON object');
  if (request.action === 'ping') {
    return readAck(body, 'status', 'active') ?? schema('ping reply must be {"data":{"status":"active"}}');
  }
  if (body.screen === undefined && isErrorNotification(request)) {
    return readAck(body, 'acknowledged', true) ?? schema('error notification reply must be {"data":{"acknowledged":true}}');
  }
  const screen = body.screen;
  if (typeof screen !== 'string' || screen === '') return schema('reply has no screen (a non-empty string)');
  const data = body.data ?? {};
  if (!isObject(data)) return schema('reply data must be an object');
  if (screen === 'SUCCESS') return readComplete(data);
  return { kind: 'screen', screen, data };
}
