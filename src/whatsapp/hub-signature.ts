/**
 * `X-Hub-Signature-256` (spec §2.7, §6.1; Meta, "Implementing Endpoints for
 * Flows" and "Webhooks"): `sha256=<lowercase hex HMAC-SHA256(raw body, app
 * secret)>`, on endpoint requests and webhook POSTs alike. Computed over the
 * raw bytes as received: re-serialised JSON does not match.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

function hmac(rawBody: string | Uint8Array, secret: string): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest();
}

/** The header value WhatsApp would send for this body. */
export function signBody(rawBody: string | Uint8Array, appSecret: string): string {
  return `sha256=${hmac(rawBody, appSecret).toString('hex')}`;
}

/**
 * True when `header` signs `rawBody` with any of `appSecrets` (several during
 * a secret rotation grace period, spec §2.7). Every secret is checked, in
 * constant time, whatever matches first. Empty secrets never verify: anyone
 * can compute an HMAC with an empty key. On false, answer 432.
 */
export function verifySignature(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  appSecrets: readonly string[],
): boolean {
  if (typeof header !== 'string') return false;
  const m = HEADER.exec(header.trim());
  if (!m?.[1]) return false;
  const given = Buffer.from(m[1], 'hex');
  let ok = false;
  for (const secret of appSecrets) {
    if (secret.length === 0) continue;
    if (timingSafeEqual(hmac(rawBody, secret), given)) ok = true;
  }
  return ok;
}
