/**
 * Screen and layout objects, and the limits that apply per screen and per
 * flow (Meta, "Flow JSON" → Screens, Layouts; "Components"; spec §1.3–§1.5, §1.11).
 * @module
 */
import { arr, bool, obj, shape, str, type ObjectShape } from './prop-spec.js';

/** Screen keys (`success` ≥3.1, `sensitive` ≥5.1). `data` and `layout` are checked on their own. */
export const SCREEN_SHAPE: ObjectShape = shape('screen', {
  id: str({ required: true, expr: false, nonBlank: false }),
  title: str({ dyn: true }),
  terminal: bool(),
  success: bool({ since: '3.1' }),
  refresh_on_back: bool(),
  data: obj(undefined),
  layout: obj(undefined, { required: true }),
  sensitive: arr(str(), { since: '5.1' }),
});

/** The only layout type Meta has. */
export const LAYOUT_TYPES: readonly string[] = ['SingleColumnLayout'];

/** Layout keys. */
export const LAYOUT_SHAPE: ObjectShape = shape('layout', {
  type: str({ required: true, enum: LAYOUT_TYPES, nonBlank: false }),
  children: arr(undefined, { required: true, children: 'list' }),
});

/** `type` values a screen data field (and its `items`/`properties`) may declare (§1.4). */
export const DATA_SCHEMA_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean', 'object', 'array'];

/** Components per screen (Meta, "Components": "The maximum number of components per screen is 50"). */
export const MAX_COMPONENTS_PER_SCREEN = 50;
/** From this many components a screen gets a near-limit warning. */
export const NEAR_MAX_COMPONENTS_PER_SCREEN = 45;
/** From this many screens (of 100) a flow gets a near-limit warning. */
export const NEAR_MAX_SCREENS = 90;

/** Pickers per screen, either kind ("… of type PhotoPicker or DocumentPicker per screen"). */
export const MAX_MEDIA_PICKERS_PER_SCREEN = 1;
/** NavigationLists per screen; they must also be alone on their screen. */
export const MAX_NAVIGATION_LISTS_PER_SCREEN = 2;

/** Per-screen maximum of a component type, counting every If/Switch branch (§1.11). */
export const MAX_PER_SCREEN: ReadonlyMap<string, number> = new Map([
  ['OptIn', 5],
  ['EmbeddedLink', 2],
  ['Image', 3],
  ['ImageCarousel', 2],
  ['NavigationList', MAX_NAVIGATION_LISTS_PER_SCREEN],
]);
/** `If` components nested in one another (Meta, "Components" → If: "nest up to 3"). */
export const MAX_IF_NESTING = 3;
/** ImageCarousels per flow. */
export const MAX_IMAGE_CAROUSELS_PER_FLOW = 3;
