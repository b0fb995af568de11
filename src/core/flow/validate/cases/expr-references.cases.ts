 
/**
 * Corpus: references — `${data.k}` declared on the screen, `${form.x}` an
 * input of the screen, global `${screen.X…}` references (≥4.0), and binding
 * types against the consuming property (spec §1.4, §1.6, §1.12).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';

/** staticFlow: DETAILS (no data; Form with full_name, email, plan) and CONFIRM (data full_name, email, plan). */
const HEADING = '/screens/0/layout/children/0';
const FORM = '/screens/0/layout/children/1';
const NAV_PAYLOAD = `${FORM}/children/3/on-click-action/payload`;
const CONFIRM_BODY = '/screens/1/layout/children/0';
const COMPLETE_PAYLOAD = '/screens/1/layout/children/1/on-click-action/payload';
/** endpointFlow: BOOKING (data slots: array of {id,title}; Form with Dropdown slot) and DONE (data slot: string). */
const BOOKING_FORM = '/screens/0/layout/children/0';
const BOOKING_EXTRA = '/screens/0/layout/children/1';

/** staticFlow with the TextHeading of DETAILS edited. */
const heading = (props: object, version = '7.3') =>
  mutate(staticFlow(version), (f) => Object.assign(f.screens[0].layout.children[0], props));
/** staticFlow with the TextBody of CONFIRM edited. */
const confirmBody = (props: object, version = '7.3') =>
  mutate(staticFlow(version), (f) => Object.assign(f.screens[1].layout.children[0], props));
/** endpointFlow with extra BOOKING data fields and a component appended to BOOKING's layout. */
const booking = (component: object | undefined, data: object = {}) =>
  mutate(endpointFlow(), (f) => {
    Object.assign(f.screens[0].data, data);
    if (component) f.screens[0].layout.children.push(component);
  });
const profile = { profile: { type: 'object', properties: { name: { type: 'string' } }, __example__: { name: 'Ann' } } };
const label = { label: { type: 'string', __example__: 'Pick one' } };

