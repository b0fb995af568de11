/**
 * Contact lists for broadcasts: CSV with a header row (csv-parse), phone
 * numbers normalised to E.164 with libphonenumber-js (full metadata, so
 * numbers are checked against each country's numbering plan), an opt-in
 * column required unless the whole list is marked opted-in. Bad rows —
 * malformed, duplicate, unparsable or invalid numbers, no opt-in — are
 * reported with their line numbers and the good rows are kept; only a list
 * that cannot be read at all (no header, no phone column…) is refused.
 * Template body parameters come from the row's columns (`template-params.ts`):
 * a missing column refuses the list, an empty or unsendable value its row.
 * @module
 */
import { createRequire } from 'node:module';
import type * as PhoneLib from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { detectDelimiter, readCsvRecords } from './csv-records.js';
import { ContactListError, findColumns, normaliseHeader, type ContactColumns } from './contact-columns.js';
import type { TemplateBodyParameter } from '../flow-sender.js';
import { parseParamEntries, planParams, rowParams, type ParamPlan, type TemplateBody } from './template-params.js';

/** libphonenumber-js with its full metadata, loaded at the first contact list (not at every start of the server). */
let loaded: typeof PhoneLib | undefined;
function phoneLib(): typeof PhoneLib {
  return (loaded ??= createRequire(import.meta.url)('libphonenumber-js/max') as typeof PhoneLib);
}

export { ContactListError } from './contact-columns.js';

/** Options of {@link parseContactList}. */
export interface ContactListOptions {
  /** ISO 3166 region for numbers written without a country code (e.g. `NL`: `06 1234 5678`). */
  readonly defaultRegion?: string | undefined;
  /** The list as a whole has consent: the opt-in column is not required (an explicit "no" still refuses a row). */
  readonly optedIn?: boolean | undefined;
  /** Refuse longer lists; default 100,000 rows. */
  readonly maxRows?: number | undefined;
  /** Columns filling the template body's placeholders: `column` (positional, in order) or `placeholder=column` (named). */
  readonly params?: readonly string[] | undefined;
  /** The template's placeholders when known: they decide the format and count, and make every one required. */
  readonly template?: TemplateBody | undefined;
}

/** One good row. */
export interface Contact {
  /** Line of the file where the row starts (the header is line 1). */
  readonly line: number;
  /** E.164 digits without `+` (the Cloud API's `wa_id` form). */
  readonly waId: string;
  readonly name?: string;
  /** The row's other columns, by normalised header name. */
  readonly vars: Readonly<Record<string, string>>;
  /** The template body's parameters from this row (absent when the broadcast has none). */
  readonly params?: readonly TemplateBodyParameter[];
}

/** One refused row. */
export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

/** A parsed list. */
export interface ContactList {
  readonly contacts: readonly Contact[];
  readonly rejected: readonly RejectedRow[];
  /** Header names as found (normalised), for messages. */
  readonly header: readonly string[];
  /** Which column fills which body placeholder; absent when the broadcast has no parameters. */
  readonly params?: ParamPlan;
}

const DEFAULT_MAX_ROWS = 100_000;
const YES = new Set(['yes', 'y', 'true', '1', 'opted_in', 'opted-in', 'x']);
const NO = new Set(['no', 'n', 'false', '0']);

/** Check a region code; undefined stays undefined. */
export function checkRegion(region: string | undefined): CountryCode | undefined {
  if (region === undefined || region === '') return undefined;
  const upper = region.toUpperCase();
  if (!phoneLib().isSupportedCountry(upper)) throw new ContactListError(`Unknown region "${region}": give an ISO 3166 two-letter country code such as NL, DE or US.`);
  return upper;
}

