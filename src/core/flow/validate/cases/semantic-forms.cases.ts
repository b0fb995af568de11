 
/**
 * Corpus: Form placement, names, init-values and error-messages (spec §1.5, §1.7).
 * @module
 */
import { staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import { formlessFlow } from '../semantic/case-builders.js';

const FORM = '/screens/0/layout/children/1';
const nickname = { type: 'TextInput', name: 'nickname', label: 'Nickname' };
const options = [
  { id: 'a', title: 'A' },
  { id: 'b', title: 'B' },
];

/** staticFlow with `extra` inserted in the Form before its Footer and the Form's own props merged in. */
const withFormInput = (extra: object | undefined, formProps: object = {}, version = '7.3') =>
  mutate(staticFlow(version), (f) => {
    const form = f.screens[0].layout.children[1];
    if (extra) form.children.splice(3, 0, extra);
    Object.assign(form, formProps);
  });

export const cases: ValidationCase[] = [
  {
    id: 'semantic-input-outside-form-before-4',
    rule: 'Before 4.0 inputs sit inside a Form',
    flow: mutate(staticFlow('3.1'), (f) => {
      f.screens[0].layout.children.push(nickname);
    }),
    expect: { code: 'KEYWORD_ONE_OF', pointer: '/screens/0/layout/children/2', message: "must be defined inside parent property 'Form'" },
  },
  {
    id: 'semantic-input-outside-form-with-form',
    rule: 'From 4.0 no input outside the Form when a Form exists',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children.push(nickname);
    }),
    expect: { code: 'COMPONENTS_OUTSIDE_FORM', pointer: '/screens/0/layout/children/2', message: "Component 'nickname' is not allowed outside Form" },
  },
  {
    id: 'semantic-input-in-if-outside-form',
    rule: 'From 4.0 no input outside the Form, If branches included',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children.push({ type: 'If', condition: "${form.plan} == 'pro'", then: [nickname] });
    }),
    expect: { code: 'COMPONENTS_OUTSIDE_FORM', pointer: '/screens/0/layout/children/2/then/0' },
  },
  {
    id: 'semantic-duplicate-form-names',
    rule: 'Names unique within a Form',
    flow: withFormInput({ type: 'TextInput', name: 'email', label: 'Email again' }),
    expect: { code: 'DUPLICATE_FORM_COMPONENT_NAMES', pointer: `${FORM}/children/3/name`, message: 'Duplicate name found for Form components: email' },
  },
  {
    id: 'semantic-duplicate-form-names-in-if',
    rule: 'Names unique within a Form across If branches',
    flow: withFormInput({ type: 'If', condition: "${form.plan} == 'pro'", then: [{ type: 'TextInput', name: 'full_name', label: 'Name' }] }),
    expect: { code: 'DUPLICATE_FORM_COMPONENT_NAMES', pointer: `${FORM}/children/3/then/0/name` },
  },
  {
    id: 'semantic-duplicate-form-names-in-switch',
    rule: 'Names unique within a Form across Switch cases',
    flow: withFormInput({
      type: 'Switch',
      value: '${form.plan}',
      cases: { basic: [{ type: 'TextInput', name: 'code', label: 'Code' }], pro: [{ type: 'TextArea', name: 'code', label: 'Code' }] },
    }),
    expect: { code: 'DUPLICATE_FORM_COMPONENT_NAMES', pointer: `${FORM}/children/3/cases/pro/0/name` },
  },
  {
    id: 'semantic-duplicate-names-without-form',
    rule: 'From 4.0 names unique per screen without a Form (project decision)',
    flow: mutate(formlessFlow(), (f) => {
      f.screens[0].layout.children.splice(4, 0, { type: 'TextInput', name: 'email', label: 'Email again' });
    }),
    expect: { code: 'DUPLICATE_FORM_COMPONENT_NAMES', pointer: '/screens/0/layout/children/4/name' },
  },
  {
    id: 'semantic-init-value-inside-form',
    rule: 'Per-component init-value only outside a Form',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[0]['init-value'] = 'Ann';
    }),
    expect: { code: 'INVALID_PROPERTY_KEY', pointer: `${FORM}/children/0/init-value`, message: "use the Form's 'init-values'" },
  },
  {
    id: 'semantic-error-message-inside-form',
    rule: 'Per-component error-message only outside a Form',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[1]['error-message'] = 'Bad email';
    }),
    expect: { code: 'INVALID_PROPERTY_KEY', pointer: `${FORM}/children/1/error-message` },
  },
  {
    id: 'semantic-init-values-unknown-name',
    rule: 'init-values keys name inputs of the Form',
    flow: withFormInput(undefined, { 'init-values': { nickname: 'Al' } }),
    expect: { code: 'FB_UNKNOWN_FORM_COMPONENT', pointer: `${FORM}/init-values/nickname`, message: "'nickname'" },
  },
  {
    id: 'semantic-error-messages-unknown-name',
    rule: 'error-messages keys name inputs of the Form',
    flow: withFormInput(undefined, { 'error-messages': { phone: 'Bad phone' } }),
    expect: { code: 'FB_UNKNOWN_FORM_COMPONENT', pointer: `${FORM}/error-messages/phone` },
  },
  {
    id: 'semantic-init-values-picker',
    rule: 'Media pickers cannot be in init-values',
    flow: withFormInput({ type: 'PhotoPicker', name: 'photo', label: 'Photo' }, { 'init-values': { photo: 'abc' } }),
    expect: { code: 'NATIVE_COMPONENT_IN_FORM_INIT_VALUES', pointer: `${FORM}/init-values/photo`, message: '[PhotoPicker]' },
  },
  {
    id: 'semantic-init-values-document-picker',
    rule: 'Media pickers cannot be in init-values',
    flow: withFormInput({ type: 'DocumentPicker', name: 'doc', label: 'Document' }, { 'init-values': { doc: 'abc' } }),
    expect: { code: 'NATIVE_COMPONENT_IN_FORM_INIT_VALUES', pointer: `${FORM}/init-values/doc`, message: '[DocumentPicker]' },
  },
  {
    id: 'semantic-init-values-radio-array',
    rule: 'init-values type-checked from 7.0: RadioButtonsGroup takes a string',
    flow: withFormInput(undefined, { 'init-values': { plan: ['basic'] } }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${FORM}/init-values/plan`, message: 'string' },
  },
  {
    id: 'semantic-init-values-checkbox-string',
    rule: 'init-values type-checked from 7.0: CheckboxGroup takes string[]',
    flow: withFormInput({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': options }, { 'init-values': { extras: 'a' } }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${FORM}/init-values/extras`, message: 'array of strings' },
  },
  {
    id: 'semantic-init-values-optin-string',
    rule: 'init-values type-checked from 7.0: OptIn takes a boolean',
    flow: withFormInput({ type: 'OptIn', name: 'terms', label: 'I agree' }, { 'init-values': { terms: 'yes' } }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${FORM}/init-values/terms`, message: 'boolean' },
  },
  {
    id: 'semantic-init-values-number-input',
    rule: 'init-values type-checked from 7.0: numeric TextInput takes a numeric value',
    flow: withFormInput({ type: 'TextInput', name: 'age', label: 'Age', 'input-type': 'number' }, { 'init-values': { age: 'abc' } }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${FORM}/init-values/age`, message: 'numeric' },
  },
  {
    id: 'semantic-init-values-chips-string',
    rule: 'init-values type-checked from 7.0: ChipsSelector takes string[]',
    flow: withFormInput({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': options }, { 'init-values': { tags: 'a' } }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${FORM}/init-values/tags` },
  },
  {
    id: 'semantic-error-messages-not-string',
    rule: 'error-messages values are strings from 7.0',
    flow: withFormInput(undefined, { 'error-messages': { email: 42 } }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${FORM}/error-messages/email` },
  },
  {
    id: 'semantic-init-value-number-input-outside-form',
    rule: 'A numeric TextInput outside a Form takes a numeric init-value (7.0)',
    flow: mutate(formlessFlow(), (f) => {
      f.screens[0].layout.children.splice(4, 0, { type: 'TextInput', name: 'age', label: 'Age', 'input-type': 'number', 'init-value': 'abc' });
    }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: '/screens/0/layout/children/4/init-value' },
  },
];