export const cases: ValidationCase[] = [
  {
    id: 'expr-ref-data-undeclared',
    rule: '${data.k} must be declared in the screen data',
    flow: confirmBody({ text: '${data.phone}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${CONFIRM_BODY}/text`, message: "Missing dynamic data '${data.phone}'" },
  },
  {
    id: 'expr-ref-data-screen-without-data',
    rule: '${data.k} on a screen that declares no data',
    flow: heading({ text: '${data.greeting}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${HEADING}/text` },
  },
  {
    id: 'expr-ref-data-declared-on-other-screen',
    rule: "${data.k} declared only on another screen's data",
    flow: heading({ text: '${data.full_name}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${HEADING}/text`, message: "screen 'DETAILS'" },
  },
  {
    id: 'expr-ref-data-in-complete-payload',
    rule: '${data.k} in an action payload must be declared',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].layout.children[1]['on-click-action'].payload.phone = '${data.phone}';
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${COMPLETE_PAYLOAD}/phone`, message: "Missing dynamic data '${data.phone}'" },
  },
  {
    id: 'expr-ref-data-in-navigate-payload',
    rule: '${data.k} in a navigate payload on a screen without data',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[3]['on-click-action'].payload.email = '${data.email}';
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${NAV_PAYLOAD}/email` },
  },
  {
    id: 'expr-ref-data-nested-missing-property',
    rule: 'A nested ${data.a.b} must be a declared property of the object schema',
    flow: booking({ type: 'TextBody', text: '${data.profile.age}' }, profile),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_EXTRA}/text` },
  },
  {
    id: 'expr-ref-data-nested-through-array-items',
    rule: 'A path through an array must name a property of its items',
    flow: booking({ type: 'TextBody', text: '${data.slots.label}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_EXTRA}/text` },
  },
  {
    id: 'expr-ref-data-path-into-string',
    rule: 'A path cannot go into a string field',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[1].layout.children[0].text = '${data.slot.value}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: '/screens/1/layout/children/0/text' },
  },
  {
    id: 'expr-ref-data-in-data-source-item',
    rule: '${data.k} inside a static data-source item must resolve',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[2]['data-source'][0].title = '${data.basic_title}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${FORM}/children/2/data-source/0/title` },
  },
  {
    id: 'expr-ref-data-in-init-values',
    rule: '${data.k} inside Form init-values must resolve',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1]['init-values'] = { full_name: '${data.name}' };
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${FORM}/init-values/full_name` },
  },
  {
    id: 'expr-ref-data-in-screen-title',
    rule: '${data.k} in a screen title must resolve',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].title = '${data.title}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: '/screens/0/title' },
  },
  {
    id: 'expr-ref-data-in-expression',
    rule: '${data.k} inside a nested expression must resolve',
    flow: confirmBody({ text: "`'Hi ' ${data.first_name}`" }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${CONFIRM_BODY}/text` },
  },
  {
    id: 'expr-ref-form-missing-in-navigate-payload',
    rule: '${form.x} in a payload names an input of the screen',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[3]['on-click-action'].payload.email = '${form.e_mail}';
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${NAV_PAYLOAD}/email`, message: "Missing Form component ${form.e_mail} for screen 'DETAILS'" },
  },
  {
    id: 'expr-ref-form-missing-in-data-exchange-payload',
    rule: '${form.x} in a data_exchange payload names an input of the screen',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children[1]['on-click-action'].payload.slot = '${form.slots}';
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${BOOKING_FORM}/children/1/on-click-action/payload/slot` },
  },
  {
    id: 'expr-ref-form-missing-in-payload-expression',
    rule: '${form.x} inside a payload expression names an input of the screen',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children[1]['on-click-action'].payload.slot = "`${form.slot} ' at ' ${form.time}`";
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${BOOKING_FORM}/children/1/on-click-action/payload/slot`, message: '${form.time}' },
  },
  {
    id: 'expr-ref-form-of-other-screen',
    rule: "${form.x} only sees the current screen's inputs",
    flow: confirmBody({ text: '${form.full_name}' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_BODY}/text`, message: "Missing Form component ${form.full_name} for screen 'CONFIRM'" },
  },
  {
    id: 'expr-ref-form-missing-in-visible',
    rule: '${form.x} in a component property names an input of the screen',
    flow: heading({ visible: '${form.agree}' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${HEADING}/visible` },
  },
  {
    id: 'expr-ref-form-missing-in-expression',
    rule: '${form.x} inside an expression names an input of the screen',
    flow: heading({ visible: '`${form.age} > 18`' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${HEADING}/visible`, message: '${form.age}' },
  },
  {
    id: 'expr-ref-form-missing-in-footer-label',
    rule: '${form.x} in a Footer label names an input of the screen',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[3].label = '${form.cta}';
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${FORM}/children/3/label` },
  },
  {
    id: 'expr-ref-form-name-of-form',
    rule: 'A Form component has no value to bind',
    flow: heading({ text: '${form.details_form}' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${HEADING}/text`, message: "Value of 'Form' component cannot be used in form binding" },
  },
  {
    id: 'expr-ref-form-subpath-of-string-input',
    rule: 'Only a CalendarPicker range value has sub-keys',
    flow: heading({ text: '${form.full_name.first}' }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${HEADING}/text` },
  },
  {
    id: 'expr-ref-global-before-4',
    rule: 'Global ${screen.X.form.y} references need 4.0',
    flow: confirmBody({ text: '${screen.DETAILS.form.full_name}' }, '3.1'),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: `${CONFIRM_BODY}/text`, message: 'needs Flow JSON 4.0' },
  },
  {
    id: 'expr-ref-global-before-4-in-payload',
    rule: 'Global references in a payload need 4.0',
    flow: mutate(staticFlow('3.1'), (f) => {
      f.screens[1].layout.children[1]['on-click-action'].payload.full_name = '${screen.DETAILS.form.full_name}';
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${COMPLETE_PAYLOAD}/full_name` },
  },
  {
    id: 'expr-ref-global-unknown-screen',
    rule: 'Global references name an existing screen',
    flow: confirmBody({ text: '${screen.PAYMENT.form.full_name}' }),
    expect: {
      code: 'INVALID_SCREEN_DYNAMIC_DATA',
      pointer: `${CONFIRM_BODY}/text`,
      message: "Global Dynamic data '${screen.PAYMENT.form.full_name}' on screen 'PAYMENT' does not exist, but is used on screen 'CONFIRM'",
    },
  },
  {
    id: 'expr-ref-global-unknown-form-field',
    rule: 'Global form references name an input of that screen',
    flow: confirmBody({ text: '${screen.DETAILS.form.phone}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${CONFIRM_BODY}/text` },
  },
  {
    id: 'expr-ref-global-unknown-data-field',
    rule: 'Global data references name a declared field of that screen',
    flow: heading({ text: '${screen.CONFIRM.data.phone}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${HEADING}/text`, message: "is used on screen 'DETAILS'" },
  },
  {
    id: 'expr-ref-global-unknown-in-complete-payload',
    rule: 'Global references in a payload must exist',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].layout.children[1]['on-click-action'].payload.nick = '${screen.DETAILS.form.nick}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${COMPLETE_PAYLOAD}/nick` },
  },
  {
    id: 'expr-type-heading-text-array',
    rule: 'TextHeading.text cannot bind an array',
    flow: booking({ type: 'TextHeading', text: '${data.slots}' }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_EXTRA}/text`, message: 'of type array cannot be used' },
  },
  {
    id: 'expr-type-body-text-object',
    rule: 'TextBody.text cannot bind an object',
    flow: booking({ type: 'TextBody', text: '${data.profile}' }, profile),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_EXTRA}/text` },
  },
  {
    id: 'expr-type-visible-string-data',
    rule: 'visible binds a boolean',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[1].layout.children[0].visible = '${data.slot}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: '/screens/1/layout/children/0/visible' },
  },
  {
    id: 'expr-type-visible-string-input',
    rule: 'visible cannot bind a text input',
    flow: heading({ visible: '${form.full_name}' }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${HEADING}/visible` },
  },
  {
    id: 'expr-type-required-string',
    rule: 'required binds a boolean',
    flow: mutate(endpointFlow(), (f) => {
      Object.assign(f.screens[0].data, label);
      f.screens[0].layout.children[0].children[0].required = '${data.label}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_FORM}/children/0/required` },
  },
  {
    id: 'expr-type-data-source-string',
    rule: 'data-source binds an array',
    flow: mutate(endpointFlow(), (f) => {
      Object.assign(f.screens[0].data, label);
      f.screens[0].layout.children[0].children[0]['data-source'] = '${data.label}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_FORM}/children/0/data-source` },
  },
  {
    id: 'expr-type-error-messages-string',
    rule: 'Form error-messages binds an object',
    flow: mutate(endpointFlow(), (f) => {
      Object.assign(f.screens[0].data, label);
      f.screens[0].layout.children[0]['error-messages'] = '${data.label}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_FORM}/error-messages` },
  },
  {
    id: 'expr-type-init-values-array',
    rule: 'Form init-values binds an object',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0]['init-values'] = '${data.slots}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: `${BOOKING_FORM}/init-values` },
  },
  {
    id: 'expr-type-screen-title-array',
    rule: 'A screen title binds a string',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].title = '${data.slots}';
    }),
    expect: { code: 'INVALID_SCREEN_DYNAMIC_DATA', pointer: '/screens/0/title' },
  },
  {
    id: 'expr-type-global-input-in-visible',
    rule: 'A global form reference must fit the property type too',
    flow: confirmBody({ visible: '${screen.DETAILS.form.email}' }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${CONFIRM_BODY}/visible` },
  },
  {
    id: 'expr-type-optin-in-heading',
    rule: 'An OptIn value (boolean) cannot be a heading text',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children.splice(3, 0, { type: 'OptIn', name: 'agree', label: 'I agree' });
      f.screens[0].layout.children[0].text = '${form.agree}';
    }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${HEADING}/text` },
  },
  {
    id: 'expr-type-checkbox-in-heading',
    rule: 'A CheckboxGroup value (array) cannot be a heading text',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children.splice(3, 0, {
        type: 'CheckboxGroup',
        name: 'topics',
        label: 'Topics',
        'data-source': [{ id: 'a', title: 'A' }],
      });
      f.screens[0].layout.children[0].text = '${form.topics}';
    }),
    expect: { code: 'INVALID_PROPERTY_TYPE', pointer: `${HEADING}/text` },
  },
];
