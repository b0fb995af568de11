/**
 * Walk the components of one screen (inside Forms and every If/Switch
 * branch), check each against the catalogue, and tally what the per-screen
 * limits need. Plain recursion with one tally object per screen: no closure
 * or array is allocated per component.
 * @module
 */
import { childPointer } from '../../finding.js';
import { isObject, jsonTypeOf, type JsonObject } from '../../json.js';
import { componentAt, componentTypesAt, COMPONENTS } from '../../spec/catalogue.js';
import { MAX_IF_NESTING, MAX_PER_SCREEN } from '../../spec/screen-spec.js';
import { formatVersion } from '../../version.js';
import { checkShape, type Scope } from './check-value.js';
import { COMPONENT_CHECKS } from './component-checks.js';
import { STRUCTURAL_CODES as C, msg } from './messages.js';

/** What one screen holds, for the per-screen limits. */
export interface ScreenTally {
  /** Every component object, containers and all branches included. */
  total: number;
  readonly counts: Map<string, number>;
  /** Pointer of the first component over its type's per-screen maximum. */
  readonly overflow: Map<string, string>;
  pickers: number;
  secondPicker: string | undefined;
  firstRichText: string | undefined;
  firstNavigationList: string | undefined;
}

/** What the whole flow holds, for per-flow limits. */
export interface FlowTally {
  carousels: number;
  fourthCarousel: string | undefined;
}

/** A fresh tally for one screen. */
export function newScreenTally(): ScreenTally {
  return {
    total: 0,
    counts: new Map(),
    overflow: new Map(),
    pickers: 0,
    secondPicker: undefined,
    firstRichText: undefined,
    firstNavigationList: undefined,
  };
}

/** Check every component of the array at `pointer` (a screen's or a container's children). */
export function walkComponents(items: unknown[], pointer: string, t: ScreenTally, flow: FlowTally, s: Scope, ifDepth = 0): void {
  for (let i = 0; i < items.length; i++) {
    const node = items[i];
    const here = `${pointer}/${i}`;
    if (isObject(node)) visitComponent(node, here, t, flow, s, ifDepth);
    else s.findings.error(C.type, here, msg.type(here, ['object'], jsonTypeOf(node)));
  }
}

function unknownType(type: string, s: Scope): string {
  const later = COMPONENTS.get(type);
  const list = msg.enumValue(componentTypesAt(s.version));
  return later ? `${list}. ${type} requires Flow JSON version ${formatVersion(later.since)} or later.` : list;
}

function visitComponent(node: JsonObject, pointer: string, t: ScreenTally, flow: FlowTally, s: Scope, ifDepth: number): void {
  t.total++;
  const type = node.type;
  if (type === undefined) {
    s.findings.error(C.missing, pointer, msg.missing('type'));
    return;
  }
  if (typeof type !== 'string') {
    const here = `${pointer}/type`;
    s.findings.error(C.type, here, msg.type(here, ['string'], jsonTypeOf(type)));
    return;
  }
  const spec = componentAt(type, s.version);
  if (!spec) {
    s.findings.error(C.enumValue, `${pointer}/type`, unknownType(type, s));
    return;
  }
  tally(type, pointer, t, flow);
  checkShape(spec.shape, node, pointer, s);
  COMPONENT_CHECKS.get(type)?.(node, pointer, s);
  if (type === 'Form') walkBranch(node.children, `${pointer}/children`, t, flow, s, ifDepth);
  else if (type === 'If') {
    if (ifDepth === MAX_IF_NESTING) {
      s.findings.error(C.ifNesting, pointer, `The 'If' component can only be nested up to ${MAX_IF_NESTING} levels deep.`);
    }
    walkBranch(node.then, `${pointer}/then`, t, flow, s, ifDepth + 1);
    walkBranch(node.else, `${pointer}/else`, t, flow, s, ifDepth + 1);
  } else if (type === 'Switch' && isObject(node.cases)) {
    const cases = node.cases;
    const casesPointer = `${pointer}/cases`;
    for (const key in cases) walkBranch(cases[key], childPointer(casesPointer, key), t, flow, s, ifDepth);
  }
}

function walkBranch(items: unknown, pointer: string, t: ScreenTally, flow: FlowTally, s: Scope, ifDepth: number): void {
  if (Array.isArray(items)) walkComponents(items, pointer, t, flow, s, ifDepth);
}

function tally(type: string, pointer: string, t: ScreenTally, flow: FlowTally): void {
  const n = (t.counts.get(type) ?? 0) + 1;
  t.counts.set(type, n);
  const max = MAX_PER_SCREEN.get(type);
  if (max !== undefined && n === max + 1) t.overflow.set(type, pointer);
  switch (type) {
    case 'PhotoPicker':
    case 'DocumentPicker':
      if (++t.pickers === 2) t.secondPicker = pointer;
      break;
    case 'RichText':
      t.firstRichText ??= pointer;
      break;
    case 'NavigationList':
      t.firstNavigationList ??= pointer;
      break;
    case 'ImageCarousel':
      if (++flow.carousels === 4) flow.fourthCarousel = pointer;
      break;
    default:
      break;
  }
}
