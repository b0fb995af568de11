/**
 * Corpus: character limits, option counts, numeric ranges, property
 * dependencies, container shapes and per-screen / per-flow component limits
 * (spec §1.9, §1.11).
 * @module
 */
import { staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import type { JsonObject } from '../../json.js';
import {
  BASE_INPUT,
  copies,
  IN_FORM,
  inForm,
  navigationItem,
  navigationList,
  navigationScreen,
  ON_SCREEN,
  ON_TERMINAL,
  onScreen,
  onTerminal,
  structuralCase,
  TERMINAL_FOOTER,
} from '../structural/case-kit.js';

const C = {
  chars: 'FB_MAX_CHARS',
  minItems: 'MIN_ITEMS_REQUIRED',
  maxItems: 'MAX_ITEMS_REQUIRED',
  perScreen: 'COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN',
  missing: 'MISSING_REQUIRED_TYPE_PROPERTY',
  type: 'INVALID_PROPERTY_TYPE',
} as const;

const make = structuralCase;

const text = (n: number) => 'x'.repeat(n);
const items = (n: number, extra: JsonObject = {}) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, title: `Option ${i}`, ...extra }));
const input = (extra: JsonObject = {}): JsonObject => ({ type: 'TextInput', name: 'nickname', label: 'Nickname', ...extra });
const radio = (extra: JsonObject = {}): JsonObject => ({ type: 'RadioButtonsGroup', name: 'size', label: 'Size', 'data-source': items(2), ...extra });
const photo = (extra: JsonObject = {}): JsonObject => ({ type: 'PhotoPicker', name: 'photo', label: 'Photo', ...extra });
const documents = (extra: JsonObject = {}): JsonObject => ({ type: 'DocumentPicker', name: 'docs', label: 'Documents', ...extra });
const carousel: JsonObject = { type: 'ImageCarousel', images: [{ src: 'iVBORw0KGgo=', 'alt-text': 'A picture' }] };
const footerOf = (edit: (footer: any) => void) => mutate(staticFlow(), (f) => edit(f.screens[1].layout.children[1]));
const ifWith = (then: unknown[]): JsonObject => ({ type: 'If', condition: "${form.full_name} == 'Ann'", then });
const nestedIf = (depth: number): JsonObject => (depth === 1 ? ifWith([{ type: 'TextBody', text: 'Deep' }]) : ifWith([nestedIf(depth - 1)]));

