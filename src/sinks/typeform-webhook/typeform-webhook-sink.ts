/**
 * Typeform-shaped webhooks for consumers built on Typeform's: Typeform has
 * no API that creates responses (Responses API: list and delete only), so
 * Flowbridge posts what Typeform itself would post, signed the way Typeform
 * signs (`Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>`,
 * Typeform "Webhooks: secure your webhooks"). Consumers polling the
 * Responses API will not see these answers. No check before writing is
 * possible; retries carry the same `event_id` for the consumer to dedupe.
 * @module
 */
import { createHmac } from 'node:crypto';
import { defineSink } from '../sink-connector.js';
import { postWebhook, signedWebhookSettings, type SignedWebhookSettings } from '../webhook/send-attempt.js';
import { encodeTypeformResponse } from './encode-typeform-response.js';

const settings = signedWebhookSettings;

/** Typeform-webhook settings. */
export type TypeformWebhookSettings = SignedWebhookSettings;

/** `sha256=` + base64 HMAC-SHA256 of the exact body bytes. */
export function typeformSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('base64')}`;
}

/** The Typeform-webhook sink. */
export const typeformWebhookSink = defineSink<TypeformWebhookSettings>({
  id: 'typeform-webhook',
  displayName: 'Typeform-compatible webhook',
  settingsSchema: settings,
  async deliver(ctx, submission) {
    const body = JSON.stringify(encodeTypeformResponse(submission, ctx.idempotencyKey));
    const headers = { 'typeform-signature': typeformSignature(ctx.settings.secret, body), 'user-agent': 'Typeform Webhooks' };
    return postWebhook(ctx, ctx.settings.url, headers, body, ctx.settings.timeoutMs);
  },
});
