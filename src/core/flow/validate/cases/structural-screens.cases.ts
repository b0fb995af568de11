/**
 * Corpus: screen objects, layouts, screen `data` declarations and the number
 * of components and screens (spec §1.3–§1.5, §1.11).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import {
  longFlow,
  onScreen,
  structuralCase,
} from '../structural/case-kit.js';

const C = {
  key: 'INVALID_PROPERTY_KEY',
  missing: 'MISSING_REQUIRED_TYPE_PROPERTY',
  type: 'INVALID_PROPERTY_TYPE',
  enumValue: 'INVALID_ENUM_VALUE',
  data: 'INVALID_SCREEN_DATA',
} as const;

const make = structuralCase;

const texts = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'TextBody', text: `Line ${i}` }));

export const cases: ValidationCase[] = [
  make('screen-unknown-key', 'Screens accept only documented keys', mutate(staticFlow(), (f) => {
    f.screens[0].footer = true;
  }), C.key, '/screens/0/footer', "Property 'footer' cannot be specified at /screens/0"),
  make('screen-sensitive-before-5-1', '`sensitive` needs Flow JSON 5.1', mutate(staticFlow('5.0'), (f) => {
    f.screens[0].sensitive = ['email'];
  }), C.key, '/screens/0/sensitive'),
  make('screen-success-before-3-1', '`success` needs Flow JSON 3.1', staticFlow('3.0'), C.key, '/screens/1/success'),
  make('screen-missing-id', 'Every screen has an id', mutate(staticFlow(), (f) => {
    delete f.screens[0].id;
  }), C.missing, '/screens/0', "Required property 'id' is missing"),
  make('screen-id-not-string', 'A screen id is a string', mutate(staticFlow(), (f) => {
    f.screens[0].id = 1;
  }), C.type, '/screens/0/id'),
  make('screen-not-object', 'Screens are objects', mutate(staticFlow(), (f) => {
    f.screens.push('CONFIRM');
  }), C.type, '/screens/2', 'to be of type object, but found string'),
  make('screen-title-not-string', 'Screen title is a string', mutate(staticFlow(), (f) => {
    f.screens[0].title = 42;
  }), C.type, '/screens/0/title', 'to be of type string, but found integer'),
  make('screen-refresh-on-back-not-boolean', 'refresh_on_back is a boolean', mutate(endpointFlow(), (f) => {
    f.screens[0].refresh_on_back = 'no';
  }), C.type, '/screens/0/refresh_on_back'),
  make('screen-sensitive-not-array', '`sensitive` is an array of names', mutate(staticFlow(), (f) => {
    f.screens[0].sensitive = 'email';
  }), C.type, '/screens/0/sensitive'),
  make('screen-data-not-object', 'Screen `data` is an object', mutate(staticFlow(), (f) => {
    f.screens[0].data = [];
  }), C.type, '/screens/0/data'),
  make('layout-wrong-type', 'The only layout is SingleColumnLayout', mutate(staticFlow(), (f) => {
    f.screens[0].layout.type = 'TwoColumnLayout';
  }), C.enumValue, '/screens/0/layout/type', 'Value should be one of: [SingleColumnLayout]'),
  make('layout-missing-type', 'layout.type is required', mutate(staticFlow(), (f) => {
    delete f.screens[0].layout.type;
  }), C.missing, '/screens/0/layout', "Required property 'type' is missing"),
  make('layout-unknown-key', 'Layouts accept only type and children', mutate(staticFlow(), (f) => {
    f.screens[0].layout.padding = 8;
  }), C.key, '/screens/0/layout/padding'),
  make('component-not-object', 'Layout children are component objects', mutate(staticFlow(), (f) => {
    f.screens[0].layout.children.push('Footer');
  }), C.type, '/screens/0/layout/children/2', 'to be of type object, but found string'),
  make('too-many-components', 'At most 50 components per screen, nested ones included', onScreen(texts(45)),
    'MAX_ALLOWED_COMPONENTS_PER_SCREEN', '/screens/0/layout/children', 'allowed per screen is 50 but found 51'),
  {
    id: 'structural-near-component-limit',
    rule: 'A screen with 45 or more components gets a near-limit warning',
    flow: onScreen(texts(40)),
    expect: { code: 'FB_NEAR_LIMIT', pointer: '/screens/0/layout/children', severity: 'warning', message: '46 components' },
  },
  {
    id: 'structural-near-screen-limit',
    rule: 'A flow with 90 or more screens gets a near-limit warning',
    flow: longFlow(88),
    expect: { code: 'FB_NEAR_LIMIT', pointer: '/screens', severity: 'warning', message: '90 screens' },
  },
  make('data-field-missing-type', 'Every data field declares a type', mutate(endpointFlow(), (f) => {
    delete f.screens[1].data.slot.type;
  }), C.data, '/screens/1/data/slot', "Missing the definition of property 'type'"),
  make('data-field-type-unknown', 'Data field types are JSON-Schema types', mutate(endpointFlow(), (f) => {
    f.screens[1].data.slot.type = 'date';
  }), C.data, '/screens/1/data/slot/type', 'Value should be one of'),
  make('data-field-type-not-string', 'A data field type is a string', mutate(endpointFlow(), (f) => {
    f.screens[1].data.slot.type = ['string'];
  }), C.data, '/screens/1/data/slot/type', "Expected the property 'type' to be of type string"),
  make('data-array-missing-items', 'Array data fields declare items', mutate(endpointFlow(), (f) => {
    delete f.screens[0].data.slots.items;
  }), C.data, '/screens/0/data/slots', "Missing the schema for property 'items' in array"),
  make('data-array-items-invalid', 'Array items are a boolean or a schema object', mutate(endpointFlow(), (f) => {
    f.screens[0].data.slots.items = 'object';
  }), C.data, '/screens/0/data/slots/items', "Expected the property 'items' to be of type boolean or object"),
  make('data-items-missing-type', 'Nested schemas declare a type too', mutate(endpointFlow(), (f) => {
    delete f.screens[0].data.slots.items.properties.id.type;
  }), C.data, '/screens/0/data/slots/items/properties/id'),
  make('data-properties-not-object', 'Object `properties` is an object', mutate(endpointFlow(), (f) => {
    f.screens[0].data.slots.items.properties = ['id', 'title'];
  }), C.data, '/screens/0/data/slots/items/properties'),
  make('data-missing-example', 'Every data field has an __example__', mutate(endpointFlow(), (f) => {
    delete f.screens[1].data.slot.__example__;
  }), C.data, '/screens/1/data/slot', "Required property '__example__' is missing"),
  make('data-example-nested', '__example__ only at the top level of a field', mutate(endpointFlow(), (f) => {
    f.screens[0].data.slots.items.__example__ = { id: '1', title: '08:00' };
  }), C.data, '/screens/0/data/slots/items/__example__', 'allowed only as a top level property'),
  make('data-example-type-mismatch', 'The example matches the declared type', mutate(endpointFlow(), (f) => {
    f.screens[1].data.slot.__example__ = 800;
  }), C.data, '/screens/1/data/slot/__example__', 'to be of type string, but found integer'),
  make('data-example-item-mismatch', 'Array examples match the items schema', mutate(endpointFlow(), (f) => {
    f.screens[0].data.slots.__example__ = [{ id: 1, title: '08:00' }];
  }), C.data, '/screens/0/data/slots/__example__/0/id'),
  make('data-example-integer-mismatch', 'An integer field needs an integer example', mutate(staticFlow(), (f) => {
    f.screens[0].data = { count: { type: 'integer', __example__: 1.5 } };
  }), C.data, '/screens/0/data/count/__example__'),
  make('data-field-not-object', 'A data field is a schema object', mutate(staticFlow(), (f) => {
    f.screens[0].data = { greeting: 'hello' };
  }), C.data, '/screens/0/data/greeting'),
];
