/**
 * The typed Graph API client: flows, templates, sends, media, keys and
 * throughput over one transport (Meta's Graph API, or a provider mirroring
 * the Cloud API with an API-key header). Every failure rejects with a
 * {@link GraphError} whose `retryable`/`retryAfterMs` tell the caller
 * whether and when to retry; the client itself never retries.
 * @module
 */
import { accountApi } from './account-api.js';
import { flowsApi } from './flows-api.js';
import { createGraphTransport, type GraphTransportOptions } from './graph-transport.js';
import { messagesApi } from './messages-api.js';
import { templatesApi } from './templates-api.js';

/** Options of {@link createGraphClient}. */
export interface GraphClientOptions extends GraphTransportOptions {
  /** WhatsApp Business Account id: flows and templates live under it. */
  readonly wabaId?: string;
  /** Phone number id: messages, keys and throughput are per number. */
  readonly phoneNumberId?: string;
}

/** Every call of the client. */
export type GraphClient = ReturnType<typeof flowsApi> & ReturnType<typeof templatesApi> & ReturnType<typeof messagesApi> & ReturnType<typeof accountApi>;

/**
 * Build a client.
 * @example
 * const graph = createGraphClient({ baseUrl: config.graphApiBaseUrl, version: config.graphApiVersion, accessToken: config.accessToken, phoneNumberId: config.phoneNumberId });
 * const { wamid } = await graph.sendFlowMessage({ to: '15551234567', flow: { id }, cta: 'Book', body: 'Book a table' });
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const ctx = { transport: createGraphTransport(options), wabaId: options.wabaId, phoneNumberId: options.phoneNumberId };
  return { ...flowsApi(ctx), ...templatesApi(ctx), ...messagesApi(ctx), ...accountApi(ctx) };
}
