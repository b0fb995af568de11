/**
 * Text entry, date and opt-in components (Meta, "Components" → TextInput,
 * TextArea, DatePicker, CalendarPicker, OptIn; spec §1.9).
 * @module
 */
import { dateSelect, linkClick, updateOnly } from './actions.js';
import {
  component,
  enabled,
  errorMessage,
  initValue,
  inputName,
  rangeOf,
  requiredFlag,
  visible,
  type ComponentSpec,
} from './common-props.js';
import { arr, int, prop, str } from './prop-spec.js';

/** TextInput `input-type` values. */
export const INPUT_TYPES = ['text', 'number', 'email', 'password', 'passcode', 'phone'] as const;
/** Input types `pattern` may be combined with (Meta: "Supported with input-type = …"). */
export const PATTERN_INPUT_TYPES: ReadonlySet<string> = new Set(['text', 'number', 'password', 'passcode']);
/** CalendarPicker `include-days` values. */
export const WEEK_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
/** CalendarPicker properties that exist only in range mode. */
export const RANGE_ONLY_PROPS: readonly string[] = ['title', 'description', 'min-days', 'max-days'];
/** CalendarPicker properties whose value is `{start-date, end-date}` in range mode. */
export const RANGE_VALUE_PROPS: readonly string[] = ['label', 'helper-text', 'required', 'error-message', 'init-value'];

const label = (maxChars: number) => str({ required: true, dyn: true, maxChars });
const labelVariant = str({ since: '7.0', enum: ['large'] });
const charCount = prop(['integer', 'string'], { dyn: true });

/** A CalendarPicker property that is a string/bool in single mode and a range object in range mode. */
const rangeable = (kind: 'string' | 'boolean', o: { required?: boolean; maxChars?: number; since?: string } = {}) =>
  prop([kind, 'object'], { ...o, dyn: true, shape: rangeOf(prop(kind, { dyn: true, maxChars: o.maxChars })) });

/** TextInput, TextArea, DatePicker, CalendarPicker, OptIn. */
export const INPUT_COMPONENTS: readonly ComponentSpec[] = [
  component('TextInput', '2.1', {
    name: inputName,
    label: label(20),
    'label-variant': labelVariant,
    'input-type': str({ enum: INPUT_TYPES }),
    pattern: str({ since: '6.2', dyn: true }),
    required: requiredFlag,
    'min-chars': charCount,
    'max-chars': charCount,
    'helper-text': str({ dyn: true, maxChars: 80 }),
    enabled,
    visible,
    'init-value': initValue('string'),
    'error-message': errorMessage(30),
  }),
  component('TextArea', '2.1', {
    name: inputName,
    label: label(20),
    'label-variant': labelVariant,
    required: requiredFlag,
    'max-length': charCount,
    'helper-text': str({ dyn: true, maxChars: 80 }),
    enabled,
    visible,
    'init-value': initValue('string'),
    'error-message': errorMessage(),
  }),
  component('DatePicker', '2.1', {
    name: inputName,
    label: label(40),
    'min-date': str({ dyn: true }),
    'max-date': str({ dyn: true }),
    'unavailable-dates': arr(str(), { dyn: true }),
    'helper-text': str({ dyn: true, maxChars: 80 }),
    enabled,
    required: requiredFlag,
    visible,
    'init-value': initValue('string'),
    'error-message': errorMessage(80),
    'on-select-action': dateSelect(),
  }),
  component('CalendarPicker', '6.1', {
    name: inputName,
    mode: str({ dyn: true, enum: ['single', 'range'] }),
    label: rangeable('string', { required: true, maxChars: 40 }),
    title: str({ dyn: true, maxChars: 80 }),
    description: str({ dyn: true, maxChars: 300 }),
    'helper-text': rangeable('string', { maxChars: 80 }),
    required: rangeable('boolean'),
    'error-message': rangeable('string', { maxChars: 80 }),
    'min-date': str({ dyn: true }),
    'max-date': str({ dyn: true }),
    'unavailable-dates': arr(str(), { dyn: true }),
    'include-days': arr(str({ enum: WEEK_DAYS }), { dyn: true }),
    'min-days': int({ dyn: true }),
    'max-days': int({ dyn: true }),
    enabled,
    visible,
    'init-value': rangeable('string'),
    'on-select-action': dateSelect(),
  }),
  component('OptIn', '2.1', {
    name: inputName,
    label: label(120),
    required: requiredFlag,
    visible,
    'init-value': initValue('boolean'),
    'on-click-action': linkClick(false),
    'on-select-action': updateOnly('6.0'),
    'on-unselect-action': updateOnly('6.0'),
  }),
];
