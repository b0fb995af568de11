/**
 * Input components (those producing a `${form.name}` value) and what they
 * produce, for the Form, init-values, payload and `sensitive` rules
 * (Meta, "Components"; spec §1.9, §1.13).
 * @module
 */
import type { JsonObject } from '../../json.js';
import { PICKER_TYPES } from '../../model/component.js';
import type { ComponentVisit } from '../../walk.js';

/** Component types that take user input and are addressed by `name`. */
export const INPUT_COMPONENT_TYPES: ReadonlySet<string> = new Set([
  'TextInput',
  'TextArea',
  'CheckboxGroup',
  'RadioButtonsGroup',
  'Dropdown',
  'ChipsSelector',
  'OptIn',
  'DatePicker',
  'CalendarPicker',
  'PhotoPicker',
  'DocumentPicker',
]);

/** PhotoPicker / DocumentPicker: Meta calls them "native components" (media upload). */
export const MEDIA_PICKER_TYPES: ReadonlySet<string> = PICKER_TYPES;

/** The JSON shape an input's value (and so its init value) has. */
export type InputValueKind = 'string' | 'string-array' | 'boolean' | 'date-range' | 'media';

/** What an input produces (spec §1.13); CalendarPicker depends on its `mode`. */
export function inputValueKind(node: JsonObject): InputValueKind | undefined {
  switch (node.type) {
    case 'TextInput':
    case 'TextArea':
    case 'RadioButtonsGroup':
    case 'Dropdown':
    case 'DatePicker':
      return 'string';
    case 'CheckboxGroup':
    case 'ChipsSelector':
      return 'string-array';
    case 'OptIn':
      return 'boolean';
    case 'CalendarPicker':
      return node.mode === 'range' ? 'date-range' : 'string';
    case 'PhotoPicker':
    case 'DocumentPicker':
      return 'media';
    default:
      return undefined;
  }
}

/** The input's name when the visit is an input component with a string name. */
export function inputNameOf(c: ComponentVisit): string | undefined {
  return INPUT_COMPONENT_TYPES.has(c.type) && typeof c.node.name === 'string' ? c.node.name : undefined;
}
