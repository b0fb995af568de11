/**
 * Canonical key orders used by the emitter: Meta's documented property order
 * per object kind (spec §1.1, §1.3, §1.8, §1.9). Keys not listed keep their
 * original relative order after the listed ones.
 * @module
 */

/** Top level of the document. */
export const FLOW_KEY_ORDER: readonly string[] = ['version', 'data_api_version', 'routing_model', 'screens', 'data_channel_uri'];

/** A screen. */
export const SCREEN_KEY_ORDER: readonly string[] = ['id', 'title', 'terminal', 'success', 'refresh_on_back', 'sensitive', 'data', 'layout'];

/** A data declaration or nested schema. */
export const SCHEMA_KEY_ORDER: readonly string[] = ['type', 'items', 'properties', '__example__'];

/** The layout object. */
export const LAYOUT_KEY_ORDER: readonly string[] = ['type', 'children'];

/** An action. */
export const ACTION_KEY_ORDER: readonly string[] = ['name', 'next', 'url', 'payload'];

/** The `next` of a navigate action. */
export const NEXT_KEY_ORDER: readonly string[] = ['type', 'name'];

/** A data-source item. */
export const DATA_SOURCE_ITEM_KEY_ORDER: readonly string[] = [
  'id', 'title', 'description', 'metadata', 'enabled', 'image', 'alt-text', 'color', 'on-select-action', 'on-unselect-action',
];

/** A NavigationList item. */
export const NAVIGATION_ITEM_KEY_ORDER: readonly string[] = ['id', 'main-content', 'start', 'end', 'badge', 'tags', 'on-click-action'];

/** Sub-objects of a NavigationList item, and carousel images. */
export const CONTENT_KEY_ORDER: readonly string[] = ['title', 'description', 'metadata', 'image', 'src', 'alt-text'];

/** A CalendarPicker range-shaped value. */
export const RANGE_KEY_ORDER: readonly string[] = ['start-date', 'end-date'];

const selection = ['data-source', 'label', 'description', 'min-selected-items', 'max-selected-items', 'required', 'enabled', 'visible', 'media-size', 'init-value', 'error-message', 'on-select-action', 'on-unselect-action'];
const body = ['text', 'font-weight', 'strikethrough', 'markdown', 'visible'];
const picker = ['label', 'description', 'photo-source', 'max-file-size-kb', 'min-uploaded-photos', 'max-uploaded-photos', 'min-uploaded-documents', 'max-uploaded-documents', 'allowed-mime-types', 'enabled', 'visible', 'error-message'];

/**
 * Per component type, the properties after `type` and `name`, in the order
 * of Meta's "Components" page tables.
 */
export const COMPONENT_KEY_ORDER: Readonly<Record<string, readonly string[]>> = {
  TextHeading: ['text', 'visible'],
  TextSubheading: ['text', 'visible'],
  TextBody: body,
  TextCaption: body,
  RichText: ['text', 'visible'],
  TextInput: ['label', 'label-variant', 'input-type', 'pattern', 'required', 'min-chars', 'max-chars', 'helper-text', 'enabled', 'visible', 'init-value', 'error-message'],
  TextArea: ['label', 'label-variant', 'required', 'max-length', 'helper-text', 'enabled', 'visible', 'init-value', 'error-message'],
  CheckboxGroup: selection,
  RadioButtonsGroup: selection,
  Dropdown: ['label', ...selection.filter((k) => k !== 'label')],
  ChipsSelector: ['label', ...selection.filter((k) => k !== 'label')],
  Footer: ['label', 'left-caption', 'center-caption', 'right-caption', 'enabled', 'on-click-action'],
  OptIn: ['label', 'required', 'visible', 'init-value', 'on-click-action', 'on-select-action', 'on-unselect-action'],
  EmbeddedLink: ['text', 'on-click-action', 'visible'],
  DatePicker: ['label', 'min-date', 'max-date', 'unavailable-dates', 'helper-text', 'enabled', 'required', 'visible', 'init-value', 'error-message', 'on-select-action'],
  CalendarPicker: ['mode', 'label', 'title', 'description', 'helper-text', 'required', 'error-message', 'min-date', 'max-date', 'unavailable-dates', 'include-days', 'min-days', 'max-days', 'enabled', 'visible', 'init-value', 'on-select-action'],
  Image: ['src', 'width', 'height', 'scale-type', 'aspect-ratio', 'alt-text', 'visible'],
  ImageCarousel: ['images', 'aspect-ratio', 'scale-type', 'visible'],
  NavigationList: ['list-items', 'label', 'description', 'media-size', 'on-click-action'],
  If: ['condition', 'then', 'else'],
  Switch: ['value', 'cases'],
  Form: ['children', 'init-values', 'error-messages'],
  PhotoPicker: picker,
  DocumentPicker: picker,
};

/**
 * Reorder an object's own keys: `order` first (those present), then the rest
 * in their original order. Values are passed through `mapValue`. Caveat of
 * JavaScript objects: array-index-like keys (`"0"`, `"17"`) always enumerate
 * first, in numeric order; no Meta key looks like that.
 */
export function orderKeys(
  obj: Record<string, unknown>,
  order: readonly string[],
  mapValue: (key: string, value: unknown) => unknown = (_k, v) => v,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) {
    if (Object.hasOwn(obj, key)) put(out, key, mapValue(key, obj[key]));
  }
  for (const key of Object.keys(obj)) {
    if (!Object.hasOwn(out, key)) put(out, key, mapValue(key, obj[key]));
  }
  return out;
}

/** Define an own enumerable key, safe even for `__proto__` (which JSON.parse makes an own key). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
