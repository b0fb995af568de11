/**
 * The screen rule: each screen object and its layout against the catalogue,
 * every component, and the per-screen and per-flow limits (Meta, "Flow JSON"
 * → Screens, Layouts; "Components"; spec §1.3, §1.5, §1.9, §1.11).
 * @module
 */
import { isObject, jsonTypeOf } from '../../json.js';
import {
  LAYOUT_SHAPE,
  MAX_COMPONENTS_PER_SCREEN,
  MAX_IMAGE_CAROUSELS_PER_FLOW,
  MAX_MEDIA_PICKERS_PER_SCREEN,
  MAX_PER_SCREEN,
  NEAR_MAX_COMPONENTS_PER_SCREEN,
  NEAR_MAX_SCREENS,
  SCREEN_SHAPE,
} from '../../spec/screen-spec.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import type { RuleContext } from '../context.js';
import { MAX_SCREENS } from '../top-level.js';
import { checkShape, scopeOf, type Scope } from './check-value.js';
import { newScreenTally, walkComponents, type FlowTally, type ScreenTally } from './component-walk.js';
import { STRUCTURAL_CODES as C, msg } from './messages.js';

/** Version gates, parsed once (not per call). */
const V_6_3 = versionLiteral('6.3');

/** Check every screen, its layout and its components. */
export function checkScreens(ctx: RuleContext): void {
  const screens = ctx.flow.screens;
  if (!Array.isArray(screens)) return;
  const s = scopeOf(ctx);
  if (screens.length >= NEAR_MAX_SCREENS && screens.length <= MAX_SCREENS) {
    s.findings.warning(C.nearLimit, '/screens', `The flow has ${screens.length} screens; the maximum is ${MAX_SCREENS}.`);
  }
  const flow: FlowTally = { carousels: 0, fourthCarousel: undefined };
  for (let i = 0; i < screens.length; i++) {
    const node: unknown = screens[i];
    const pointer = `/screens/${i}`;
    if (!isObject(node)) {
      s.findings.error(C.type, pointer, msg.type(pointer, ['object'], jsonTypeOf(node)));
      continue;
    }
    checkShape(SCREEN_SHAPE, node, pointer, s);
    const layout = node.layout;
    if (!isObject(layout)) continue;
    const layoutPointer = `${pointer}/layout`;
    checkShape(LAYOUT_SHAPE, layout, layoutPointer, s);
    if (!Array.isArray(layout.children)) continue;
    const tally = newScreenTally();
    const childrenPointer = `${layoutPointer}/children`;
    walkComponents(layout.children, childrenPointer, tally, flow, s);
    checkScreenLimits(tally, childrenPointer, s);
  }
  if (flow.fourthCarousel !== undefined) {
    s.findings.error(C.maxPerFlow, flow.fourthCarousel, msg.perFlow('ImageCarousel', MAX_IMAGE_CAROUSELS_PER_FLOW, flow.carousels));
  }
}

/** Components per screen, per-type maxima, pickers, RichText and NavigationList placement. */
function checkScreenLimits(t: ScreenTally, childrenPointer: string, s: Scope): void {
  if (t.total > MAX_COMPONENTS_PER_SCREEN) {
    s.findings.error(C.maxComponents, childrenPointer, msg.perScreen('components', MAX_COMPONENTS_PER_SCREEN, t.total));
  } else if (t.total >= NEAR_MAX_COMPONENTS_PER_SCREEN) {
    s.findings.warning(
      C.nearLimit,
      childrenPointer,
      `The screen has ${t.total} components (counting Forms, If/Switch and every branch); the maximum is ${MAX_COMPONENTS_PER_SCREEN}.`,
    );
  }
  for (const [type, pointer] of t.overflow) {
    s.findings.error(C.maxPerScreen, pointer, msg.perScreen(type, MAX_PER_SCREEN.get(type) ?? 0, t.counts.get(type) ?? 0));
  }
  if (t.secondPicker !== undefined) {
    s.findings.error(
      C.maxPerScreen,
      t.secondPicker,
      `You can only have a maximum of ${MAX_MEDIA_PICKERS_PER_SCREEN} component of type PhotoPicker or DocumentPicker per screen.`,
    );
  }
  if (t.firstRichText !== undefined) checkRichText(t, t.firstRichText, s);
  if (t.firstNavigationList !== undefined) {
    const lists = t.counts.get('NavigationList') ?? 0;
    if (t.total > lists) {
      s.findings.error(
        C.placement,
        t.firstNavigationList,
        'NavigationList cannot be used in combination with any other components on the same screen. Please remove other components.',
      );
    }
  }
}

/** RichText: alone on its screen; from 6.3 it may share the screen with a Footer. */
function checkRichText(t: ScreenTally, pointer: string, s: Scope): void {
  if (!isAtLeast(s.version, V_6_3)) {
    if (t.total > 1) {
      s.findings.error(
        C.richTextPlacement,
        pointer,
        'RichText cannot be used with other components on the same screen. Please either remove RichText or ensure that it is the only component on the screen.',
      );
    }
    return;
  }
  const footers = t.counts.get('Footer') ?? 0;
  if (t.total - footers > 1) {
    s.findings.error(
      C.placement,
      pointer,
      'RichText can either be the only component on the screen or it can be paired exclusively with the Footer component. Please remove all components other than Footer from the same screen to use RichText.',
    );
  }
}
