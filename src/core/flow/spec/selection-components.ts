/**
 * Selection components (Meta, "Components" → CheckboxGroup, RadioButtonsGroup,
 * Dropdown, ChipsSelector, NavigationList; spec §1.9).
 * @module
 */
import { listSelect, navigationClick, updateOnly } from './actions.js';
import {
  chipsItem,
  component,
  dataSource,
  dataSourceItem,
  enabled,
  errorMessage,
  initValue,
  inputName,
  requiredFlag,
  visible,
  type ComponentSpec,
} from './common-props.js';
import { arr, int, obj, shape, str } from './prop-spec.js';

/** `media-size` values (lists ≥5.0, NavigationList ≥6.2). */
export const MEDIA_SIZES = ['regular', 'large'] as const;
/** Dropdown: at most 100 options when any option has an image (otherwise 200). */
export const DROPDOWN_MAX_WITH_IMAGES = 100;

const mediaSize = (since: string) => str({ since, dyn: true, enum: MEDIA_SIZES });

/** NavigationList item (Meta, "Components" → Navigation List, list items restrictions). */
export const navigationItem = shape('list item', {
  id: str({ required: true }),
  'main-content': obj(
    shape('main-content', {
      title: str({ required: true, maxChars: 30 }),
      description: str({ maxChars: 20 }),
      metadata: str({ maxChars: 80 }),
    }),
    { required: true },
  ),
  start: obj(shape('start', { image: str({ required: true }), 'alt-text': str() })),
  end: obj(
    shape('end', { title: str({ maxChars: 10 }), description: str({ maxChars: 10 }), metadata: str({ maxChars: 10 }) }),
  ),
  badge: str({ maxChars: 15 }),
  tags: arr(str({ maxChars: 15 }), { maxItems: 3 }),
  'on-click-action': navigationClick(),
});

/** CheckboxGroup, RadioButtonsGroup, Dropdown, ChipsSelector, NavigationList. */
export const SELECTION_COMPONENTS: readonly ComponentSpec[] = [
  component('CheckboxGroup', '2.1', {
    name: inputName,
    'data-source': dataSource(dataSourceItem, 1, 20),
    label: str({ required: '4.0', dyn: true, maxChars: 30 }),
    description: str({ since: '4.0', dyn: true, maxChars: 300 }),
    'min-selected-items': int({ dyn: true }),
    'max-selected-items': int({ dyn: true }),
    required: requiredFlag,
    enabled,
    visible,
    'media-size': mediaSize('5.0'),
    'on-select-action': listSelect(),
    'on-unselect-action': updateOnly('6.0'),
    'init-value': initValue('array', str()),
    'error-message': errorMessage(),
  }),
  component('RadioButtonsGroup', '2.1', {
    name: inputName,
    'data-source': dataSource(dataSourceItem, 1, 20),
    label: str({ required: '4.0', dyn: true, maxChars: 30 }),
    description: str({ since: '4.0', dyn: true, maxChars: 300 }),
    required: requiredFlag,
    enabled,
    visible,
    'media-size': mediaSize('5.0'),
    'on-select-action': listSelect(),
    'on-unselect-action': updateOnly('6.0'),
    // Meta's table says Array<String>, spec §1.7 says string: accept both.
    'init-value': initValue(['string', 'array'], str()),
    'error-message': errorMessage(),
  }),
  component('Dropdown', '2.1', {
    name: inputName,
    label: str({ required: true, dyn: true, maxChars: 20 }),
    'data-source': dataSource(dataSourceItem, 1, 200),
    required: requiredFlag,
    enabled,
    visible,
    'on-select-action': listSelect(),
    'on-unselect-action': updateOnly('6.0'),
    'init-value': initValue('string'),
    'error-message': errorMessage(),
  }),
  component('ChipsSelector', '6.3', {
    name: inputName,
    label: str({ required: true, dyn: true, maxChars: 80 }),
    'data-source': dataSource(chipsItem, 2, 20),
    description: str({ dyn: true, maxChars: 300 }),
    'min-selected-items': int({ dyn: true }),
    'max-selected-items': int({ dyn: true }),
    required: requiredFlag,
    enabled,
    visible,
    'init-value': initValue('array', str()),
    'error-message': errorMessage(),
    'on-select-action': listSelect('7.1'),
    'on-unselect-action': updateOnly('7.1'),
  }),
  component('NavigationList', '6.2', {
    name: inputName,
    'list-items': arr(obj(navigationItem), { required: true, dyn: true, minItems: 1, maxItems: 20 }),
    label: str({ dyn: true, maxChars: 80 }),
    description: str({ dyn: true, maxChars: 300 }),
    'media-size': mediaSize('6.2'),
    'on-click-action': navigationClick(),
  }),
];
