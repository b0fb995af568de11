/**
 * Building blocks for the semantic corpus cases: small valid screens and
 * variants of the base flows, so each case changes one thing only.
 * @module
 */
import { arrayProp, isObject, objectProp, type JsonObject } from '../../json.js';
import { staticFlow } from '../cases/base.js';

/** A screen with a text and a Footer running `action`. */
export function screenWith(id: string, action: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    id,
    title: 'Step',
    ...extra,
    layout: {
      type: 'SingleColumnLayout',
      children: [
        { type: 'TextBody', text: 'Step' },
        { type: 'Footer', label: 'Next', 'on-click-action': action },
      ],
    },
  };
}

/** A terminal screen whose Footer completes the flow with an empty payload. */
export function terminalScreen(id: string): JsonObject {
  return screenWith(id, { name: 'complete', payload: {} }, { terminal: true });
}

/** A non-terminal endpoint screen whose Footer sends a data_exchange. */
export function exchangeScreen(id: string): JsonObject {
  return screenWith(id, { name: 'data_exchange', payload: {} });
}

/** A navigate action to `screen`. */
export function navigateTo(screen: string, payload: JsonObject = {}): JsonObject {
  return { name: 'navigate', next: { type: 'screen', name: screen }, payload };
}

/** An EmbeddedLink running `action`. */
export function link(action: JsonObject, text = 'More'): JsonObject {
  return { type: 'EmbeddedLink', text, 'on-click-action': action };
}

function firstScreenChildren(flow: JsonObject): unknown[] {
  const screen = arrayProp(flow, 'screens')?.[0];
  const layout = isObject(screen) ? objectProp(screen, 'layout') : undefined;
  return (layout && arrayProp(layout, 'children')) ?? [];
}

/** {@link staticFlow} with the first screen's Form unwrapped (Form is optional from 4.0). */
export function formlessFlow(version = '7.3'): JsonObject {
  const flow = staticFlow(version);
  const children = firstScreenChildren(flow);
  const form = children[1];
  if (isObject(form) && Array.isArray(form.children)) children.splice(1, 1, ...(form.children as unknown[]));
  return flow;
}

/** {@link staticFlow} preceded by a MENU screen holding only a NavigationList to DETAILS. */
export function menuFlow(): JsonObject {
  const flow = staticFlow();
  arrayProp(flow, 'screens')?.unshift({
    id: 'MENU',
    title: 'Menu',
    layout: {
      type: 'SingleColumnLayout',
      children: [
        {
          type: 'NavigationList',
          name: 'menu',
          'list-items': [
            { id: 'details', 'main-content': { title: 'Details' }, 'on-click-action': navigateTo('DETAILS') },
            { id: 'again', 'main-content': { title: 'Details again' }, 'on-click-action': navigateTo('DETAILS') },
          ],
        },
      ],
    },
  });
  return flow;
}
