/**
 * Corpus: component types, unknown and version-gated properties, required
 * properties, JSON types, enums and blank strings (spec §1.9, §1.12).
 * @module
 */
import { staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import type { JsonObject } from '../../json.js';
import {
  BASE_INPUT,
  BASE_RADIO,
  IN_FORM,
  inForm,
  ON_SCREEN,
  onScreen,
  structuralCase,
} from '../structural/case-kit.js';

const C = {
  key: 'INVALID_PROPERTY_KEY',
  missing: 'MISSING_REQUIRED_TYPE_PROPERTY',
  type: 'INVALID_PROPERTY_TYPE',
  pattern: 'PATTERN_MISMATCH',
  enumValue: 'INVALID_ENUM_VALUE',
} as const;

const make = structuralCase;

const input = (extra: JsonObject = {}): JsonObject => ({ type: 'TextInput', name: 'nickname', label: 'Nickname', ...extra });
const options = [
  { id: 'a', title: 'A' },
  { id: 'b', title: 'B' },
];
const checkbox = (extra: JsonObject = {}): JsonObject => ({
  type: 'CheckboxGroup',
  name: 'extras',
  label: 'Extras',
  'data-source': options,
  ...extra,
});
const photo = (extra: JsonObject = {}): JsonObject => ({ type: 'PhotoPicker', name: 'photo', label: 'Photo', ...extra });
const documents = (extra: JsonObject = {}): JsonObject => ({ type: 'DocumentPicker', name: 'docs', label: 'Documents', ...extra });
const calendar = (extra: JsonObject = {}): JsonObject => ({ type: 'CalendarPicker', name: 'day', label: 'Day', ...extra });
const image = (extra: JsonObject = {}): JsonObject => ({ type: 'Image', src: 'iVBORw0KGgo=', ...extra });
const carousel = (extra: JsonObject = {}): JsonObject => ({
  type: 'ImageCarousel',
  images: [{ src: 'iVBORw0KGgo=', 'alt-text': 'A picture' }],
  ...extra,
});
const radioItem = (extra: JsonObject, version: string, remove?: string) =>
  mutate(staticFlow(version), (f) => {
    const item = f.screens[0].layout.children[1].children[2]['data-source'][0];
    Object.assign(item, extra);
    if (remove !== undefined) delete item[remove];
  });

export const cases: ValidationCase[] = [
  // Component type
  make('component-type-unknown', 'Component types are Meta\'s', onScreen({ type: 'Carousel', images: [] }), C.enumValue, `${ON_SCREEN}/type`, 'Value should be one of: [TextHeading'),
  make('component-type-missing', 'Every component has a type', onScreen({ text: 'Hello' }), C.missing, ON_SCREEN, "Required property 'type' is missing"),
  make('component-type-not-string', 'A component type is a string', onScreen({ type: 7 }), C.type, `${ON_SCREEN}/type`),
  make('chips-before-6-3', 'ChipsSelector needs Flow JSON 6.3', inForm({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': options }, '6.2'), C.enumValue, `${IN_FORM}/type`, 'ChipsSelector requires Flow JSON version 6.3'),
  make('richtext-before-5-1', 'RichText needs Flow JSON 5.1', onScreen({ type: 'RichText', text: 'Hi' }, '5.0'), C.enumValue, `${ON_SCREEN}/type`),
  make('photopicker-before-4-0', 'PhotoPicker needs Flow JSON 4.0', inForm(photo(), '3.1'), C.enumValue, `${IN_FORM}/type`),
  make('if-before-4-0', 'If needs Flow JSON 4.0', onScreen({ type: 'If', condition: '${form.full_name} == \'a\'', then: [{ type: 'TextBody', text: 'A' }] }, '3.1'), C.enumValue, `${ON_SCREEN}/type`),
  make('calendarpicker-before-6-1', 'CalendarPicker needs Flow JSON 6.1', inForm(calendar(), '6.0'), C.enumValue, `${IN_FORM}/type`),
  make('imagecarousel-before-7-1', 'ImageCarousel needs Flow JSON 7.1', onScreen(carousel(), '7.0'), C.enumValue, `${ON_SCREEN}/type`),
  // Unknown and version-gated properties
  make('component-unknown-property', 'Components accept only documented properties', onScreen({ type: 'TextHeading', text: 'Hi', color: 'red' }), C.key, `${ON_SCREEN}/color`, "Property 'color' cannot be specified at"),
  make('footer-visible-unknown', 'Footer has no `visible`', mutate(staticFlow(), (f) => {
    f.screens[1].layout.children[1].visible = true;
  }), C.key, '/screens/1/layout/children/1/visible'),
  make('pattern-before-6-2', 'TextInput `pattern` needs 6.2', inForm(input({ pattern: '^[a-z]+$', 'helper-text': 'Lowercase' }), '6.1'), C.key, `${IN_FORM}/pattern`),
  make('label-variant-before-7-0', '`label-variant` needs 7.0', inForm(input({ 'label-variant': 'large' }), '6.3'), C.key, `${IN_FORM}/label-variant`),
  make('markdown-before-5-1', '`markdown` needs 5.1', onScreen({ type: 'TextBody', text: 'Hi', markdown: true }, '5.0'), C.key, `${ON_SCREEN}/markdown`),
  make('checkbox-description-before-4-0', 'CheckboxGroup `description` needs 4.0', inForm(checkbox({ description: 'Pick any' }), '3.1'), C.key, `${IN_FORM}/description`),
  make('error-message-before-4-0', 'Component `error-message` needs 4.0', inForm(input({ 'error-message': 'Wrong' }), '3.1'), C.key, `${IN_FORM}/error-message`),
  make('media-size-before-5-0', 'List `media-size` needs 5.0', inForm(checkbox({ 'media-size': 'large' }), '4.0'), C.key, `${IN_FORM}/media-size`),
  make('item-image-before-5-0', 'Data-source item `image` needs 5.0', radioItem({ image: 'iVBORw0KGgo=' }, '4.0'), C.key, `${BASE_RADIO}/data-source/0/image`),
  make('item-color-before-5-0', 'Data-source item `color` needs 5.0', radioItem({ color: '#FF0000' }, '4.0'), C.key, `${BASE_RADIO}/data-source/0/color`),
  make('item-action-before-6-0', 'Data-source item actions need 6.0', radioItem({ 'on-select-action': { name: 'update_data', payload: {} } }, '5.1'), C.key, `${BASE_RADIO}/data-source/0/on-select-action`),
  make('on-unselect-before-6-0', '`on-unselect-action` needs 6.0', inForm(checkbox({ 'on-unselect-action': { name: 'update_data', payload: {} } }), '5.1'), C.key, `${IN_FORM}/on-unselect-action`),
  make('chips-item-description', 'ChipsSelector items have no description', inForm({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': [{ id: 'a', title: 'A', description: 'x' }, { id: 'b', title: 'B' }] }), C.key, `${IN_FORM}/data-source/0/description`),
  make('navigation-list-visible-unknown', 'NavigationList has no `visible`', mutate(staticFlow(), (f) => {
    f.screens[0].layout.children = [{ type: 'NavigationList', name: 'n', visible: true, 'list-items': [{ id: 'a', 'main-content': { title: 'A' }, 'on-click-action': { name: 'navigate', next: { type: 'screen', name: 'CONFIRM' }, payload: { full_name: 'a', email: 'b', plan: 'c' } } }] }];
  }), C.key, '/screens/0/layout/children/0/visible'),
  // Required properties
  make('textinput-missing-label', 'TextInput `label` is required', inForm({ type: 'TextInput', name: 'nickname' }), C.missing, IN_FORM, "Required property 'label' is missing"),
  make('textinput-missing-name', 'TextInput `name` is required', inForm({ type: 'TextInput', label: 'Nickname' }), C.missing, IN_FORM, "Required property 'name' is missing"),
  make('radio-label-required-from-4-0', 'RadioButtonsGroup `label` is required from 4.0', mutate(staticFlow('4.0'), (f) => {
    delete f.screens[0].layout.children[1].children[2].label;
  }), C.missing, BASE_RADIO, "Required property 'label' is missing"),
  make('dropdown-missing-data-source', 'Dropdown `data-source` is required', inForm({ type: 'Dropdown', name: 'size', label: 'Size' }), C.missing, IN_FORM),
  make('heading-missing-text', 'TextHeading `text` is required', onScreen({ type: 'TextHeading' }), C.missing, ON_SCREEN),
  make('image-missing-src', 'Image `src` is required', onScreen({ type: 'Image', height: 100 }), C.missing, ON_SCREEN),
  make('carousel-image-missing-alt', 'ImageCarousel images need alt-text', onScreen(carousel({ images: [{ src: 'iVBORw0KGgo=' }] })), C.missing, `${ON_SCREEN}/images/0`, "Required property 'alt-text' is missing"),
  make('item-missing-title', 'Data-source items need a title', radioItem({}, '7.3', 'title'), C.missing, `${BASE_RADIO}/data-source/0`, "Required property 'title' is missing"),
  make('photopicker-missing-label', 'PhotoPicker `label` is required', inForm({ type: 'PhotoPicker', name: 'photo' }), C.missing, IN_FORM),
  // JSON types
  make('required-not-boolean', 'A static `required` is a boolean', inForm(input({ required: 'yes' })), C.pattern, `${IN_FORM}/required`, "should be of type 'boolean' or have dynamic data format"),
  make('markdown-not-boolean', '`markdown` is a boolean', onScreen({ type: 'TextBody', text: 'Hi', markdown: 'true' }), C.type, `${ON_SCREEN}/markdown`),
  make('heading-text-not-string', 'TextHeading `text` is a string', onScreen({ type: 'TextHeading', text: 12 }), C.type, `${ON_SCREEN}/text`),
  make('body-text-array-before-5-1', 'TextBody `text` as an array needs 5.1', onScreen({ type: 'TextBody', text: ['One', 'Two'] }, '5.0'), C.type, `${ON_SCREEN}/text`, 'to be of type string, but found array'),
  make('image-height-not-integer', 'Image `height` is an integer', onScreen(image({ height: 10.5 })), C.type, `${ON_SCREEN}/height`),
  make('data-source-not-array', 'A static `data-source` is an array', mutate(staticFlow(), (f) => {
    f.screens[0].layout.children[1].children[2]['data-source'] = { a: 'A' };
  }), C.type, `${BASE_RADIO}/data-source`),
  make('item-id-not-string', 'Data-source item ids are strings', radioItem({ id: 1 }, '7.3'), C.type, `${BASE_RADIO}/data-source/0/id`),
  make('visible-not-boolean-or-binding', 'A string `visible` must be a `${…}` binding', onScreen({ type: 'TextBody', text: 'Hi', visible: 'maybe' }), C.pattern, `${ON_SCREEN}/visible`),
  // Enums
  make('input-type-enum', 'TextInput `input-type` is one of Meta\'s', inForm(input({ 'input-type': 'date' })), C.enumValue, `${IN_FORM}/input-type`, 'Value should be one of: [text, number, email, password, passcode, phone]'),
  make('font-weight-enum', 'TextBody `font-weight` is one of Meta\'s', onScreen({ type: 'TextBody', text: 'Hi', 'font-weight': 'heavy' }), C.enumValue, `${ON_SCREEN}/font-weight`),
  make('photo-source-enum', 'PhotoPicker `photo-source` is one of Meta\'s', inForm(photo({ 'photo-source': 'scanner' })), C.enumValue, `${IN_FORM}/photo-source`),
  make('scale-type-enum', 'Image `scale-type` is cover or contain', onScreen(image({ 'scale-type': 'fill' })), C.enumValue, `${ON_SCREEN}/scale-type`),
  make('media-size-enum', '`media-size` is regular or large', inForm(checkbox({ 'media-size': 'huge' })), C.enumValue, `${IN_FORM}/media-size`),
  make('label-variant-enum', '`label-variant` is only "large"', inForm(input({ 'label-variant': 'small' })), C.enumValue, `${IN_FORM}/label-variant`),
  make('include-days-enum', 'CalendarPicker `include-days` are weekday abbreviations', inForm(calendar({ 'include-days': ['Mon', 'Funday'] })), C.enumValue, `${IN_FORM}/include-days/1`),
  make('calendar-mode-enum', 'CalendarPicker `mode` is single or range', inForm(calendar({ mode: 'multiple' })), C.enumValue, `${IN_FORM}/mode`),
  make('mime-type-enum', 'DocumentPicker MIME types are from Meta\'s list', inForm(documents({ 'allowed-mime-types': ['application/pdf', 'application/x-msdownload'] })), C.enumValue, `${IN_FORM}/allowed-mime-types/1`),
  make('carousel-aspect-ratio-enum', 'ImageCarousel `aspect-ratio` is 4:3 or 16:9', onScreen(carousel({ 'aspect-ratio': '1:1' })), C.enumValue, `${ON_SCREEN}/aspect-ratio`),
  // Blank strings
  make('helper-text-blank-from-6-0', 'Blank strings are rejected from 6.0', inForm(input({ 'helper-text': '   ' }), '6.0'), C.pattern, `${IN_FORM}/helper-text`, 'should not be blank or an empty string'),
  make('label-empty-from-6-0', 'Empty labels are rejected from 6.0', mutate(staticFlow(), (f) => {
    f.screens[0].layout.children[1].children[0].label = '';
  }), C.pattern, `${BASE_INPUT}/label`),
  make('name-blank-from-4-0', 'Blank input names are rejected from 4.0', inForm(input({ name: ' ' }), '5.0'), C.pattern, `${IN_FORM}/name`),
  make('heading-text-empty', 'Text components never accept empty text', onScreen({ type: 'TextHeading', text: '' }, '5.0'), C.pattern, `${ON_SCREEN}/text`),
];
