/**
 * Corpus: action objects — the action names each property allows per
 * version, their required parts and keys (spec §1.8).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import type { JsonObject } from '../../json.js';
import {
  ENDPOINT_FOOTER,
  ENDPOINT_FORM,
  IN_FORM,
  inEndpointForm,
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
  key: 'INVALID_PROPERTY_KEY',
  missing: 'MISSING_REQUIRED_TYPE_PROPERTY',
  type: 'INVALID_PROPERTY_TYPE',
  enumValue: 'INVALID_ENUM_VALUE',
} as const;

const make = structuralCase;

const link = (action: JsonObject): JsonObject => ({ type: 'EmbeddedLink', text: 'Read the terms', 'on-click-action': action });
const update = { name: 'update_data', payload: {} };
/** What a navigate to CONFIRM must carry (its data model). */
const confirmPayload = { full_name: 'Ann', email: 'ann@example.com', plan: 'basic' };
const options = [
  { id: 'a', title: 'A' },
  { id: 'b', title: 'B' },
];
/** Edit the action of the terminal screen's Footer (complete). */
const terminalAction = (edit: (action: any) => void) => mutate(staticFlow(), (f) => edit(f.screens[1].layout.children[1]['on-click-action']));
/** Edit the action of the endpoint flow's Footer (data_exchange). */
const exchangeAction = (edit: (action: any) => void) =>
  mutate(endpointFlow(), (f) => edit(f.screens[0].layout.children[0].children[1]['on-click-action']));

