 
/**
 * Corpus: screen ids, terminal screens, endpoint-only features and
 * `sensitive` (spec §1.1, §1.3).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import { link, navigateTo, terminalScreen } from '../semantic/case-builders.js';

const renameConfirm = (id: string) =>
  mutate(staticFlow(), (f) => {
    f.screens[1].id = id;
    f.screens[0].layout.children[1].children[3]['on-click-action'].next.name = id;
  });

export const cases: ValidationCase[] = [
  {
    id: 'semantic-duplicate-screen-id',
    rule: 'Screen ids are unique',
    flow: mutate(staticFlow(), (f) => {
      f.screens.push(structuredClone(f.screens[1]));
    }),
    expect: { code: 'DUPLICATE_SCREEN_IDS', pointer: '/screens/2/id', message: 'Duplicate screen id found: CONFIRM' },
  },
  {
    id: 'semantic-screen-id-with-digit',
    rule: 'Screen id has letters and underscores only',
    flow: renameConfirm('CONFIRM_2'),
    expect: { code: 'PATTERN_MISMATCH', pointer: '/screens/1/id', message: 'alphabets and underscores' },
  },
  {
    id: 'semantic-screen-id-with-dash',
    rule: 'Screen id has letters and underscores only',
    flow: renameConfirm('CONFIRM-ORDER'),
    expect: { code: 'PATTERN_MISMATCH', pointer: '/screens/1/id' },
  },
  {
    id: 'semantic-screen-id-success-lowercase',
    rule: 'Screen id success is reserved',
    flow: renameConfirm('success'),
    expect: { code: 'SCREEN_ID_IS_RESERVED_KEYWORD', pointer: '/screens/1/id', message: "Screen id cannot be 'success'" },
  },
  {
    id: 'semantic-screen-id-success-uppercase',
    rule: 'Screen id SUCCESS is reserved whatever its case',
    flow: renameConfirm('SUCCESS'),
    expect: { code: 'SCREEN_ID_IS_RESERVED_KEYWORD', pointer: '/screens/1/id' },
  },
  {
    id: 'semantic-no-terminal-screen',
    rule: 'At least one terminal screen',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[1].terminal = false;
      f.screens[1].layout.children[1]['on-click-action'] = { name: 'data_exchange', payload: {} };
    }),
    expect: { code: 'MISSING_TERMINAL_SCREEN', pointer: '/screens', message: 'Terminal screen is required' },
  },
  {
    id: 'semantic-terminal-without-footer',
    rule: 'Every terminal screen has a Footer',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].layout.children.pop();
    }),
    expect: { code: 'MISSING_FOOTER_ON_TERMINAL_SCREEN', pointer: '/screens/1', message: 'CONFIRM' },
  },
  {
    id: 'semantic-success-on-non-terminal',
    rule: 'success only on terminal screens',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].success = true;
    }),
    expect: { code: 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', pointer: '/screens/0/success', message: "Property 'success' can only be specified on a terminal screen" },
  },
  {
    id: 'semantic-no-successful-terminal',
    rule: 'At least one terminal screen has success true',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].success = false;
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/1/success', message: "At least one terminal screen must have property 'success' set as true" },
  },
  {
    id: 'semantic-complete-on-non-terminal',
    rule: 'complete only on terminal screens',
    flow: mutate(staticFlow(), (f) => {
      const form = f.screens[0].layout.children[1];
      const footer = form.children[3];
      f.screens[0].layout.children.push(link(footer['on-click-action'], 'Review'));
      footer['on-click-action'] = { name: 'complete', payload: {} };
    }),
    expect: { code: 'INVALID_COMPLETE_ACTION', pointer: '/screens/0/layout/children/1/children/3/on-click-action', message: 'terminal screen' },
  },
  {
    id: 'semantic-navigate-on-terminal-footer',
    rule: "A terminal screen's Footer should end the flow, not navigate (warning)",
    flow: mutate(staticFlow(), (f) => {
      f.screens.push(terminalScreen('THANKS'));
      f.screens[1].layout.children[1]['on-click-action'] = navigateTo('THANKS');
    }),
    expect: { code: 'FB_NAVIGATE_ON_TERMINAL_FOOTER', pointer: '/screens/1/layout/children/1/on-click-action', severity: 'warning', message: "terminal screen 'CONFIRM'" },
  },
  {
    id: 'semantic-refresh-on-back-without-endpoint',
    rule: 'refresh_on_back true needs data_api_version',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].refresh_on_back = true;
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/0/refresh_on_back', message: "Property 'refresh_on_back' can be true only when property 'data_api_version' is set" },
  },
  {
    id: 'semantic-data-exchange-without-endpoint',
    rule: 'data_exchange needs data_api_version',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[2]['on-select-action'] = { name: 'data_exchange', payload: {} };
    }),
    expect: {
      code: 'MISSING_REQUIRED_PROPERTY',
      pointer: '/screens/0/layout/children/1/children/2/on-select-action/name',
      message: "The property 'data_api_version' is required for data_exchange action",
    },
  },
  {
    id: 'semantic-sensitive-unknown-field',
    rule: 'sensitive names inputs of the screen',
    flow: mutate(staticFlow(), (f) => {
      f.screens[0].sensitive = ['password'];
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/0/sensitive/0', message: "'password'" },
  },
  {
    id: 'semantic-sensitive-names-other-screen-field',
    rule: 'sensitive names inputs of that screen, not of another',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].sensitive = ['email'];
    }),
    expect: { code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/1/sensitive/0' },
  },
  {
    id: 'semantic-complete-on-non-terminal-endpoint',
    rule: 'complete only on terminal screens (endpoint flow)',
    flow: mutate(endpointFlow(), (f) => {
      f.screens[0].layout.children[0].children[1]['on-click-action'] = { name: 'complete', payload: {} };
      f.screens[0].layout.children.push(link(navigateTo('DONE', { slot: '${form.slot}' })));
    }),
    expect: { code: 'INVALID_COMPLETE_ACTION', pointer: '/screens/0/layout/children/0/children/1/on-click-action' },
  },
];
