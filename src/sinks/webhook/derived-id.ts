/**
 * Ids derived from the idempotency key, so every retry and replay of the same
 * (submission, sink) carries the same event id and a consumer that dedupes
 * on it (as Typeform's and Tally's own consumers are told to) sees one event.
 * @module
 */
import { createHash } from 'node:crypto';

const ALPHABETS = {
  /** Crockford base32, as ULIDs (Typeform event ids) use it. */
  ulid: '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz0123456789',
  mixed: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
} as const;

/** `length` characters of `alphabet` from SHA-256(purpose, key). */
export function derivedId(key: string, purpose: string, length: number, alphabet: keyof typeof ALPHABETS): string {
  const chars = ALPHABETS[alphabet];
  let out = '';
  for (let round = 0; out.length < length; round++) {
    const digest = createHash('sha256').update(`${purpose}\u0000${round}\u0000${key}`).digest();
    for (const byte of digest) {
      if (out.length >= length) break;
      out += chars[byte % chars.length] ?? '';
    }
  }
  return out;
}

/** A version-4-shaped UUID from SHA-256(purpose, key). */
export function derivedUuid(key: string, purpose: string): string {
  const h = createHash('sha256').update(`${purpose}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
