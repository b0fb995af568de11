/**
 * A generic signed webhook following the Standard Webhooks specification
 * (standardwebhooks.com): `webhook-id` (stable per submission and sink, so a
 * consumer dedupes retries and replays on it), `webhook-timestamp` (seconds,
 * the time of this attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`
 * over `id.timestamp.body`), signed with node:crypto
 * (`standard-webhooks-signature.ts`; the reference `standardwebhooks`
 * library verifies it in the tests). The sink cannot check before writing: a
 * retry after a lost response is sent again with the same `webhook-id`.
 * @module
 */
import { defineSink } from '../sink-connector.js';
import { postWebhook, signedWebhookSettings, type SignedWebhookSettings } from './send-attempt.js';
import { standardWebhookHeaders, standardWebhooksKey, webhookMessageId } from './standard-webhooks-signature.js';
import { buildWebhookPayload } from './webhook-payload.js';

export { webhookMessageId };

const settings = signedWebhookSettings;

/** Generic webhook settings. */
export type WebhookSinkSettings = SignedWebhookSettings;

/** The generic Standard Webhooks sink. */
export const webhookSink = defineSink<WebhookSinkSettings>({
  id: 'webhook',
  displayName: 'Webhook (Standard Webhooks)',
  settingsSchema: settings,
  checkForm(_form, s) {
    try {
      standardWebhooksKey(s.secret);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  },
  async deliver(ctx, submission) {
    const body = JSON.stringify(buildWebhookPayload(submission));
    const id = webhookMessageId(ctx.idempotencyKey);
    let headers: Record<string, string>;
    try {
      // The timestamp of this attempt (consumers reject stale ones).
      headers = standardWebhookHeaders(id, ctx.now(), body, ctx.settings.secret);
    } catch (error) {
      return { kind: 'permanent', reason: (error as Error).message };
    }
    return postWebhook(ctx, ctx.settings.url, headers, body, ctx.settings.timeoutMs);
  },
});
