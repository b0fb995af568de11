/**
 * Traversal of a Flow JSON document: every screen, and every component of a
 * screen with where it sits (inside a Form, inside If/Switch branches). Shared
 * by the validator rules and the runtime so that "where is this component"
 * has one answer. Works on untrusted JSON and never throws.
 * @module
 */
import { childPointer } from './finding.js';
import { arrayProp, isObject, objectProp, type JsonObject } from './json.js';

/** A screen of the flow with its index and pointer. */
export interface ScreenVisit {
  readonly node: JsonObject;
  readonly index: number;
  readonly pointer: string;
  /** The screen id when it is a string. */
  readonly id: string | undefined;
}

/** A container a component sits in. */
export interface Ancestor {
  readonly type: 'Form' | 'If' | 'Switch';
  readonly node: JsonObject;
  readonly pointer: string;
  /** For If: `then`/`else`; for Switch: the case key. */
  readonly branch?: string;
}

/** A component with its context. */
export interface ComponentVisit {
  readonly node: JsonObject;
  /** `node.type` when it is a string, else `''`. */
  readonly type: string;
  readonly pointer: string;
  readonly screen: ScreenVisit;
  /** Outermost first. */
  readonly ancestors: readonly Ancestor[];
  /** Number of `If` ancestors. */
  readonly ifDepth: number;
  /** The enclosing Form, if any. */
  readonly form: Ancestor | undefined;
}

/** Every screen that is an object. */
export function screensOf(flow: unknown): ScreenVisit[] {
  if (!isObject(flow)) return [];
  const screens = arrayProp(flow, 'screens') ?? [];
  const out: ScreenVisit[] = [];
  screens.forEach((node, index) => {
    if (isObject(node)) {
      out.push({
        node,
        index,
        pointer: `/screens/${index}`,
        id: typeof node.id === 'string' ? node.id : undefined,
      });
    }
  });
  return out;
}

/** The child component arrays of a container component, with the branch name and pointer suffix. */
export function childListsOf(node: JsonObject): Array<{ branch: string | undefined; key: string[]; items: unknown[] }> {
  switch (node.type) {
    case 'Form': {
      const items = arrayProp(node, 'children');
      return items ? [{ branch: undefined, key: ['children'], items }] : [];
    }
    case 'If': {
      const lists: Array<{ branch: string | undefined; key: string[]; items: unknown[] }> = [];
      const then = arrayProp(node, 'then');
      if (then) lists.push({ branch: 'then', key: ['then'], items: then });
      const otherwise = arrayProp(node, 'else');
      if (otherwise) lists.push({ branch: 'else', key: ['else'], items: otherwise });
      return lists;
    }
    case 'Switch': {
      const cases = objectProp(node, 'cases');
      if (!cases) return [];
      return Object.entries(cases)
        .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
        .map(([k, items]) => ({ branch: k, key: ['cases', k], items }));
    }
    default:
      return [];
  }
}

/**
 * Visit every component of a screen depth-first, in document order
 * (a container before its children).
 */
export function forEachComponent(screen: ScreenVisit, visit: (c: ComponentVisit) => void): void {
  const layout = objectProp(screen.node, 'layout');
  const children = layout ? arrayProp(layout, 'children') : undefined;
  if (!children) return;
  walkItems(children, `${screen.pointer}/layout/children`, { screen, visit }, [], 0, undefined);
}

/** What stays the same during one screen's walk. */
interface ScreenWalk {
  readonly screen: ScreenVisit;
  readonly visit: (c: ComponentVisit) => void;
}

/** Module-level recursion: the walk runs for every screen (validator and runtime), so it creates no closure per call. */
function walkItems(items: unknown[], pointer: string, w: ScreenWalk, ancestors: Ancestor[], ifDepth: number, form: Ancestor | undefined): void {
  for (let i = 0; i < items.length; i++) {
    const node = items[i];
    if (!isObject(node)) continue;
    const here = `${pointer}/${i}`;
    const type = typeof node.type === 'string' ? node.type : '';
    w.visit({ node, type, pointer: here, screen: w.screen, ancestors, ifDepth, form });
    if (type !== 'Form' && type !== 'If' && type !== 'Switch') continue;
    for (const list of childListsOf(node)) {
      const self: Ancestor = { type, node, pointer: here, branch: list.branch };
      walkItems(
        list.items,
        childPointer(here, ...list.key),
        w,
        [...ancestors, self],
        type === 'If' ? ifDepth + 1 : ifDepth,
        type === 'Form' ? self : form,
      );
    }
  }
}

/** Every component of every screen. */
export function forEachComponentInFlow(flow: unknown, visit: (c: ComponentVisit) => void): void {
  for (const screen of screensOf(flow)) forEachComponent(screen, visit);
}
