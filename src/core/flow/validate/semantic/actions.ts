/**
 * Every action object of a screen, wherever Meta allows one: a component's
 * `on-click-action` / `on-select-action` / `on-unselect-action`, the
 * select/unselect actions of static `data-source` items, and the
 * `on-click-action` of static NavigationList `list-items`
 * (Meta, "Flow JSON" → "Actions"; spec §1.8).
 * @module
 */
import { childPointer } from '../../finding.js';
import { isObject, type JsonObject } from '../../json.js';
import type { ComponentVisit } from '../../walk.js';

/** An action with where it sits. */
export interface ActionVisit {
  readonly action: JsonObject;
  /** `action.name` when it is a string, else `''`. */
  readonly name: string;
  readonly pointer: string;
  /** The property holding the action, e.g. `on-click-action`. */
  readonly property: string;
  readonly component: ComponentVisit;
}

const actionKeys = ['on-click-action', 'on-select-action', 'on-unselect-action'] as const;

function visitActionsOf(
  holder: JsonObject,
  pointer: string,
  component: ComponentVisit,
  visit: (a: ActionVisit) => void,
): void {
  for (const property of actionKeys) {
    const action = holder[property];
    if (isObject(action)) {
      visit({ action, name: typeof action.name === 'string' ? action.name : '', pointer: childPointer(pointer, property), property, component });
    }
  }
}

/** Visit the actions of one component: its own, then its static items'. */
export function forEachActionOf(component: ComponentVisit, visit: (a: ActionVisit) => void): void {
  visitActionsOf(component.node, component.pointer, component, visit);
  for (const listKey of ['data-source', 'list-items']) {
    const items = component.node[listKey];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (isObject(item)) visitActionsOf(item, childPointer(component.pointer, listKey, i), component, visit);
    });
  }
}
