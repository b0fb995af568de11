/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- cases edit arbitrary (even invalid) shapes through mutate's `any` */
/**
 * Helpers for the structural corpus cases (`cases/structural-*.cases.ts`):
 * place a component where it breaks only the rule under test, in a base flow
 * that is otherwise valid (inputs inside the Form, terminal-only actions on
 * the terminal screen, NavigationList alone on a non-terminal screen).
 * @module
 */
import type { JsonObject } from '../../json.js';
import { endpointFlow, staticFlow } from '../cases/base.js';
import { mutate, type ValidationCase } from '../cases/case.js';

/** The Form's children on the first screen of {@link staticFlow}. */
const FORM = '/screens/0/layout/children/1/children';
/** Where {@link inForm} puts the component. */
export const IN_FORM = `${FORM}/0`;
/** Where {@link onScreen} puts the component. */
export const ON_SCREEN = '/screens/0/layout/children/0';
/** Where {@link onTerminal} puts the component. */
export const ON_TERMINAL = '/screens/1/layout/children/0';
/** The TextInput `full_name` of {@link staticFlow} once nothing is inserted. */
export const BASE_INPUT = `${FORM}/0`;
/** The RadioButtonsGroup `plan` of {@link staticFlow}. */
export const BASE_RADIO = `${FORM}/2`;
/** The terminal screen's Footer (complete) of {@link staticFlow}. */
export const TERMINAL_FOOTER = '/screens/1/layout/children/1';
/** Where {@link inEndpointForm} puts the component. */
export const ENDPOINT_FORM = '/screens/0/layout/children/0/children/0';
/** The endpoint flow's Footer (data_exchange). */
export const ENDPOINT_FOOTER = '/screens/0/layout/children/0/children/1';

/** A structural corpus case (id prefixed `structural-`) expecting one finding `code` at `pointer` (and `message`, when given). */
export function structuralCase(id: string, rule: string, flow: JsonObject, code: string, pointer: string, message?: string): ValidationCase {
  return { id: `structural-${id}`, rule, flow, expect: message === undefined ? { code, pointer } : { code, pointer, message } };
}

/** {@link staticFlow} with components first in the first screen's Form (where inputs belong). */
export function inForm(components: JsonObject | JsonObject[], version = '7.3'): JsonObject {
  const list = Array.isArray(components) ? components : [components];
  return mutate(staticFlow(version), (f) => {
    f.screens[0].layout.children[1].children.unshift(...list);
  });
}

/** {@link staticFlow} with components first on the first screen, outside the Form (display components). */
export function onScreen(components: JsonObject | JsonObject[], version = '7.3'): JsonObject {
  const list = Array.isArray(components) ? components : [components];
  return mutate(staticFlow(version), (f) => {
    f.screens[0].layout.children.unshift(...list);
  });
}

/** {@link staticFlow} with components first on the terminal screen. */
export function onTerminal(components: JsonObject | JsonObject[], version = '7.3'): JsonObject {
  const list = Array.isArray(components) ? components : [components];
  return mutate(staticFlow(version), (f) => {
    f.screens[1].layout.children.unshift(...list);
  });
}

/** {@link endpointFlow} with components first in its Form. */
export function inEndpointForm(components: JsonObject | JsonObject[], version = '7.3'): JsonObject {
  const list = Array.isArray(components) ? components : [components];
  return mutate(endpointFlow(version), (f) => {
    f.screens[0].layout.children[0].children.unshift(...list);
  });
}

/** A valid NavigationList item navigating to the terminal screen of {@link staticFlow}. */
export function navigationItem(id: string): JsonObject {
  return {
    id,
    'main-content': { title: `Option ${id}` },
    'on-click-action': {
      name: 'navigate',
      next: { type: 'screen', name: 'CONFIRM' },
      payload: { full_name: 'Ann', email: 'ann@example.com', plan: id },
    },
  };
}

/** A valid NavigationList with two items. */
export function navigationList(name = 'choices'): JsonObject {
  return { type: 'NavigationList', name, 'list-items': [navigationItem('a'), navigationItem('b')] };
}

/** {@link staticFlow} whose first screen holds only these components (NavigationLists). */
export function navigationScreen(components: JsonObject[], version = '7.3'): JsonObject {
  return mutate(staticFlow(version), (f) => {
    f.screens[0].layout.children = components;
  });
}

/** Screen ids of letters only (Meta: alphabets and underscores). */
function letters(n: number): string {
  let out = '';
  let k = n;
  do {
    out = String.fromCharCode(65 + (k % 26)) + out;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return out;
}

/** {@link staticFlow} with `extra` screens chained in front of it by navigate Footers. */
export function longFlow(extra: number): JsonObject {
  return mutate(staticFlow(), (f) => {
    const ids = Array.from({ length: extra }, (_, i) => `PAGE_${letters(i)}`);
    const pages = ids.map((id, i) => ({
      id,
      title: 'Page',
      layout: {
        type: 'SingleColumnLayout',
        children: [
          { type: 'TextBody', text: 'Next page' },
          {
            type: 'Footer',
            label: 'Next',
            'on-click-action': { name: 'navigate', next: { type: 'screen', name: ids[i + 1] ?? 'DETAILS' }, payload: {} },
          },
        ],
      },
    }));
    f.screens.unshift(...pages);
  });
}

/** `n` copies of a component, each with a distinct `name` when it has one. */
export function copies(component: JsonObject, n: number): JsonObject[] {
  return Array.from({ length: n }, (_, i) =>
    typeof component.name === 'string' ? { ...component, name: `${component.name}_${letters(i).toLowerCase()}` } : { ...component },
  );
}
