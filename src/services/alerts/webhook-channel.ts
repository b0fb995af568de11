/**
 * Generic alert webhook: JSON `{ type, timestamp, data }` (the Standard
 * Webhooks payload structure) with the `webhook-id` (stable per notice, so
 * the consumer dedupes a retried notice) and `webhook-timestamp` headers,
 * and — when a secret is configured — `webhook-signature` computed with
 * node:crypto as the generic webhook sink signs (the reference
 * `standardwebhooks` package verifies it in the tests).
 * @module
 */
import type { Secret } from '../../config/secret.js';
import { standardWebhookHeaders, standardWebhooksKey, webhookMessageId } from '../../sinks/webhook/standard-webhooks-signature.js';
import { AlertChannelError, postJson, type AlertChannel, type AlertMessage } from './alert-channel.js';

/** Event types posted: `flowbridge.alert`, `flowbridge.alert.reminder`, `flowbridge.alert.resolved`. */
export function webhookEventType(message: AlertMessage): string {
  return message.notice === 'recovery' ? 'flowbridge.alert.resolved' : message.notice === 'reminder' ? 'flowbridge.alert.reminder' : 'flowbridge.alert';
}

/** The JSON body posted for a notice. */
export function webhookPayload(message: AlertMessage): Record<string, unknown> {
  return {
    type: webhookEventType(message),
    timestamp: message.sentAt.toISOString(),
    data: {
      id: message.id,
      notice: message.notice,
      kind: message.kind,
      subject: message.subject,
      severity: message.severity,
      title: message.title,
      text: message.text,
      facts: Object.fromEntries(message.facts.map((f) => [f.label, f.value])),
      occurrences: message.occurrences,
      opened_at: message.openedAt.toISOString(),
    },
  };
}

/** A channel posting signed JSON to any URL. */
export function createWebhookChannel(options: { readonly url: string; readonly secret?: Secret | undefined; readonly fetch?: typeof fetch; readonly timeoutMs?: number; readonly now?: () => Date }): AlertChannel {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  // Checked once here, so a malformed secret is reported at start-up rather than at the first alert.
  const secret = options.secret;
  if (secret !== undefined) checkSecret(secret);
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify(webhookPayload(message));
      // The timestamp of this attempt (consumers reject stale ones), not of the incident.
      const headers = standardWebhookHeaders(webhookMessageId(message.id), now(), body, secret?.reveal());
      await postJson('webhook', fetchImpl, options.url, body, headers, options.timeoutMs);
    },
  };
}

function checkSecret(secret: Secret): void {
  try {
    standardWebhooksKey(secret.reveal());
  } catch {
    throw new AlertChannelError('webhook', 'FLOWBRIDGE_ALERT_WEBHOOK_SECRET is not a valid Standard Webhooks secret. Fix: use whsec_<base64>, e.g. whsec_ followed by `openssl rand -base64 32`.');
  }
}
