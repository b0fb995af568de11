 
/**
 * Corpus: routing model, supplied or derived from navigate actions (spec §1.10).
 * @module
 */
import { endpointFlow, staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';
import { exchangeScreen, link, navigateTo, screenWith, terminalScreen } from '../semantic/case-builders.js';

const CONFIRM_PAYLOAD = { full_name: 'Ann', email: 'ann@example.com', plan: 'basic' };

export const cases: ValidationCase[] = [
  {
    id: 'semantic-routing-missing-screen',
    rule: 'routing_model covers every screen',
    flow: mutate(endpointFlow(), (f) => {
      f.routing_model = { BOOKING: [] };
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model', message: 'Following screens are missing in the routing model: DONE' },
  },
  {
    id: 'semantic-routing-unknown-key',
    rule: 'routing_model keys are screen ids',
    flow: mutate(endpointFlow(), (f) => {
      f.routing_model.RECEIPT = [];
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model/RECEIPT', message: 'Invalid screens found in the routing model: RECEIPT' },
  },
  {
    id: 'semantic-routing-unknown-target',
    rule: 'routing_model targets are screen ids',
    flow: mutate(endpointFlow(), (f) => {
      f.routing_model.BOOKING.push('RECEIPT');
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model/BOOKING/1', message: 'RECEIPT' },
  },
  {
    id: 'semantic-routing-self-route',
    rule: 'A screen does not route to itself',
    flow: mutate(endpointFlow(), (f) => {
      f.routing_model.BOOKING.push('BOOKING');
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model/BOOKING/1', message: 'Loop detected' },
  },
  {
    id: 'semantic-routing-backward-route',
    rule: 'No backward route',
    flow: mutate(endpointFlow(), (f) => {
      f.routing_model.DONE = ['BOOKING'];
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model/DONE/0', message: 'Backward route [DONE->BOOKING]' },
  },
  {
    id: 'semantic-routing-loop',
    rule: 'No loops in the routing model',
    flow: mutate(endpointFlow(), (f) => {
      f.screens.push(exchangeScreen('STEP_A'), exchangeScreen('STEP_B'), exchangeScreen('STEP_C'));
      f.routing_model = { BOOKING: ['STEP_A'], STEP_A: ['STEP_B'], STEP_B: ['STEP_C', 'DONE'], STEP_C: ['STEP_A'], DONE: [] };
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model', message: 'Loop detected in the routing model for screens: STEP_A, STEP_B, STEP_C' },
  },
  {
    id: 'semantic-routing-disconnected',
    rule: 'Every screen reachable from the entry screen',
    flow: mutate(endpointFlow(), (f) => {
      f.screens.push(exchangeScreen('EXTRA'));
      f.routing_model.EXTRA = [];
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/screens/2', message: 'not connected with the rest of the screens : EXTRA' },
  },
  {
    id: 'semantic-routing-too-many-branches',
    rule: 'At most 10 branches per screen',
    flow: mutate(endpointFlow(), (f) => {
      const ids = 'ABCDEFGHIJK'.split('').map((c) => `STEP_${c}`);
      for (const id of ids) {
        f.screens.push(terminalScreen(id));
        f.routing_model[id] = [];
      }
      f.routing_model.BOOKING = ['DONE', ...ids];
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model/BOOKING', message: 'Number of branches exceeds the max limit of 10 for screen: BOOKING' },
  },
  {
    id: 'semantic-routing-missing-navigate-route',
    rule: 'Every navigate edge is in the routing model',
    flow: mutate(endpointFlow(), (f) => {
      f.screens.push(exchangeScreen('INFO'));
      f.routing_model = { BOOKING: ['DONE', 'INFO'], DONE: [], INFO: [] };
      f.screens[1].layout.children.splice(1, 0, link(navigateTo('INFO')));
    }),
    expect: {
      code: 'INVALID_ROUTING_MODEL',
      pointer: '/screens/1/layout/children/1/on-click-action/next/name',
      message: "Missing direct route from screen 'DONE' to screen 'INFO'",
    },
  },
  {
    id: 'semantic-routing-no-entry',
    rule: 'The routing model has an entry screen',
    flow: mutate(endpointFlow(), (f) => {
      f.screens.push(exchangeScreen('STEP_A'));
      f.routing_model = { BOOKING: ['STEP_A'], STEP_A: ['DONE'], DONE: ['BOOKING'] };
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/routing_model', message: 'No entry screen found in the routing model. Expected a screen with no inbound edges' },
  },
  {
    id: 'semantic-routing-static-model-missing-navigate',
    rule: 'A routing_model given without endpoint still lists navigate edges',
    flow: mutate(staticFlow(), (f) => {
      f.routing_model = { DETAILS: [], CONFIRM: [] };
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/screens/0/layout/children/1/children/3/on-click-action/next/name', message: 'Missing direct route' },
  },
  {
    id: 'semantic-derived-isolated-screen',
    rule: 'Without endpoint every screen is connected by navigate actions',
    flow: mutate(staticFlow(), (f) => {
      f.screens.push(terminalScreen('EXTRA'));
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/screens/2', message: 'Following screens are not connected to any of the screens: EXTRA' },
  },
  {
    id: 'semantic-derived-unreachable-screen',
    rule: 'Without endpoint every screen is reachable from the entry',
    flow: mutate(staticFlow(), (f) => {
      f.screens.push(screenWith('EXTRA', navigateTo('CONFIRM', CONFIRM_PAYLOAD)));
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/screens/2', message: 'via navigate screen action: EXTRA' },
  },
  {
    id: 'semantic-derived-loop',
    rule: 'Without endpoint navigate actions form no loop',
    flow: mutate(staticFlow(), (f) => {
      f.screens[1].layout.children.splice(1, 0, link(navigateTo('DETAILS')));
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/screens', message: 'Add a screen that is not used as the next screen' },
  },
  {
    id: 'semantic-derived-loop-with-entry',
    rule: 'Without endpoint navigate actions form no loop',
    flow: mutate(staticFlow(), (f) => {
      f.screens.splice(1, 0, screenWith('REVIEW', navigateTo('CONFIRM', CONFIRM_PAYLOAD)));
      f.screens[0].layout.children[1].children[3]['on-click-action'] = navigateTo('REVIEW');
      f.screens[2].layout.children.splice(1, 0, link(navigateTo('REVIEW')));
    }),
    expect: { code: 'INVALID_ROUTING_MODEL', pointer: '/screens/1', message: 'Loop detected in the routing model for screens: REVIEW, CONFIRM' },
  },
];
