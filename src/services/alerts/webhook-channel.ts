/**
 * Generic alert webhook: JSON `{ type, timestamp, data }` (the Standard
 * Webhooks payload structure) with the `webhook-id` (stable per notice, so
 * the consumer dedupes a retried notice) and `webhook-timestamp` headers,
 * and — when a secret is configured — `webhook-signature` computed by the
 * reference `standardwebhooks` package.
 * @module
 */
import { Webhook } from 'standardwebhooks';
import type { Secret } from '../../config/secret.js';
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
  const signer = options.secret === undefined ? undefined : newSigner(options.secret);
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify(webhookPayload(message));
      const id = `msg_${message.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      // The timestamp of this attempt (consumers reject stale ones), not of the incident.
      const at = now();
      const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)) };
      if (signer !== undefined) headers['webhook-signature'] = signer.sign(id, at, body);
      await postJson('webhook', fetchImpl, options.url, body, headers, options.timeoutMs);
    },
  };
}

function newSigner(secret: Secret): Webhook {
  try {
    return new Webhook(secret.reveal());
  } catch {
    throw new AlertChannelError('webhook', 'FLOWBRIDGE_ALERT_WEBHOOK_SECRET is not a valid Standard Webhooks secret. Fix: use whsec_<base64>, e.g. whsec_ followed by `openssl rand -base64 32`.');
  }
}
