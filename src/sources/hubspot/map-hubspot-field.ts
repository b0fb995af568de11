/**
 * One HubSpot Forms v3 field as a FormModel field. Option ids are the
 * HubSpot option values (internal, case-sensitive names, which is what the
 * submission API expects back), slugged when they are not id-safe.
 * @module
 */
import type { FieldType, FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';
import type { ParentInfo } from './hubspot-condition.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

const TYPES: Record<string, FieldType> = {
  single_line_text: 'short_text',
  multi_line_text: 'long_text',
  email: 'email',
  phone: 'phone',
  mobile_phone: 'phone',
  number: 'number',
  datepicker: 'date',
  dropdown: 'dropdown',
  radio: 'single_choice',
  payment_link_radio: 'single_choice',
  multiple_checkboxes: 'multiple_choice',
  single_checkbox: 'consent',
  booleancheckbox: 'consent',
  file: 'file',
};

/** A unique, id-safe version of `base` (letters, digits, `_`, `-`). */
export function uniqueId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'field';
  let id = clean;
  for (let n = 2; taken.has(id); n++) id = `${clean}_${n}`;
  taken.add(id);
  return id;
}

/** Map one field (not its dependents); undefined (with an unmapped entry) when it is not a field. */
export function mapHubspotField(raw: unknown, pointer: string, taken: Set<string>, unmapped: UnmappedItem[]): { field: FieldInput; info: ParentInfo } | undefined {
  const f = rec(raw);
  const name = str(f.name);
  const fieldType = str(f.fieldType) ?? '';
  if (!name) {
    unmapped.push({ pointer, reason: 'Field without a name: HubSpot cannot receive its value; dropped.' });
    return undefined;
  }
  let type = TYPES[fieldType];
  if (!type) {
    unmapped.push({ pointer: `${pointer}/fieldType`, reason: `Unknown HubSpot fieldType '${fieldType}': mapped as a short text.` });
    type = 'short_text';
  }
  const label = str(f.label)?.trim() || name;
  const id = uniqueId(name, taken);
  const field: FieldInput = { id, key: name, type, label, required: f.required === true };
  const source: Record<string, string | boolean> = { fieldType };
  if (typeof f.objectTypeId === 'string') source.objectTypeId = f.objectTypeId;
  field.source = source;
  const help = str(f.description);
  if (help?.trim()) field.help = help;
  const placeholder = str(f.placeholder);
  if (placeholder?.trim()) field.placeholder = placeholder;

  const optionIds = new Map<string, string>();
  if (type === 'dropdown' || type === 'single_choice' || type === 'multiple_choice') {
    const optTaken = new Set<string>();
    const options = arr(f.options)
      .map((o, i) => ({ o: rec(o), i }))
      .filter(({ o }) => typeof o.value === 'string' || typeof o.label === 'string')
      .sort((a, b) => (int(a.o.displayOrder) ?? a.i) - (int(b.o.displayOrder) ?? b.i));
    field.options = options.map(({ o }) => {
      const value = str(o.value) ?? str(o.label) ?? '';
      const optionId = uniqueId(value, optTaken);
      optionIds.set(value, optionId);
      const description = str(o.description);
      return { id: optionId, value, label: str(o.label)?.trim() || value || optionId, ...(description?.trim() ? { description } : {}) };
    });
    if (field.options.length === 0) {
      unmapped.push({ pointer: `${pointer}/options`, reason: 'Choice field without options: mapped as a short text.' });
      field.type = 'short_text';
      delete field.options;
    }
    const defaults = arr(f.defaultValues).filter((v): v is string => typeof v === 'string').map((v) => optionIds.get(v)).filter((v): v is string => v !== undefined);
    if (defaults.length > 0) field.default = type === 'multiple_choice' ? defaults : defaults[0];
    if (fieldType === 'payment_link_radio') unmapped.push({ pointer, reason: 'Payment link options are asked as a plain choice; no payment link is opened.' });
  }

  const validation = rec(f.validation);
  if (type === 'email') {
    const blocked = arr(validation.blockedEmailDomains).filter((d): d is string => typeof d === 'string');
    if (blocked.length > 0) field.validation = { blockedDomains: blocked };
    if (validation.useDefaultBlockList === true) {
      unmapped.push({ pointer: `${pointer}/validation/useDefaultBlockList`, reason: "HubSpot's default free-mail block list is not published; only the listed domains are blocked here (HubSpot still rejects the rest on submit)." });
    }
  }
  const minDigits = int(validation.minAllowedDigits);
  const maxDigits = int(validation.maxAllowedDigits);
  if (type === 'phone' && (minDigits !== undefined || maxDigits !== undefined)) {
    const lo = Math.max(0, minDigits ?? 0);
    const hi = maxDigits === undefined ? '' : String(Math.max(lo, maxDigits));
    field.validation = { pattern: `^[^0-9]*(?:[0-9][^0-9]*){${lo},${hi}}$`, patternMessage: `Enter ${hi === '' ? `at least ${lo}` : `${lo} to ${hi}`} digits.` };
    source.minAllowedDigits = String(minDigits ?? '');
    source.maxAllowedDigits = String(maxDigits ?? '');
  }
  if (type === 'phone' && typeof f.useCountryCodeSelect === 'boolean') source.useCountryCodeSelect = f.useCountryCodeSelect;
  if (type === 'number' && (minDigits !== undefined || maxDigits !== undefined)) {
    field.validation = {
      ...(maxDigits !== undefined && maxDigits > 0 && maxDigits < 16 ? { max: 10 ** maxDigits - 1, min: -(10 ** maxDigits - 1) } : {}),
      ...(minDigits !== undefined && minDigits > 1 && minDigits < 16 ? { min: 10 ** (minDigits - 1) } : {}),
    };
    unmapped.push({ pointer: `${pointer}/validation`, reason: `Digit-count rule (${minDigits ?? 0}–${maxDigits ?? '∞'} digits) approximated as a value range.` });
  }
  if (type === 'file') {
    const multiple = f.allowMultipleFiles === true;
    field.file = { kind: 'any', maxFiles: multiple ? 10 : 1 };
    if (multiple) unmapped.push({ pointer: `${pointer}/allowMultipleFiles`, reason: 'HubSpot sets no file count for multiple files; up to 10 are accepted.' });
  }

  const defaultValue = str(f.defaultValue);
  if (defaultValue !== undefined && field.default === undefined && defaultValue !== '') {
    if (type === 'consent') field.default = defaultValue === 'true';
    else if (type === 'number' && Number.isFinite(Number(defaultValue))) field.default = Number(defaultValue);
    else field.default = defaultValue;
  }
  if (f.hidden === true) {
    if (field.options) source.options = field.options.map((o) => o.value).join(';');
    field.type = 'hidden';
    field.required = false;
    delete field.options;
    delete field.validation;
    delete field.file;
    delete field.placeholder;
    if (field.default === undefined) unmapped.push({ pointer, reason: 'Hidden field without a default value: submitted empty unless the server sets it.' });
  }
  return { field, info: { id, fieldType, optionIds } };
}
