/**
 * Tally-shaped webhooks for consumers built on Tally's: Tally has no API
 * that creates submissions, so Flowbridge posts what Tally would post,
 * signed as Tally signs (`Tally-Signature: <base64 HMAC-SHA256(signing
 * secret, raw body)>`, Tally "Webhooks: signature"). No check before writing
 * is possible; retries carry the same `eventId` for the consumer to dedupe.
 * @module
 */
import { createHmac } from 'node:crypto';
import { defineSink } from '../sink-connector.js';
import { postWebhook, signedWebhookSettings, type SignedWebhookSettings } from '../webhook/send-attempt.js';
import { encodeTallyResponse } from './encode-tally-response.js';

const settings = signedWebhookSettings;

/** Tally-webhook settings. */
export type TallyWebhookSettings = SignedWebhookSettings;

/** Base64 HMAC-SHA256 of the exact body bytes. */
export function tallySignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

/** The Tally-webhook sink. */
export const tallyWebhookSink = defineSink<TallyWebhookSettings>({
  id: 'tally-webhook',
  displayName: 'Tally-compatible webhook',
  settingsSchema: settings,
  async deliver(ctx, submission) {
    const body = JSON.stringify(encodeTallyResponse(submission, ctx.idempotencyKey));
    return postWebhook(ctx, ctx.settings.url, { 'tally-signature': tallySignature(ctx.settings.secret, body) }, body, ctx.settings.timeoutMs);
  },
});