export const cases: ValidationCase[] = [
  make('complete-on-embedded-link', '`complete` only on a Footer', onTerminal(link({ name: 'complete', payload: {} })), C.enumValue, `${ON_TERMINAL}/on-click-action/name`, 'Value should be one of: [navigate, data_exchange, open_url]'),
  make('open-url-before-6-0', '`open_url` needs 6.0', onTerminal(link({ name: 'open_url', url: 'https://example.com' }), '5.1'), C.enumValue, `${ON_TERMINAL}/on-click-action/name`, 'Value should be one of: [navigate, data_exchange]'),
  make('open-url-on-footer', '`open_url` is not a Footer action', terminalAction((a) => {
    a.name = 'open_url';
    a.url = 'https://example.com';
    delete a.payload;
  }), C.enumValue, `${TERMINAL_FOOTER}/on-click-action/name`),
  make('update-data-before-6-0', '`update_data` on lists needs 6.0', inForm({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': options, 'on-select-action': update }, '5.1'), C.enumValue, `${IN_FORM}/on-select-action/name`, 'Value should be one of: [data_exchange]'),
  make('update-data-on-footer', '`update_data` is not a Footer action', terminalAction((a) => {
    a.name = 'update_data';
  }), C.enumValue, `${TERMINAL_FOOTER}/on-click-action/name`),
  make('unknown-action-name', 'Action names are Meta\'s', terminalAction((a) => {
    a.name = 'submit';
  }), C.enumValue, `${TERMINAL_FOOTER}/on-click-action/name`, 'Value should be one of: [navigate, data_exchange, complete]'),
  make('action-missing-name', 'Actions have a name', terminalAction((a) => {
    delete a.name;
  }), C.missing, `${TERMINAL_FOOTER}/on-click-action`, "Required property 'name' is missing"),
  make('action-name-not-string', 'An action name is a string', terminalAction((a) => {
    a.name = 3;
  }), C.type, `${TERMINAL_FOOTER}/on-click-action/name`),
  make('action-not-object', 'An action is an object', mutate(staticFlow(), (f) => {
    f.screens[1].layout.children[1]['on-click-action'] = 'complete';
  }), C.type, `${TERMINAL_FOOTER}/on-click-action`),
  make('action-unknown-key', 'Actions accept only their documented keys', terminalAction((a) => {
    a.target = 'self';
  }), C.key, `${TERMINAL_FOOTER}/on-click-action/target`),
  make('complete-with-next', '`next` belongs to navigate only', terminalAction((a) => {
    a.next = { type: 'screen', name: 'DETAILS' };
  }), 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', `${TERMINAL_FOOTER}/on-click-action/next`, "cannot be specified at on-click-action 'complete'"),
  make('data-exchange-with-url', '`url` belongs to open_url only', exchangeAction((a) => {
    a.url = 'https://example.com';
  }), 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', `${ENDPOINT_FOOTER}/on-click-action/url`),
  make('payload-not-object', 'A payload is an object', terminalAction((a) => {
    a.payload = 'all';
  }), C.type, `${TERMINAL_FOOTER}/on-click-action/payload`),
  make('navigate-next-type-enum', '`next.type` is "screen"', onScreen(link({ name: 'navigate', next: { type: 'plugin', name: 'CONFIRM' }, payload: confirmPayload })), C.enumValue, `${ON_SCREEN}/on-click-action/next/type`, 'Value should be one of: [screen]'),
  make('navigate-next-missing-type', '`next.type` is required', onScreen(link({ name: 'navigate', next: { name: 'CONFIRM' }, payload: confirmPayload })), C.missing, `${ON_SCREEN}/on-click-action/next`, "Required property 'type' is missing"),
  make('navigate-next-not-object', '`next` is an object', onScreen(link({ name: 'navigate', next: 'CONFIRM', payload: confirmPayload })), C.type, `${ON_SCREEN}/on-click-action/next`),
  make('open-url-missing-url', '`open_url` needs a url', onTerminal(link({ name: 'open_url' })), C.missing, `${ON_TERMINAL}/on-click-action`, "Required property 'url' is missing"),
  make('open-url-bad-url', '`open_url` url is a URI', onTerminal(link({ name: 'open_url', url: 'example dot com' })), 'INVALID_PROPERTY_VALUE_FORMAT', `${ON_TERMINAL}/on-click-action/url`, "should be in 'uri' format"),
  make('open-url-with-payload', '`open_url` has no payload', onTerminal(link({ name: 'open_url', url: 'https://example.com', payload: {} })), 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', `${ON_TERMINAL}/on-click-action/payload`),
  make('update-data-missing-payload', '`update_data` needs a payload', inForm({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': options, 'on-select-action': { name: 'update_data' } }), C.missing, `${IN_FORM}/on-select-action`, "Required property 'payload' is missing"),
  make('item-action-data-exchange', 'Data-source item actions are update_data only', inEndpointForm({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': [{ id: 'a', title: 'A', 'on-select-action': { name: 'data_exchange', payload: {} } }] }), C.enumValue, `${ENDPOINT_FORM}/data-source/0/on-select-action/name`, 'Value should be one of: [update_data]'),
  make('unselect-data-exchange', '`on-unselect-action` is update_data only', inEndpointForm({ type: 'CheckboxGroup', name: 'extras', label: 'Extras', 'data-source': options, 'on-unselect-action': { name: 'data_exchange', payload: {} } }), C.enumValue, `${ENDPOINT_FORM}/on-unselect-action/name`),
  make('datepicker-update-data', 'DatePicker `on-select-action` is data_exchange only', inEndpointForm({ type: 'DatePicker', name: 'day', label: 'Day', 'on-select-action': update }), C.enumValue, `${ENDPOINT_FORM}/on-select-action/name`, 'Value should be one of: [data_exchange]'),
  make('chips-update-data-before-7-1', 'ChipsSelector `update_data` needs 7.1', inForm({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': options, 'on-select-action': update }, '7.0'), C.enumValue, `${IN_FORM}/on-select-action/name`),
  make('chips-unselect-before-7-1', 'ChipsSelector `on-unselect-action` needs 7.1', inForm({ type: 'ChipsSelector', name: 'tags', label: 'Tags', 'data-source': options, 'on-unselect-action': update }, '7.0'), C.key, `${IN_FORM}/on-unselect-action`),
  make('optin-select-data-exchange', 'OptIn `on-select-action` is update_data only', inEndpointForm({ type: 'OptIn', name: 'agree', label: 'I agree', 'on-select-action': { name: 'data_exchange', payload: {} } }), C.enumValue, `${ENDPOINT_FORM}/on-select-action/name`, 'Value should be one of: [update_data]'),
  make('navigation-list-complete', 'NavigationList actions are navigate or data_exchange', navigationScreen([{ ...navigationList(), 'list-items': [navigationItem('a'), { id: 'b', 'main-content': { title: 'B' }, 'on-click-action': update }] }]), C.enumValue, '/screens/0/layout/children/0/list-items/1/on-click-action/name', 'Value should be one of: [navigate, data_exchange]'),
  make('footer-missing-action', 'Footer `on-click-action` is required', mutate(staticFlow(), (f) => {
    delete f.screens[1].layout.children[1]['on-click-action'];
  }), C.missing, TERMINAL_FOOTER, "Required property 'on-click-action' is missing"),
  make('embedded-link-missing-action', 'EmbeddedLink `on-click-action` is required', onTerminal({ type: 'EmbeddedLink', text: 'Terms' }), C.missing, ON_TERMINAL),
];
