/**
 * One walk of the document shared by all semantic rules of a validation
 * run: every screen with its components, actions and named inputs. Rules
 * read these arrays instead of re-walking the tree, which keeps the layer
 * within a small multiple of JSON.parse on 100-screen flows.
 * @module
 */
import type { RuleContext } from '../context.js';
import { componentAt } from '../../spec/catalogue.js';
import { forEachComponent, screensOf, type ComponentVisit, type ScreenVisit } from '../../walk.js';
import { forEachActionOf, type ActionVisit } from './actions.js';
import { INPUT_COMPONENT_TYPES } from './inputs.js';

/** What the rules need to know about one screen. */
export interface ScreenIndex {
  readonly screen: ScreenVisit;
  /** Every component, depth-first in document order (containers before children). */
  readonly components: readonly ComponentVisit[];
  /** Every action object, in document order. */
  readonly actions: readonly ActionVisit[];
  /** Input component name → first input with that name. */
  readonly inputs: ReadonlyMap<string, ComponentVisit>;
}

/** Index of a whole flow. */
export interface FlowIndex {
  readonly screens: readonly ScreenIndex[];
  /** Screen id → first screen with that id. */
  readonly byId: ReadonlyMap<string, ScreenIndex>;
  /** Every component of every screen, screen by screen. */
  readonly components: readonly ComponentVisit[];
}

/** Build the index of one screen. */
export function indexScreen(screen: ScreenVisit): ScreenIndex {
  const components: ComponentVisit[] = [];
  const actions: ActionVisit[] = [];
  const inputs = new Map<string, ComponentVisit>();
  forEachComponent(screen, (c) => {
    components.push(c);
    forEachActionOf(c, (a) => actions.push(a));
    const name = c.node.name;
    if (typeof name === 'string' && INPUT_COMPONENT_TYPES.has(c.type) && !inputs.has(name)) inputs.set(name, c);
  });
  return { screen, components, actions, inputs };
}

/**
 * The index for this validation run. The context object lives for one run
 * (the rules never mutate the document), so it is the cache key; a caller
 * editing the document between runs gets a fresh index.
 */
export function flowIndex(ctx: RuleContext): FlowIndex {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const screens = screensOf(ctx.flow).map(indexScreen);
  const byId = new Map<string, ScreenIndex>();
  for (const s of screens) if (s.screen.id !== undefined && !byId.has(s.screen.id)) byId.set(s.screen.id, s);
  const index = { screens, byId, components: screens.flatMap((s) => s.components) };
  cache.set(ctx, index);
  return index;
}

/**
 * Every component of the flow whose type this Flow JSON version knows, from
 * the run's index. Component-specific rules use this so that a component
 * used before its version (which the structural rules report) is not also
 * reported here.
 */
export function knownComponents(ctx: RuleContext): readonly ComponentVisit[] {
  const cached = knownCache.get(ctx);
  if (cached) return cached;
  const known = flowIndex(ctx).components.filter((c) => componentAt(c.type, ctx.version) !== undefined);
  knownCache.set(ctx, known);
  return known;
}

const cache = new WeakMap<RuleContext, FlowIndex>();
const knownCache = new WeakMap<RuleContext, readonly ComponentVisit[]>();
