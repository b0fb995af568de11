/**
 * Which columns of a contact list's header hold the phone number, the name
 * and the opt-in, by the names spreadsheets and CRMs export them under.
 * @module
 */
import { AppError } from '../../core/errors.js';

/** A list that cannot be used at all; the message says what and how to fix it. */
export class ContactListError extends AppError {
  constructor(message: string) {
    super('USAGE_INVALID', message);
    this.name = 'ContactListError';
  }
}

/** Column indexes (0-based) of the known fields. */
export interface ContactColumns {
  readonly phone: number;
  readonly name: number | undefined;
  readonly optIn: number | undefined;
}

const PHONE = ['phone', 'phone_number', 'mobile', 'mobile_number', 'mobile_phone', 'cell', 'wa_id', 'whatsapp', 'whatsapp_number', 'msisdn', 'number', 'tel', 'telephone'];
const NAME = ['name', 'full_name', 'contact_name', 'first_name'];
const OPT_IN = ['opt_in', 'optin', 'opted_in', 'whatsapp_opt_in', 'consent'];

/** `" Opt-In "` → `opt_in`: lower case, trimmed, runs of spaces and dashes as one `_`. */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s\-.]+/g, '_');
}

function pick(header: readonly string[], names: readonly string[]): number | undefined {
  for (const n of names) {
    const i = header.indexOf(n);
    if (i >= 0) return i;
  }
  return undefined;
}

/** Find the columns. @throws ContactListError when the phone column (or a required opt-in column) is missing or a name repeats. */
export function findColumns(header: readonly string[], optedIn: boolean): ContactColumns {
  const first = new Map<string, number>();
  header.forEach((h, i) => {
    const j = first.get(h);
    if (j !== undefined) throw new ContactListError(`The header has the column "${h}" twice (columns ${j + 1} and ${i + 1}): give every column its own name.`);
    first.set(h, i);
  });
  const phone = pick(header, PHONE);
  if (phone === undefined) {
    throw new ContactListError(`The header row has no phone column (found: ${header.join(', ')}): name the column with the numbers "phone" (also accepted: ${PHONE.slice(1).join(', ')}).`);
  }
  const optIn = pick(header, OPT_IN);
  if (optIn === undefined && !optedIn) {
    throw new ContactListError('The header row has no opt_in column: add one (yes/true/1 for each contact who agreed to receive WhatsApp messages), or mark the whole list as opted-in (--opted-in / "optedIn": true) if every contact has.');
  }
  return { phone, name: pick(header, NAME), optIn };
}
