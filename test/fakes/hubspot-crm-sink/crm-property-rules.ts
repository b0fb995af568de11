/**
 * HubSpot's property validation as the CRM fake applies it (CRM
 * "Properties"): unknown property ⇒ PROPERTY_DOESNT_EXIST, enumeration value
 * not among the options ⇒ INVALID_OPTION (checkbox values `;`-split),
 * numbers, dates (`YYYY-MM-DD` or ms), booleans; the error body is HubSpot's
 * `VALIDATION_ERROR` with the JSON list inside the message.
 * @module
 */
import { readFileSync } from 'node:fs';

/** One property definition (the fields the fake uses). */
export interface PropertyDef {
  readonly name: string;
  readonly type: string;
  readonly fieldType: string;
  readonly options?: ReadonlyArray<{ readonly value: string }>;
}

/** The KYC application's properties from the source fixture. */
export function kycProperties(): PropertyDef[] {
  const raw = JSON.parse(readFileSync('/work/shared/fixtures/sources/hubspot/crm-properties-kyc-application.json', 'utf8')) as { results: PropertyDef[] };
  return raw.results;
}

/** Contact properties the fake knows (a subset of HubSpot's defaults plus the fixture forms' custom ones). */
export const CONTACT_PROPERTIES: PropertyDef[] = [
  ...['email', 'firstname', 'lastname', 'phone', 'mobilephone', 'company', 'jobtitle', 'city', 'country', 'website', 'utm_source', 'consultation_type', 'preferred_time_slot', 'appointment_notes'].map((name) => ({ name, type: 'string', fieldType: 'text' })),
  { name: 'preferred_appointment_date', type: 'date', fieldType: 'date' },
  { name: 'lifecyclestage', type: 'enumeration', fieldType: 'radio', options: ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'].map((value) => ({ value })) },
];

interface Problem {
  readonly isValid: false;
  readonly message: string;
  readonly error: string;
  readonly name: string;
  readonly localizedErrorMessage: string;
}

function check(def: PropertyDef | undefined, name: string, value: unknown, fileExists: (id: string) => boolean): Problem | undefined {
  if (def === undefined) return { isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name, localizedErrorMessage: `Property "${name}" does not exist` };
  const bad = (message: string, error = 'INVALID_PROPERTY_VALUE'): Problem => ({ isValid: false, message, error, name, localizedErrorMessage: 'Property value not valid' });
  if (typeof value !== 'string') return bad(`${JSON.stringify(value)} is not a string`);
  if (def.fieldType === 'file') return value.split(';').every(fileExists) ? undefined : bad(`${value} is not a valid file id`);
  if (def.type === 'enumeration' || def.type === 'bool') {
    const allowed = (def.options ?? []).map((o) => o.value);
    const parts = def.fieldType === 'checkbox' ? value.split(';') : [value];
    const wrong = parts.find((p) => !allowed.includes(p));
    return wrong === undefined ? undefined : bad(`${wrong} was not one of the allowed options: [allowed options: ${allowed.join(' ')}]`, 'INVALID_OPTION');
  }
  if (def.type === 'number') return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : bad(`${value} is not a valid number`, 'INVALID_NUMBER');
  if (def.type === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d+$/.test(value) ? undefined : bad(`${value} is not a valid date`, 'INVALID_DATE');
  if (name === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return bad(`Email address ${value} is invalid`, 'INVALID_EMAIL');
  return undefined;
}

/** The 400 body for these properties, or undefined when all are valid. */
export function propertyErrors(defs: readonly PropertyDef[], properties: Record<string, unknown>, fileExists: (id: string) => boolean): Record<string, unknown> | undefined {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const problems = Object.entries(properties).map(([k, v]) => check(byName.get(k), k, v, fileExists)).filter((p): p is Problem => p !== undefined);
  if (problems.length === 0) return undefined;
  return { status: 'error', message: `Property values were not valid: ${JSON.stringify(problems)}`, correlationId: '4c3b2a19-0817-4f6e-9d5c-4b3a29180716', category: 'VALIDATION_ERROR' };
}
