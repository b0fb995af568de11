 
/**
 * Corpus: min/max consistency of pickers and selections, dates, CalendarPicker
 * modes, NavigationList (spec §1.9).
 * @module
 */
import { staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import { formlessFlow, menuFlow } from '../semantic/case-builders.js';

const NEW = '/screens/0/layout/children/1/children/3';
const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, title: `Option ${i}` }));

/** staticFlow with `component` inserted in DETAILS' Form before the Footer. */
const withInput = (component: object, version = '7.3') =>
  mutate(staticFlow(version), (f) => {
    f.screens[0].layout.children[1].children.splice(3, 0, component);
  });

const datePicker = (props: object) => ({ type: 'DatePicker', name: 'when', label: 'When', ...props });
const calendar = (props: object) => ({ type: 'CalendarPicker', name: 'stay', label: 'Stay', ...props });
const LIST = '/screens/0/layout/children/0';
const editMenu = (edit: (list: Record<string, unknown> & { 'list-items': Array<Record<string, unknown>> }) => void) =>
  mutate(menuFlow(), (f) => {
    edit(f.screens[0].layout.children[0]);
  });

export const cases: ValidationCase[] = [
  {
    id: 'semantic-photo-min-over-max',
    rule: 'min-uploaded-photos ≤ max-uploaded-photos',
    flow: withInput({ type: 'PhotoPicker', name: 'photo', label: 'Photo', 'min-uploaded-photos': 5, 'max-uploaded-photos': 2 }),
    expect: {
      code: 'MIN_VALUE_GREATER_THAN_MAX',
      pointer: `${NEW}/min-uploaded-photos`,
      message: '"min-uploaded-photos" cannot be greater than "max-uploaded-photos" for PhotoPicker component photo',
    },
  },
  {
    id: 'semantic-document-min-over-max',
    rule: 'min-uploaded-documents ≤ max-uploaded-documents',
    flow: withInput({ type: 'DocumentPicker', name: 'doc', label: 'Document', 'min-uploaded-documents': 4, 'max-uploaded-documents': 1 }),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-uploaded-documents`, message: 'DocumentPicker component doc' },
  },
  {
    id: 'semantic-checkbox-min-over-max',
    rule: 'CheckboxGroup min-selected-items ≤ max-selected-items',
    flow: withInput({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': options(4), 'min-selected-items': 3, 'max-selected-items': 2 }),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-selected-items`, message: '"min-selected-items" cannot be greater than "max-selected-items"' },
  },
  {
    id: 'semantic-checkbox-min-over-options',
    rule: 'CheckboxGroup min-selected-items ≤ number of options',
    flow: withInput({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': options(2), 'min-selected-items': 3 }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${NEW}/min-selected-items`, message: 'has only 2 options' },
  },
  {
    id: 'semantic-chips-min-over-max',
    rule: 'ChipsSelector min-selected-items ≤ max-selected-items',
    flow: withInput({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': options(5), 'min-selected-items': 4, 'max-selected-items': 3 }),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-selected-items`, message: 'ChipsSelector component tags' },
  },
  {
    id: 'semantic-chips-min-over-options',
    rule: 'ChipsSelector min-selected-items ≤ number of options',
    flow: withInput({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': options(3), 'min-selected-items': 4 }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${NEW}/min-selected-items` },
  },
  {
    id: 'semantic-date-min-after-max',
    rule: 'DatePicker min-date ≤ max-date',
    flow: withInput(datePicker({ 'min-date': '2025-02-01', 'max-date': '2025-01-01' })),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-date`, message: '"min-date" cannot be greater than "max-date" for DatePicker component when' },
  },
  {
    id: 'semantic-date-timestamp-from-5',
    rule: 'DatePicker dates are YYYY-MM-DD from 5.0',
    flow: withInput(datePicker({ 'min-date': '1693569600000' })),
    expect: { code: 'INVALID_PROPERTY_VALUE_FORMAT', pointer: `${NEW}/min-date`, message: "'YYYY-MM-DD'" },
  },
  {
    id: 'semantic-date-iso-before-5',
    rule: 'DatePicker dates are ms timestamps before 5.0',
    flow: withInput(datePicker({ 'max-date': '2024-12-31' }), '4.0'),
    expect: { code: 'INVALID_PROPERTY_VALUE_FORMAT', pointer: `${NEW}/max-date`, message: 'timestamp' },
  },
  {
    id: 'semantic-date-timestamps-min-after-max-before-5',
    rule: 'DatePicker min-date ≤ max-date (timestamps)',
    flow: withInput(datePicker({ 'min-date': '1767182400000', 'max-date': '1693569600000' }), '4.0'),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-date` },
  },
  {
    id: 'semantic-date-not-a-calendar-date',
    rule: 'DatePicker dates are real dates',
    flow: withInput(datePicker({ 'max-date': '2025-02-30' })),
    expect: { code: 'INVALID_PROPERTY_VALUE_FORMAT', pointer: `${NEW}/max-date` },
  },
  {
    id: 'semantic-date-unavailable-bad-format',
    rule: 'DatePicker unavailable-dates use the version format',
    flow: withInput(datePicker({ 'unavailable-dates': ['2025-01-05', '05/01/2025'] })),
    expect: { code: 'INVALID_PROPERTY_VALUE_FORMAT', pointer: `${NEW}/unavailable-dates/1` },
  },
  {
    id: 'semantic-date-form-init-value-format',
    rule: "A DatePicker's init-values entry uses the version's date format",
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children.splice(3, 0, datePicker({}));
      f.screens[0].layout.children[1]['init-values'] = { when: '1693569600000' };
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE_FORMAT', pointer: '/screens/0/layout/children/1/init-values/when' },
  },
  {
    id: 'semantic-text-input-min-chars-over-max',
    rule: 'TextInput min-chars ≤ max-chars',
    flow: withInput({ type: 'TextInput', name: 'code', label: 'Code', 'min-chars': 9, 'max-chars': 4 }),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-chars`, message: 'TextInput component code' },
  },
  {
    id: 'semantic-calendar-min-after-max',
    rule: 'CalendarPicker min-date ≤ max-date',
    flow: withInput(calendar({ 'min-date': '2025-06-01', 'max-date': '2025-05-01' })),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-date`, message: 'CalendarPicker component stay' },
  },
  {
    id: 'semantic-calendar-title-in-single-mode',
    rule: 'CalendarPicker title only in range mode',
    flow: withInput(calendar({ title: 'Pick your stay' })),
    expect: { code: 'INVALID_PROPERTY_KEY', pointer: `${NEW}/title`, message: "unless 'mode' is 'range'" },
  },
  {
    id: 'semantic-calendar-max-days-in-single-mode',
    rule: 'CalendarPicker max-days only in range mode',
    flow: withInput(calendar({ mode: 'single', 'max-days': 5 })),
    expect: { code: 'INVALID_PROPERTY_KEY', pointer: `${NEW}/max-days` },
  },
  {
    id: 'semantic-calendar-object-label-in-single-mode',
    rule: 'CalendarPicker object label only in range mode',
    flow: withInput(calendar({ label: { 'start-date': 'From', 'end-date': 'To' } })),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${NEW}/label`, message: 'string' },
  },
  {
    id: 'semantic-calendar-min-days-over-max-days',
    rule: 'CalendarPicker min-days ≤ max-days',
    flow: withInput(calendar({ mode: 'range', label: { 'start-date': 'From', 'end-date': 'To' }, 'min-days': 7, 'max-days': 3 })),
    expect: { code: 'MIN_VALUE_GREATER_THAN_MAX', pointer: `${NEW}/min-days` },
  },
  {
    id: 'semantic-calendar-range-string-init',
    rule: 'CalendarPicker range init-value is a start/end object',
    flow: mutate(formlessFlow(), (f) => {
      f.screens[0].layout.children.splice(4, 0, calendar({ mode: 'range', 'init-value': '2025-05-01' }));
    }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: '/screens/0/layout/children/4/init-value', message: 'object' },
  },
  {
    id: 'semantic-navigation-list-action-twice',
    rule: 'NavigationList on-click-action on the component or the items, not both',
    flow: editMenu((list) => {
      list['on-click-action'] = { name: 'navigate', next: { type: 'screen', name: 'DETAILS' }, payload: {} };
      delete list['list-items'][1]?.['on-click-action'];
    }),
    expect: { code: 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', pointer: `${LIST}/list-items/0/on-click-action`, message: 'must be present exclusively at NavigationList' },
  },
  {
    id: 'semantic-navigation-list-item-without-action',
    rule: 'NavigationList items all have an on-click-action when the component has none',
    flow: editMenu((list) => {
      delete list['list-items'][1]?.['on-click-action'];
    }),
    expect: { code: 'MISSING_REQUIRED_TYPE_PROPERTY', pointer: `${LIST}/list-items/1`, message: "Required property 'on-click-action' is missing" },
  },
  {
    id: 'semantic-navigation-list-two-badges',
    rule: 'At most one NavigationList item has a badge',
    flow: editMenu((list) => {
      for (const item of list['list-items']) item.badge = 'New';
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${LIST}/list-items/1/badge`, message: 'only one item' },
  },
  {
    id: 'semantic-navigation-list-end-with-large-media',
    rule: 'NavigationList items have no end with media-size large',
    flow: editMenu((list) => {
      list['media-size'] = 'large';
      const item = list['list-items'][0];
      if (item) item.end = { title: '$10' };
    }),
    expect: { code: 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', pointer: `${LIST}/list-items/0/end`, message: "'end'" },
  },
];
