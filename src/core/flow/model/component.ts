/**
 * The component union, discriminated on `type` (spec §1.9), and the
 * containers that hold components: Form, If and Switch (spec §1.7, §1.9;
 * Meta "Components" page).
 * @module
 */
import type { Binding, DynamicString } from './dynamic-value.js';
import type { FieldValue } from './input-values.js';
import type { EntryComponent } from './input-components.js';
import type { MediaComponent } from './media-components.js';
import type { NavigationComponent } from './navigation-components.js';
import type { SelectionComponent } from './selection-components.js';
import type { TextComponent } from './text-components.js';

/** Any component Meta documents, in any version. */
export type Component =
  | TextComponent
  | EntryComponent
  | SelectionComponent
  | MediaComponent
  | NavigationComponent
  | ContainerComponent;

/** The `type` of a component. */
export type ComponentType = Component['type'];

/** The component interface for a given `type`. */
export type ComponentOf<T extends ComponentType> = Extract<Component, { type: T }>;

/** Every component type, in the order of Meta's "Components" page. */
export const COMPONENT_TYPES: readonly ComponentType[] = [
  'TextHeading', 'TextSubheading', 'TextBody', 'TextCaption', 'RichText',
  'TextInput', 'TextArea', 'CheckboxGroup', 'RadioButtonsGroup', 'Dropdown', 'ChipsSelector',
  'Footer', 'OptIn', 'EmbeddedLink', 'DatePicker', 'CalendarPicker',
  'Image', 'ImageCarousel', 'NavigationList', 'If', 'Switch', 'Form', 'PhotoPicker', 'DocumentPicker',
];

/** The media pickers (PhotoPicker / DocumentPicker): inputs that hold uploaded files (spec §3). */
export const PICKER_TYPES: ReadonlySet<string> = new Set<ComponentType>(['PhotoPicker', 'DocumentPicker']);

/**
 * Groups inputs (required before 4.0). `init-values` / `error-messages` are
 * keyed by child input names, or bound to screen data.
 */
export interface Form {
  type: 'Form';
  name: string;
  children: Component[];
  'init-values'?: Record<string, FieldValue> | DynamicString;
  'error-messages'?: Record<string, string> | DynamicString;
}

/** Conditional rendering (≥ 4.0); `condition` uses the expression grammar without backticks. */
export interface If {
  type: 'If';
  condition: string;
  then: Component[];
  else?: Component[];
}

/** Renders the case whose key equals the bound value (≥ 4.0). */
export interface Switch {
  type: 'Switch';
  value: Binding;
  cases: Record<string, Component[]>;
}

/** Every container component. */
export type ContainerComponent = Form | If | Switch;
