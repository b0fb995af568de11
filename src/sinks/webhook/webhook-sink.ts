/**
 * A generic signed webhook following the Standard Webhooks specification
 * (standardwebhooks.com): `webhook-id` (stable per submission and sink, so a
 * consumer dedupes retries and replays on it), `webhook-timestamp` (seconds,
 * the time of this attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`
 * over `id.timestamp.body`), signed with the reference `standardwebhooks`
 * library. The sink cannot check before writing: a retry after a lost
 * response is sent again with the same `webhook-id`.
 * @module
 */
import { Webhook } from 'standardwebhooks';
import { defineSink } from '../sink-connector.js';
import { postWebhook, signedWebhookSettings, type SignedWebhookSettings } from './send-attempt.js';
import { buildWebhookPayload } from './webhook-payload.js';

const settings = signedWebhookSettings;

/** Generic webhook settings. */
export type WebhookSinkSettings = SignedWebhookSettings;

/** A Standard Webhooks message id from the idempotency key (`msg_` + URL-safe characters). */
export function webhookMessageId(idempotencyKey: string): string {
  return `msg_${idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The generic Standard Webhooks sink. */
export const webhookSink = defineSink<WebhookSinkSettings>({
  id: 'webhook',
  displayName: 'Webhook (Standard Webhooks)',
  settingsSchema: settings,
  checkForm(_form, s) {
    try {
      new Webhook(s.secret);
      return [];
    } catch {
      return ['The signing secret is not valid base64 (expected whsec_<base64>).'];
    }
  },
  async deliver(ctx, submission) {
    const body = JSON.stringify(buildWebhookPayload(submission));
    const id = webhookMessageId(ctx.idempotencyKey);
    const at = ctx.now();
    let signature: string;
    try {
      signature = new Webhook(ctx.settings.secret).sign(id, at, body);
    } catch {
      return { kind: 'permanent', reason: 'The signing secret is not valid base64 (expected whsec_<base64>).' };
    }
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
    return postWebhook(ctx, ctx.settings.url, headers, body, ctx.settings.timeoutMs);
  },
});
