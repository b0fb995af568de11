/**
 * A submission as the body of HubSpot's v3 form submission (Forms API v3
 * "Submit data to a form"): `fields[{objectTypeId, name, value}]` in form
 * order, `context.pageUri`/`pageName` naming WhatsApp as where the form was
 * filled in (no `hutk`: there is no browser cookie, and an invalid one is
 * rejected), `legalConsentOptions` rebuilt from the consent fields the
 * HubSpot source mapped (`legalConsentOptions.consentToProcess`,
 * `legalConsentOptions.communications.<subscriptionTypeId>`). Files cannot
 * go through this JSON API and are left out. Values are encoded as HubSpot
 * takes them everywhere (also CRM properties): strings, multi-select option
 * values joined with `;`, `"true"`/`"false"`, dates `YYYY-MM-DD` (changelog
 * "standardization of date formats", 2022-11-30), datetimes as ms epoch.
 * @module
 */
import type { FieldType, FormField, FormModel } from '../../core/form/index.js';
import type { Submission } from '../sink-connector.js';
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';

/** What the encoder needs from the sink settings. */
export interface HubspotSubmitOptions {
  /** A real URL (HubSpot rejects others with INVALID_PAGE_URI). */
  readonly pageUri: string;
  /** Defaults to `WhatsApp Flow: <form title>`. */
  readonly pageName?: string;
  /** Send the time the person submitted (`submittedAt`, ms epoch string); default true. */
  readonly sendSubmittedAt?: boolean;
  readonly ipAddress?: string;
}

const CONSENT_PREFIX = 'legalConsentOptions.';
const COMMUNICATION_PREFIX = 'legalConsentOptions.communications.';

/** Every field of the form, in order. */
export function formFields(form: FormModel): FormField[] {
  return form.pages.flatMap((p) => p.fields);
}

const metaString = (form: FormModel, key: string): string | undefined => {
  const v = form.source.meta?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const sourceText = (f: FormField): string => (typeof f.source?.text === 'string' ? f.source.text : f.label);

/** `legalConsentOptions` as a web submission of this form would carry it, or undefined. */
export function legalConsent(submission: Submission): Record<string, unknown> | undefined {
  const { form, answers } = submission;
  const type = metaString(form, 'legalConsentType') ?? 'none';
  const fields = formFields(form);
  const communications = fields
    .filter((f) => f.key.startsWith(COMMUNICATION_PREFIX))
    .map((f) => ({ value: answers[f.key] === true || answers[f.key] === 'true', subscriptionTypeId: Number(f.key.slice(COMMUNICATION_PREFIX.length)), text: sourceText(f) }));
  if (type === 'explicit_consent_to_process') {
    const box = fields.find((f) => f.key === `${CONSENT_PREFIX}consentToProcess`);
    const given = box !== undefined && (answers[box.key] === true || answers[box.key] === 'true');
    return { consent: { consentToProcess: given, text: box ? sourceText(box) : (metaString(form, 'consentToProcessText') ?? ''), communications } };
  }
  if (type === 'implicit_consent_to_process') {
    if (communications.length === 0) return undefined;
    return { consent: { consentToProcess: true, text: metaString(form, 'consentToProcessText') ?? '', communications } };
  }
  if (type === 'legitimate_interest') {
    const ids = form.source.meta?.subscriptionTypeIds;
    const first = Array.isArray(ids) ? ids[0] : undefined;
    if (first === undefined) return undefined;
    const basis = metaString(form, 'lawfulBasis') === 'client' ? 'CUSTOMER' : 'LEAD';
    return { legitimateInterest: { value: true, subscriptionTypeId: Number(first), legalBasis: basis, text: metaString(form, 'legitimateInterestText') ?? '' } };
  }
  return undefined;
}

/** The submission body. Answers whose key is not on the form are still sent, so HubSpot names them in its own error. */
export function encodeHubspotSubmission(submission: Submission, options: HubspotSubmitOptions): Record<string, unknown> {
  const { form, answers } = submission;
  const fields: Array<{ objectTypeId: string; name: string; value: string }> = [];
  const seen = new Set<string>();
  for (const f of formFields(form)) {
    seen.add(f.key);
    const v = answers[f.key];
    if (v === undefined || f.type === 'statement' || f.type === 'file' || f.key.startsWith(CONSENT_PREFIX)) continue;
    const objectTypeId = typeof f.source?.objectTypeId === 'string' ? f.source.objectTypeId : '0-1';
    fields.push({ objectTypeId, name: f.key, value: hubspotValue(f.type, v) });
  }
  for (const [key, v] of Object.entries(answers)) {
    if (!seen.has(key) && !key.startsWith(CONSENT_PREFIX)) fields.push({ objectTypeId: '0-1', name: key, value: hubspotValue(undefined, v) });
  }
  const submittedAt = Date.parse(submission.submittedAt);
  const consent = legalConsent(submission);
  return {
    ...(options.sendSubmittedAt !== false && !Number.isNaN(submittedAt) ? { submittedAt: String(submittedAt) } : {}),
    fields,
    context: { pageUri: options.pageUri, pageName: options.pageName ?? `WhatsApp Flow: ${form.title}`, ...(options.ipAddress === undefined ? {} : { ipAddress: options.ipAddress }) },
    ...(consent === undefined ? {} : { legalConsentOptions: consent }),
  };
}

/** Text of a scalar answer; lists and objects as JSON (HubSpot then names the bad value). */
function scalarText(v: SourceValue): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** `YYYY-MM-DD` from a date answer (already that, an ISO datetime, or a ms timestamp). */
function hubspotDate(v: SourceValue): string {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v).toISOString().slice(0, 10);
  const s = scalarText(v);
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(s);
  return m?.[1] ?? s;
}

/** A datetime as ms epoch (HubSpot accepts it everywhere), or the text as given. */
function hubspotDateTime(v: SourceValue): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(Math.trunc(v));
  const s = scalarText(v);
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(withZone);
  return Number.isNaN(t) ? s : String(t);
}

/** The wire string for one answer of a field of this type. */
export function hubspotValue(type: FieldType | undefined, v: SourceValue): string {
  if (type === 'date') return hubspotDate(v);
  if (type === 'datetime') return hubspotDateTime(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : JSON.stringify(x))).join(';');
  return Object.values(v).join(';');
}