export const cases: ValidationCase[] = [
  // Character limits (Meta, "Components" limit tables)
  make('heading-over-80', 'TextHeading: 80 characters', onScreen({ type: 'TextHeading', text: text(81) }), C.chars, `${ON_SCREEN}/text`, "should have at most '80' characters"),
  make('subheading-over-80', 'TextSubheading: 80 characters', onScreen({ type: 'TextSubheading', text: text(81) }), C.chars, `${ON_SCREEN}/text`),
  make('body-over-4096', 'TextBody: 4096 characters', onScreen({ type: 'TextBody', text: text(4097) }), C.chars, `${ON_SCREEN}/text`),
  make('caption-paragraph-over-4096', 'TextCaption paragraphs: 4096 characters each', onScreen({ type: 'TextCaption', text: ['Short', text(4097)] }), C.chars, `${ON_SCREEN}/text/1`),
  make('textinput-label-over-20', 'TextInput label: 20 characters', mutate(staticFlow(), (f) => {
    f.screens[0].layout.children[1].children[0].label = 'Your full legal name!';
  }), C.chars, `${BASE_INPUT}/label`, "should have at most '20' characters, but has 21"),
  make('helper-text-over-80', 'helper-text: 80 characters', inForm(input({ 'helper-text': text(81) })), C.chars, `${IN_FORM}/helper-text`),
  make('textinput-error-over-30', 'TextInput error-message: 30 characters', onTerminal(input({ 'error-message': text(31) })), C.chars, `${ON_TERMINAL}/error-message`),
  make('textarea-label-over-20', 'TextArea label: 20 characters', inForm({ type: 'TextArea', name: 'notes', label: text(21) }), C.chars, `${IN_FORM}/label`),
  make('footer-label-over-35', 'Footer label: 35 characters', footerOf((footer) => {
    footer.label = text(36);
  }), C.chars, `${TERMINAL_FOOTER}/label`),
  make('footer-caption-over-15', 'Footer captions: 15 characters', footerOf((footer) => {
    footer['center-caption'] = text(16);
  }), C.chars, `${TERMINAL_FOOTER}/center-caption`),
  make('optin-label-over-120', 'OptIn label: 120 characters', inForm({ type: 'OptIn', name: 'agree', label: text(121) }), C.chars, `${IN_FORM}/label`),
  make('embedded-link-over-25', 'EmbeddedLink text: 25 characters (Meta\'s components page)', onTerminal({ type: 'EmbeddedLink', text: text(26), 'on-click-action': { name: 'open_url', url: 'https://example.com' } }), C.chars, `${ON_TERMINAL}/text`),
  make('radio-label-over-30', 'RadioButtonsGroup label: 30 characters', inForm(radio({ label: text(31) })), C.chars, `${IN_FORM}/label`),
  make('dropdown-label-over-20', 'Dropdown label: 20 characters', inForm({ type: 'Dropdown', name: 'size', label: text(21), 'data-source': items(2) }), C.chars, `${IN_FORM}/label`),
  make('datepicker-label-over-40', 'DatePicker label: 40 characters', inForm({ type: 'DatePicker', name: 'day', label: text(41) }), C.chars, `${IN_FORM}/label`),
  make('chips-label-over-80', 'ChipsSelector label: 80 characters', inForm({ type: 'ChipsSelector', name: 'tags', label: text(81), 'data-source': items(2) }), C.chars, `${IN_FORM}/label`),
  make('item-title-over-30', 'Data-source item title: 30 characters', inForm(radio({ 'data-source': [{ id: 'a', title: text(31) }] })), C.chars, `${IN_FORM}/data-source/0/title`),
  make('item-description-over-300', 'Data-source item description: 300 characters', inForm(radio({ 'data-source': [{ id: 'a', title: 'A', description: text(301) }] })), C.chars, `${IN_FORM}/data-source/0/description`),
  make('item-metadata-over-20', 'Data-source item metadata: 20 characters', inForm(radio({ 'data-source': [{ id: 'a', title: 'A', metadata: text(21) }] })), C.chars, `${IN_FORM}/data-source/0/metadata`),
  make('emoji-counted-as-characters', 'Characters are counted as the user sees them', inForm(radio({ 'data-source': [{ id: 'a', title: '🏡'.repeat(31) }] })), C.chars, `${IN_FORM}/data-source/0/title`, 'but has 31'),
  make('navigation-title-over-30', 'NavigationList main-content title: 30 characters', navigationScreen([{ ...navigationList(), 'list-items': [{ ...navigationItem('a'), 'main-content': { title: text(31) } }] }]), C.chars, '/screens/0/layout/children/0/list-items/0/main-content/title'),
  make('navigation-badge-over-15', 'NavigationList badge: 15 characters', navigationScreen([{ ...navigationList(), 'list-items': [{ ...navigationItem('a'), badge: text(16) }] }]), C.chars, '/screens/0/layout/children/0/list-items/0/badge'),
  // Option and item counts
  make('checkbox-over-20-options', 'CheckboxGroup: at most 20 options', inForm({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': items(21) }), C.maxItems, `${IN_FORM}/data-source`, "should have at most '20' items"),
  make('radio-no-options', 'RadioButtonsGroup: at least 1 option', inForm(radio({ 'data-source': [] })), C.minItems, `${IN_FORM}/data-source`, "should have at least '1' item"),
  make('dropdown-over-200-options', 'Dropdown: at most 200 options', inForm({ type: 'Dropdown', name: 'size', label: 'Size', 'data-source': items(201) }), C.maxItems, `${IN_FORM}/data-source`),
  make('dropdown-images-over-100', 'Dropdown: at most 100 options when any has an image', inForm({ type: 'Dropdown', name: 'size', label: 'Size', 'data-source': items(101, { image: 'iVBORw0KGgo=' }) }), C.maxItems, `${IN_FORM}/data-source`, "at most '100' items"),
  make('chips-one-option', 'ChipsSelector: at least 2 options', inForm({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': items(1) }), C.minItems, `${IN_FORM}/data-source`),
  make('carousel-four-images', 'ImageCarousel: at most 3 images', onScreen({ ...carousel, images: copies({ src: 'iVBORw0KGgo=', 'alt-text': 'A' }, 4) }), C.maxItems, `${ON_SCREEN}/images`),
  make('carousel-no-images', 'ImageCarousel: at least 1 image', onScreen({ ...carousel, images: [] }), C.minItems, `${ON_SCREEN}/images`),
  make('navigation-over-20-items', 'NavigationList: at most 20 items', navigationScreen([{ ...navigationList(), 'list-items': Array.from({ length: 21 }, (_, i) => navigationItem(`i${i}`)) }]), C.maxItems, '/screens/0/layout/children/0/list-items'),
  make('navigation-four-tags', 'NavigationList item: at most 3 tags', navigationScreen([{ ...navigationList(), 'list-items': [{ ...navigationItem('a'), tags: ['a', 'b', 'c', 'd'] }] }]), C.maxItems, '/screens/0/layout/children/0/list-items/0/tags'),
  make('items-image-and-color', 'List items carry images or colours, not both kinds', inForm(radio({ 'data-source': [{ id: 'a', title: 'A', image: 'iVBORw0KGgo=' }, { id: 'b', title: 'B', color: '#00FF00' }] })), 'DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR', `${IN_FORM}/data-source`, "either only image attributes or only color attributes for all items for RadioButtonsGroup 'size'"),
  // Numeric ranges (Meta, "Media upload")
  make('file-size-zero', 'max-file-size-kb: at least 1', inForm(photo({ 'max-file-size-kb': 0 })), 'MINIMUM_VALUE_REQUIRED', `${IN_FORM}/max-file-size-kb`, "The minimum value allowed for property 'max-file-size-kb' is 1"),
  make('file-size-over-25600', 'max-file-size-kb: at most 25600', inForm(documents({ 'max-file-size-kb': 25601 })), 'MAXIMUM_VALUE_REQUIRED', `${IN_FORM}/max-file-size-kb`),
  make('max-photos-over-30', 'max-uploaded-photos: at most 30', inForm(photo({ 'max-uploaded-photos': 31 })), 'MAXIMUM_VALUE_REQUIRED', `${IN_FORM}/max-uploaded-photos`),
  make('max-documents-zero', 'max-uploaded-documents: at least 1', inForm(documents({ 'min-uploaded-documents': 0, 'max-uploaded-documents': 0 })), 'MINIMUM_VALUE_REQUIRED', `${IN_FORM}/max-uploaded-documents`),
  make('photos-count-not-integer', 'min-uploaded-photos is an integer', inForm(photo({ 'min-uploaded-photos': 1.5 })), C.type, `${IN_FORM}/min-uploaded-photos`),
  // Dependencies between properties
  make('footer-left-caption-alone', 'Footer left-caption needs right-caption', footerOf((footer) => {
    footer['left-caption'] = 'Step 2';
  }), 'INVALID_DEPENDENCIES', `${TERMINAL_FOOTER}/left-caption`),
  make('footer-three-captions', 'Footer center-caption goes alone', footerOf((footer) => {
    Object.assign(footer, { 'left-caption': 'A', 'center-caption': 'B', 'right-caption': 'C' });
  }), 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', `${TERMINAL_FOOTER}/center-caption`, "Properties 'center-caption' and [left-caption, right-caption] must be present exclusively"),
  make('pattern-with-email', '`pattern` only with text, number, password, passcode inputs', inForm(input({ 'input-type': 'email', pattern: '.+@example\\.com', 'helper-text': 'Work email' })), 'INVALID_PROPERTY_NAME_FOR_CONDITION', `${IN_FORM}/pattern`, "Cannot set property 'pattern' when input-type is 'email'"),
  make('pattern-without-helper-text', '`pattern` makes helper-text mandatory', inForm(input({ pattern: '^[a-z]+$' })), C.missing, IN_FORM, "Required property 'helper-text' is missing"),
  // Container shapes
  make('if-missing-condition', 'If `condition` is required', onScreen({ type: 'If', then: [{ type: 'TextBody', text: 'A' }] }), C.missing, ON_SCREEN, "Required property 'condition' is missing"),
  make('if-empty-then', 'If `then` holds at least one component', onScreen(ifWith([])), 'INVALID_PROPERTY_VALUE', `${ON_SCREEN}/then`, 'Expected array to contain at least one component'),
  make('if-then-not-array', 'If `then` is an array', onScreen({ type: 'If', condition: "${form.full_name} == 'Ann'", then: { type: 'TextBody', text: 'A' } }), C.type, `${ON_SCREEN}/then`),
  make('if-else-not-array', 'If `else` is an array', onScreen({ ...ifWith([{ type: 'TextBody', text: 'A' }]), else: 'nothing' }), C.type, `${ON_SCREEN}/else`),
  make('if-nested-four-deep', 'If nests at most 3 deep', onScreen(nestedIf(4)), 'MAXIMUM_IF_NESTING', `${ON_SCREEN}/then/0/then/0/then/0`, 'nested up to 3 levels'),
  make('switch-empty-cases', 'Switch `cases` is not empty', onScreen({ type: 'Switch', value: '${form.full_name}', cases: {} }), 'EMPTY_SWITCH_CASES', `${ON_SCREEN}/cases`, 'Invalid empty property found at'),
  make('switch-missing-value', 'Switch `value` is required', onScreen({ type: 'Switch', cases: { a: [{ type: 'TextBody', text: 'A' }] } }), C.missing, ON_SCREEN, "Required property 'value' is missing"),
  make('switch-case-not-array', 'Switch cases map to component arrays', onScreen({ type: 'Switch', value: '${form.full_name}', cases: { a: { type: 'TextBody', text: 'A' } } }), C.type, `${ON_SCREEN}/cases/a`),
  make('form-missing-name', 'Form `name` is required', mutate(staticFlow(), (f) => {
    delete f.screens[0].layout.children[1].name;
  }), C.missing, '/screens/0/layout/children/1', "Required property 'name' is missing"),
  make('form-empty-children', 'Form holds at least one component', onTerminal({ type: 'Form', name: 'empty_form', children: [] }), C.minItems, `${ON_TERMINAL}/children`),
  // Per-screen and per-flow limits (spec §1.11)
  make('six-optins', 'At most 5 OptIns per screen', inForm(copies({ type: 'OptIn', name: 'agree', label: 'I agree' }, 6)), C.perScreen, `/screens/0/layout/children/1/children/5`, 'Maximum number of OptIn allowed per screen is 5 but found 6'),
  make('three-embedded-links', 'At most 2 EmbeddedLinks per screen', onTerminal(copies({ type: 'EmbeddedLink', text: 'More', 'on-click-action': { name: 'data_exchange', payload: {} } }, 3).map((l, i) => ({ ...l, 'on-click-action': { name: 'open_url', url: `https://example.com/${i}` } }))), C.perScreen, '/screens/1/layout/children/2'),
  make('four-images', 'At most 3 Images per screen', onScreen(copies({ type: 'Image', src: 'iVBORw0KGgo=' }, 4)), C.perScreen, '/screens/0/layout/children/3'),
  make('two-photo-pickers', 'At most 1 media picker per screen', inForm([photo(), photo({ name: 'photo_two' })]), C.perScreen, `/screens/0/layout/children/1/children/1`, 'maximum of 1 component of type PhotoPicker or DocumentPicker per screen'),
  make('photo-and-document-pickers', 'Never both picker kinds on a screen', inForm([photo(), documents()]), C.perScreen, `/screens/0/layout/children/1/children/1`),
  make('three-carousels-on-screen', 'At most 2 ImageCarousels per screen', onScreen(copies(carousel, 3)), C.perScreen, '/screens/0/layout/children/2'),
  make('four-carousels-in-flow', 'At most 3 ImageCarousels per flow', mutate(onScreen(copies(carousel, 2)), (f) => {
    f.screens[1].layout.children.unshift(carousel, carousel);
  }), 'FB_MAX_COMPONENTS_PER_FLOW', '/screens/1/layout/children/1', 'allowed per Flow is 3 but found 4'),
  make('three-navigation-lists', 'At most 2 NavigationLists per screen', navigationScreen([navigationList('a'), navigationList('b'), navigationList('c')]), C.perScreen, '/screens/0/layout/children/2'),
  make('navigation-list-with-heading', 'NavigationList is alone on its screen', navigationScreen([{ type: 'TextHeading', text: 'Pick one' }, navigationList()]), 'INVALID_COMPONENT_PLACEMENT', '/screens/0/layout/children/1'),
  make('richtext-with-footer-before-6-3', 'Before 6.3 RichText is alone on its screen', onTerminal({ type: 'RichText', text: '# Terms' }, '6.2'), 'INVALID_RICHTEXT_PLACEMENT', ON_TERMINAL),
  make('richtext-with-body-from-6-3', 'From 6.3 RichText shares its screen with a Footer only', onTerminal({ type: 'RichText', text: '# Terms' }), 'INVALID_COMPONENT_PLACEMENT', ON_TERMINAL, 'paired exclusively with the Footer'),
];

