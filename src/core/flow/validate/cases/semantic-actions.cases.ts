 
/**
 * Corpus: navigate targets and payloads, media pickers and Form names in
 * payloads, update_data (spec §1.4, §1.8).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import { link, navigateTo } from '../semantic/case-builders.js';

const FOOTER = '/screens/0/layout/children/1/children/3/on-click-action';
const EP_FOOTER = '/screens/0/layout/children/0/children/1/on-click-action';

/** endpointFlow with a picker on DONE (outside any Form) and DONE's Footer payload replaced. */
const pickerInDone = (picker: object, payload: object) =>
  mutate(endpointFlow(), (f) => {
    f.screens[1].layout.children.splice(1, 0, picker);
    f.screens[1].layout.children[2]['on-click-action'].payload = payload;
  });

export const cases: ValidationCase[] = [
  {
    id: 'semantic-navigate-same-screen',
    rule: 'navigate cannot target its own screen',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children.push(link(navigateTo('DETAILS')));
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME', pointer: '/screens/0/layout/children/2/on-click-action/next/name', message: 'Same screen navigation is not allowed' },
  },
  {
    id: 'semantic-navigate-unknown-screen',
    rule: 'navigate targets an existing screen',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children.push(link(navigateTo('NOWHERE')));
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME', pointer: '/screens/0/layout/children/2/on-click-action/next/name', message: 'Unknown screen ids found: [NOWHERE]' },
  },
  {
    id: 'semantic-navigate-payload-no-data-model',
    rule: 'A navigate payload needs a data model on the next screen',
    flow: mutate(staticFlow(), (f) => {
      f.screens.push({ id: 'INFO', title: 'Info', layout: { type: 'SingleColumnLayout', children: [{ type: 'TextBody', text: 'Info' }] } });
      f.screens[1].layout.children.splice(1, 0, link(navigateTo('INFO', { topic: 'plans' })));
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: '/screens/1/layout/children/1/on-click-action/payload', message: "No data model is defined in the next screen 'INFO'" },
  },
  {
    id: 'semantic-navigate-payload-extra-field',
    rule: "Navigate payload keys are declared in the next screen's data",
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[3]['on-click-action'].payload.nickname = 'Al';
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: `${FOOTER}/payload/nickname`, message: "missing in the next screen's data model: [nickname]" },
  },
  {
    id: 'semantic-navigate-payload-missing-field',
    rule: 'Without endpoint every declared field is in the navigate payload',
    flow: mutate(staticFlow(), (f) => {
      delete f.screens[0].layout.children[1].children[3]['on-click-action'].payload.plan;
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: `${FOOTER}/payload`, message: 'missing in payload: [plan]' },
  },
  {
    id: 'semantic-navigate-payload-static-type',
    rule: 'Static navigate payload values match the declared type',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[3]['on-click-action'].payload.plan = 3;
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: `${FOOTER}/payload/plan`, message: "Property is expecting 'string' but got 'integer'" },
  },
  {
    id: 'semantic-navigate-payload-binding-type',
    rule: 'A navigate payload binding has the type the next screen declares',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].data.email = { type: 'boolean', __example__: true };
      f.screens[1].layout.children[1]['on-click-action'].payload.email = '${data.full_name}';
    }),
    expect: {
      code: 'INVALID_NAVIGATE_ACTION_PAYLOAD',
      pointer: `${FOOTER}/payload/email`,
      message: "Schema of dynamic data '${form.email}' is not matching schema of data model field 'email' on screen 'CONFIRM'. Property is expecting 'boolean' but got 'string'",
    },
  },
  {
    id: 'semantic-navigate-payload-checkbox-into-string',
    rule: 'A CheckboxGroup value (array) cannot fill a string field',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[2] = { type: 'CheckboxGroup', name: 'plan', label: 'Plan', 'data-source': [{ id: 'basic', title: 'Basic' }] };
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: `${FOOTER}/payload/plan`, message: "expecting 'string' but got 'array'" },
  },
  {
    id: 'semantic-navigate-payload-extra-field-endpoint',
    rule: "With an endpoint, navigate payload keys are still declared in the next screen's data",
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children.push(link(navigateTo('DONE', { slot: '${form.slot}', coupon: 'X1' })));
    }),
    expect: { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: '/screens/0/layout/children/1/on-click-action/payload/coupon', message: '[coupon]' },
  },
  {
    id: 'semantic-picker-in-navigate-payload',
    rule: 'Picker values cannot be in navigate payloads',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children.splice(3, 0, { type: 'PhotoPicker', name: 'photo', label: 'Photo' });
      f.screens[0].layout.children[1].children[4]['on-click-action'].payload.photo = '${form.photo}';
      f.screens[1].data.photo = { type: 'array', items: { type: 'object' }, __example__: [] };
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: '/screens/0/layout/children/1/children/4/on-click-action/payload/photo', message: 'not allowed in the payload of navigate action' },
  },
  {
    id: 'semantic-picker-nested-in-data-exchange',
    rule: 'Picker values only as top-level strings of data_exchange payloads',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children.splice(1, 0, { type: 'PhotoPicker', name: 'photo', label: 'Photo' });
      f.screens[0].layout.children[0].children[2]['on-click-action'].payload.media = { files: '${form.photo}' };
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: '/screens/0/layout/children/0/children/2/on-click-action/payload/media/files', message: 'top-level string' },
  },
  {
    id: 'semantic-picker-in-array-of-complete',
    rule: 'Picker values only as top-level strings of complete payloads',
    flow: pickerInDone({ type: 'DocumentPicker', name: 'doc', label: 'Document', 'max-uploaded-documents': 1 }, { docs: ['${form.doc}'] }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: '/screens/1/layout/children/2/on-click-action/payload/docs/0', message: 'top-level string' },
  },
  {
    id: 'semantic-picker-complete-default-max',
    rule: 'A picker in a complete payload allows at most one file (default 30)',
    flow: pickerInDone({ type: 'PhotoPicker', name: 'photo', label: 'Photo' }, { photo: '${form.photo}' }),
    expect: {
      code: 'INVALID_ON_CLICK_ACTION_PAYLOAD',
      pointer: '/screens/1/layout/children/2/on-click-action/payload/photo',
      message: "PhotoPicker can only be used in complete action payload if value of property 'max-uploaded-photos' doesn't exceed 1",
    },
  },
  {
    id: 'semantic-picker-complete-max-three',
    rule: 'A picker in a complete payload allows at most one file',
    flow: pickerInDone({ type: 'DocumentPicker', name: 'doc', label: 'Document', 'max-uploaded-documents': 3 }, { doc: '${form.doc}' }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: '/screens/1/layout/children/2/on-click-action/payload/doc', message: "'max-uploaded-documents'" },
  },
  {
    id: 'semantic-two-pickers-in-complete',
    rule: 'At most one picker per complete payload',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children.splice(1, 0, { type: 'DocumentPicker', name: 'doc', label: 'Document', 'max-uploaded-documents': 1 });
      f.screens[1].layout.children.splice(1, 0, { type: 'PhotoPicker', name: 'photo', label: 'Photo', 'max-uploaded-photos': 1 });
      f.screens[1].layout.children[2]['on-click-action'].payload = { photo: '${form.photo}', doc: '${screen.BOOKING.form.doc}' };
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: '/screens/1/layout/children/2/on-click-action/payload', message: 'either a single PhotoPicker or a single DocumentPicker' },
  },
  {
    id: 'semantic-form-name-in-form-binding',
    rule: "A Form's own name is not a form value",
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children[1]['on-click-action'].payload.all = '${form.booking_form}';
    }),
    expect: { code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointer: `${EP_FOOTER}/payload/all`, message: "Value of 'Form' component cannot be used in form binding" },
  },
  {
    id: 'semantic-update-data-undeclared-key',
    rule: "update_data payload keys are declared in the screen's data",
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[2]['on-select-action'] = { name: 'update_data', payload: { chosen: '${form.plan}' } };
    }),
    expect: {
      code: 'INVALID_ACTION_PAYLOAD_PROPERTY',
      pointer: '/screens/0/layout/children/1/children/2/on-select-action/payload/chosen',
      message: 'The following property chosen does not exist in the screen data model',
    },
  },
  {
    id: 'semantic-update-data-undeclared-key-item',
    rule: 'update_data on a data-source item writes declared data only',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[2]['data-source'][1]['on-select-action'] = { name: 'update_data', payload: { pro: true } };
    }),
    expect: { code: 'INVALID_ACTION_PAYLOAD_PROPERTY', pointer: '/screens/0/layout/children/1/children/2/data-source/1/on-select-action/payload/pro' },
  },
];
