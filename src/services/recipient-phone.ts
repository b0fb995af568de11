/**
 * Recipient numbers as the Cloud API wants them: E.164 digits without `+`
 * (the `wa_id` form). Parsed with libphonenumber-js, so a number written
 * with spaces, dashes or brackets is accepted and a number that cannot
 * exist (wrong length for its country, unknown country code) is refused
 * before any session is issued or Meta is called.
 * @module
 */
import { createRequire } from 'node:module';
import type * as PhoneLib from 'libphonenumber-js';

/** libphonenumber-js and its metadata, loaded at the first number (not at every start of the server). */
let phoneLib: typeof PhoneLib | undefined;

/** The outcome of {@link normaliseRecipient}. */
export type RecipientResult = { readonly ok: true; readonly waId: string } | { readonly ok: false; readonly message: string };

const ALLOWED = /^\+?[\d\s().-]{5,30}$/;
/** Fewest digits, country code included, of a number WhatsApp can reach. */
const MIN_DIGITS = 7;

/**
 * `+31 6 1234 5678`, `31612345678` or `+1 (650) 555-1234` → `31612345678` / `16505551234`.
 * Numbers must carry their country code (a WhatsApp id always does).
 */
export function normaliseRecipient(input: string): RecipientResult {
  const trimmed = input.trim();
  const fix = 'Give the number in international form with its country code, e.g. +31612345678 or 31612345678.';
  if (!ALLOWED.test(trimmed)) return { ok: false, message: `"${input.slice(0, 40)}" is not a phone number: only digits, spaces, +, -, ( ) and . are allowed. ${fix}` };
  const digits = trimmed.replace(/\D/g, '');
  phoneLib ??= createRequire(import.meta.url)('libphonenumber-js') as typeof PhoneLib;
  const parsed = phoneLib.parsePhoneNumberFromString(`+${digits}`);
  // The shortest numbers in use are 7 digits with the country code (Niue, Tokelau); libphonenumber calls some shorter ones possible (+43 0000).
  if (parsed === undefined || !parsed.isPossible() || parsed.number.length - 1 < MIN_DIGITS) return { ok: false, message: `"${input.slice(0, 40)}" cannot be a phone number (unknown country code or wrong length). ${fix}` };
  return { ok: true, waId: parsed.number.slice(1) };
}
