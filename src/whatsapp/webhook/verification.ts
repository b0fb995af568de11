/**
 * The webhook verification handshake (Meta, "Create a webhook endpoint";
 * spec §6.1): Meta sends `GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`
 * and expects the challenge echoed with 200 when the token is the one
 * entered in the app dashboard, a 4xx otherwise.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a handshake was refused; each is answered 403, and logged. */
export type HandshakeRefusal = 'no_verify_token_configured' | 'wrong_mode' | 'wrong_token' | 'bad_challenge';

/** Result of {@link verifyHandshake}. */
export type HandshakeResult = { readonly ok: true; readonly challenge: string } | { readonly ok: false; readonly reason: HandshakeRefusal };

/**
 * Meta's challenge is a number in a string; anything printable and short
 * is accepted, since it is echoed back as text/plain and nothing else.
 */
const CHALLENGE = /^[\x21-\x7e]{1,256}$/;

/**
 * Equality of two strings in time independent of where they differ and of
 * their lengths: both are hashed to 32 bytes first, so `timingSafeEqual`
 * never sees different lengths.
 */
export function constantTimeEquals(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Check the handshake query; `verifyToken` undefined or empty refuses every handshake. */
export function verifyHandshake(query: Readonly<Record<string, unknown>>, verifyToken: string | undefined): HandshakeResult {
  if (verifyToken === undefined || verifyToken === '') return { ok: false, reason: 'no_verify_token_configured' };
  if (query['hub.mode'] !== 'subscribe') return { ok: false, reason: 'wrong_mode' };
  const token = query['hub.verify_token'];
  if (typeof token !== 'string' || !constantTimeEquals(token, verifyToken)) return { ok: false, reason: 'wrong_token' };
  const challenge = query['hub.challenge'];
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) return { ok: false, reason: 'bad_challenge' };
  return { ok: true, challenge };
}