/** E.164 digits of `raw`, or why it is not a usable number. */
export function normalisePhone(raw: string, region: CountryCode | undefined): { waId: string } | { problem: string } {
  const text = raw.trim();
  if (text === '') return { problem: 'no phone number' };
  let parsed = phoneLib().parsePhoneNumberFromString(text, region === undefined ? undefined : { defaultCountry: region });
  // Digits only without a leading 0 (e.g. an exported wa_id): also try it as an international number.
  if ((parsed === undefined || !parsed.isValid()) && /^[1-9]\d{7,14}$/.test(text)) parsed = phoneLib().parsePhoneNumberFromString(`+${text}`);
  if (parsed === undefined) {
    return { problem: `"${text}" cannot be read as a phone number${region === undefined ? ' (no default region: write it with +country code, or give a region)' : ` (region ${region})`}` };
  }
  if (!parsed.isValid()) return { problem: `"${text}" is not a valid number for ${parsed.country ?? `country code +${parsed.countryCallingCode}`}` };
  return { waId: parsed.number.slice(1) };
}

/** Parse a contact list. @throws ContactListError when the list cannot be used at all. */
export function parseContactList(text: string, options: ContactListOptions = {}): ContactList {
  const region = checkRegion(options.defaultRegion);
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const entries = parseParamEntries(options.params ?? []);
  const { records, problems } = readCsvRecords(text, detectDelimiter(text.replace(/^\uFEFF/, '')));
  const rejected: RejectedRow[] = problems.map((p) => ({
    line: p.line,
    reason: `${p.endLine > p.line ? `lines ${p.line}–${p.endLine}` : `line ${p.line}`}: malformed CSV (${p.message}); check the quotes of this row`,
  }));
  const [head, ...rows] = records;
  if (head === undefined || (problems[0] !== undefined && problems[0].line < head.line)) {
    throw new ContactListError(head === undefined && problems.length === 0
      ? 'The contact list is empty: it needs a header row (e.g. "phone,name,opt_in") and one row per contact.'
      : `The header row is not valid CSV (${rejected[0]?.reason ?? 'unreadable'}): the first line must name the columns, e.g. "phone,name,opt_in".`);
  }
  const header = head.fields.map((h, i) => normaliseHeader(h) || `column_${i + 1}`);
  const columns: ContactColumns = findColumns(header, options.optedIn === true);
  const plan = planParams(header, entries, options.template, columns.name);
  if (rows.length > maxRows) throw new ContactListError(`The contact list has ${rows.length} rows, more than the limit of ${maxRows}: split it into several broadcasts.`);

  const contacts: Contact[] = [];
  const seen = new Map<string, number>();
  for (const { fields: record, line } of rows) {
    const refuse = (reason: string) => rejected.push({ line, reason: `line ${line}: ${reason}` });
    if (record.every((f) => f === '')) continue;
    if (record.length !== header.length) {
      refuse(`${record.length} fields where the header has ${header.length}; quote fields that contain the delimiter`);
      continue;
    }
    const phone = normalisePhone(record[columns.phone]!, region);
    if ('problem' in phone) {
      refuse(phone.problem);
      continue;
    }
    const consent = columns.optIn === undefined ? '' : record[columns.optIn]!.toLowerCase();
    if (NO.has(consent) || (consent === '' && options.optedIn !== true) || (consent !== '' && !YES.has(consent))) {
      refuse(consent === '' ? 'no opt-in (the opt_in column is empty); only contacts who opted in may get a broadcast' : `no opt-in (opt_in is "${consent}"; use yes/true/1)`);
      continue;
    }
    const params = plan === undefined ? undefined : rowParams(plan, record);
    if (params !== undefined && 'problem' in params) {
      refuse(params.problem);
      continue;
    }
    const earlier = seen.get(phone.waId);
    if (earlier !== undefined) {
      refuse(`+${phone.waId} is a duplicate of line ${earlier}; each person gets one message`);
      continue;
    }
    seen.set(phone.waId, line);
    const vars: Record<string, string> = {};
    header.forEach((name, i) => {
      if (i !== columns.phone && i !== columns.optIn && i !== columns.name && record[i] !== '') vars[name] = record[i]!;
    });
    const name = columns.name === undefined ? '' : record[columns.name]!;
    contacts.push({ line, waId: phone.waId, ...(name !== '' && { name }), vars, ...(params !== undefined && { params: params.params }) });
  }
  rejected.sort((a, b) => a.line - b.line);
  return { contacts, rejected, header, ...(plan !== undefined && { params: plan }) };
}
