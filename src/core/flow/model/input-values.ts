/**
 * The values inputs produce (spec §1.13), as the endpoint receives them in a
 * `data_exchange` payload and as they appear in the nfm_reply `response_json`.
 * @module
 */
import type { DateRange } from './input-components.js';

/** Media descriptor sent to the endpoint for each uploaded file (spec §3.1). */
export interface MediaUpload {
  media_id: string;
  cdn_url: string;
  file_name: string;
  encryption_metadata: {
    encrypted_hash: string;
    iv: string;
    encryption_key: string;
    hmac_key: string;
    plaintext_hash: string;
  };
}

/** Media descriptor in the completion message (spec §3.3). */
export interface CompletedMedia {
  file_name: string;
  mime_type: string;
  sha256: string;
  id: string;
}

/**
 * Value type per input component type. DatePicker values are `"YYYY-MM-DD"`
 * from 5.0 and ms-timestamp strings before; both are strings.
 */
export interface InputValueByType {
  TextInput: string;
  TextArea: string;
  RadioButtonsGroup: string;
  Dropdown: string;
  CheckboxGroup: string[];
  ChipsSelector: string[];
  OptIn: boolean;
  DatePicker: string;
  CalendarPicker: string | DateRange<string>;
  PhotoPicker: MediaUpload[] | CompletedMedia[];
  DocumentPicker: MediaUpload[] | CompletedMedia[];
}

/** Component types whose value is readable as `${form.name}`. */
export type InputComponentType = keyof InputValueByType;

/** Every input component type, for runtime checks. */
export const INPUT_COMPONENT_TYPES: readonly InputComponentType[] = [
  'TextInput', 'TextArea', 'RadioButtonsGroup', 'Dropdown', 'CheckboxGroup', 'ChipsSelector',
  'OptIn', 'DatePicker', 'CalendarPicker', 'PhotoPicker', 'DocumentPicker',
];

/** A value an input may be initialised with (pickers cannot be initialised). */
export type FieldValue = string | string[] | boolean | DateRange<string>;

/** True when `type` names an input component. */
export function isInputComponentType(type: string): type is InputComponentType {
  return (INPUT_COMPONENT_TYPES as readonly string[]).includes(type);
}
