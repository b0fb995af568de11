/**
 * Standard Webhooks signatures (standardwebhooks.com, "Signature scheme")
 * with node:crypto: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`,
 * the timestamp in whole seconds and the key the base64 part of the
 * `whsec_<base64>` secret (a bare base64 secret is taken too, as the
 * reference `standardwebhooks` library does). A secret is parsed once and
 * kept, so a delivery attempt only computes the HMAC. The reference library
 * verifies these signatures in the tests and the fake consumers. Used by the
 * generic webhook sink and the alert webhook channel.
 * @module
 */
import { createHmac } from 'node:crypto';

/** The secret's prefix in the specification. */
export const SECRET_PREFIX = 'whsec_';

/** Standard base64, at most two `=` of padding (what the reference decoder accepts, without its quirks). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parsed keys (or why a secret is invalid) by secret string; configurations hold a handful. */
const keys = new Map<string, Buffer | Error>();
const MAX_KEYS = 256;

function parse(secret: string): Buffer | Error {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // At least 4 characters with at most 2 of padding: never an empty key.
  if (b64.length < 4 || !BASE64.test(b64)) return new Error('The signing secret is not valid base64 (expected whsec_<base64>).');
  return Buffer.from(b64, 'base64');
}

/** The HMAC key of a secret; throws a clear error for an invalid one. */
export function standardWebhooksKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (key === undefined) {
    key = parse(secret);
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(secret, key);
  }
  if (key instanceof Error) throw key;
  return key;
}

/** The `webhook-signature` header value of one message; throws for an invalid secret. */
export function signStandardWebhook(secret: string, id: string, at: Date, body: string): string {
  const key = standardWebhooksKey(secret);
  const mac = createHmac('sha256', key).update(`${id}.${Math.floor(at.getTime() / 1000)}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** A Standard Webhooks message id from a stable key (`msg_` + URL-safe characters). */
export function webhookMessageId(key: string): string {
  return `msg_${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * The `webhook-id`, `webhook-timestamp` (whole seconds of `at`, the time of
 * this attempt) and — with a secret — `webhook-signature` headers of one
 * message. Throws for an invalid secret.
 */
export function standardWebhookHeaders(id: string, at: Date, body: string, secret: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)) };
  if (secret !== undefined) headers['webhook-signature'] = signStandardWebhook(secret, id, at, body);
  return headers;
}
