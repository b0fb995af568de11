/**
 * The component builder, properties shared by many components, and the
 * shared data-source item of selection lists (Meta, "Components" →
 * CheckboxGroup / RadioButtonsGroup / Dropdown / ChipsSelector; spec §1.9).
 * @module
 */
import { updateOnly } from './actions.js';
import { arr, bool, obj, prop, shape, str, v, type JsonKind, type ObjectShape, type PropSpec } from './prop-spec.js';
import type { Version } from '../version.js';

/** `type` of every component (its value is checked before the other keys). */
export const typeProp: PropSpec = str({ required: true, expr: false, nonBlank: false });

/** `visible` (bool, Dyn, default true). */
export const visible: PropSpec = bool({ dyn: true });

/** `enabled` (bool, Dyn). */
export const enabled: PropSpec = bool({ dyn: true });

/** Input `required` (bool, Dyn). */
export const requiredFlag: PropSpec = bool({ dyn: true });

/** Input `name`: never dynamic; blank rejected from 4.0 (Meta changelog 4.0). */
export const inputName: PropSpec = str({ required: true, dyn: false, expr: false, nonBlank: '4.0' });

/** A component-level `init-value` (outside a Form, ≥4.0). */
export const initValue = (kinds: JsonKind | readonly JsonKind[], items?: PropSpec): PropSpec =>
  prop(kinds, items === undefined ? { since: '4.0', dyn: true } : { since: '4.0', dyn: true, items });

/** A component-level `error-message` (outside a Form, ≥4.0). */
export const errorMessage = (maxChars?: number): PropSpec =>
  str(maxChars === undefined ? { since: '4.0', dyn: true } : { since: '4.0', dyn: true, maxChars });

/** Data-source item of CheckboxGroup / RadioButtonsGroup / Dropdown. */
export const dataSourceItem: ObjectShape = shape('data-source item', {
  id: str({ required: true }),
  title: str({ required: true, maxChars: 30 }),
  description: str({ maxChars: 300 }),
  metadata: str({ maxChars: 20 }),
  enabled: bool(),
  image: str({ since: '5.0' }),
  'alt-text': str({ since: '5.0' }),
  color: str({ since: '5.0' }),
  'on-select-action': updateOnly('6.0'),
  'on-unselect-action': updateOnly('6.0'),
});

/** Data-source item of ChipsSelector: no description, metadata or image. */
export const chipsItem: ObjectShape = shape('data-source item', {
  id: str({ required: true }),
  title: str({ required: true, maxChars: 30 }),
  enabled: bool(),
  'on-select-action': updateOnly('6.3'),
  'on-unselect-action': updateOnly('6.3'),
});

/** `data-source` of a selection list: a static array of items or a binding. */
export const dataSource = (item: ObjectShape, minItems: number, maxItems: number): PropSpec =>
  arr(obj(item), { required: true, dyn: true, minItems, maxItems });

/** CalendarPicker range-mode value: `{ "start-date": …, "end-date": … }`. */
export const rangeOf = (value: PropSpec): ObjectShape =>
  shape('range', { 'start-date': value, 'end-date': value });

/** A component Meta documents on its "Components" page (spec §1.9). */
export interface ComponentSpec {
  readonly type: string;
  /** First Flow JSON version that knows the component. */
  readonly since: Version;
  readonly shape: ObjectShape;
}

/** Declare a component: its `type` property is added for you. */
export function component(type: string, since: string, props: Record<string, PropSpec>): ComponentSpec {
  return { type, since: v(since), shape: shape(type, { type: typeProp, ...props }) };
}
