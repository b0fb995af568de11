/**
 * Contract fake of HubSpot's v3 form submission endpoints (Forms API v3
 * "Submit data to a form"): secure endpoint needs `Authorization: Bearer
 * <token>` exactly, unknown portal/form ⇒ 404, and the documented
 * validation with HubSpot's error envelope (`errors[{message: "Error in
 * 'fields.<name>'. …", errorType}]`): fields not on the form, required
 * fields, emails, numbers, dates (`YYYY-MM-DD` or ms), option values
 * (`;`-joined for checkboxes), page URI, hutk, legal consent. Accepted
 * submissions go to a ledger.
 * @module
 */
import { loadFixture } from '../shared/fixture-loader.js';
import type { FormField, FormModel } from '../../../src/core/form/index.js';
import { startFakeHttpServer, type FakeServer } from '../webhook-sink/fake-http-server.js';

const FIXTURES = '/work/shared/fixtures/sinks/hubspot';
const fixture = (name: string): Record<string, unknown> => loadFixture(`${FIXTURES}/${name}`) as Record<string, unknown>;

/** Options of the fake. */
export interface HubspotFormsSinkFakeOptions {
  readonly portalId: string;
  readonly token: string;
  /** The forms the portal has, keyed by form guid. */
  readonly forms: Readonly<Record<string, FormModel>>;
  /** Answer with a redirect instead of an inline message. */
  readonly redirect?: boolean;
}

/** One accepted submission. */
export interface SubmissionLedgerEntry {
  readonly formGuid: string;
  readonly body: Record<string, unknown>;
}

