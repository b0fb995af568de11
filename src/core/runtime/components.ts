/**
 * Component categories the runtime cares about (spec §1.9, §1.13).
 * @module
 */
import { PICKER_TYPES } from '../flow/model/component.js';

/** Input components: they produce `${form.<name>}` values. */
export const INPUT_TYPES = new Set([
  'TextInput', 'TextArea', 'CheckboxGroup', 'RadioButtonsGroup', 'Dropdown', 'ChipsSelector',
  'OptIn', 'DatePicker', 'CalendarPicker', 'PhotoPicker', 'DocumentPicker',
]);

/** Inputs whose value is chosen from a `data-source`. */
export const SELECTION_TYPES = new Set(['CheckboxGroup', 'RadioButtonsGroup', 'Dropdown', 'ChipsSelector']);

/** Selection inputs whose value is an array of ids. */
export const MULTI_SELECT_TYPES = new Set(['CheckboxGroup', 'ChipsSelector']);

/** Media inputs (spec §3). */
export { PICKER_TYPES };

/**
 * The value an input has before anyone touches it, typed as §1.13 says
 * (decision: unset inputs read as the empty value of their type, so that
 * `${form.x} != ''` works and payload keys are always present).
 */
export function emptyValueOf(type: string): unknown {
  if (MULTI_SELECT_TYPES.has(type) || PICKER_TYPES.has(type)) return [];
  if (type === 'OptIn') return false;
  return '';
}

/** True when a value counts as "nothing entered" for `required`. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every((v) => v === undefined || v === '');
  return false;
}

/** A value as the client prints it: '' for nothing, JSON for objects and arrays. */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === undefined || v === null || typeof v === 'function' || typeof v === 'symbol') return '';
  return JSON.stringify(v);
}