/** A running fake. */
export interface HubspotFormsSinkFake extends FakeServer {
  readonly ledger: SubmissionLedgerEntry[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const hubspotType = (f: FormField): string => (typeof f.source?.fieldType === 'string' ? f.source.fieldType : f.type);

function fieldErrors(f: FormField, value: string): Array<{ message: string; errorType: string }> {
  const at = `Error in 'fields.${f.key}'.`;
  const type = hubspotType(f);
  const options = (f.options ?? []).map((o) => o.value);
  if (type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return [{ message: `${at} Invalid email address`, errorType: 'INVALID_EMAIL' }];
  if (type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) return [{ message: `${at} Invalid number '${value}'`, errorType: 'INVALID_NUMBER' }];
  if (type === 'datepicker' && !/^\d{4}-\d{2}-\d{2}$/.test(value) && !/^\d+$/.test(value)) {
    return [{ message: `${at} Invalid date format '${value}', expected a date formatted as YYYY-MM-DD or a UTC midnight timestamp`, errorType: 'INVALID_DATE' }];
  }
  if ((type === 'single_checkbox' || type === 'booleancheckbox') && value !== 'true' && value !== 'false') return [{ message: `${at} Value '${value}' is not in the field definition`, errorType: 'VALUE_NOT_IN_FIELD_DEFINITION' }];
  if (options.length > 0) {
    const parts = type === 'multiple_checkboxes' ? value.split(';') : [value];
    const bad = parts.find((p) => !options.includes(p));
    if (bad !== undefined) return [{ message: `${at} Value '${bad}' is not in the field definition`, errorType: 'VALUE_NOT_IN_FIELD_DEFINITION' }];
  }
  if (value.length > 65536) return [{ message: `${at} Input too large`, errorType: 'INPUT_TOO_LARGE' }];
  return [];
}

function consentErrors(form: FormModel, body: Obj): Array<{ message: string; errorType: string }> {
  const type = form.source.meta?.legalConsentType;
  const consent = obj(obj(body.legalConsentOptions).consent);
  if (type !== 'explicit_consent_to_process') return [];
  if (consent.consentToProcess !== true) return [{ message: 'Error in \'legalConsentOptions\'. Missing processing consent', errorType: 'MISSING_PROCESSING_CONSENT' }];
  if (typeof consent.text !== 'string' || consent.text === '') return [{ message: "Error in 'legalConsentOptions'. Missing processing consent text", errorType: 'MISSING_PROCESSING_CONSENT_TEXT' }];
  const comms = Array.isArray(consent.communications) ? consent.communications.map(obj) : [];
  if (comms.some((c) => typeof c.subscriptionTypeId !== 'number' || typeof c.value !== 'boolean')) return [{ message: "Error in 'legalConsentOptions'. Invalid legal option format", errorType: 'INVALID_LEGAL_OPTION_FORMAT' }];
  if (comms.some((c) => typeof c.text !== 'string' || c.text === '')) return [{ message: "Error in 'legalConsentOptions'. Missing communication consent text", errorType: 'MISSING_COMMUNICATION_CONSENT_TEXT' }];
  return [];
}

/** All validation errors of one submission body. */
export function validateSubmission(form: FormModel, body: Obj): Array<{ message: string; errorType: string }> {
  const errors: Array<{ message: string; errorType: string }> = [];
  const fields = form.pages.flatMap((p) => p.fields);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const sent = Array.isArray(body.fields) ? body.fields.map(obj) : [];
  if (sent.length > 1000) errors.push({ message: 'Too many fields', errorType: 'MAX_NUMBER_OF_SUBMITTED_VALUES_EXCEEDED' });
  const names = new Set<string>();
  for (const s of sent) {
    const name = String(s.name);
    names.add(name);
    const f = byKey.get(name);
    if (f === undefined || f.type === 'statement' || name.startsWith('legalConsentOptions.')) {
      errors.push({ message: `Error in 'fields.${name}'. Field '${name}' is not in the form definition`, errorType: 'FIELD_NOT_IN_FORM_DEFINITION' });
      continue;
    }
    if (typeof s.value !== 'string') errors.push({ message: `Error in 'fields.${name}'. Value must be a string`, errorType: 'INVALID_METADATA' });
    else errors.push(...fieldErrors(f, s.value));
  }
  for (const f of fields) {
    if (f.required && f.visibleWhen === undefined && f.type !== 'hidden' && f.type !== 'statement' && !f.key.startsWith('legalConsentOptions.') && !names.has(f.key)) {
      errors.push({ message: `Error in 'fields.${f.key}'. Required field '${f.key}' is missing`, errorType: 'REQUIRED_FIELD' });
    }
  }
  const context = obj(body.context);
  if (context.hutk !== undefined) errors.push({ message: "Error in 'context.hutk'. Invalid hutk", errorType: 'INVALID_HUTK' });
  if (typeof context.pageUri === 'string' && !URL.canParse(context.pageUri)) errors.push({ message: "Error in 'context.pageUri'. Invalid page URI", errorType: 'INVALID_PAGE_URI' });
  if (body.submittedAt !== undefined && !(typeof body.submittedAt === 'string' && /^\d+$/.test(body.submittedAt))) errors.push({ message: "Error in 'submittedAt'. Invalid metadata", errorType: 'INVALID_METADATA' });
  errors.push(...consentErrors(form, body));
  return errors;
}

/** Start the fake on 127.0.0.1:0. */
export async function startHubspotFormsSinkFake(options: HubspotFormsSinkFakeOptions): Promise<HubspotFormsSinkFake> {
  const ledger: SubmissionLedgerEntry[] = [];
  const server = await startFakeHttpServer((req) => {
    const m = /^\/submissions\/v3\/integration\/(secure\/)?submit\/([^/]+)\/([^/]+)$/.exec(req.path);
    if (req.method !== 'POST' || !m) return { status: 404, body: { status: 'error', message: 'Not found' } };
    if (m[1] !== undefined && req.headers.authorization !== `Bearer ${options.token}`) return { status: 401, body: fixture('crm-error-401.json') };
    const form = m[2] === options.portalId ? options.forms[m[3] ?? ''] : undefined;
    if (!form) return { status: 404, body: fixture('submit-error-404-form.json') };
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return { status: 415, body: { status: 'error', message: 'Unsupported media type' } };
    let body: Obj;
    try {
      body = obj(JSON.parse(req.body));
    } catch {
      return { status: 400, body: { status: 'error', message: 'Invalid JSON' } };
    }
    const errors = validateSubmission(form, body);
    if (errors.length > 0) return { status: 400, body: { status: 'error', message: 'The request is not valid', correlationId: '00000000-0000-4000-8000-000000000000', errors } };
    ledger.push({ formGuid: m[3] ?? '', body });
    return { status: 200, body: fixture(options.redirect ? 'submit-success-redirect.json' : 'submit-success-inline.json') };
  });
  return { ...server, ledger };
}
